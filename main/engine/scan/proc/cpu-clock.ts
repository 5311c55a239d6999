import type { ProcSource } from './types.js';

/**
 * Nanoseconds per Mach absolute-time tick on Apple silicon: its timebase is 125/3 (a 24 MHz clock).
 * proc_pidinfo's task times are in those ticks there, and a tool that takes them for nanoseconds reads
 * CPU time about 41.7 times too low and would never see a runaway: psutil had it
 * (https://github.com/giampaolo/psutil/issues/1956), and htop under Rosetta 2, where mach_timebase_info
 * says 1/1 (https://github.com/htop-dev/htop/issues/765). We check what `ps` says rather than trust it.
 */
export const MACH_TICK_SCALE = 125 / 3;

/** What the start-up check found: whether `ps`'s CPU time agrees with this process's own count. */
export type CpuClockVerdict =
  /** Too little CPU used yet to tell (the check runs again at the next read). */
  | { kind: 'undecided' }
  /** `ps` agrees with `process.cpuUsage()`: nothing to do. */
  | { kind: 'agrees'; ratio: number; scale: 1 }
  /** `ps` counts Mach ticks as nanoseconds: its CPU times are multiplied by {@link MACH_TICK_SCALE}. */
  | { kind: 'mach-ticks'; ratio: number; scale: number; message: string }
  /** `ps` disagrees in a way we do not know: CPU percentages are left as read, and the user is warned. */
  | { kind: 'disagrees'; ratio: number; scale: 1; message: string };

/**
 * The slack of one comparison, seconds: `ps` prints CPU time in steps (BSD: a hundredth of a second,
 * truncated) and its reading falls somewhere between our two readings; two steps cover both. The
 * relative 5 % covers the two counts not being the same kernel call (getrusage against proc_pidinfo's
 * task totals), which tick apart by a few scheduler quanta at most.
 */
function slack(seconds: number, step: number): number {
  return 2 * step + 0.05 * seconds;
}

/** True when `ps` read `psSeconds` for a true CPU time between `before` and `after` under a factor `f`. */
function fits(psSeconds: number, before: number, after: number, f: number, step: number): boolean {
  return psSeconds >= before * f - slack(after * f, step) && psSeconds <= after * f + slack(after * f, step);
}

/**
 * Judges one reading: `psSeconds` is what `ps` printed for this process, `before` and `after` are
 * `process.cpuUsage()` (user + system, seconds) just before and after `ps` ran. It decides only when
 * exactly one explanation fits: the same clock, or Mach ticks read as nanoseconds; `step` is the
 * resolution `ps` printed.
 */
export function judgeCpuClock(psSeconds: number, before: number, after: number, step = 0.01): CpuClockVerdict {
  const ratio = after > 0 ? psSeconds / after : Number.NaN;
  const same = fits(psSeconds, before, after, 1, step);
  const mach = fits(psSeconds, before, after, 1 / MACH_TICK_SCALE, step);
  if (same && mach) return { kind: 'undecided' };
  if (same) return { kind: 'agrees', ratio, scale: 1 };
  const seen = `ps reports ${psSeconds.toFixed(2)} s of CPU for this process, which counted ${after.toFixed(2)} s`;
  if (mach) {
    return { kind: 'mach-ticks', ratio, scale: MACH_TICK_SCALE, message: `${seen}: ps counts Mach ticks as nanoseconds here; CPU times are scaled by 125/3` };
  }
  return { kind: 'disagrees', ratio, scale: 1, message: `${seen} (ratio ${ratio.toFixed(3)}): CPU percentages may be wrong, and a runaway may go unflagged` };
}

/** This process's CPU time so far (user + system), seconds. */
export function ownCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * The start-up check: reads this process through the source once, which compares `ps` with
 * `process.cpuUsage()` where the source reads `ps` (macOS), and returns what it found; undefined where
 * the platform's reader needs no check (Linux reads the kernel's own clock ticks).
 */
export function checkCpuClock(source: ProcSource): CpuClockVerdict | undefined {
  if (!source.cpuClock) return undefined;
  source.read(process.pid);
  return source.cpuClock();
}
