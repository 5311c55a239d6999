import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The Electron to drive, or why there is none: found on disk WITHOUT requiring `electron` (which would try to download it). */
export function findElectron(): { executablePath: string; args: string[] } | { reason: string } {
  // 1. The packaged app, built by `npm run dist` (the macOS job)
  for (const arch of ['mac-arm64', 'mac', 'mac-universal']) {
    const binary = path.join(ROOT, 'dist', arch, 'bbia-safe.app', 'Contents', 'MacOS', 'bbia-safe');
    if (fs.existsSync(binary)) return { executablePath: binary, args: [] };
  }
  // 2. The development binary that electron's install script downloads, recorded in path.txt
  const pathTxt = path.join(ROOT, 'node_modules', 'electron', 'path.txt');
  if (fs.existsSync(pathTxt)) {
    const binary = path.join(ROOT, 'node_modules', 'electron', 'dist', fs.readFileSync(pathTxt, 'utf8').trim());
    if (fs.existsSync(binary)) return { executablePath: binary, args: [path.join(ROOT, 'out', 'main', 'index.js')] };
  }
  return {
    reason:
      'no Electron binary: neither dist/<mac>/bbia-safe.app nor node_modules/electron/path.txt + dist/ exists ' +
      '(the Electron download is blocked on this machine; the macOS CI job runs this suite)',
  };
}
