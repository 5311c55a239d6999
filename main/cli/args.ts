import { BbiaError, ExitCode } from '../engine/errors.js';
import type { EngineTextKey, TextVars } from '../../common/i18n/engine-text.js';

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
  /** True when arguments after `--` are taken as they are (start's robot arguments); otherwise they count as positional. */
  rest?: boolean;
}

/** Parsed arguments. */
export interface Parsed {
  /** Option values by name. */
  options: Record<string, string | number | boolean | undefined>;
  /** Positional arguments. */
  positional: string[];
  /** The arguments after `--`, untouched, when the command takes them; undefined when there was no `--`. */
  rest?: string[];
}

/** Quotes user input for a one-line message: control characters are escaped. */
export function quote(text: string): string {
  // oxlint-disable-next-line no-control-regex -- escaping control characters is the point
  return `'${text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`;
}

function usageError(key: EngineTextKey, vars: TextVars, spec: CommandSpec): BbiaError {
  return BbiaError.of(key, vars, ExitCode.usage, { key: 'usage', vars: { usage: spec.usage } });
}

/** Parses `args` strictly: an unknown option, a missing or malformed value, or an extra argument is a usage error (exit 2). */
export function parseArgs(args: readonly string[], spec: CommandSpec): Parsed {
  const options: Parsed['options'] = {};
  const positional: string[] = [];
  let rest: string[] | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      if (spec.rest) rest = args.slice(i + 1);
      else positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(arg.startsWith('--') ? 2 : 1, eq >= 0 ? eq : undefined);
    const type = Object.hasOwn(spec.options, name) ? spec.options[name] : undefined;
    if (!type) throw usageError('unknownOption', { option: quote(arg.slice(0, eq >= 0 ? eq : undefined)) }, spec);
    if (type === 'boolean') {
      if (eq >= 0) throw usageError('optionNoValue', { name }, spec);
      options[name] = true;
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw usageError('optionNeedsValue', { name }, spec);
    if (type === 'number') {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw usageError('optionNeedsNumber', { name, value: quote(value) }, spec);
      options[name] = n;
    } else {
      if (value === '') throw usageError('optionNeedsText', { name }, spec);
      options[name] = value;
    }
  }
  if (positional.length > spec.maxPositional) throw usageError('unexpectedArgument', { arg: quote(positional[spec.maxPositional]!) }, spec);
  return { options, positional, rest };
}
