import { BbiaError, ExitCode } from '../../engine/errors.js';
import { DEFAULT_SETTINGS } from '../../engine/settings/schema.js';
import type { CommandSpec } from '../args.js';
import type { CliContext } from '../context.js';

/** `config [path | get [KEY] | set KEY VALUE]`. */
export const configSpec: CommandSpec = { options: {}, maxPositional: 3, usage: 'bbia-safe config [path | get [KEY] | set KEY VALUE]' };

function parseValue(key: string, raw: string): unknown {
  const current = (DEFAULT_SETTINGS as unknown as Record<string, unknown>)[key];
  if (typeof current === 'number') return Number(raw);
  if (typeof current === 'boolean') {
    if (raw === 'true' || raw === 'false') return raw === 'true';
    return raw;
  }
  if (typeof current === 'object') {
    try {
      return JSON.parse(raw);
    } catch {
      throw new BbiaError(`${key} takes JSON, not '${raw}'`, `for example: bbia-safe config get ${key}`, ExitCode.usage);
    }
  }
  return raw;
}

/** Reads and writes the settings file shared with the app. */
export async function config(ctx: CliContext, positional: string[]): Promise<number> {
  const [action = 'get', key, value] = positional;
  const paths = ctx.engine.paths;
  if (action === 'path') {
    ctx.io.out(paths.settingsFile);
    return 0;
  }
  if (action === 'get') {
    const settings = ctx.engine.settings as unknown as Record<string, unknown>;
    if (key !== undefined && !Object.hasOwn(DEFAULT_SETTINGS, key)) {
      throw new BbiaError(`unknown setting '${key}'`, `known settings: ${Object.keys(DEFAULT_SETTINGS).join(', ')}`, ExitCode.usage);
    }
    ctx.io.out(JSON.stringify(key === undefined ? settings : settings[key], null, 2));
    return 0;
  }
  if (action !== 'set' || key === undefined || value === undefined) {
    throw new BbiaError(`unknown config action '${positional.join(' ')}'`, `usage: ${configSpec.usage}`, ExitCode.usage);
  }
  if (!Object.hasOwn(DEFAULT_SETTINGS, key)) {
    throw new BbiaError(`unknown setting '${key}'`, `known settings: ${Object.keys(DEFAULT_SETTINGS).join(', ')}`, ExitCode.usage);
  }
  // conf (and its ajv) only for a write: read-only commands never load it
  const { openSettingsStore } = await import('../../engine/settings/store.js');
  let store;
  try {
    store = openSettingsStore(paths);
  } catch (error) {
    throw new BbiaError(`the settings file ${paths.settingsFile} cannot be used: ${(error as Error).message.split('\n')[0]}`, 'fix it or delete it, then try again');
  }
  try {
    store.set(key as never, parseValue(key, value) as never);
  } catch (error) {
    throw new BbiaError(`'${value}' is not a valid ${key}: ${(error as Error).message.split('\n')[0]}`, `see: bbia-safe config get ${key}`, ExitCode.usage);
  }
  ctx.io.out(`${key} = ${JSON.stringify(store.get(key as never))}`);
  return 0;
}
