import fs from 'node:fs';
import { defineConfig } from 'playwright/test';

// Playwright's own browser download fails on the Linux machines here: Debian's Chromium is used when present
const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export default defineConfig({
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // Robots are machine-wide (one instance): never two workers at once
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  projects: [
    {
      name: 'chromium',
      testDir: 'e2e',
      testMatch: /\.spec\.ts$/,
      use: {
        browserName: 'chromium',
        viewport: { width: 380, height: 440 },
        deviceScaleFactor: 2,
        colorScheme: 'light',
        launchOptions: {
          executablePath: fs.existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined,
          args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        },
      },
    },
    {
      // The packaged (or unpackaged) Electron app; skips itself, with the reason, where no Electron binary exists
      name: 'electron',
      testDir: 'e2e-electron',
      testMatch: /\.spec\.ts$/,
    },
  ],
});
