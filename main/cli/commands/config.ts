import { BbiaError, ExitCode } from '../../engine/errors.js';
import { parseRobotArgs } from '../../engine/settings/robot-args.js';
import { DEFAULT_SETTINGS, SETTINGS_SCHEMA } from '../../engine/settings/schema.js';
import { validate } from '../../engine/settings/validate.js';
import { engineText } from '../../../common/i18n/engine-text.js';
import type { CommandSpec } from '../args.js';
import type { CliContext } from '../context.js';

/** `config [path | get [KEY] | set KEY VALUE | set robotArgs -- ARGS...]`. */
export const configSpec: CommandSpec = {
  options: {},
  maxPositional: 3,
  rest: true,
  usage: 'bbia-safe config [path | get [KEY] | set KEY VALUE | set robotArgs -- ARGS...]',
};

const usage = { key: 'usage', vars: { usage: configSpec.usage } } as const;

/**
 * The value of `config set KEY VALUE` as the setting holds it. `robotArgs` takes a JSON list or one
 * shell-like line (`'--model reachy_mini.xml'`); `config set robotArgs -- ARGS...` is read before this.
 */
function parseValue(key: string, raw: string, lang: 'en' | 'fr'): unknown {
  const current = (DEFAULT_SETTINGS as unknown as Record<string, unknown>)[key];
  if (key === 'robotArgs') {
    const parsed = parseRobotArgs(raw);
    if ('problem' in parsed) throw BbiaError.of('robotArgsInvalid', { why: parsed.problem[lang] }, ExitCode.usage);
    return parsed.args;
  }
  if (typeof current === 'number') return Number(raw);
  if (typeof current === 'boolean') {
    if (raw === 'true' || raw === 'false') return raw === 'true';
    return raw;
  }
  if (typeof current === 'object') {
    try {
      return JSON.parse(raw);
    } catch {
      throw BbiaError.of('settingTakesJson', { key, raw: `'${raw}'` }, ExitCode.usage);
    }
  }
  return raw;
}

function unknownSetting(key: string): BbiaError {
  return BbiaError.of('unknownSetting', { key: `'${key}'`, known: Object.keys(DEFAULT_SETTINGS).join(', ') }, ExitCode.usage);
}

/** Reads and writes the settings file shared with the app; `rest` is what followed `--` (robotArgs only). */
export async function config(ctx: CliContext, positional: string[], rest?: string[]): Promise<number> {
  const [action = 'get', key, value] = positional;
  const paths = ctx.engine.paths;
  const withRest = rest !== undefined && key === 'robotArgs' && value === undefined;
  if (rest !== undefined && !withRest) throw BbiaError.of('unexpectedArgument', { arg: `'${rest[0] ?? '--'}'` }, ExitCode.usage, usage);
  if (action === 'path') {
    ctx.io.out(paths.settingsFile);
    return 0;
  }
  if (action === 'get') {
    const settings = ctx.engine.settings as unknown as Record<string, unknown>;
    if (key !== undefined && !Object.hasOwn(DEFAULT_SETTINGS, key)) throw unknownSetting(key);
    ctx.io.out(JSON.stringify(key === undefined ? settings : settings[key], null, 2));
    return 0;
  }
  // `set robotArgs -- ARGS...` (no ARGS: none), as `start -- ARGS` takes them
  const argsGiven = action === 'set' && withRest;
  if (action !== 'set' || key === undefined || (value === undefined && !argsGiven)) {
    throw BbiaError.of('unknownConfigAction', { action: `'${positional.join(' ')}'` }, ExitCode.usage, usage);
  }
  if (!Object.hasOwn(DEFAULT_SETTINGS, key)) throw unknownSetting(key);
  const parsed = argsGiven ? rest : parseValue(key, value!, ctx.t.lang);
  // The schema's own check first, worded in the user's language (conf's is in English)
  const problem = validate(parsed, SETTINGS_SCHEMA[key as keyof typeof SETTINGS_SCHEMA] as never, key);
  if (problem) throw BbiaError.of('settingInvalid', { value: `'${value ?? rest?.join(' ')}'`, key, why: engineText(ctx.t.lang, problem) }, ExitCode.usage);
  // conf (and its ajv) only for a write: read-only commands never load it
  const { openSettingsStore } = await import('../../engine/settings/store.js');
  let store;
  try {
    store = openSettingsStore(paths);
  } catch (error) {
    throw BbiaError.of('settingsFileUnusable', { file: paths.settingsFile, why: (error as Error).message.split('\n')[0]! });
  }
  try {
    store.set(key as never, parsed as never);
  } catch (error) {
    throw BbiaError.of('settingInvalid', { value: `'${value ?? rest?.join(' ')}'`, key, why: (error as Error).message.split('\n')[0]! }, ExitCode.usage);
  }
  ctx.io.out(`${key} = ${JSON.stringify(store.get(key as never))}`);
  return 0;
}
