"""The end of a kept instance: Node settles it (`bbia-safe __keeper-end`), or, when no Node can, the keeper does."""
import json
import os
import select
import signal
import time

from common import STATE_ENV, log, read_small, state, tracked, wake
from tree import adopted, key_reader, reap
from upkeep import read_owner


def node_candidates():
    """The Node that started the instance, then any `node` on the PATH (the first may be gone: an upgrade)."""
    yield state['node']
    for folder in os.environ.get('PATH', '').split(os.pathsep):
        path = os.path.join(folder or '.', 'node')
        if path != state['node'] and os.access(path, os.X_OK):
            yield path


def run_node_end(end):
    """Runs `bbia-safe __keeper-end` and reaps every child until it exits (or is killed past its deadline). False when no Node ran it."""
    env = dict(os.environ)
    env[STATE_ENV] = json.dumps(dict(state, tracked=[{'pid': p, 'startKey': k} for p, k in tracked.items()], end=end))
    child = None
    for node in node_candidates():
        try:
            child = os.posix_spawn(node, [node] + state['nodeFlags'] + [state['entry'], '__keeper-end'], env)
            break
        except OSError as error:
            log('could not run %s for the end (%s)' % (node, error))
    if child is None:
        return False
    deadline = time.monotonic() + state['stopTimeoutMs'] / 1000.0 + 30
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return True
        if pid == child:
            return True
        if pid != 0:
            continue
        if time.monotonic() > deadline:
            log('the Node end (PID %d) is still running past its deadline; killing it' % child)
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
            return True
        select.select([wake[0]], [], [], 0.2)
        try:
            os.read(wake[0], 512)  # a second stop signal changes nothing: the end is under way
        except BlockingIOError:
            pass


def signal_tree(sig):
    """Signals the robot's group and every tracked process whose start time still matches."""
    robot = state['robot']
    current_key = key_reader()
    if current_key(robot['pid']) in (None, robot['startKey']):  # the group ID cannot be someone else's yet
        try:
            os.killpg(robot['pid'], sig)
        except OSError:
            pass
    for pid, key in list(tracked.items()):
        if pid != robot['pid'] and current_key(pid) == key:
            try:
                os.kill(pid, sig)
            except OSError:
                pass


def tree_alive():
    reap(state['robot']['pid'])
    try:
        os.killpg(state['robot']['pid'], 0)
        return True
    except OSError:
        current_key = key_reader()
        return any(pid != state['robot']['pid'] and current_key(pid) == key for pid, key in tracked.items())


def end_without_node():
    """The end when no Node could settle it: the tree stopped (SIGTERM, SIGKILL after the grace), the lock files removed if still ours."""
    log('ending the instance without Node: stopping the tree, removing the lock files')
    signal_tree(signal.SIGTERM)
    deadline = time.monotonic() + state['stopTimeoutMs'] / 1000.0
    while tree_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    if tree_alive():
        signal_tree(signal.SIGKILL)
    try:
        if read_small(state['pidFile'], os.O_NOFOLLOW).decode() == state['ownText']:
            os.unlink(state['pidFile'])
    except (OSError, UnicodeDecodeError):
        pass
    if read_owner() == state['token']:
        try:
            os.unlink(os.path.join(state['lockFile'], 'owner'))
            os.rmdir(state['lockFile'])
        except OSError:
            pass


def hand_over(end):
    """The end of the instance: Node settles it (`__keeper-end`), or, when no Node can, a plainer end here."""
    log('handing the end to Node: %s' % json.dumps(end))
    if state['tracking'] == 'reaper':
        tracked.update(adopted())
    if not run_node_end(end) or read_owner() == state['token']:
        end_without_node()
    return 0
