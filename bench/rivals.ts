// 6. PM2 (npm, into a temp folder) and supervisord (Debian's, on a temp config) against bbia-safe, side by
// side in one run: start, stop of a 50-process tree, list, and the idle daemon. Their daemons are killed at the end.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Bench } from './lib/bench.ts';
import { readyTree, timedStart, timedStop, type Sandbox } from './lib/cli.ts';
import { benchEnv, BIN, PYTHON, rusage, sandbox, type RunInfo } from './lib/env.ts';
import { alive, schedCpuMsOf, signalTracked, track, waitUntil } from './lib/procs.ts';
import { idleOf } from './idle.ts';
import { block, fmt, median, medP90, ratio, table, type SummaryRow } from './lib/stats.ts';

const MB = 1024 * 1024;
const PM2_DIR = path.join(os.tmpdir(), 'bbia-bench-pm2');
const SUPERVISORD = '/usr/bin/supervisord';

/** What one rival can do, each timed the same way. */
interface Rival {
  name: string;
  daemonPid: number;
  /** Starts the robot (program `prog`); resolves when the command returned. */
  start(prog: string): Promise<number>;
  /** Stops it; resolves when the command returned. */
  stop(prog: string): Promise<number>;
  /** Forgets it (after a stop), so the next start is fresh. */
  reset(prog: string): void;
  /** The list command, run under rusage. */
  list: string[];
  /** Ends the daemon. */
  shutdown(): Promise<void>;
}

function run(cmd: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<number> {
  const t0 = performance.now();
  const child = spawn(cmd[0]!, cmd.slice(1), { ...opts, stdio: 'ignore' });
  if (child.pid) track(child.pid);
  return new Promise((resolve) => {
    child.on('error', () => resolve(Number.NaN));
    child.on('close', () => resolve(performance.now() - t0));
  });
}

function pm2Path(): string | undefined {
  const js = path.join(PM2_DIR, 'node_modules', 'pm2', 'bin', 'pm2');
  if (!fs.existsSync(js)) {
    console.log(`  installing pm2 into ${PM2_DIR} (npm install --prefix)...`);
    const r = spawnSync('npm', ['install', '--prefix', PM2_DIR, 'pm2', '--no-audit', '--no-fund'], { stdio: 'ignore', timeout: 240_000 });
    if (r.status !== 0) return undefined;
  }
  return fs.existsSync(js) ? js : undefined;
}

async function pm2Rival(sb: Sandbox, baseEnv: NodeJS.ProcessEnv): Promise<Rival | undefined> {
  const js = pm2Path();
  if (!js) return undefined;
  const env = { ...baseEnv, PM2_HOME: path.join(sb.home, '.pm2') };
  const pm2 = (...args: string[]) => [process.execPath, js, ...args];
  await run(pm2('ping'), { cwd: sb.home, env });
  const pidFile = path.join(env.PM2_HOME, 'pm2.pid');
  await waitUntil(() => fs.existsSync(pidFile), performance.now(), 10_000, 10);
  const daemonPid = Number(fs.readFileSync(pidFile, 'utf8'));
  track(daemonPid);
  const knobs = (prog: string) => ({ ...env, BBIA_FAKE_READY: readyOf(sb, prog), BBIA_FAKE_CHILDREN: prog === 'bbia' ? '0' : '49' });
  return {
    name: 'PM2',
    daemonPid,
    start: (prog) =>
      run(pm2('start', 'scripts/launch_complete_robot.py', '--name', prog, '--interpreter', PYTHON, '--no-autorestart', '--', '--headless'), { cwd: sb.project, env: knobs(prog) }),
    stop: (prog) => run(pm2('stop', prog), { cwd: sb.home, env }),
    reset: (prog) => void spawnSync(process.execPath, [js, 'delete', prog], { cwd: sb.home, env, stdio: 'ignore' }),
    list: pm2('jlist'),
    async shutdown() {
      spawnSync(process.execPath, [js, 'kill'], { cwd: sb.home, env, stdio: 'ignore', timeout: 15_000 });
      signalTracked(daemonPid, 'SIGKILL');
    },
  };
}

function supervisorConf(sb: Sandbox): string {
  const program = (name: string, children: number, group: boolean) =>
    [
      `[program:${name}]`,
      `command=${PYTHON} scripts/launch_complete_robot.py --headless`,
      `directory=${sb.project}`,
      'autostart=false',
      'autorestart=false',
      'startsecs=0',
      'stopwaitsecs=5',
      ...(group ? ['stopasgroup=true', 'killasgroup=true'] : []),
      `environment=BBIA_FAKE_READY="${readyOf(sb, name)}",BBIA_FAKE_CHILDREN="${children}"`,
      '',
    ].join('\n');
  return [
    '[unix_http_server]',
    'file=%(here)s/supervisor.sock',
    '[supervisord]',
    'logfile=%(here)s/supervisord.log',
    'pidfile=%(here)s/supervisord.pid',
    'childlogdir=%(here)s',
    'nodaemon=true',
    '[rpcinterface:supervisor]',
    'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
    '[supervisorctl]',
    'serverurl=unix://%(here)s/supervisor.sock',
    '',
    program('bbia', 0, false),
    program('bbia50', 49, false),
    program('bbia50g', 49, true),
  ].join('\n');
}

async function supervisordRival(sb: Sandbox, env: NodeJS.ProcessEnv): Promise<Rival | undefined> {
  if (!fs.existsSync(SUPERVISORD)) return undefined;
  const dir = path.join(sb.home, 'supervisor');
  fs.mkdirSync(dir, { recursive: true });
  const conf = path.join(dir, 'supervisord.conf');
  fs.writeFileSync(conf, supervisorConf(sb));
  const daemon = spawn(SUPERVISORD, ['-c', conf, '-n'], { cwd: dir, env, stdio: 'ignore' });
  daemon.on('error', () => {});
  track(daemon.pid!);
  const ready = await waitUntil(() => fs.existsSync(path.join(dir, 'supervisor.sock')), performance.now(), 10_000, 10);
  if (ready === undefined) return undefined;
  const ctl = (...args: string[]) => ['/usr/bin/supervisorctl', '-c', conf, ...args];
  return {
    name: 'supervisord',
    daemonPid: daemon.pid!,
    start: (prog) => run(ctl('start', prog), { cwd: dir, env }),
    stop: (prog) => run(ctl('stop', prog), { cwd: dir, env }),
    reset: () => {},
    list: ctl('status'),
    async shutdown() {
      spawnSync('/usr/bin/supervisorctl', ['-c', conf, 'shutdown'], { env, stdio: 'ignore', timeout: 15_000 });
      await waitUntil(() => !alive(daemon.pid!), performance.now(), 5000, 10);
      signalTracked(daemon.pid!, 'SIGKILL');
    },
  };
}

function readyOf(sb: Sandbox, prog: string): string {
  return path.join(sb.home, `ready-${prog}.json`);
}

interface Times {
  start: number[];
  startExit: number[];
  stop: Record<string, { gone: number[]; exit: number[]; left: number[] }>;
}

/** Start (ms to the ready file) and stop of the robot through a rival; returns the tree it started. */
async function rivalStart(r: Rival, sb: Sandbox, prog: string, t: Times | undefined): Promise<number[]> {
  fs.rmSync(readyOf(sb, prog), { force: true });
  const t0 = performance.now();
  const exit = r.start(prog);
  const ready = await waitUntil(() => fs.existsSync(readyOf(sb, prog)), t0, 20_000);
  const exitMs = await exit;
  if (ready === undefined) throw new Error(`${r.name}: the robot never became ready`);
  t?.start.push(ready);
  t?.startExit.push(exitMs);
  const tree = await readyTree(readyOf(sb, prog));
  return [tree.pid, ...tree.tree];
}

async function rivalStop(r: Rival, prog: string, pids: number[], t: Times, label: string): Promise<void> {
  const t0 = performance.now();
  const exit = r.stop(prog);
  // a rival that leaves children behind never gets there: give up 1.5 s after the robot itself is gone
  let robotGoneAt: number | undefined;
  const gone = await waitUntil(
    () => {
      if (robotGoneAt === undefined && !alive(pids[0]!)) robotGoneAt = performance.now();
      return pids.every((p) => !alive(p)) || (robotGoneAt !== undefined && performance.now() - robotGoneAt > 1500);
    },
    t0,
    15_000,
  );
  const exitMs = await exit;
  const left = pids.filter(alive);
  const s = (t.stop[label] ??= { gone: [], exit: [], left: [] });
  s.gone.push(left.length > 0 || gone === undefined ? Number.NaN : gone);
  s.exit.push(exitMs);
  s.left.push(left.length);
  for (const p of left) signalTracked(p, 'SIGKILL');
  await waitUntil(() => pids.every((p) => !alive(p)), performance.now(), 5000);
  r.reset(prog);
}

/** The rivals benchmark. */
export const rivalsBench: Bench = {
  name: 'rivals',
  title: 'PM2 and supervisord vs bbia-safe: start, stop (50-process tree), list, idle daemon',
  robots: true,
  seconds: 150,
  async run(runInfo: RunInfo): Promise<SummaryRow[]> {
    const reps = runInfo.quick ? 2 : 5;
    const idleS = runInfo.quick ? 6 : 20;
    const sb = sandbox(runInfo, 'rivals');
    const env = benchEnv(sb.home);
    const rivals: Rival[] = [];
    const notes: string[] = [];
    try {
      const pm2 = await pm2Rival(sb, env);
      if (pm2) rivals.push(pm2);
      else notes.push('PM2 could not be installed: skipped');
      const sv = await supervisordRival(sb, env);
      if (sv) rivals.push(sv);
      else notes.push('supervisord (Debian package supervisor) not installed: skipped (apt-get install -y supervisor)');

      const ours: Times = { start: [], startExit: [], stop: {} };
      const theirs = new Map<Rival, Times>(rivals.map((r) => [r, { start: [], startExit: [], stop: {} }]));
      for (let i = 0; i < reps; i++) {
        // bbia-safe first each time: a robot anywhere (theirs too) makes its start refuse, by design
        const s = await timedStart(sb, env);
        ours.start.push(s.ready);
        ours.startExit.push(s.exited);
        const st0 = await timedStop(sb, env, [s.robot.pid, s.supervisorPid]);
        if (st0.left.length > 0) throw new Error('bbia-safe stop left processes');
        const env50 = { ...env, BBIA_FAKE_CHILDREN: '49' };
        const s50 = await timedStart(sb, env50);
        const st = await timedStop(sb, env50, [s50.robot.pid, ...s50.robot.tree]);
        const o = (ours.stop['50'] ??= { gone: [], exit: [], left: [] });
        o.gone.push(st.left.length > 0 || st.gone === undefined ? Number.NaN : st.gone);
        o.exit.push(st.exited);
        o.left.push(st.left.length);
        for (const r of rivals) {
          const t = theirs.get(r)!;
          const pids = await rivalStart(r, sb, 'bbia', t);
          await rivalStop(r, 'bbia', pids, { start: [], startExit: [], stop: {} }, 'robot');
          for (const prog of r.name === 'PM2' ? ['bbia50'] : ['bbia50', 'bbia50g']) {
            const tree = await rivalStart(r, sb, prog, undefined);
            await rivalStop(r, prog, tree, t, prog === 'bbia50g' ? '50g' : '50');
          }
        }
      }

      // List and idle with one robot running under each (bbia-safe's started first)
      const s = await timedStart(sb, env);
      const listN = runInfo.quick ? 3 : 10;
      const lists: { who: string; cpu: number[]; wall: number[]; daemonMs?: number }[] = [];
      const l0 = rusage([process.execPath, BIN, 'status', '--json'], { n: listN, cwd: sb.home, env });
      lists.push({ who: 'bbia-safe status --json', cpu: l0.runs.map((x) => x.user_ms + x.sys_ms), wall: l0.runs.map((x) => x.wall_ms) });
      const running: { r: Rival; pids: number[] }[] = [];
      for (const r of rivals) running.push({ r, pids: await rivalStart(r, sb, 'bbia', undefined) });
      for (const r of rivals) {
        const d0 = schedCpuMsOf(r.daemonPid) ?? Number.NaN;
        const l = rusage(r.list, { n: listN, cwd: sb.home, env: r.name === 'PM2' ? { ...env, PM2_HOME: path.join(sb.home, '.pm2') } : env });
        const daemonMs = ((schedCpuMsOf(r.daemonPid) ?? Number.NaN) - d0) / listN;
        lists.push({ who: `${r.name}: ${r.list.slice(r.name === 'PM2' ? 2 : 3).join(' ')}`, cpu: l.runs.map((x) => x.user_ms + x.sys_ms), wall: l.runs.map((x) => x.wall_ms), daemonMs });
      }
      await delay(1000);
      const idle = await Promise.all([idleOf(s.supervisorPid, idleS), ...rivals.map((r) => idleOf(r.daemonPid, idleS))]);
      for (const { r, pids } of running) await rivalStop(r, 'bbia', pids, { start: [], startExit: [], stop: {} }, 'robot');
      const stopLast = await timedStop(sb, env, [s.robot.pid, s.supervisorPid]);
      for (const p of stopLast.left) signalTracked(p, 'SIGKILL');

      // Print
      const who = ['bbia-safe', ...rivals.map((r) => r.name)];
      const all = [ours, ...rivals.map((r) => theirs.get(r)!)];
      const stopCell = (t: Times, k: string) => {
        const st = t.stop[k];
        if (!st) return '-';
        const left = median(st.left);
        return left > 0 ? `never (${left} of 50 left)` : medP90(st.gone);
      };
      block(
        `6. Rivals, ${reps} runs each, interleaved (ms from the command)`,
        table(
          ['', 'start -> robot ready', 'start cmd returned', 'stop 50 -> all gone', 'stop cmd returned', 'stop 50, stopasgroup'],
          all.map((t, i) => [
            who[i]!,
            medP90(t.start),
            medP90(t.startExit),
            stopCell(t, '50'),
            t.stop['50'] ? medP90(t.stop['50'].exit) : '-',
            who[i] === 'supervisord' ? stopCell(t, '50g') : '',
          ]),
        ),
        [
          'robot ready: the fake robot (Debian python3, no children) wrote its ready file; stop: every PID of a 50-process tree gone',
          'PM2 7: daemon already up (pm2 ping first), --interpreter /usr/bin/python3, pm2 stop (SIGINT, tree kill, kill_timeout 1.6 s), pm2 delete after each',
          'supervisord: -n on a temp config, startsecs=0, stopwaitsecs=5; its default (no stopasgroup) signals the robot only',
          ...notes,
        ],
      );
      const oursList = median(lists[0]!.cpu);
      block(
        `6. Listing with one robot running, ${listN} runs each; idle daemons over ${idleS} s`,
        table(
          ['', 'wall ms med (p90)', 'client CPU ms', 'daemon CPU ms per call', 'total CPU vs ours'],
          lists.map((l) => [
            l.who,
            medP90(l.wall),
            fmt(median(l.cpu)),
            l.daemonMs === undefined ? '-' : fmt(l.daemonMs),
            ratio(median(l.cpu) + (l.daemonMs ?? 0), oursList),
          ]),
        ) +
          '\n\n' +
          table(
            ['idle, robot running', 'CPU % of a core (schedstat)', 'RSS MB (median)'],
            idle.map((d, i) => [i === 0 ? 'bbia-safe detached supervisor' : `${rivals[i - 1]!.name} daemon`, `${fmt(d.cpuPct, 3)} %`, fmt(median(d.rss) / MB)]),
          ),
        [
          'client CPU: wait4() rusage of the list command (children included); daemon CPU: schedstat delta of the daemon over the runs (ns) / runs',
          'bbia-safe status waits 250 ms between its two scans by design: its wall includes that',
        ],
      );
      const summary: SummaryRow[] = [];
      const oursStart = median(ours.start);
      const ours50 = median(ours.stop['50']?.gone ?? []);
      for (const r of rivals) {
        const t = theirs.get(r)!;
        const l = lists.find((x) => x.who.startsWith(r.name))!;
        const sv50 = t.stop['50']!;
        summary.push(
          { metric: `vs ${r.name}: start -> robot ready`, ours: `${fmt(oursStart)} ms`, baseline: `${fmt(median(t.start))} ms`, ratio: ratio(median(t.start), oursStart), target: '' },
          {
            metric: `vs ${r.name}: stop 50-process tree -> all gone`,
            ours: `${fmt(ours50)} ms`,
            baseline: median(sv50.left) > 0 ? `never: ${median(sv50.left)} of 50 left` : `${fmt(median(sv50.gone))} ms`,
            ratio: median(sv50.left) > 0 ? '-' : ratio(median(sv50.gone), ours50),
            target: '',
          },
        );
        if (t.stop['50g']) {
          summary.push({ metric: `vs ${r.name} (stopasgroup/killasgroup): stop 50 -> all gone`, ours: `${fmt(ours50)} ms`, baseline: `${fmt(median(t.stop['50g'].gone))} ms`, ratio: ratio(median(t.stop['50g'].gone), ours50), target: '' });
        }
        summary.push({
          metric: `vs ${r.name}: list CPU (client + daemon)`,
          ours: `${fmt(oursList)} ms`,
          baseline: `${fmt(median(l.cpu) + (l.daemonMs ?? 0))} ms`,
          ratio: ratio(median(l.cpu) + (l.daemonMs ?? 0), oursList),
          target: r.name === 'PM2' ? `status < pm2 jlist: ${oursList < median(l.cpu) + (l.daemonMs ?? 0) ? 'met' : 'MISSED'}` : '',
        });
        const i = rivals.indexOf(r) + 1;
        summary.push({
          metric: `vs ${r.name}: idle daemon, robot running`,
          ours: `${fmt(idle[0]!.cpuPct, 3)} %, ${fmt(median(idle[0]!.rss) / MB)} MB`,
          baseline: `${fmt(idle[i]!.cpuPct, 3)} %, ${fmt(median(idle[i]!.rss) / MB)} MB`,
          ratio: '',
          target: '',
        });
      }
      return summary;
    } finally {
      for (const r of rivals) await r.shutdown();
    }
  },
};
