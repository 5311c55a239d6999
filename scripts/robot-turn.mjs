#!/usr/bin/env node
// Runs a command while holding the machine's robot turn:
//
//   node scripts/robot-turn.mjs COMMAND [ARGS...]
//
// The tests and the benchmarks start real robots, and a robot anywhere on the machine makes every other
// start refuse (that is the product). Two runs on one machine (CI beside a developer's `npm test`, two
// checkouts, a benchmark) would break each other; with this they take turns. The turn is a
// proper-lockfile lock in the temp folder, refreshed while the command runs and taken over 30 s after
// a holder that died without releasing it. A run inside a run (`robot-turn npm run bench` while the
// benchmarks take the turn themselves) shares the turn it was started in instead of waiting on itself.
// Exits with the command's code (128 + n for a signal).
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';

const TURN = path.join(os.tmpdir(), 'bbia-safe-robot-turn');
/** Set in the command's environment to the turn it holds, so that a nested run shares it. */
const HELD_ENV = 'BBIA_ROBOT_TURN_HELD';
const WAIT_LIMIT_MS = 30 * 60_000;

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/robot-turn.mjs COMMAND [ARGS...]');
  process.exit(2);
}

/** Takes the turn, waiting (with one message) while another run holds it. */
async function takeTurn() {
  const options = {
    realpath: false,
    stale: 30_000,
    update: 5_000,
    // A holder that cannot refresh its turn keeps running its command: say so rather than throw
    onCompromised: (error) => console.error(`robot-turn: the turn at ${TURN}.lock was lost (${error.message}); another run may start robots now`),
  };
  const deadline = Date.now() + WAIT_LIMIT_MS;
  let told = false;
  for (;;) {
    try {
      return await lockfile.lock(TURN, options);
    } catch (error) {
      if (error.code !== 'ELOCKED') {
        console.error(`robot-turn: cannot take ${TURN}.lock (${error.message}); if no test run or benchmark is running, remove that folder`);
        process.exit(1);
      }
      if (Date.now() > deadline) {
        console.error(`robot-turn: another run has held ${TURN}.lock for over ${WAIT_LIMIT_MS / 60_000} minutes; stop it, or remove that folder if no run is left`);
        process.exit(1);
      }
      if (!told) {
        console.error(`robot-turn: another run of the tests or benchmarks starts robots on this machine (${TURN}.lock); waiting for its turn to end`);
        told = true;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

const nested = process.env[HELD_ENV] === TURN;
const release = nested ? async () => {} : await takeTurn();
const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, [HELD_ENV]: TURN } });
// Ctrl+C reaches the whole foreground group by itself; a kill aimed at this process is passed on
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
const code = await new Promise((resolve) => {
  child.on('error', (error) => {
    console.error(`robot-turn: cannot run ${command}: ${error.message}`);
    resolve(127);
  });
  child.on('exit', (status, signal) => resolve(status ?? 128 + (os.constants.signals[signal] ?? 0)));
});
await release().catch(() => {});
process.exit(code);
