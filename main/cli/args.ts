import { BbiaError, ExitCode } from '../engine/errors.js';

/** The type of one option's value. */
export type OptionType = 'boolean' | 'string' | 'number';

/** A command's grammar: its options and how many positional arguments it takes. */
export interface CommandSpec {
  /** Option name (without dashes) to its value type. */
  options: Record<string, OptionType>;
  /** Most positional arguments accepted. */
  maxPositional: number;
  /** One-line usage shown with every usage error. */
  usage: string;
}

/** Parsed arguments. */
export interface Parsed {
  /** Option values by name. */
  options: Record<string, string | number | boolean | undefined>;
  /** Positional arguments. */
  positional: string[];
}

/** Quotes user input for a one-line message: control characters are escaped. */
export function quote(text: string): string {
  // oxlint-disable-next-line no-control-regex -- escaping control characters is the point
  return `'${text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`;
}

function usageError(message: string, spec: CommandSpec): BbiaError {
  return new BbiaError(message, `usage: ${spec.usage}`, ExitCode.usage);
}

/** Parses `args` strictly: an unknown option, a missing or malformed value, or an extra argument is a usage error (exit 2). */
export function parseArgs(args: readonly string[], spec: CommandSpec): Parsed {
  const options: Parsed['options'] = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(arg.startsWith('--') ? 2 : 1, eq >= 0 ? eq : undefined);
    const type = Object.hasOwn(spec.options, name) ? spec.options[name] : undefined;
    if (!type) throw usageError(`unknown option ${quote(arg.slice(0, eq >= 0 ? eq : undefined))}`, spec);
    if (type === 'boolean') {
      if (eq >= 0) throw usageError(`option --${name} takes no value`, spec);
      options[name] = true;
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw usageError(`option --${name} needs a value`, spec);
    if (type === 'number') {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw usageError(`option --${name} needs a positive number of seconds, not ${quote(value)}`, spec);
      options[name] = n;
    } else {
      if (value === '') throw usageError(`option --${name} needs a non-empty value`, spec);
      options[name] = value;
    }
  }
  if (positional.length > spec.maxPositional) throw usageError(`unexpected argument ${quote(positional[spec.maxPositional]!)}`, spec);
  return { options, positional };
}
