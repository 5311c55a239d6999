"""The robot's tree: as subreaper on Linux (orphans come to the keeper), else walked each tick; reaping."""
import calendar
import os
import time

from common import read_small, state, tracked


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


PS = '/bin/ps'  # tests point it at a fake printing recorded output


def ps_table():
    """pid -> (ppid, startKey) of this user's processes from one `ps` (macOS); startKey as darwin.ts computes it.

    ps runs in UTC (TZ=UTC0) and its lstart is read as UTC, as ps-line.ts does: a local-time reading
    would change a live process's key at the end of daylight saving time or when the zone changes."""
    r, w = os.pipe()
    try:
        pid = os.posix_spawn(PS, ['ps', '-xww', '-o', 'pid=,ppid=,lstart='], dict(os.environ, LC_ALL='C', TZ='UTC0'),
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
            start = calendar.timegm(time.strptime(' '.join(w[3:7]), '%b %d %H:%M:%S %Y'))
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


def key_reader():
    """A function pid -> start key now (None when gone), as the platform's reader computes it: on macOS one `ps` serves every call."""
    if state['tracking'] in ('proc', 'reaper'):
        return linux_start_key
    table = ps_table()
    return lambda pid: table[pid][1] if pid in table else None


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
