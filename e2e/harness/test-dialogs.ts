import type { ConfirmRequest, DialogPort } from '../../main/ipc/ports.js';

/** A dialog on screen, waiting for the test's answer. */
export type ShownDialog = { type: 'confirm'; request: ConfirmRequest } | { type: 'folder'; title: string; defaultPath?: string };

/** The test's answer: proceed or not, or the folder chosen (undefined: cancelled). */
export type DialogAnswer = { confirm: boolean } | { folder?: string };

/**
 * The dialog port of the e2e harness: each dialog waits, as a native one would, until the test
 * reads it and answers. A dialog left unanswered is cancelled after `timeoutMs` (Cancel is the default).
 */
export class TestDialogs implements DialogPort {
  #pending: { shown: ShownDialog; resolve: (answer: DialogAnswer | undefined) => void } | undefined;
  #waiters: ((shown: ShownDialog) => void)[] = [];

  /** A port whose dialogs time out after `timeoutMs` unanswered. */
  constructor(private readonly timeoutMs = 30_000) {}

  /** Resolves with the dialog on screen, as soon as there is one (or undefined after `waitMs`). */
  next(waitMs: number): Promise<ShownDialog | undefined> {
    if (this.#pending) return Promise.resolve(this.#pending.shown);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        resolve(undefined);
      }, waitMs);
      const waiter = (shown: ShownDialog) => {
        clearTimeout(timer);
        resolve(shown);
      };
      this.#waiters.push(waiter);
    });
  }

  /** Answers the dialog on screen; false when there is none. */
  answer(answer: DialogAnswer): boolean {
    const pending = this.#pending;
    if (!pending) return false;
    this.#pending = undefined;
    pending.resolve(answer);
    return true;
  }

  #show(shown: ShownDialog): Promise<DialogAnswer | undefined> {
    if (this.#pending) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.answer({ confirm: false }), this.timeoutMs);
      this.#pending = {
        shown,
        resolve: (a) => {
          clearTimeout(timer);
          resolve(a);
        },
      };
      for (const w of this.#waiters.splice(0)) w(shown);
    });
  }

  /** Shows a confirmation; true only when the test chose to proceed. */
  async confirm(request: ConfirmRequest): Promise<boolean> {
    const a = await this.#show({ type: 'confirm', request });
    return a !== undefined && 'confirm' in a && a.confirm;
  }

  /** Shows a folder picker; the test's folder, or undefined. */
  async pickFolder(title: string, defaultPath?: string): Promise<string | undefined> {
    const a = await this.#show({ type: 'folder', title, defaultPath });
    return a !== undefined && 'folder' in a ? a.folder : undefined;
  }
}
