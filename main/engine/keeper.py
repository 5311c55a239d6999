# bbia-safe keeper: the detached supervisor once the robot runs (main/engine/keeper.ts hands over to it).
#
# The Node supervisor takes the lock, starts the robot and writes the pidfile, then replaces itself with
# this program through execve(): same PID, same start time, so it still owns the lock (the owner file
# names that identity) and it is still the robot's parent. A Node process idles at about 60 MB and wakes
# on V8's timers; this one idles at about 10 MB in one select() (bench/idle.ts). While the robot runs it
# keeps the lock fresh and re-creates it if it was removed, and caps the robot log (copytruncate). On
# Linux it is the child subreaper of the robot's tree (prctl): a descendant that daemonizes (double
# fork, setsid, any environment) is re-parented to it instead of init, so none can slip away and no
# walk of the tree is needed; elsewhere it walks the tree each tick and remembers who leaves it.
# The end is Node's again: when the robot exits or a
# stop signal arrives, it runs `bbia-safe __keeper-end` as its child, which stops what is left, writes the
# exit report and releases the lock, and reaps every child meanwhile. Python 3.8+, standard library only.
import json
import os
import select
import signal
import time

STATE_ENV = 'BBIA_SAFE_KEEPER_STATE'
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def signal_name(number):
    """SIGTERM for 15; SIG35 for a signal Python has no name for (real-time ones)."""
    try:
        return signal.Signals(number).name
    except ValueError:
        return 'SIG%d' % number
state = {}
tracked = {}


def log(text):
    now = time.time()
    stamp = time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(now)) + '.%03dZ' % (int(now * 1000) % 1000)
    try:
        fd = os.open(state['supervisorLog'], os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            os.write(fd, ('%s [%d] %s\n' % (stamp, os.getpid(), text)).encode())
        finally:
            os.close(fd)
    except OSError:
        pass  # nowhere left to report


def read_owner():
    try:
        fd = os.open(os.path.join(state['lockFile'], 'owner'), os.O_RDONLY | os.O_NOFOLLOW)
        try:
            return os.read(fd, 4096).decode('utf-8', 'replace')
        finally:
            os.close(fd)
    except OSError:
        return None


lock_lost = False


def keep_lock():
    """Refreshes the lock's mtime while it is ours; re-creates it as acquireLock does (mkdir, then O_EXCL owner) when it was removed."""
    global lock_lost
    lock = state['lockFile']
    if read_owner() == state['token']:
        try:
            os.utime(lock, follow_symlinks=False)
        except OSError:
            pass
        lock_lost = False
        return
    if os.path.lexists(lock):
        if not lock_lost:
            log('another process holds the lock now; not taking it back')
        lock_lost = True
        return
    log('the lock was removed under the running instance; re-creating it')
    try:
        os.mkdir(lock, 0o700)
        fd = os.open(os.path.join(lock, 'owner'), os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            os.write(fd, state['token'].encode())
        finally:
            os.close(fd)
        log('lock re-acquired')
    except OSError as error:
        log('could not re-acquire the lock: %s' % error)


log_seen = [0, 0.0]  # size and time at the last check


def cap_log():
    """
    logrotate's copytruncate, as capLog in log-file.ts: the robot appends to its own descriptor. Returns
    how soon to look again: at the growth seen since the last check, before the log could reach the cap.
    """
    name, cap = state['robotLog'], state['logMaxBytes']
    now = time.monotonic()
    try:
        size = os.stat(name).st_size
        grown = size - log_seen[0]
        if size > cap:
            src = os.open(name, os.O_RDONLY | os.O_NOFOLLOW)
            dst = os.open(name + '.1', os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
            try:
                while True:
                    chunk = os.read(src, 1 << 20)
                    if not chunk:
                        break
                    os.write(dst, chunk)
            finally:
                os.close(src)
                os.close(dst)
            os.truncate(name, 0)
            size = 0
    except OSError:
        return None
    elapsed = now - log_seen[1]
    log_seen[:] = [size, now]
    if grown <= 0 or elapsed <= 0:
        return None
    return max(1.0, (cap - size) / (grown / elapsed) / 2)


def read_small(name, flags=0):
    """A small file whole (a /proc file in one read): os.open/os.read are 3 system calls, where open() takes 8."""
    fd = os.open(name, os.O_RDONLY | flags)
    try:
        data = os.read(fd, 65536)
        while len(data) % 65536 == 0 and data:
            more = os.read(fd, 65536)
            if not more:
                break
            data += more
        return data
    finally:
        os.close(fd)


def linux_start_key(pid):
    """Field 22 of /proc/<pid>/stat (start time in ticks), the Linux reader's startKey; None when gone or a zombie."""
    try:
        rest = read_small('/proc/%d/stat' % pid).rsplit(b')', 1)[1].split()
    except OSError:
        return None
    return None if rest[0] in (b'Z', b'X') else rest[19].decode()


def linux_children(pid):
    found = []
    try:
        for tid in os.listdir('/proc/%d/task' % pid):
            try:
                found += [int(c) for c in read_small('/proc/%d/task/%s/children' % (pid, tid)).split()]
            except OSError:
                pass
    except OSError:
        pass
    return found


def ps_table():
    """pid -> (ppid, startKey) of this user's processes from one `ps` (macOS); startKey as darwin.ts computes it."""
    r, w = os.pipe()
    try:
        pid = os.posix_spawn('/bin/ps', ['ps', '-x', '-o', 'pid=,ppid=,lstart='], dict(os.environ, LC_ALL='C'),
                             file_actions=[(os.POSIX_SPAWN_DUP2, w, 1), (os.POSIX_SPAWN_CLOSE, r)])
    except OSError:
        os.close(r)
        os.close(w)
        return {}
    os.close(w)
    out = b''
    while True:
        chunk = os.read(r, 1 << 16)
        if not chunk:
            break
        out += chunk
    os.close(r)
    os.waitpid(pid, 0)
    table = {}
    for line in out.decode('ascii', 'replace').splitlines():
        w = line.split()
        if len(w) < 7:
            continue
        try:
            start = time.mktime(time.strptime(' '.join(w[3:7]), '%b %d %H:%M:%S %Y'))
        except ValueError:
            continue
        table[int(w[0])] = (int(w[1]), str(int(start)))
    return table


def track():
    """Adds the robot's tree (and the trees of what was tracked before) to `tracked`, by identity; forgets nothing (the end re-checks)."""
    if state['tracking'] == 'proc':
        key_of, children_of = linux_start_key, linux_children
    else:
        table = ps_table()
        if state['robot']['pid'] not in table:
            return  # ps failed, or its start times disagree with ours: keep what is known
        kids = {}
        for pid, (ppid, _) in table.items():
            kids.setdefault(ppid, []).append(pid)
        key_of = lambda pid: table[pid][1] if pid in table else None
        children_of = lambda pid: kids.get(pid, [])
    queue = [(state['robot']['pid'], state['robot']['startKey'])] + list(tracked.items())
    seen = set()
    while queue:
        pid, key = queue.pop()
        if pid in seen or key_of(pid) != key:
            continue
        seen.add(pid)
        tracked[pid] = key
        for child in children_of(pid):
            child_key = key_of(child)
            if child_key is not None:
                queue.append((child, child_key))


def current_key(pid):
    """The start key of `pid` now, as the platform's reader computes it; None when gone."""
    if state['tracking'] in ('proc', 'reaper'):
        return linux_start_key(pid)
    entry = ps_table().get(pid)
    return entry[1] if entry else None


def become_subreaper():
    """PR_SET_CHILD_SUBREAPER (Linux 3.4+): orphans of the robot's tree come to this process. False where unavailable."""
    try:
        import ctypes
        return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0
    except (ImportError, OSError, AttributeError):
        return False


def adopted():
    """This process's children now (the robot, and on Linux the orphans of its tree), with their start keys."""
    found = {}
    for pid in linux_children(os.getpid()):
        key = linux_start_key(pid)
        if key is not None:
            found[pid] = key
    return found


def reap(robot):
    """Reaps every child that ended (adopted orphans too); returns the robot's wait status once it ended."""
    ended = None
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return ended if ended is not None else -1
        if pid == 0:
            return ended
        if pid == robot:
            ended = status


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


wake = []  # the self-pipe that signals write to


def main():
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


if __name__ == '__main__':
    os._exit(main())
