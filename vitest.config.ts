import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Every test file starts real robots, and a robot anywhere on the machine blocks a start:
    // files run one at a time so each sees only the processes it started
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
