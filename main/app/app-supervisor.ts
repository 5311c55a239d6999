import { BbiaError } from '../engine/errors.js';
import type { Engine } from '../engine/engine.js';
import type { Mode } from '../engine/supervise/launch.js';
import type { EngineLog } from '../../common/i18n/engine-text.js';
import { instanceMark, stopTree } from '../engine/supervise/stop-tree.js';
import type { Supervision, SupervisionEnd } from '../engine/supervise/supervisor.js';

/**
 * The app's supervisor: the robot this process supervises (the app's, or the e2e harness's), at most one. The app's poll
 * hands the supervision each table it read (app/state.ts, `Supervision.observe`), so on macOS its
 * descendants are tracked with no `ps` of their own.
 */
export class AppSupervisor {
  readonly #engine: Engine;
  readonly #onEnded: (end: SupervisionEnd) => void;
  #current: Supervision | undefined;

  /** The app's supervisor on one engine; `onEnded` hears every end (a notification when the robot exited on its own). */
  constructor(engine: Engine, onEnded: (end: SupervisionEnd) => void = () => {}) {
    this.#engine = engine;
    this.#onEnded = onEnded;
  }

  /** The supervision in progress, if any. */
  get current(): Supervision | undefined {
    return this.#current;
  }

  /** Starts and supervises the robot with the launcher arguments `extraArgs`; the engine refuses when any robot already runs. */
  async start(mode: Mode, projectDir: string, log: EngineLog = () => {}, extraArgs: readonly string[] = []): Promise<Supervision> {
    if (this.#current) throw new BbiaError(`this app already supervises robot PID ${this.#current.record.pid}`, 'stop it first');
    const sup = await this.#engine.supervise({ mode, projectDir, log, extraArgs });
    this.#current = sup;
    void sup.done.then(
      (end) => {
        if (this.#current === sup) this.#current = undefined;
        this.#onEnded(end);
      },
      () => {
        if (this.#current === sup) this.#current = undefined;
      },
    );
    return sup;
  }

  /**
   * Stops the supervised tree and resolves once the robot is gone and the lock released.
   * `force` sends SIGKILL to the whole tree at once while the supervisor's own stop runs.
   */
  async stop(reason: string, force = false): Promise<SupervisionEnd | undefined> {
    const sup = this.#current;
    if (!sup) return undefined;
    const done = sup.stop(reason);
    if (force) await stopTree(this.#engine.source, { pid: sup.record.pid, startKey: sup.record.startKey }, { timeoutMs: 0, immediate: true, mark: instanceMark(sup.record) });
    return done;
  }
}
