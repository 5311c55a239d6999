import type { Paths } from '../engine/paths.js';

/**
 * Saves the project folder of a start when none is saved yet (`start --project DIR`), so that `status`
 * run elsewhere still knows the project's tests. A failure to write is reported, never fatal to the start.
 */
export async function rememberProject(paths: Paths, dir: string, warn: (text: string) => void): Promise<void> {
  try {
    // Loaded on demand: conf (and its schema validator) is start-up that read-only commands never pay
    const { openSettingsStore } = await import('../engine/settings/store.js');
    const store = openSettingsStore(paths);
    if (!store.get('projectDir')) store.set('projectDir', dir);
  } catch (error) {
    warn(`could not save the project folder ${dir} in the settings: ${(error as Error).message}`);
  }
}
