# bbia-safe keeper: the detached supervisor once the robot runs (main/engine/keeper.ts hands over to it).
# This file is its entry and main loop; common.py, upkeep.py, tree.py and ending.py hold the rest.
#
# The Node supervisor takes the lock, starts the robot and writes the pidfile, then replaces itself with
# this program through execve(): same PID, same start time, so it still owns the lock (the owner file
# names that identity) and it is still the robot's parent. A Node process idles at about 60 MB and wakes
# on V8's timers; this one idles at about 10 MB in one select() (bench/idle.ts). While the robot runs it
# keeps the lock fresh and re-creates it if it was removed, and caps the robot log (copytruncate). On
# Linux it is the child subreaper of the robot's tree (prctl): a descendant that daemonizes (double
# fork, setsid, any environment) is re-parented to it instead of init, so none can slip away and no
# walk of the tree is needed; elsewhere it walks the tree each tick and remembers who leaves it. The
# end is Node's again: when the robot exits or a stop signal arrives, it runs `bbia-safe __keeper-end`
# as its child, which stops what is left, writes the exit report and releases the lock, and reaps every
# child meanwhile. Python 3.8+, standard library only; the loader in keeper.ts imports this and runs main().
import json
import os
import select
import signal
import time

from common import STATE_ENV, STOP_SIGNALS, log, signal_name, state, tracked, wake
from ending import hand_over
from tree import become_subreaper, reap, track
from upkeep import cap_log, keep_lock, log_seen


def main():
    """Keeps the instance until its end is handed over; returns the exit code."""
    state.update(json.loads(os.environ.pop(STATE_ENV)))
    tracked.update((p['pid'], p['startKey']) for p in state['tracked'])
    robot = state['robot']['pid']
    wake_r, wake_w = os.pipe()
    wake[:] = [wake_r, wake_w]
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    for sig in STOP_SIGNALS + (signal.SIGCHLD,):
        signal.signal(sig, lambda *_: None)
    # Blocked by the loader until here: a stop signal sent during the hand-over is taken now, not lost
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    if state['tracking'] == 'proc' and become_subreaper():
        state['tracking'] = 'reaper'
    tick = state['tickMs'] / 1000.0
    # The first look comes soon: it measures how fast the log grows, which sets the next ones
    try:
        log_seen[:] = [os.stat(state['robotLog']).st_size, time.monotonic()]
    except OSError:
        log_seen[1] = time.monotonic()
    next_tick = time.monotonic() + min(tick, 1.0)
    log('keeping robot PID %d (%s)' % (robot, 'subreaper of its tree' if state['tracking'] == 'reaper' else 'walking its tree'))
    while True:
        status = reap(robot)
        if status is not None:
            if status == -1:  # already reaped by Node before the hand-over: the status is lost
                return hand_over({'reason': 'exit', 'exitCode': None, 'signal': None})
            if os.WIFEXITED(status):
                return hand_over({'reason': 'exit', 'exitCode': os.WEXITSTATUS(status), 'signal': None})
            return hand_over({'reason': 'exit', 'exitCode': None, 'signal': signal_name(os.WTERMSIG(status))})
        if time.monotonic() >= next_tick:
            keep_lock()
            soon = cap_log()
            if state['tracking'] != 'reaper':
                track()
            # A quiet robot: one wake-up a tick; a chatty one: sooner, before its log can pass the cap
            next_tick = time.monotonic() + (tick if soon is None else min(tick, soon))
        ready = select.select([wake_r], [], [], max(0.0, next_tick - time.monotonic()))[0]
        try:
            woke = os.read(wake_r, 512) if ready else b''
        except BlockingIOError:
            woke = b''
        for sig in STOP_SIGNALS:
            if sig in woke:
                return hand_over({'reason': 'signal', 'signal': signal_name(sig)})
