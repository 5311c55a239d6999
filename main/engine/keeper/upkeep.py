"""The keeper's upkeep while the robot runs: the lock kept fresh (re-created if removed), the log capped."""
import os
import time

from common import log, read_small, state


def read_owner():
    """The lock owner token as written in the lock, or None when there is none or it cannot be read."""
    try:
        return read_small(os.path.join(state['lockFile'], 'owner'), os.O_NOFOLLOW).decode('utf-8', 'replace')
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
