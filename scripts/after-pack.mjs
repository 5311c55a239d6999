// electron-builder `afterPack` hook (electron-builder.yml): fails the build when the command line that
// "Install Command Line Tool…" links is not packed into the app (extraResources: Contents/Resources/cli),
// or its launcher lost its executable bit, rather than shipping an app whose menu item links nothing.
//
// It signs nothing, on purpose: electron-builder 26 runs this hook *before* it flips the fuses
// (app-builder-lib platformPackager.js: emitAfterPack, then doAddElectronFuses, then doSignAfterPack), and
// with `resetAdHocDarwinSignature` @electron/fuses then re-signs the whole bundle ad hoc
// (`codesign --sign - --force --deep`, the identifier taken from Info.plist's CFBundleIdentifier), so a
// signature made here would be replaced. scripts/check-signature.mjs checks what ships instead.
import fs from 'node:fs';
import path from 'node:path';

/** What the packed command line needs, relative to Contents/Resources/cli (the launcher is executable). */
export const PACKED_CLI = ['package.json', 'bin/bbia-safe', 'bin/bbia-safe.js', 'out/cli/main.mjs', 'out/cli/detached/supervisor.py', 'out/cli/detached/state.schema.json'];

/** The problems of a packed command line folder, in words (none when it is complete). */
export function packedCliProblems(cliDir) {
  const problems = [];
  for (const file of PACKED_CLI) {
    const full = path.join(cliDir, file);
    if (!fs.existsSync(full)) problems.push(`${full} is missing`);
  }
  const launcher = path.join(cliDir, 'bin', 'bbia-safe');
  if (fs.existsSync(launcher) && (fs.statSync(launcher).mode & 0o111) !== 0o111) problems.push(`${launcher} is not executable`);
  return problems;
}

/** The hook: checks the packed command line of a macOS build. */
export async function afterPack(context) {
  if (context.electronPlatformName !== 'darwin' && context.electronPlatformName !== 'mas') return;
  const app = path.join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`);
  const problems = packedCliProblems(path.join(app, 'Contents', 'Resources', 'cli'));
  if (problems.length > 0) {
    throw new Error(
      `the command line is not packed into ${app}: ${problems.join('; ')}.\n` +
        '  -> run `npm run build` first (it builds out/cli), and keep scripts/bbia-safe-launcher.sh executable (chmod 755)',
    );
  }
  console.log(`  • afterPack: the command line is packed in ${path.basename(app)}/Contents/Resources/cli`);
}

export default afterPack;
