# bbia-safe detached supervisor, its Python stage once the robot runs (main/engine/supervise/detached.ts hands over to it).
#
# The Node supervisor takes the lock, starts the robot and writes the pidfile, then replaces itself with
# this program through execve(): same PID and start time, so it still owns the lock (the owner file names
# that identity) and it is still the robot's parent. A bare Node idles at about 42 MB; this idles at about
# 10 MB in one select(). It only waits, reaps and hands over; every rule lives in TypeScript:
# - it waits in select() on a self-pipe (signal.set_wakeup_fd) and reaps every child on SIGCHLD; on Linux
#   it is the child subreaper of the robot's tree (prctl), so an orphan of the tree comes to it;
# - every tick it makes two stat() calls: is the lock directory there, is the robot log over its cap? When
#   either is wrong it runs Node's upkeep (`bbia-safe __supervisor-upkeep`, which decides and acts) as its
#   child. While the robot runs quietly it forks nothing;
# - when the robot ends or a stop signal arrives, it runs Node's end (`bbia-safe __supervisor-end`, how it
#   ended in BBIA_SAFE_END) and reaps every child until that Node exits.
# Its input is one object checked against state.schema.json (detached.ts checks it against the same file).
# Python 3.8+, standard library only; typed and checked by pyright in strict mode (npm run lint).
from __future__ import annotations

import json
import os
import select
import signal
import time
from types import FrameType
from typing import Any, Dict, List, NamedTuple, Optional, Tuple, cast

STATE_ENV = 'BBIA_SAFE_PYTHON_STATE'
END_ENV = 'BBIA_SAFE_END'
SCHEMA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'state.schema.json')
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
UPKEEP_DEADLINE_S = 30.0
PR_SET_CHILD_SUBREAPER = 36
JSON_TYPES: Dict[str, type] = {'integer': int, 'string': str, 'array': list, 'object': dict, 'null': type(None)}


class State(NamedTuple):
    """The fields of state.schema.json, once checked."""
    robotPid: int
    tickMs: int
    lockDir: str
    robotLog: str
    logMaxBytes: int
    nodes: List[str]
    upkeepArgv: List[str]
    endArgv: List[str]
    endDeadlineMs: int
    supervisorLog: str


log_file: List[str] = []  # the supervisor log, once known


def log(text: str) -> None:
    """Appends a line to the supervisor log, as the Node supervisor writes it; never fails."""
    if not log_file:
        return
    now = time.time()
    stamp = time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(now)) + '.%03dZ' % (int(now * 1000) % 1000)
    try:
        fd = os.open(log_file[0], os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            os.write(fd, ('%s [%d] %s\n' % (stamp, os.getpid(), text)).encode())
        finally:
            os.close(fd)
    except OSError:
        pass  # nowhere left to report


def schema_errors(value: Any, schema: Any, where: str) -> List[str]:
    """What in `value` breaks `schema` (the subset state.schema.json uses: type (one or a list), enum,
    required, properties, additionalProperties, items, minimum, minItems), as schema-check.ts reads it."""
    types: List[str] = schema['type'] if isinstance(schema['type'], list) else [schema['type']]
    if not any(isinstance(value, JSON_TYPES[t]) and not isinstance(value, bool) for t in types):
        return ['%s is not %s' % (where, ' or '.join('a%s %s' % ('n' if t[0] in 'aeiou' else '', t) for t in types))]
    errors: List[str] = []
    if 'enum' in schema and value not in schema['enum']:
        errors.append('%s is not one of %s' % (where, ', '.join(json.dumps(v) for v in schema['enum'])))
    if 'minimum' in schema and value < schema['minimum']:
        errors.append('%s is below %s' % (where, schema['minimum']))
    if isinstance(value, dict):
        fields = cast(Dict[str, Any], value)
        props: Dict[str, Any] = schema.get('properties', {})
        errors += ['%s.%s is missing' % (where, k) for k in schema.get('required', []) if k not in fields]
        if schema.get('additionalProperties') is False:
            errors += ['%s.%s is not in the schema' % (where, k) for k in fields if k not in props]
        for k, sub in props.items():
            if k in fields:
                errors += schema_errors(fields[k], sub, '%s.%s' % (where, k))
    if isinstance(value, list):
        items = cast(List[Any], value)
        if len(items) < schema.get('minItems', 0):
            errors.append('%s has fewer than %d items' % (where, schema['minItems']))
        errors += [e for i, item in enumerate(items) for e in schema_errors(item, schema['items'], '%s[%d]' % (where, i))]
    return errors


def load_state(raw: str) -> Optional[State]:
    """The state from detached.ts, checked against the schema; None (and a log line saying why) when it does not match."""
    try:
        value: Any = json.loads(raw)
    except ValueError as error:
        value, errors = None, ['the state is not JSON (%s)' % error]
    else:
        try:
            with open(SCHEMA_FILE, encoding='utf-8') as f:
                errors = schema_errors(value, json.load(f), 'state')
        except (OSError, ValueError) as error:
            errors = ['the schema could not be read (%s)' % error]
    where_to_log = cast(Dict[str, Any], value).get('supervisorLog') if isinstance(value, dict) else None
    if isinstance(where_to_log, str):
        log_file[:] = [where_to_log]
    if errors:
        log('the supervisor state does not match %s: %s; exiting, nothing signalled' % (SCHEMA_FILE, '; '.join(errors)))
        return None
    return State(**value)


def signal_name(number: int) -> str:
    """SIGTERM for 15; SIG35 for a signal Python has no name for (real-time ones)."""
    try:
        return signal.Signals(number).name
    except ValueError:
        return 'SIG%d' % number


def become_subreaper() -> bool:
    """PR_SET_CHILD_SUBREAPER (Linux 3.4+): orphans of the robot's tree come to this process. False where unavailable."""
    try:
        import ctypes
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (ImportError, OSError, AttributeError):
        return False


def run_node(nodes: List[str], args: List[str], extra_env: Dict[str, str]) -> Optional[int]:
    """Starts Node with `args` as this process's child: the first of `nodes` (chosen by TypeScript) that
    runs. Its PID, or None when none could be started."""
    env = dict(os.environ, **extra_env)
    for node in nodes:
        try:
            return os.posix_spawn(node, [node] + args, env)
        except OSError as error:
            log('could not run %s (%s)' % (node, error))
    return None


def reap(robot: int, helper: Optional[int]) -> Tuple[Optional[int], Optional[int]]:
    """Reaps every child that ended (adopted orphans too). Returns the robot's wait status once it ended
    (-1 when Node reaped it before the hand-over: the status is lost), and the helper's PID while it runs."""
    ended: Optional[int] = None
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return (ended if ended is not None else -1), None
        if pid == 0:
            return ended, helper
        if pid == robot:
            ended = status
        elif pid == helper:
            helper = None


def drain(wake: int) -> bytes:
    """The signal numbers written to the self-pipe since the last read."""
    try:
        return os.read(wake, 512)
    except BlockingIOError:
        return b''


def wait_child(child: int, deadline_s: float, wake: int, what: str) -> None:
    """Reaps every child until `child` exits; kills it past the deadline. Stop signals meanwhile change nothing."""
    deadline = time.monotonic() + deadline_s
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == child:
            return
        if pid != 0:
            continue
        if time.monotonic() > deadline:
            log('%s (PID %d) is still running past its deadline; killing it' % (what, child))
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
            return
        select.select([wake], [], [], 0.2)
        drain(wake)


def hand_over(state: State, end: Dict[str, Any], helper: Optional[int], wake: int) -> int:
    """Runs Node's end and reaps every child until it exits. Without any Node the detached supervisor only says so and
    exits: its identity is gone then, so the lock is stale and the instance shows as orphaned, and
    `bbia-safe stop` ends it."""
    if helper is not None:
        wait_child(helper, UPKEEP_DEADLINE_S, wake, 'the upkeep')
    log('handing the end to Node: %s' % json.dumps(end))
    child = run_node(state.nodes, state.endArgv, {END_ENV: json.dumps(end)})
    if child is None:
        log('no Node could run the end; exiting: the instance shows as orphaned, `bbia-safe stop` ends it')
        return 1
    wait_child(child, state.endDeadlineMs / 1000.0, wake, 'the Node end')
    return 0


def end_of(status: int) -> Dict[str, Any]:
    """How the robot ended, from its wait status, as detached.ts's DetachedEnd."""
    if status == -1:
        return {'reason': 'exit', 'exitCode': None, 'signal': None}
    if os.WIFEXITED(status):
        return {'reason': 'exit', 'exitCode': os.WEXITSTATUS(status), 'signal': None}
    return {'reason': 'exit', 'exitCode': None, 'signal': signal_name(os.WTERMSIG(status))}


def wake_only(_number: int, _frame: Optional[FrameType]) -> None:
    """The handler of the stop signals and SIGCHLD: the wake-up byte on the self-pipe is all that matters."""


def log_size(name: str) -> int:
    """The robot log's size now (0 when it is missing): one stat()."""
    try:
        return os.stat(name).st_size
    except OSError:
        return 0


def main() -> int:
    """Waits on the robot until its end is handed over; returns the exit code."""
    state = load_state(os.environ.pop(STATE_ENV, ''))
    if state is None:
        return 1
    wake, wake_w = os.pipe()
    os.set_blocking(wake, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    for sig in STOP_SIGNALS + (signal.SIGCHLD,):
        signal.signal(sig, wake_only)
    # Blocked by the loader until here: a stop signal sent during the hand-over is taken now, not lost
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    reaper = become_subreaper()
    log('supervising robot PID %d (%s)' % (state.robotPid, 'subreaper of its tree' if reaper else 'reaping its children'))
    tick = state.tickMs / 1000.0
    helper: Optional[int] = None
    # The first look comes soon: it measures how fast the log grows, which sets the next ones
    seen_size, seen_at = log_size(state.robotLog), time.monotonic()
    next_look = seen_at + min(tick, 1.0)
    while True:
        status, helper = reap(state.robotPid, helper)
        if status is not None:
            return hand_over(state, end_of(status), helper, wake)
        now = time.monotonic()
        if now >= next_look:
            size = log_size(state.robotLog)
            if helper is None and (size > state.logMaxBytes or not os.path.lexists(state.lockDir)):
                helper = run_node(state.nodes, state.upkeepArgv, {})
            # A quiet robot: one look a tick; a chatty one: sooner, before its log can pass the cap
            grown = size - seen_size if size >= seen_size else size  # capped in between
            rate = grown / (now - seen_at) if now > seen_at else 0.0
            soon = max(1.0, (state.logMaxBytes - size) / rate / 2) if rate > 0 else tick
            seen_size, seen_at = size, now
            next_look = now + min(tick, soon)
        ready = select.select([wake], [], [], max(0.0, next_look - time.monotonic()))[0]
        woke = drain(wake) if ready else b''
        for sig in STOP_SIGNALS:
            if sig in woke:
                return hand_over(state, {'reason': 'signal', 'signal': signal_name(sig)}, helper, wake)
