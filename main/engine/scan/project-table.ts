import path from 'node:path';
import type { Kind } from './rules.js';

/**
 * The BBIA project's own entry points (arkalia-luna-system/bbia-sim: its `scripts/` and `examples/`),
 * by file name, and the kind each runs as. A script of the project that is not listed is judged by
 * {@link SCRIPT_PATTERNS}, then counts as `other`.
 */
export const SCRIPT_KINDS: Readonly<Record<string, Kind>> = {
  'launch_complete_robot.py': 'robot',
  // Starts launch_complete_robot.py as its child: the robot's own launcher
  'launch_robot.py': 'robot',
  'bbia_dashboard_server.py': 'server',
  'bbia_advanced_dashboard_server.py': 'server',
  'dashboard_gradio.py': 'server',
  'start_public_api.py': 'server',
  'start_api.py': 'server',
  'demo_daemon.py': 'server',
  'subscribe_telemetry.py': 'websocket',
  'demo_state_ws.py': 'websocket',
  'viewer_robot.py': 'viewer',
  'view_scene_piece.py': 'viewer',
  'replay_viewer.py': 'viewer',
  'surprise_3d_mujoco_viewer.py': 'viewer',
  'hello_sim.py': 'simulator',
  'demo_mujoco_continue.py': 'simulator',
  'demo_mujoco_amelioree.py': 'simulator',
};

/** Name patterns for the project's other scripts, tried in order. */
const SCRIPT_PATTERNS: readonly [RegExp, Kind][] = [
  [/(^|_)ws(_|\.py$)|websocket/i, 'websocket'],
  [/dashboard|server|_api\.py$|daemon/i, 'server'],
  [/viewer/i, 'viewer'],
  [/^test_.*\.py$|_test\.py$/i, 'test'],
  [/sim|mujoco/i, 'simulator'],
];

/** The kind of a script of the project, from its file name. */
export function scriptKind(script: string): Kind {
  const name = path.basename(script);
  return SCRIPT_KINDS[name] ?? SCRIPT_PATTERNS.find(([re]) => re.test(name))?.[1] ?? 'other';
}

/** The project's own packages, whichever project folder is known; those under a known folder's `src/` add to them. */
export const PROJECT_PACKAGES: readonly string[] = ['bbia_sim', 'reachy_mini'];

/** Module prefixes of the project and their kinds, longest first; the rest of a project package is `other`. */
const MODULE_KINDS: readonly [RegExp, Kind][] = [
  [/^(bbia_sim|reachy_mini)\.(daemon|dashboard|dashboard_advanced|api)(\.|$)/, 'server'],
  [/^(bbia_sim|reachy_mini)\.sim(\.|$)|^bbia_sim$|^bbia_sim\.__main__$|^bbia_sim\.bbia_awake$/, 'simulator'],
  [/websocket|(^|\.)ws(\.|$)/, 'websocket'],
  [/^reachy_mini$/, 'server'],
];

/** The kind of a module of the project (`bbia_sim.daemon.app.main`). */
export function moduleKind(module: string): Kind {
  return MODULE_KINDS.find(([re]) => re.test(module))?.[1] ?? 'other';
}

/**
 * Console scripts of the project or its SDK, by name, and the module each runs: `bbia-sim` from the
 * project's pyproject, `reachy-mini-daemon` from the Reachy Mini SDK it drives.
 */
export const CONSOLE_SCRIPTS: Readonly<Record<string, string>> = {
  'bbia-sim': 'bbia_sim.bbia_awake',
  'reachy-mini-daemon': 'reachy_mini.daemon',
};

/** Runners that take an ASGI/WSGI app spec (`module:attr`) and serve it. */
export const APP_SERVERS: ReadonlySet<string> = new Set(['uvicorn', 'gunicorn', 'hypercorn', 'daphne', 'granian', 'fastapi']);

/** pytest's names as a module or console script. */
export const PYTEST: ReadonlySet<string> = new Set(['pytest', 'py.test', 'pytest-3']);

/**
 * Programs that read, search, lint, edit, page or manage files, whatever file they name: never a BBIA
 * process on their own (an editor open on the launcher is the user's work).
 */
export const NEVER_BBIA: ReadonlySet<string> = new Set(
  [
    // editors and IDEs
    'vim vi nvim gvim mvim view emacs emacsclient nano pico micro helix hx kak ed code cursor subl zed idea pycharm charm open xdg-open',
    // pagers and viewers
    'less more most cat bat batcat head tail tee wc file stat bbedit watch',
    // search
    'grep egrep fgrep rg ag ack find fd fdfind locate mdfind fzf sed awk diff',
    // linters, formatters, coverage
    'mypy dmypy ruff flake8 pylint black isort pyright pyflakes pycodestyle bandit pre-commit pydocstyle coverage',
    // version control
    'git hg svn gh tig lazygit',
    // package and environment managers
    'pip pip3 pipx uv uvx poetry pdm hatch conda mamba micromamba brew npm npx pnpm yarn apt apt-get port ensurepip venv virtualenv setuptools build twine',
    // system tools and terminals
    'lsof ps top htop btop kill pkill killall pgrep strace dtruss sudo man tar zip rsync cp mv rm ls du tmux screen',
  ].flatMap((group) => group.split(' ')),
);
