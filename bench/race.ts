// Racing-start stress: R rounds of 8 concurrent `start headless --detach` (half of them over a stale lock left
// by a SIGKILLed supervisor whose robot was killed too), counting robots after each round, then `stop --force`.
import fs from 'node:fs';
import type { Bench } from './lib/bench.ts';
import { cliSpawn, readPidfile, timedStart, timedStop } from './lib/cli.ts';
import { benchEnv, sandbox, type RunInfo } from './lib/env.ts';
import { alive, markedProcesses, signalTracked, track, waitUntil } from './lib/procs.ts';
import { block, fmt, median, table, type SummaryRow } from './lib/stats.ts';

const RACERS = 8;

/** Live robots of this run in `project`: marked by the bench, the robot script, running there. */
function robotsIn(runId: string, project: string): number[] {
  return markedProcesses(runId).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('launch_complete_robot.py') && fs.readlinkSync(`/proc/${pid}/cwd`) === project;
    } catch {
      return false;
    }
  });
}

/** The race benchmark. */
export const raceBench: Bench = {
  name: 'race',
  title: `racing starts: ${RACERS} concurrent start --detach per round, half over a stale lock`,
  robots: true,
  seconds: 60,
  async run(run: RunInfo): Promise<SummaryRow[]> {
    const rounds = run.quick ? 4 : 12;
    const sb = sandbox(run, 'race');
    const env = benchEnv(sb.home);
    const histogram = new Map<number, number>();
    const codes = new Map<string, number>();
    let refusals = 0;
    let staleRounds = 0;
    let stopFailures = 0;
    const roundMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const stale = round % 2 === 1;
      if (stale) {
        // A supervisor and its robot SIGKILLed: the lock directory and the pidfile stay behind
        const s = await timedStart(sb, env);
        signalTracked(s.supervisorPid, 'SIGKILL');
        signalTracked(s.robot.pid, 'SIGKILL');
        await waitUntil(() => !alive(s.supervisorPid) && !alive(s.robot.pid), performance.now(), 5000);
        if (!fs.existsSync(`${sb.home}/.bbia_sim.lock`)) throw new Error('no stale lock was left');
        staleRounds++;
      }
      fs.rmSync(sb.ready, { force: true });
      const t0 = performance.now();
      const racers = Array.from({ length: RACERS }, () => cliSpawn(['start', 'headless', '--detach'], { cwd: sb.project, env: { ...env, BBIA_FAKE_READY: sb.ready }, t0 }).exited);
      const results = await Promise.all(racers);
      roundMs.push(performance.now() - t0);
      for (const r of results) {
        const key = String(r.code);
        codes.set(key, (codes.get(key) ?? 0) + 1);
        if (r.code === 3) refusals++;
      }
      await waitUntil(() => fs.existsSync(sb.ready), performance.now(), 10_000);
      await new Promise((r) => setTimeout(r, 200)); // a yielding racer's robot would show here
      const robots = robotsIn(run.runId, sb.project);
      track(...robots);
      histogram.set(robots.length, (histogram.get(robots.length) ?? 0) + 1);
      const rec = readPidfile(sb.home);
      const stop = await timedStop(sb, env, [...robots, ...(rec?.supervisorPid ? [rec.supervisorPid] : [])]);
      if (stop.code !== 0 || stop.left.length > 0) stopFailures++;
      for (const p of [...stop.left, ...robotsIn(run.runId, sb.project)]) signalTracked(p, 'SIGKILL');
    }
    block(
      `Racing starts: ${rounds} rounds of ${RACERS} concurrent start --detach (${staleRounds} over a stale lock)`,
      table(
        ['', 'value'],
        [
          ['rounds', String(rounds)],
          ['starts', String(rounds * RACERS)],
          ['exit codes', [...codes].toSorted().map(([c, n]) => `${c}: ${n}`).join(', ')],
          ['refusals (exit 3)', String(refusals)],
          ['robots per round (histogram)', [...histogram].toSorted((a, b) => a[0] - b[0]).map(([k, n]) => `${k} robot(s): ${n} round(s)`).join(', ')],
          ['stop --force failures', String(stopFailures)],
          ['round, command -> all 8 returned, median ms', fmt(median(roundMs))],
        ],
      ),
      ['robots counted 200 ms after the ready file: live processes of this run running launch_complete_robot.py in the project folder'],
    );
    const exact = histogram.get(1) ?? 0;
    return [
      {
        metric: `Racing starts: ${rounds} rounds x ${RACERS} (${staleRounds} over a stale lock)`,
        ours: `exactly 1 robot in ${exact}/${rounds} rounds`,
        baseline: `${refusals} refusals of ${rounds * (RACERS - 1)} expected`,
        ratio: '',
        target: `1 robot per round: ${exact === rounds ? 'met' : 'MISSED'}`,
      },
    ];
  },
};
