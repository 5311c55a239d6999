"""What every part of the keeper shares: the instance's state, the tracked processes, the log, small reads."""
import os
import signal
import time

STATE_ENV = 'BBIA_SAFE_KEEPER_STATE'
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)

state = {}    # the instance, as keeper.ts handed it over (KeeperState)
tracked = {}  # pid -> start key of every descendant known to belong to the tree
wake = []     # the self-pipe that signal handlers write to


def signal_name(number):
    """SIGTERM for 15; SIG35 for a signal Python has no name for (real-time ones)."""
    try:
        return signal.Signals(number).name
    except ValueError:
        return 'SIG%d' % number


def log(text):
    """Appends a line to the supervisor log, as the Node supervisor writes it; never fails."""
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
