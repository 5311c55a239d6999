import { powerSaveBlocker } from 'electron';
import type { Engine } from '../engine/engine.js';
import type { EngineLog } from '../../common/i18n/engine-text.js';
import type { Mode } from '../engine/supervise/launch.js';
import type { Supervision, SupervisionEnd } from '../engine/supervise/supervisor.js';
import { AppSupervisor } from './app-supervisor.js';

/**
 * Keeps App Nap away from the app while it supervises a robot: with no window showing, macOS may nap the
 * app and stretch its timers (the supervisor's tracking, the poll, runaway detection) to seconds.
 * `prevent-app-suspension` takes an IOKit power assertion (NoIdleSleep on macOS), and an app holding one is
 * not a candidate for App Nap (Apple, Energy Efficiency Guide for Mac Apps, "How App Nap works"). That same
 * assertion keeps the Mac from *idle* system sleep while it is held (electron/electron#30859): the display
 * still sleeps, and closing the lid or choosing Sleep still sleeps the Mac. So it is held only from a
 * successful start until that robot's supervision ends, never while the app merely watches.
 */
export class AppNapGuard {
  #id: number | undefined;

  /** A guard on Electron's powerSaveBlocker (or a test's stand-in). */
  constructor(private readonly blocker: Pick<typeof powerSaveBlocker, 'start' | 'stop' | 'isStarted'> = powerSaveBlocker) {}

  /** True while the blocker is held. */
  get held(): boolean {
    return this.#id !== undefined && this.blocker.isStarted(this.#id);
  }

  /** Holds the blocker (once, however often it is called). */
  hold(): void {
    if (!this.held) this.#id = this.blocker.start('prevent-app-suspension');
  }

  /** Lets it go. */
  release(): void {
    if (this.#id !== undefined) this.blocker.stop(this.#id);
    this.#id = undefined;
  }
}

/** The app's appSupervisor: a {@link AppSupervisor} that holds an {@link AppNapGuard} while its robot is supervised. */
export class AwakeAppSupervisor extends AppSupervisor {
  /** The app's supervisor on one engine; `onEnded` hears every end; `guard` is held from each start to that supervision's end. */
  constructor(
    engine: Engine,
    onEnded: (end: SupervisionEnd) => void,
    readonly guard: AppNapGuard = new AppNapGuard(),
  ) {
    super(engine, onEnded);
  }

  override async start(mode: Mode, projectDir: string, log?: EngineLog, extraArgs: readonly string[] = []): Promise<Supervision> {
    const sup = await super.start(mode, projectDir, log, extraArgs);
    this.guard.hold();
    // After the appSupervisor's own handler (registered first) has cleared `current`, whether the robot ended or the supervision failed
    const settled = () => {
      if (this.current === undefined) this.guard.release();
    };
    sup.done.then(settled, settled);
    return sup;
  }
}
