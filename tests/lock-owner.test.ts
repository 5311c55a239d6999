import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../main/engine/engine.js';
import { BbiaError } from '../main/engine/errors.js';
import { createPaths } from '../main/engine/paths.js';
import { createProcSource } from '../main/engine/scan/proc/source.js';
import type { ProcSource } from '../main/engine/scan/proc/types.js';
import { DEFAULT_SETTINGS } from '../main/engine/settings/schema.js';
import { sandbox } from './helpers.js';

// The instance lock is stale exactly when its owner's identity is gone (lock/lock.ts): an owner named without
// a start time reads as no owner, and would be taken over 10 s later under a live robot (issue 12, review)
describe('the lock owner must name a whole identity', () => {
  it('refuses to start, starting nothing and leaving no lock, when this process cannot read its own start time', async () => {
    const { home, project } = sandbox();
    const real = createProcSource();
    // A reader that cannot see this process (a ps that failed for it, a /proc read that raced)
    const blind: ProcSource = { ...real, list: (...a) => real.list(...a), read: (pid) => (pid === process.pid ? undefined : real.read(pid)) };
    const paths = createPaths({ home });
    const engine = createEngine({ paths, settings: { ...structuredClone(DEFAULT_SETTINGS), projectDir: project }, source: blind });
    const start = engine.supervise({ mode: 'headless', projectDir: project, log: () => {} });
    await expect(start).rejects.toThrow(BbiaError);
    await expect(start).rejects.toThrow(/could not read this process's own start time/);
    expect(fs.existsSync(paths.lockFile)).toBe(false);
    expect(fs.existsSync(paths.pidFile)).toBe(false);
  });
});
