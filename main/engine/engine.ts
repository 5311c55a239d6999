import fs from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { inspectInstance, type InstanceInspection, type LiveInstance } from './lock/instance.js';
import { isProjectDir } from './supervise/launch.js';
import { findLeftovers } from './monitor/leftovers.js';
import { isDeadLock, sanitizeLockPath } from './lock/lock-files.js';
import { createPaths, type Paths } from './paths.js';
import { removePidfileIf } from './lock/pidfile.js';
import type { EngineLog, LogEvent } from '../../common/i18n/engine-text.js';
import { createPortReader, type PortReader } from './scan/ports/index.js';
import { createProcSource } from './scan/proc/source.js';
import { tableSource } from './scan/proc/table-source.js';
import { isAlive, type ProcEntry, type ProcIdentity, type ProcSource } from './scan/proc/types.js';
import { isDetachedSupervisor } from './scan/rules.js';
import { Scanner, type BbiaProcess, type ScanResult } from './scan/scan.js';
import { DEFAULT_SETTINGS, type Settings } from './settings/schema.js';
import type { HandOverOptions, DetachedEnd, DetachedState } from './supervise/detached.js';
import type { SuperviseOptions, Supervision, SupervisionEnd } from './supervise/supervisor.js';
import { writeStopRequest } from './supervise/stop-request.js';
import { BbiaError, ExitCode } from './errors.js';
import { callerLine, instanceMark, stopTree, type StopReport, type StopTreeOptions } from './supervise/stop-tree.js';
import { waitFor } from './wait.js';
import { robotsOf, sumReports, topsOf, type TreesReport } from './targets.js';


/** The instance as the contract's `status --json` shows it. */
export interface InstanceView {
  /** Robot PID. */
  pid: number;
  /** `running`, or `orphaned` when its supervisor is gone. */
  state: 'running' | 'orphaned';
  /** Mode it was started in. */
  mode: string;
  /** Robot start time, ISO 8601. */
  startedAt: string;
  /** Supervisor PID. */
  supervisorPid: number;
  /** The command. */
  command: string;
}

/** A status snapshot: the instance, every BBIA process, and what the user should know. */
export interface StatusReport {
  /** The instance, or null when nothing is locked or recorded. */
  instance: InstanceView | null;
  /** Every BBIA process of this user, robot first. */
  processes: BbiaProcess[];
  /** True when the lock directory exists. */
  locked: boolean;
  /** Untrusted files, reused PIDs, unusable settings (render with logLine in the user's language). */
  warnings: LogEvent[];
  /** The project folders known to this scan (saved, the instance's, the current folder, running launchers). */
  projectRoots: string[];
}

const realPaths = new Map<string, string>();

/** A folder's real path (read once per folder; the folder itself when it cannot be resolved). */
function realPath(dir: string): string {
  let real = realPaths.get(dir);
  if (real === undefined) {
    try {
      real = fs.realpathSync(dir);
    } catch {
      real = dir;
    }
    realPaths.set(dir, real);
  }
  return real;
}

/** What a stop will touch, listed before asking. */
export interface StopPlan {
  /** The inspection it was planned from. */
  inspection: InstanceInspection;
  /** The processes that will be stopped (the instance's tree). */
  targets: BbiaProcess[];
}

/** Options of {@link createEngine}; everything defaults to this machine's. */
export interface EngineOptions {
  /** State paths (defaults to the real home's). */
  paths?: Paths;
  /** Settings in force. */
  settings?: Settings;
  /** Process reader. */
  source?: ProcSource;
  /** Extra warnings to report with every status (e.g. unusable settings). */
  warnings?: LogEvent[];
  /** The current folder, a project root when it holds the robot script. */
  cwd?: string;
  /** Never block on a working folder that costs a process to read (the app's main process; see Scanner). */
  nonBlockingCwd?: boolean;
  /** Reads the TCP ports processes listen on (defaults to this platform's reader). */
  ports?: PortReader;
  /** Saves the project folder of a start when none is saved yet (the settings file; the CLI's conf store). */
  rememberProject?: (dir: string) => void | Promise<void>;
}

/** The Electron-free core shared by the CLI and the app. */
export type Engine = ReturnType<typeof createEngine>;

/** Builds the engine on injected paths, settings and process source, as fiddle-core's runner does. */
export function createEngine(options: EngineOptions = {}) {
  const paths = options.paths ?? createPaths();
  const settings = options.settings ?? structuredClone(DEFAULT_SETTINGS);
  const source = options.source ?? createProcSource();
  // Where each read forks (macOS), a snapshot's pidfile checks and scan share one table: one `ps` a poll
  const table = source.children ? undefined : tableSource(source, process.getuid?.());
  const polled = table ?? source;
  const scanner = new Scanner(polled, { nonBlockingCwd: options.nonBlockingCwd });
  let portReader = options.ports;
  const cwd = options.cwd ?? process.cwd();

  const projectRoots = (inspection?: InstanceInspection): string[] => {
    const roots = new Set<string>();
    if (settings.projectDir) roots.add(settings.projectDir);
    if (inspection?.live) roots.add(inspection.live.record.cwd);
    if (isProjectDir(cwd)) roots.add(cwd);
    for (const root of scanner.learnedRoots) roots.add(root);
    // A symlinked folder is also known by its real path: working folders are read as real paths
    const real = new Set<string>();
    for (const root of roots) real.add(realPath(root));
    return [...new Set([...roots, ...real])];
  };

  // The Node supervisor's timer (supervisor.ts): on Linux it walks /proc every 5 s, a second guard behind the
  // instance mark; on macOS it only caps the log and keeps the lock (stats: the poll's rows and the stop's
  // ps -E do the tracking). The detached supervisor's tick is its own (SUPERVISOR_TICK_MS, detached.ts)
  const trackingMs = () => (source.hasEnv ? 5000 : Math.min(settings.pollInterval, 1000));
  const logMaxBytes = () => settings.logMaxMB * 1024 * 1024;

  /** The instance's supervisor where it is the subreaper of the robot's tree (Linux), else undefined. */
  const reapingSupervisorOf = (inspection: InstanceInspection): ProcIdentity | undefined => {
    const supervisor = inspection.live?.supervisor;
    return source.children && supervisor && isDetachedSupervisor(supervisor.argv) ? { pid: supervisor.pid, startKey: supervisor.startKey } : undefined;
  };

  const scanNow = (inspection: InstanceInspection, roots: string[], rereadEvery?: number): ScanResult =>
    scanner.scan({
      rereadEvery,
      projectRoots: roots,
      extraRules: settings.extraRules,
      instance: inspection.live?.robot,
      reapingSupervisor: reapingSupervisorOf(inspection),
      exclude: new Set([process.pid]),
    });

  /**
   * Stops the trees of the targets that descend from no other target, then of any target still alive
   * (a worker whose parent died meanwhile is no longer in its tree).
   */
  const stopTrees = async (targets: readonly BbiaProcess[], optionsOf: (p: BbiaProcess) => StopTreeOptions): Promise<TreesReport> => {
    const reports = await Promise.all(topsOf(targets).map((p) => stopTree(source, p, optionsOf(p))));
    const missed = targets.filter((p) => isAlive(source, p));
    reports.push(...(await Promise.all(missed.map((p) => stopTree(source, p, optionsOf(p))))));
    const report = sumReports(reports);
    return { ...report, survivors: report.survivors.filter((p) => isAlive(source, p)) };
  };

  /** A live supervisor sees its robot exit and removes the lock files itself: give it the time to. */
  const supervisorExit = async (live: LiveInstance): Promise<void> => {
    const supervisor = live.supervisor;
    if (supervisor) await waitFor(() => !isAlive(source, supervisor), 5000);
  };

  /** One scan with the lock files checked (the reads of {@link snapshot}). */
  const readSnapshot = (rereadEvery?: number): StatusReport & { scan: ScanResult; inspection: InstanceInspection } => {
    const inspection = inspectInstance(paths, polled);
    const roots = projectRoots(inspection);
    const scan = scanNow(inspection, roots, rereadEvery);
    return {
      instance: view(inspection),
      processes: scan.bbia,
      locked: inspection.locked,
      warnings: [...(options.warnings ?? []), ...inspection.warnings],
      projectRoots: roots,
      scan,
      inspection,
    };
  };

  const view = (inspection: InstanceInspection): InstanceView | null => {
    const live = inspection.live;
    if (!live) return null;
    return {
      pid: live.record.pid,
      state: live.state,
      mode: live.record.mode,
      startedAt: live.record.startedAt,
      supervisorPid: live.record.supervisorPid,
      command: live.record.command,
    };
  };

  return {
    paths,
    settings,
    source,
    scanner,

    /**
     * One scan with the lock files checked, from one read of the table: CPU % is over the interval since
     * the previous call. A live view passes `rereadEvery` (scan.ts); nothing that signals does.
     */
    snapshot(live?: { rereadEvery?: number }): StatusReport & { scan: ScanResult; inspection: InstanceInspection } {
      const read = () => readSnapshot(live?.rereadEvery);
      return table ? table.within(read) : read();
    },

    /** Fills in the TCP ports each process listens on (in place; a process whose ports cannot be read keeps []). */
    async addPorts(processes: BbiaProcess[]): Promise<void> {
      if (processes.length === 0) return;
      portReader ??= createPortReader();
      const ports = await portReader.listening(processes.map((p) => p.pid));
      for (const p of processes) p.ports = ports.get(p.pid) ?? [];
    },

    /** Two scans `intervalMs` apart, so every CPU figure is measured over an interval; with each process's ports. */
    async status(intervalMs = 250): Promise<StatusReport> {
      this.snapshot();
      await delay(intervalMs);
      const { scan: _scan, inspection: _inspection, ...report } = this.snapshot();
      await this.addPorts(report.processes);
      return report;
    },

    /** Starts and supervises the robot in this process. */
    async supervise(opts: Omit<SuperviseOptions, 'python' | 'stopTimeoutMs' | 'pollMs'> & Partial<SuperviseOptions>): Promise<Supervision> {
      // Loaded on demand: execa is 100 ms of start-up that status, stop and kill-all never need (bench/status.ts)
      const { startSupervision } = await import('./supervise/supervisor.js');
      const remember = !settings.projectDir && options.rememberProject;
      const sup = await startSupervision(
        { paths, source, scanner, projectRoots: [...projectRoots(), opts.projectDir] },
        { python: settings.python, stopTimeoutMs: settings.stopTimeout * 1000, pollMs: trackingMs(), logMaxBytes: logMaxBytes(), ...opts },
      );
      // Only once the robot runs: a start that failed (a full disk, a bad folder) writes nothing
      if (remember) {
        await remember(opts.projectDir);
        settings.projectDir = opts.projectDir;
      }
      return sup;
    },

    /**
     * Hands a detached supervision over to the detached supervisor, a small Python program in this same process
     * (detached.ts). Never returns when it succeeds; otherwise resolves to why not, and Node supervises on.
     */
    async handOver(sup: Supervision, call: Pick<HandOverOptions, 'node' | 'entry' | 'supervisorLog' | 'pythonDir'>): Promise<string> {
      const { handOver } = await import('./supervise/detached.js');
      return handOver(sup, { paths, python: settings.python, logMaxBytes: logMaxBytes(), stopTimeoutMs: settings.stopTimeout * 1000, ...call });
    },

    /** The detached supervisor's upkeep (`__supervisor-upkeep`): the lock re-created if it was removed, the log capped. */
    async upkeepDetached(state: DetachedState, log: EngineLog): Promise<void> {
      const { upkeepDetached } = await import('./supervise/detached-end.js');
      await upkeepDetached({ paths, source, log }, state);
    },

    /** Node's part of the end of a detached instance (`__supervisor-end`): stops what is left, releases the lock. */
    async endDetached(state: DetachedState, end: DetachedEnd, log: (message: string) => void): Promise<SupervisionEnd> {
      const { endDetached } = await import('./supervise/detached-end.js');
      return endDetached({ paths, source, log }, state, end);
    },

    /** What `stop` would stop now. */
    planStop(): StopPlan {
      const snap = this.snapshot();
      return { inspection: snap.inspection, targets: snap.processes.filter((p) => p.locked) };
    },

    /** Stops the instance's whole tree and removes the lock files once its supervisor is gone. */
    async stop(plan: StopPlan, timeoutMs: number): Promise<StopReport | undefined> {
      const live = plan.inspection.live;
      let report: StopReport | undefined;
      if (live) {
        writeStopRequest(paths, live.robot, 'bbia-safe stop');
        // What was listed goes too: orphans of the tree that its supervisor adopted are in the plan, not under the robot
        const tracked = plan.targets.map((p) => ({ pid: p.pid, startKey: p.startKey }));
        report = await stopTree(source, live.robot, { timeoutMs, mark: instanceMark(live.record), tracked });
        await supervisorExit(live);
      }
      await this.clearStale();
      return report;
    },

    /** Removes the pidfile and lock of an instance whose robot and supervisor are both gone. */
    async clearStale(): Promise<string[]> {
      const inspection = inspectInstance(paths, source);
      const removed: string[] = [];
      if (inspection.live || inspection.supervisorAlive) return removed;
      if (inspection.deadRecordText && removePidfileIf(paths.pidFile, inspection.deadRecordText)) removed.push(paths.pidFile);
      const alive = (id: ProcIdentity) => isAlive(source, id);
      // proper-lockfile (lock.ts) is loaded only when there is a dead lock to remove: status and stop stay light
      if (sanitizeLockPath(paths.lockFile)) removed.push(paths.lockFile);
      else if (isDeadLock(paths.lockFile, alive)) {
        const { removeDeadLock } = await import('./lock/lock.js');
        if (await removeDeadLock(paths, alive)) removed.push(paths.lockFile);
      }
      return removed;
    },

    /** Every BBIA process that kill-all may touch: never this process or its ancestors. */
    planKillAll(): BbiaProcess[] {
      const snap = this.snapshot();
      const byPid = new Map<number, ProcEntry>(snap.scan.all.map((p) => [p.pid, p]));
      const ancestors = new Set<number>();
      for (let p = byPid.get(process.pid); p && !ancestors.has(p.pid); p = byPid.get(p.ppid)) ancestors.add(p.pid);
      return snap.processes.filter((p) => !ancestors.has(p.pid));
    },

    /** Leftovers that `cleanup` would stop: test, websocket and viewer processes outside the instance, never an ancestor. */
    planCleanup(now = Date.now()): BbiaProcess[] {
      return findLeftovers(this.planKillAll(), now, settings.leftoverMinutes * 60_000);
    },

    /** Stops each leftover's whole tree (SIGTERM, SIGKILL after the timeout), each identity re-checked first. */
    async cleanup(targets: BbiaProcess[], timeoutMs: number): Promise<TreesReport> {
      return stopTrees(targets, () => ({ timeoutMs }));
    },

    /**
     * SIGKILL to each listed process and its whole tree (a server's workers go with it, never left serving),
     * each identity re-checked first; never this process or its ancestors.
     */
    async killAll(targets: BbiaProcess[]): Promise<TreesReport> {
      const live = inspectInstance(paths, source).live;
      const hitsInstance = live !== undefined && targets.some((p) => p.pid === live.robot.pid && p.startKey === live.robot.startKey);
      if (hitsInstance) writeStopRequest(paths, live!.robot, 'kill-all');
      const mark = (p: BbiaProcess) => (hitsInstance && p.pid === live!.robot.pid ? instanceMark(live!.record) : undefined);
      const report = await stopTrees(targets, (p) => ({ timeoutMs: 0, immediate: true, mark: mark(p) }));
      // The instance as it was before the kill: once its robot is dead, only this tells which supervisor to wait for
      if (hitsInstance) await supervisorExit(live!);
      await this.clearStale();
      return { ...report, killed: report.targeted };
    },

    /**
     * What `stop --pid PID` would stop: one robot that bbia-safe did not start, with its tree, found in a
     * scan now; a PID that is gone, not a robot, or the instance's own is refused with what to do instead.
     */
    planStopPid(pid: number): { target: BbiaProcess; tree: BbiaProcess[] } {
      const snap = this.snapshot();
      const found = snap.processes.find((p) => p.pid === pid);
      const instance = snap.inspection.live?.robot.pid;
      if (!found) {
        const hint = robotsOf(snap.processes).map((r) => r.pid).join(', ');
        throw BbiaError.of('pidNotBbia', { pid }, ExitCode.usage, hint ? { key: 'pidNotBbiaHint', vars: { robots: hint } } : { key: 'pidNoRobotHint' });
      }
      // The instance's, or one its supervisor adopted: that is `stop`'s, with the instance's lock files
      if (pid === instance || found.locked) throw BbiaError.of('pidIsInstance', { pid }, ExitCode.usage);
      if (!robotsOf(snap.processes).includes(found)) {
        throw BbiaError.of('pidNotRobot', { pid, kind: found.kind, command: found.command }, ExitCode.usage);
      }
      // Never the robot this command runs under (a terminal it opened): its tree holds the caller
      if (callerLine(snap.scan.all).has(pid)) throw BbiaError.of('pidIsCaller', { pid }, ExitCode.usage);
      // Its tree as listed: the processes after it, deeper than it, up to the next one at its depth or above
      const at = snap.processes.indexOf(found);
      const rest = snap.processes.slice(at + 1);
      const end = rest.findIndex((p) => p.depth <= found.depth);
      return { target: found, tree: [found, ...(end < 0 ? rest : rest.slice(0, end))] };
    },

    /** Stops one robot's whole tree (SIGTERM, SIGKILL after the timeout), its identity re-checked before any signal. */
    async stopOne(target: BbiaProcess, timeoutMs: number): Promise<StopReport> {
      return stopTree(source, target, { timeoutMs });
    },
  };
}
