import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { assertNoForeignRobot, cli, pidfilePid, sandbox } from './helpers.js';

beforeEach(() => assertNoForeignRobot());

/** What the seed's scripts/process_manager.py (run by bbia_safe.sh) left: a plain lock file `PID\ntime\n` and a pidfile `PID\n`. */
function seedLeftovers(home: string): { lock: string; pid: string } {
  const lock = path.join(home, '.bbia_sim.lock');
  const pid = path.join(home, '.bbia_sim.pid');
  fs.writeFileSync(lock, `999999\n${Date.now() / 1000}\n`);
  fs.writeFileSync(pid, '999999\n');
  return { lock, pid };
}

/** The files set aside next to `file`. */
const asideOf = (file: string) => fs.readdirSync(path.dirname(file)).filter((n) => n.startsWith(`${path.basename(file)}.corrupt-`));

describe('moving from bbia_safe.sh', () => {
  it('start says in one line that the old tool\'s lock and pidfile were set aside, and where', async () => {
    const { home, project } = sandbox();
    const old = seedLeftovers(home);
    const r = await cli(home, ['start', 'test'], { cwd: project });
    expect(r.code).toBe(0);
    const [lockAside] = asideOf(old.lock);
    const [pidAside] = asideOf(old.pid);
    expect(lockAside).toBeDefined();
    expect(pidAside).toBeDefined();
    expect(r.stderr).toContain(`Warning: the old bbia_safe.sh lock ${old.lock} (a plain file) was set aside to ${path.join(home, lockAside!)}; bbia-safe now keeps the lock there\n`);
    expect(r.stderr).toContain(`Warning: the pidfile ${old.pid} was not bbia-safe's (perhaps the old bbia_safe.sh's: a PID alone); set aside to ${path.join(home, pidAside!)}\n`);
    // Nothing lost: the old content is kept aside
    expect(fs.readFileSync(path.join(home, lockAside!), 'utf8')).toMatch(/^999999\n/);
  });

  it('start --detach tells it too, in French when the locale is French', async () => {
    const { home, project } = sandbox();
    const old = seedLeftovers(home);
    const r = await cli(home, ['start', 'headless', '--detach'], { cwd: project, env: { LANG: 'fr_FR.UTF-8' } });
    expect(r.code).toBe(0);
    pidfilePid(home);
    const [lockAside] = asideOf(old.lock);
    expect(r.stderr).toContain(`Attention : le verrou de l’ancien bbia_safe.sh ${old.lock} (un simple fichier) a été mis de côté dans ${path.join(home, lockAside!)}`);
    expect(r.stderr).toContain('Attention : le fichier PID');
    expect((await cli(home, ['stop', '--force'])).code).toBe(0);
  });
});
