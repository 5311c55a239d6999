// 2. `bbia-safe status --json` against a psutil script printing the same data: wall and CPU (user+sys,
// children included, from wait4), with Node's and Python's bare start-up as floors.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Bench } from './lib/bench.ts';
import { benchEnv, BIN, PY_DIR, PYTHON, REPO, rusage, sandbox, type RunInfo, type RusageRun } from './lib/env.ts';
import { endIdle, processCount, startIdle } from './lib/procs.ts';
import { block, fmt, median, medP90, ratio, table, type SummaryRow } from './lib/stats.ts';

const cpuOf = (r: RusageRun) => r.user_ms + r.sys_ms;

/** The status benchmark. */
export const statusBench: Bench = {
  name: 'status',
  title: 'status --json vs a psutil script printing the same data',
  robots: false,
  seconds: 45,
  async run(run: RunInfo): Promise<SummaryRow[]> {
    const n = run.quick ? 4 : 15;
    const { home } = sandbox(run, 'status');
    const env = benchEnv(home);
    const summary: SummaryRow[] = [];
    const importOnly = (what: string) => [process.execPath, '--input-type=module', '-e', `await import(${JSON.stringify(what)})`];
    const commands: [string, string[], NodeJS.ProcessEnv?][] = [
      ['bbia-safe status --json', [process.execPath, BIN, 'status', '--json']],
      ['psutil script (same JSON)', [PYTHON, path.join(PY_DIR, 'psutil_status.py')]],
      ['  floor: node -e 0', [process.execPath, '-e', '0']],
      ['  floor: python3 -c "import psutil"', [PYTHON, '-c', 'import psutil']],
      ['  node: import the CLI (out/cli/main.mjs) only', importOnly(pathToFileURL(path.join(REPO, 'out', 'cli', 'main.mjs')).href)],
      ['  node: import execa only', importOnly(pathToFileURL(path.join(REPO, 'node_modules', 'execa', 'index.js')).href)],
      ['  node: import conf only', importOnly(pathToFileURL(path.join(REPO, 'node_modules', 'conf', 'dist', 'source', 'index.js')).href)],
      ['  bbia-safe status --json, NODE_COMPILE_CACHE set', [process.execPath, BIN, 'status', '--json'], { NODE_COMPILE_CACHE: path.join(home, '.node-compile-cache') }],
    ];
    for (const extra of [0, 1000]) {
      const idle = extra > 0 ? await startIdle(extra, env) : [];
      try {
        const count = processCount();
        const results = commands.map(([who, cmd, extraEnv]) => {
          const e = { ...env, ...extraEnv };
          rusage(cmd, { n: 1, cwd: home, env: e }); // warm the page cache (and the compile cache)
          const r = rusage(cmd, { n, cwd: home, env: e });
          if (who.includes('status --json') || who.startsWith('psutil')) JSON.parse(r.stdout);
          const bad = r.runs.filter((x) => x.rc !== 0).length;
          if (bad > 0) throw new Error(`${who} failed ${bad} time(s): ${r.stderr}`);
          return { who, runs: r.runs };
        });
        const [ours, py] = results;
        const oursCpu = median(ours!.runs.map(cpuOf));
        block(
          `2. status --json, ${extra === 0 ? "the machine's own processes" : `+${extra} idle processes`}: ${count} processes`,
          table(
            ['', 'n', 'wall ms med (p90)', 'CPU ms med (p90)', 'user ms', 'sys ms', 'max RSS MB', 'CPU vs ours'],
            results.map((r) => [
              r.who,
              String(r.runs.length),
              medP90(r.runs.map((x) => x.wall_ms)),
              medP90(r.runs.map(cpuOf)),
              fmt(median(r.runs.map((x) => x.user_ms))),
              fmt(median(r.runs.map((x) => x.sys_ms))),
              fmt(median(r.runs.map((x) => x.maxrss_kb / 1024))),
              ratio(median(r.runs.map(cpuOf)), oursCpu),
            ]),
          ),
          [
            'CPU = ru_utime + ru_stime from wait4() on each command (children included, µs precision), by bench/py/rusage_run.py',
            'both wait 250 ms between their two scans by design (the CPU % interval): wall includes it; CPU is the fair comparison',
            'the indented rows break down the start-up: module loading of the CLI and of two of its dependencies, and the same status with Node\'s compile cache on',
          ],
        );
        const label = extra === 0 ? `${count} procs` : `+${extra} (${count} procs)`;
        summary.push(
          {
            metric: `status --json CPU (user+sys), ${label}`,
            ours: `${fmt(oursCpu)} ms`,
            baseline: `psutil script ${fmt(median(py!.runs.map(cpuOf)))} ms`,
            ratio: ratio(median(py!.runs.map(cpuOf)), oursCpu),
            target: extra ? `< psutil: ${oursCpu < median(py!.runs.map(cpuOf)) ? 'met' : 'MISSED'}; < pm2 jlist: see rivals` : '',
          },
          {
            metric: `status --json wall (incl. 250 ms interval), ${label}`,
            ours: `${fmt(median(ours!.runs.map((x) => x.wall_ms)))} ms`,
            baseline: `psutil script ${fmt(median(py!.runs.map((x) => x.wall_ms)))} ms`,
            ratio: ratio(median(py!.runs.map((x) => x.wall_ms)), median(ours!.runs.map((x) => x.wall_ms))),
            target: '',
          },
        );
      } finally {
        await endIdle(idle);
      }
    }
    return summary;
  },
};
