import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify } from '../main/engine/scan/classify.js';
import { programOf } from '../main/engine/scan/program.js';
import { splitCommand } from '../main/engine/scan/proc/split-command.js';
import { reasonText } from '../common/i18n/reasons.js';

const reason = (argv: string[], cwd: string) => {
  const v = classify(1, argv, argv.join(' '), ctx(cwd));
  return v && reasonText(v.why);
};

// The command lines of the real project (arkalia-luna-system/bbia-sim) as `ps` shows them on Linux and
// macOS, and their look-alikes. Each row: command, working folder, expected kind (null: not BBIA).
const P = '/Users/me/dev/bbia-sim';
const L = '/home/me/bbia-sim';
const VENV = `${P}/venv/bin/python3`;
const FW = '/Library/Frameworks/Python.framework/Versions/3.11/Resources/Python.app/Contents/MacOS/Python';
const ctx = (cwd: string) => ({ projectRoots: [P, L], cwdOf: () => cwd });
const ROWS: [string, string, string | null][] = [
  // the robot, every way it is started
  ['python3 scripts/launch_complete_robot.py --headless', P, 'robot'],
  ['python3 scripts/launch_complete_robot.py --model reachy_mini.xml', L, 'robot'],
  [`${VENV} scripts/launch_complete_robot.py --headless --duration 2`, P, 'robot'],
  [`${VENV} ${P}/venv/bin/mjpython scripts/launch_complete_robot.py --model reachy_mini.xml`, P, 'robot'],
  [`${FW} scripts/launch_complete_robot.py --model reachy_mini.xml`, P, 'robot'],
  ['/opt/homebrew/bin/python3.12 -u scripts/launch_complete_robot.py', P, 'robot'],
  [`mjpython ${P}/scripts/launch_complete_robot.py`, '/', 'robot'],
  ['bash /Users/me/.pyenv/shims/python3 scripts/launch_complete_robot.py --headless', P, 'robot'],
  ['bash /Users/me/.pyenv/libexec/pyenv exec python3 scripts/launch_complete_robot.py --headless', P, 'robot'],
  ['bash /root/.pyenv/libexec/pyenv-exec python3 examples/demo_state_ws.py', P, 'websocket'],
  ['/Users/me/.pyenv/versions/3.11.9/bin/python3.11 scripts/launch_complete_robot.py', P, 'robot'],
  ['python3 scripts/launch_robot.py headless', P, 'robot'],
  ['python scripts/launch_complete_robot.py --verbose', `${P}/scripts/..`, 'robot'],
  // servers: the daemon, dashboards, the public API
  ['python3 -m uvicorn src.bbia_sim.daemon.app.main:app --reload', P, 'server'],
  ['python3 -m uvicorn src.bbia_sim.daemon.app.main:app --host 127.0.0.1 --port 8000', L, 'server'],
  [`${VENV} ${P}/venv/bin/uvicorn bbia_sim.daemon.app.main:app --port 8000`, P, 'server'],
  ['/usr/local/bin/python3.11 /usr/local/bin/uvicorn src.bbia_sim.daemon.app.main:app', '/tmp', 'server'],
  ['python3 -m bbia_sim.daemon.app', P, 'server'],
  ['python3 scripts/bbia_dashboard_server.py --port 8001', P, 'server'],
  ['python3 scripts/bbia_advanced_dashboard_server.py --backend mujoco', P, 'server'],
  ['python3 scripts/dashboard_gradio.py', P, 'server'],
  ['python3 scripts/start_public_api.py --port 8000', L, 'server'],
  [`${VENV} ${P}/venv/bin/reachy-mini-daemon --sim`, P, 'server'],
  // websocket clients
  ['python3 examples/subscribe_telemetry.py --url ws://localhost:8001', P, 'websocket'],
  ['python3 examples/demo_state_ws.py', P, 'websocket'],
  ['python3 tests/test_websocket_integration.py', P, 'websocket'],
  // viewers and simulators
  ['python3 examples/viewer_robot.py', P, 'viewer'],
  [`python3 -m mujoco.viewer --mjcf=${P}/src/bbia_sim/sim/models/reachy_mini.xml`, '/tmp', 'viewer'],
  ['python3 -m bbia_sim --sim --headless', '/tmp', 'simulator'],
  [`${VENV} ${P}/venv/bin/bbia-sim --awake`, P, 'simulator'],
  ['python3 examples/hello_sim.py', P, 'simulator'],
  // tests
  ['python3 -m pytest tests/ -q', P, 'test'],
  [`${P}/.venv/bin/python3 ${P}/.venv/bin/pytest tests/test_api.py`, P, 'test'],
  [`/usr/bin/python3 /usr/bin/pytest ${P}/tests/test_robot.py`, '/tmp', 'test'],
  ['python3 -m pytest -x', `${P}/tests`, 'test'],
  // other scripts and modules of the project
  ['python3 scripts/bbia_doctor.py', P, 'other'],
  ['python3 -m bbia_sim.tools.check', P, 'other'],
  // look-alikes: editors, pagers, search, linters, VCS, package managers
  ['vim src/bbia_sim/robot_api.py', P, null],
  ['vim -f scripts/launch_complete_robot.py', P, null],
  ['nvim scripts/launch_complete_robot.py', P, null],
  ['less scripts/launch_complete_robot.py', P, null],
  ['grep -rn bbia_sim src', P, null],
  ['rg launch_complete_robot.py', P, null],
  ['tail -f log/MUJOCO_LOG.TXT', P, null],
  ['python -m mypy src/bbia_sim/', P, null],
  ['python3 -m ruff check src/bbia_sim', P, null],
  [`${P}/.venv/bin/python3 ${P}/.venv/bin/pip install -e .`, P, null],
  ['python3 -m pip install mujoco', P, null],
  ['git log -- scripts/launch_complete_robot.py', P, null],
  ['/Applications/Visual Studio Code.app/Contents/MacOS/Electron --folder bbia-sim', P, null],
  ['code scripts/launch_complete_robot.py', P, null],
  ['python3 -m http.server 8000', P, null],
  ['python3 -c import bbia_sim', P, null],
  ['cat /Users/me/.bbia_sim.pid', P, null],
  // another project's work
  ['python3 train_mujoco.py --env mujoco', '/Users/me/other', null],
  ['mjpython /Users/me/other/humanoid.py', '/Users/me/other', null],
  ['python3 -m pytest tests/test_mujoco.py', '/Users/me/other', null],
  ['/Users/me/other/.venv/bin/python /Users/me/other/.venv/bin/pytest', '/Users/me/other', null],
  ['python3 -m uvicorn app.main:app --reload', '/Users/me/other', null],
  ['python3 scripts/dashboard.py', '/Users/me/other', null],
  // a multiprocessing child: BBIA when it works in the project (its parent may be gone)
  ['python3 -B -c from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=5, pipe_handle=7) --multiprocessing-fork', P, 'other'],
  ['python3 -B -c from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=5, pipe_handle=7) --multiprocessing-fork', '/Users/me/other', null],
  // bbia-safe itself
  ['node /x/node_modules/.bin/bbia-safe start -- --model reachy_mini.xml', P, null],
  // debuggers, profilers and coverage: judged as the program they run
  ['python3 -m pdb scripts/launch_complete_robot.py --headless', P, 'robot'],
  ['python3 -m cProfile -o out.prof scripts/launch_complete_robot.py', P, 'robot'],
  [`${VENV} ${P}/venv/bin/debugpy --listen 5678 --wait-for-client scripts/launch_complete_robot.py`, P, 'robot'],
  [`${VENV} ${P}/venv/bin/coverage run -m pytest tests/`, P, 'test'],
  ['python3 -m coverage report', P, null],
  ['python3 -m pdb /Users/me/other/train.py', '/Users/me/other', null],
];


describe('what a process runs decides (CONTRACT: what counts as a BBIA process)', () => {
  it(`has at least 40 real command lines`, () => expect(ROWS.length).toBeGreaterThanOrEqual(40));
  it.each(ROWS)('%s (in %s) -> %s', (command, cwd, expected) => {
    const verdict = classify(1, command.split(' '), command, ctx(cwd));
    expect(verdict?.kind ?? null).toBe(expected);
    if (verdict) expect(reasonText(verdict.why)).not.toMatch(/\{|undefined/);
  });

  it('says why, naming the script, module or app', () => {
    expect(reason(['python3', 'scripts/bbia_dashboard_server.py'], P)).toBe('script scripts/bbia_dashboard_server.py in the project');
    expect(reason('python3 -m uvicorn src.bbia_sim.daemon.app.main:app'.split(' '), P)).toBe("uvicorn serving the project's app src.bbia_sim.daemon.app.main:app");
    expect(reason(['python3', 'scripts/launch_complete_robot.py'], P)).toBe(`the robot's launcher ${P}/scripts/launch_complete_robot.py`);
    expect(reasonText({ code: 'script', what: 'scripts/x.py' }, 'fr')).toBe('le script scripts/x.py du projet');
  });

  it("learns a launcher's folder only when it holds the project's package, and never the home or temp folder", () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'bbia-learn-'));
    fs.mkdirSync(path.join(project, 'src', 'bbia_sim'), { recursive: true });
    const launcher = (dir: string) => classify(1, ['python3', path.join(dir, 'scripts', 'launch_complete_robot.py')], '', ctx('/'));
    expect(launcher(project)).toMatchObject({ kind: 'robot', projectRoot: project });
    // A copy of the launcher in ~/scripts or a folder without the package is still the robot, but names no project
    expect(launcher(os.homedir())).toMatchObject({ kind: 'robot', projectRoot: undefined });
    expect(launcher(path.join(project, 'src'))).toMatchObject({ kind: 'robot', projectRoot: undefined });
    expect(classify(1, ['python3', '/tmp/launch_complete_robot.py'], '', ctx('/'))).toMatchObject({ kind: 'robot', projectRoot: undefined });
    fs.rmSync(project, { recursive: true });
  });

  it('counts another package under a project\'s src/ only for a process working in that project', () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'bbia-src-'));
    fs.mkdirSync(path.join(project, 'src', 'app'), { recursive: true });
    const uvicorn = (cwd: string) => classify(1, 'python3 -m uvicorn app.main:app'.split(' '), '', { projectRoots: [project], cwdOf: () => cwd })?.kind;
    expect(uvicorn(project)).toBe('server');
    expect(uvicorn('/Users/me/other')).toBeUndefined();
    fs.rmSync(project, { recursive: true });
  });

  it('judges one level of wrapper only: a hostile chain of mjpython console scripts neither throws nor recurses', () => {
    const argv = ['python3', ...Array.from({ length: 50_000 }, () => '/a/bin/mjpython'), 'scripts/launch_complete_robot.py'];
    expect(classify(1, argv, argv.join(' '), ctx(P))).toBeUndefined();
  });

  it('knows no test of the project while no project folder is known', () => {
    expect(classify(1, 'python3 -m pytest tests/'.split(' '), '', { projectRoots: [], cwdOf: () => P })).toBeUndefined();
  });

  it("adds the settings' extra rules, but never for an editor or a linter", () => {
    const rules = { ...ctx(P), extraRules: [{ pattern: 'MY_SIM', kind: 'simulator' as const }] };
    expect(classify(1, ['my_sim', '--fast'], 'my_sim --fast', rules)?.kind).toBe('simulator');
    expect(classify(1, ['vim', 'my_sim.py'], 'vim my_sim.py', rules)).toBeUndefined();
    expect(classify(1, ['python3', '-m', 'mypy', 'my_sim'], 'python3 -m mypy my_sim', rules)).toBeUndefined();
  });

  it('reads the interpreter options as Python does', () => {
    expect(programOf(['python3', '-Bu', '-X', 'dev', '-W', 'ignore', '-m', 'bbia_sim'])).toMatchObject({ type: 'module', module: 'bbia_sim' });
    expect(programOf(['python3', '-Bm', 'pytest', '-x'])).toMatchObject({ type: 'module', module: 'pytest', args: ['-x'] });
    expect(programOf(['python3', '-c', 'print(1)', 'a'])).toMatchObject({ type: 'code', code: 'print(1)', args: ['a'] });
    expect(programOf(['python3', '-Wignore', 'x.py'])).toMatchObject({ type: 'script', script: 'x.py' });
    expect(programOf(['python3'])).toEqual({ type: 'interactive' });
    expect(programOf(['python3.13t', '--', 'run.py'])).toMatchObject({ type: 'script', script: 'run.py' });
    expect(programOf(['vim', 'a.py'])).toMatchObject({ type: 'native', name: 'vim' });
  });
});

describe("macOS's command lines, whose arguments ps joins with spaces", () => {
  const files = new Set(['/Users/me/Mes Projets/bbia/.venv/bin/python3', '/Users/me/Mes Projets/bbia/scripts/launch_complete_robot.py', '/usr/bin/python3']);
  const exists = (f: string) => files.has(f);
  it('keeps an absolute path with spaces whole, and classifies it as the robot of that folder', () => {
    const command = '/Users/me/Mes Projets/bbia/.venv/bin/python3 /Users/me/Mes Projets/bbia/scripts/launch_complete_robot.py --headless';
    const argv = splitCommand(command, exists);
    expect(argv).toEqual(['/Users/me/Mes Projets/bbia/.venv/bin/python3', '/Users/me/Mes Projets/bbia/scripts/launch_complete_robot.py', '--headless']);
    expect(classify(1, argv, command, { projectRoots: ['/Users/me/Mes Projets/bbia'], cwdOf: () => '/' })?.kind).toBe('robot');
  });
  it('leaves other words alone', () => {
    expect(splitCommand('/usr/bin/python3 -c print(1) /nowhere x', exists)).toEqual(['/usr/bin/python3', '-c', 'print(1)', '/nowhere', 'x']);
    expect(splitCommand('vim a b', exists)).toEqual(['vim', 'a', 'b']);
  });
});
