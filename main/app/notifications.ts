import { Notification } from 'electron';
import { formatAge } from '../../common/i18n/age.js';
import type { Runaway } from '../engine/monitor/runaway.js';
import type { SupervisionEnd } from '../engine/supervise/supervisor.js';
import type { AppTranslate } from '../../common/i18n/strings.js';

/** What the notifier's buttons do. */
export interface NotifierActions {
  /** Show: opens the popover. */
  show(): void;
  /** Stop: the normal, confirmed stop of that process (the robot's whole tree when it is the robot). */
  stop(runaway: Runaway): void;
  /** macOS did not show a notification (`failed`: an unsigned build, or notifications refused); the tray and popover still say it. */
  failed?(error: string): void;
}

/** How a robot ended, in words: `exit code 5` or `signal SIGSEGV`. */
export function exitWords(end: Pick<SupervisionEnd, 'exitCode' | 'signal'>, t: AppTranslate): string {
  return end.exitCode !== null ? t('exitCode', { code: end.exitCode }) : t('exitSignal', { signal: end.signal ?? '?' });
}

/** The app's notifications: one per runaway episode (Stop and Show), one when the robot exits on its own. */
export class Notifier {
  // Workaround: Electron holds a Notification weakly, so an unreferenced one is collected and its
  // action and click events never fire: https://github.com/electron/electron/issues/16922
  readonly #alive = new Set<Notification>();

  /** A notifier that shows nothing while `enabled()` is false (the `notifications` setting). */
  constructor(
    private readonly enabled: () => boolean,
    private readonly t: AppTranslate,
    private readonly actions: NotifierActions,
  ) {}

  /** Notifications still shown (held until closed or answered). */
  get shown(): number {
    return this.#alive.size;
  }

  /** One notification per runaway that started at this poll (the monitor reports each episode once). */
  runaways(started: readonly Runaway[], now = Date.now()): void {
    const { t } = this;
    for (const r of started) {
      const p = r.process;
      const body =
        r.reason === 'cpu'
          ? t('runawayBodyCpu', { pid: p.pid, kind: p.kind, cpu: p.cpu.toFixed(0), for: formatAge(now - r.since) })
          : t('runawayBodyMemory', { pid: p.pid, kind: p.kind, mem: (p.memRss / 1048576).toFixed(0) });
      this.#show(t('runawayTitle'), body, [
        { text: t('actionStop'), run: () => this.actions.stop(r) },
        { text: t('actionShow'), run: () => this.actions.show() },
      ]);
    }
  }

  /** A plain message (an action from the tray menu that failed): titled bbia-safe, no buttons. */
  message(body: string): void {
    this.#show('bbia-safe', body, []);
  }

  /** Reports a robot that exited on its own (not one stopped on request); restarting stays the user's decision. A timed run that ended normally is said so, not as a failure. */
  exited(end: SupervisionEnd): void {
    if (end.stoppedBy) return;
    const { t } = this;
    if (end.finished) {
      this.#show(t('finishedTitle'), t('finishedBody', { how: exitWords(end, t) }), [{ text: t('actionShow'), run: () => this.actions.show() }]);
      return;
    }
    const last = end.lastLines?.at(-1);
    const body = [t('exitedBody', { how: exitWords(end, t) }), last ? t('exitedLast', { line: last.slice(0, 120) }) : ''].filter(Boolean).join('\n');
    this.#show(t('exitedTitle'), body, [{ text: t('actionShow'), run: () => this.actions.show() }]);
  }

  #show(title: string, body: string, buttons: { text: string; run: () => void }[]): void {
    if (!this.enabled() || !Notification.isSupported()) return;
    const n = new Notification({ title, body, actions: buttons.map((b) => ({ type: 'button' as const, text: b.text })) });
    const release = () => this.#alive.delete(n);
    // Electron 45 passes the index in the event (the second argument is deprecated)
    n.on('action', (details, legacyIndex) => {
      release();
      buttons[details?.actionIndex ?? legacyIndex]?.run();
    });
    // A click on the notification itself shows the popover
    n.on('click', () => {
      release();
      this.actions.show();
    });
    n.on('close', release);
    // macOS refuses notifications of an app whose bundle is not validly signed (and those the user turned
    // off): Electron emits `failed` and nothing else ever comes, so the notification must be let go here
    n.on('failed', (_event, error: string) => {
      release();
      this.actions.failed?.(error);
    });
    this.#alive.add(n);
    n.show();
  }
}
