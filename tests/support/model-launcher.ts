import fs from 'node:fs';
import path from 'node:path';

/**
 * A launcher shaped on the real one's start (scripts/launch_complete_robot.py of bbia-sim): argparse with
 * `--model` (default: a file the project no longer has), `--headless`, `--duration`; a missing model is a
 * logged error and exit 1 right away, as upstream does. It logs its arguments, then runs until --duration.
 * Knobs: MODEL_LAUNCHER_SILENT_EXIT=CODE exits with CODE after 300 ms without a word; MODEL_LAUNCHER_EXIT=CODE
 * is the exit code at the end of --duration; MODEL_LAUNCHER_SAY=TEXT is logged first.
 */
const LAUNCHER = `#!/usr/bin/env python3
import argparse, json, logging, os, sys, time
logging.basicConfig(level=logging.INFO, format="%(levelname)s - %(message)s")
log = logging.getLogger("launcher")
p = argparse.ArgumentParser()
p.add_argument("--model", default="reachy_mini_assembled.xml")
p.add_argument("--headless", action="store_true")
p.add_argument("--duration", type=float, default=None)
p.add_argument("--verbose", action="store_true")
a = p.parse_args()
say = os.environ.get("MODEL_LAUNCHER_SAY")
if say:
    log.info(say)
silent = os.environ.get("MODEL_LAUNCHER_SILENT_EXIT")
if silent:
    time.sleep(0.3)
    sys.exit(int(silent))
model = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models", a.model)
if not os.path.exists(model):
    log.error("Modele non trouve : %s", model)
    sys.exit(1)
log.info("argv %s", json.dumps(sys.argv[1:]))
end = None if a.duration is None else time.monotonic() + a.duration
while end is None or time.monotonic() < end:
    time.sleep(0.05)
log.info("run over")
sys.exit(int(os.environ.get("MODEL_LAUNCHER_EXIT", "0")))
`;

/** Replaces the sandbox project's launcher with the model-needing one and gives the project `models/reachy_mini.xml`. */
export function useModelLauncher(project: string): void {
  fs.writeFileSync(path.join(project, 'scripts', 'launch_complete_robot.py'), LAUNCHER);
  fs.mkdirSync(path.join(project, 'models'), { recursive: true });
  fs.writeFileSync(path.join(project, 'models', 'reachy_mini.xml'), '<mujoco/>\n');
}

/** The arguments the model launcher logged in the robot log of `home`, run by run (oldest first). */
export function loggedArgv(home: string): string[][] {
  const log = fs.readFileSync(path.join(home, '.bbia-safe', 'logs', 'robot.log'), 'utf8');
  return [...log.matchAll(/argv (\[.*\])/g)].map((m) => JSON.parse(m[1]!) as string[]);
}
