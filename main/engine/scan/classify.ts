import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { consoleScriptName, innerProgram, isInstalledPath, isInterpreter, programOf, RUNNERS, type Program } from './program.js';
import { APP_SERVERS, CONSOLE_SCRIPTS, moduleKind, NEVER_BBIA, PROJECT_PACKAGES, PYTEST, scriptKind } from './project-table.js';
import { isBbiaSafe, isInside, type Kind, type Rule } from './rules.js';
import type { Why } from '../../../common/i18n/reasons.js';

/** Why a process is a BBIA process: what made it one, in a few words. */
export interface Verdict {
  /** What it is. */
  kind: Kind;
  /** Why it is listed (in words: {@link reasonText}). */
  why: Why;
  /** The project folder it showed, when it runs the robot's launcher (a folder learned from a running robot). */
  projectRoot?: string;
  /** True when it counts only for lack of a BBIA parent (an orphaned multiprocessing worker): under one, it takes the parent's kind. */
  orphanOnly?: boolean;
}

/** What the classifier needs besides the command line. */
export interface ClassifyContext {
  /** Absolute folders of the BBIA project (settings, running instance, current folder, running launchers). */
  projectRoots: readonly string[];
  /** Extra rules from the settings, tried after the defaults. */
  extraRules?: readonly Rule[];
  /** Reads a process's working folder; asked only where a relative path must be resolved. */
  cwdOf: (pid: number) => string | undefined;
}

/** The robot's launcher, whose presence makes a folder a BBIA project folder. */
const LAUNCHER = 'launch_complete_robot.py';
/** `module:attr` of an ASGI/WSGI app, optionally called (`main:create_app()`). */
const APP_SPEC = /^([A-Za-z_][\w.]*):[A-Za-z_][\w.]*(\(\))?$/;
/** A multiprocessing child (spawn worker or resource tracker): BBIA when it works in a project folder. */
const MP_CHILD = /from multiprocessing\.(spawn|resource_tracker|forkserver) import|--multiprocessing-fork/;
/** bbia-safe's own state files: a command naming them is no simulator. */
const LOCK_FILE_NAMES = /\.bbia_sim\.(pid|lock)\S*/g;

const srcPackages = new Map<string, readonly string[]>();

/** The packages under a project folder's `src/` (read once per folder). */
function packagesOf(root: string): readonly string[] {
  let found = srcPackages.get(root);
  if (!found) {
    try {
      found = fs.readdirSync(path.join(root, 'src'), { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name);
    } catch {
      found = [];
    }
    srcPackages.set(root, found);
  }
  return found;
}

/**
 * The project package a module belongs to (`src.bbia_sim.daemon` counts as `bbia_sim.daemon`), or undefined.
 * Another package under a project folder's `src/` counts only for a process working in that folder.
 */
function projectModule(pid: number, module: string, ctx: ClassifyContext): string | undefined {
  const name = module.replace(/^src\./, '');
  const top = name.split('.')[0]!;
  if (PROJECT_PACKAGES.includes(top)) return name;
  const roots = ctx.projectRoots.filter((root) => packagesOf(root).includes(top));
  if (roots.length === 0) return undefined;
  const cwd = ctx.cwdOf(pid);
  return cwd !== undefined && roots.some((root) => isInside(cwd, root)) ? name : undefined;
}

/** Folders never learned as a project folder, whatever launcher runs from them. */
const TOO_WIDE = new Set(['/', os.homedir(), os.tmpdir()]);
const projectFolders = new Map<string, boolean>();

/** True for a folder that holds the BBIA project's own package (`src/bbia_sim`): only such a folder is learned from a launcher. */
function looksLikeProject(root: string): boolean {
  let ok = projectFolders.get(root);
  if (ok === undefined) {
    ok = !TOO_WIDE.has(root) && PROJECT_PACKAGES.some((pkg) => fs.existsSync(path.join(root, 'src', pkg)));
    projectFolders.set(root, ok);
  }
  return ok;
}

/** Decides what a pytest run belongs to: its folder or one of its test paths in the project. */
function pytestVerdict(pid: number, args: readonly string[], ctx: ClassifyContext): Verdict | undefined {
  if (ctx.projectRoots.length === 0) return undefined;
  const cwd = ctx.cwdOf(pid);
  const rootOf = (p: string) => ctx.projectRoots.find((root) => isInside(p, root));
  if (cwd && rootOf(cwd)) return { kind: 'test', why: { code: 'pytestIn', what: rootOf(cwd) } };
  for (const arg of args) {
    if (arg.startsWith('-')) continue;
    const file = path.isAbsolute(arg) ? arg : cwd !== undefined && arg.includes('/') ? path.resolve(cwd, arg) : undefined;
    if (file && rootOf(file)) return { kind: 'test', why: { code: 'pytestOn', what: arg } };
  }
  return undefined;
}

/** MuJoCo's stand-alone viewer: the project's only when it opens a model file of the project. */
function viewerVerdict(pid: number, args: readonly string[], ctx: ClassifyContext): Verdict | undefined {
  const cwd = ctx.cwdOf(pid);
  for (const arg of args) {
    const value = arg.replace(/^--?\w+=/, '');
    const file = path.isAbsolute(value) ? value : cwd !== undefined && value.includes('/') ? path.resolve(cwd, value) : undefined;
    const root = file && ctx.projectRoots.find((r) => isInside(file, r));
    if (root) return { kind: 'viewer', why: { code: 'viewer', what: path.relative(root, file!) } };
  }
  return undefined;
}

/** A module run with `-m`, or a console script standing for one. */
function moduleVerdict(pid: number, module: string, args: readonly string[], ctx: ClassifyContext, via: 'module' | 'console', nested: boolean): Verdict | undefined {
  if (PYTEST.has(module)) return pytestVerdict(pid, args, ctx);
  if (APP_SERVERS.has(module)) {
    const spec = args.find((a) => APP_SPEC.test(a));
    const own = spec && projectModule(pid, APP_SPEC.exec(spec)![1]!, ctx);
    return own ? { kind: 'server', why: { code: 'app', what: spec, by: module } } : undefined;
  }
  if (module === 'mujoco.viewer') return viewerVerdict(pid, args, ctx);
  if (Object.hasOwn(RUNNERS, module)) {
    // One level only: a runner running a runner is judged no further
    const inner = nested ? undefined : innerProgram(module, args);
    return inner && programVerdict(pid, inner, '', ctx, true);
  }
  const mapped = CONSOLE_SCRIPTS[module] ?? module;
  if (NEVER_BBIA.has(mapped.split('.')[0]!)) return undefined;
  const own = projectModule(pid, mapped, ctx);
  if (!own) return undefined;
  return { kind: moduleKind(own), why: { code: via, what: mapped !== module ? `${module} (${mapped})` : module } };
}

/** A script run by an interpreter: the robot's launcher anywhere, a console script, or a file of a known project. */
function scriptVerdict(pid: number, script: string, args: readonly string[], ctx: ClassifyContext, nested: boolean): Verdict | undefined {
  const resolve = () => {
    if (path.isAbsolute(script)) return path.normalize(script);
    const cwd = ctx.cwdOf(pid);
    return cwd === undefined ? undefined : path.resolve(cwd, script);
  };
  if (path.basename(script) === LAUNCHER) {
    const file = resolve();
    const root = file && path.basename(path.dirname(file)) === 'scripts' ? path.dirname(path.dirname(file)) : undefined;
    return { kind: 'robot', why: { code: 'launcher', what: file ?? script }, projectRoot: root && looksLikeProject(root) ? root : undefined };
  }
  const file = resolve();
  const root = file && ctx.projectRoots.find((r) => isInside(file, r));
  const installed = root !== undefined && file !== undefined && isInstalledPath(path.relative(root, file));
  const consoleName = consoleScriptName(script);
  if (consoleName && (!root || installed)) {
    // mjpython is a console script that runs its arguments as Python does (one level only)
    if (isInterpreter(consoleName)) return nested ? undefined : programVerdict(pid, programOf([consoleName, ...args]), '', ctx, true);
    return moduleVerdict(pid, consoleName, args, ctx, 'console', nested);
  }
  if (!root || !file || installed) return undefined;
  return { kind: scriptKind(file), why: { code: 'script', what: path.relative(root, file) } };
}

/** Code run with `-c`: only a multiprocessing child working in a project folder (its parent may be gone). */
function codeVerdict(pid: number, command: string, ctx: ClassifyContext): Verdict | undefined {
  if (!MP_CHILD.test(command) || ctx.projectRoots.length === 0) return undefined;
  const cwd = ctx.cwdOf(pid);
  return cwd && ctx.projectRoots.some((r) => isInside(cwd, r)) ? { kind: 'other', why: { code: 'worker' }, orphanOnly: true } : undefined;
}

/** The settings' extra rules: a case-insensitive substring of the command line, never for a tool in {@link NEVER_BBIA}. */
function ruleVerdict(program: Program, command: string, rules: readonly Rule[]): Verdict | undefined {
  if (program.type === 'native' && NEVER_BBIA.has(program.name)) return undefined;
  if (program.type === 'module' && NEVER_BBIA.has(program.module.split('.')[0]!)) return undefined;
  const lower = command.toLowerCase().replace(LOCK_FILE_NAMES, '');
  const rule = rules.find((r) => lower.includes(r.pattern.toLowerCase()));
  return rule && { kind: rule.kind, why: { code: 'rule', what: rule.pattern } };
}

/** The verdict on one program; `nested` when it is the program a runner or mjpython runs (never judged deeper). */
function programVerdict(pid: number, program: Program, command: string, ctx: ClassifyContext, nested: boolean): Verdict | undefined {
  if (program.type === 'script') return scriptVerdict(pid, program.script, program.args, ctx, nested);
  if (program.type === 'module') return moduleVerdict(pid, program.module, program.args, ctx, 'module', nested);
  if (program.type === 'code') return codeVerdict(pid, command, ctx);
  return undefined;
}

/** What a process runs decides whether it is a BBIA process, never what its command line merely mentions. */
export function classify(pid: number, argv: readonly string[], command: string, ctx: ClassifyContext): Verdict | undefined {
  if (argv.length === 0 || isBbiaSafe(argv)) return undefined;
  const program = programOf(argv);
  return programVerdict(pid, program, command, ctx, false) ?? ruleVerdict(program, command, ctx.extraRules ?? []);
}
