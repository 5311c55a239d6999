import readline from 'node:readline/promises';
import { createEngine, type Engine } from '../engine/engine.js';
import { BbiaError, ExitCode } from '../engine/errors.js';
import { createPaths } from '../engine/paths.js';
import type { BbiaProcess } from '../engine/scan/scan.js';
import { loadSettings } from '../engine/settings/load.js';
import { rememberProject } from './remember-project.js';
import { detectLang, isYes, translator, type MessageKey, type Translate } from './i18n.js';
import { formatProcess } from './format.js';
import type { Lang } from '../../common/i18n/fill.js';
import { processOutput, type Output } from './output.js';

/** Everything a command needs: the engine, output, language and the terminal. */
export interface CliContext {
  /** The engine on this user's paths and settings. */
  engine: Engine;
  /** Output streams. */
  io: Output;
  /** Translator. */
  t: Translate;
  /** The language of the locale. */
  lang: Lang;
  /** Asks a yes/no question on the terminal; false when the answer is not yes. */
  ask(question: string): Promise<boolean>;
  /** True when stdin is a terminal that can answer a confirmation. */
  interactive: boolean;
}

/** Builds the context from the real process (HOME, locale, terminal). */
export function createContext(): CliContext {
  const io = processOutput();
  const lang = detectLang();
  const t = translator(lang);
  const paths = createPaths();
  const loaded = loadSettings(paths);
  if (loaded.problem) io.err(t('warning', { text: loaded.problemIn?.(t.lang) ?? loaded.problem }));
  const engine = createEngine({
    paths,
    settings: loaded.settings,
    // Only while the file is usable: an unusable one is reported and never overwritten
    rememberProject: loaded.problem ? undefined : (dir) => rememberProject(paths, dir, (text) => io.err(t('warning', { text }))),
  });
  return {
    engine,
    io,
    t,
    lang,
    interactive: process.stdin.isTTY === true,
    async ask(question) {
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
      try {
        return isYes(await rl.question(question));
      } finally {
        rl.close();
      }
    },
  };
}

/** The contract's confirmation rule: --force skips it; a terminal is asked; no terminal refuses (exit 2). */
export async function confirmOrRefuse(ctx: CliContext, force: boolean, key: MessageKey, n: number): Promise<void> {
  if (force) return;
  if (!ctx.interactive) throw new BbiaError(ctx.t('needForce'), ctx.t('needForceHint'), ExitCode.usage);
  if (!(await ctx.ask(ctx.t(key, { n })))) throw new BbiaError(ctx.t('cancelled'), '', ExitCode.usage);
}

/** Lists what will be stopped under `header`, then applies the confirmation rule of {@link confirmOrRefuse}. */
export async function listAndConfirm(ctx: CliContext, header: string, targets: readonly BbiaProcess[], force: boolean, key: MessageKey): Promise<void> {
  ctx.io.out(header);
  const now = Date.now();
  for (const p of targets) ctx.io.out(formatProcess(p, ctx.t, now));
  await confirmOrRefuse(ctx, force, key, targets.length);
}

/** Reports what is still alive after a stop; true when something is (the command then exits 1). */
export function reportSurvivors(ctx: CliContext, survivors: readonly { pid: number; command: string }[]): boolean {
  if (survivors.length === 0) return false;
  ctx.io.err(ctx.t('survivors', { list: survivors.map((p) => `PID ${p.pid} (${p.command})`).join(', ') }));
  return true;
}
