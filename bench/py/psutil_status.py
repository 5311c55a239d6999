#!/usr/bin/python3
"""What `bbia-safe status --json` prints, done the seed tool's way (psutil), as the baseline for its cost.

Two scans 250 ms apart (CPU % over that interval, as bbia-safe), this user's processes, the contract's
default rules, the instance from ~/.bbia_sim.pid and its descendants. Prints the same JSON shape.
"""
import datetime
import json
import os
import re
import time

import psutil

ATTRS = ["pid", "ppid", "cmdline", "cpu_times", "memory_info", "create_time", "uids"]
RULES = [
    ("launch_complete_robot.py", "robot"),
    ("websocket_integration", "websocket"),
    ("mjpython", "viewer"),
    ("mujoco", "viewer"),
    ("bbia_sim", "simulator"),
    ("reachy", "simulator"),
]
PYTEST = re.compile(r"(^|[\s/])(py\.test|pytest)(\s|$|\.py)|-m\s+pytest\b", re.I)
ORDER = {"robot": 0, "simulator": 1, "viewer": 2, "websocket": 3, "test": 4, "other": 5}


def iso(ts):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def scan():
    uid = os.getuid()
    me = os.getpid()
    out = {}
    for p in psutil.process_iter(ATTRS):
        i = p.info
        if i["pid"] == me or i["uids"] is None or i["uids"].real != uid or i["cpu_times"] is None:
            continue
        out[i["pid"]] = i
    return out, time.monotonic()


def read_instance():
    path = os.path.expanduser("~/.bbia_sim.pid")
    try:
        with open(path) as f:
            lines = f.read().split("\n")
        record = json.loads(lines[1])
        p = psutil.Process(int(lines[0]))
        started = datetime.datetime.fromisoformat(record["startedAt"].replace("Z", "+00:00")).timestamp()
        if abs(p.create_time() - started) > 1:
            return None, None
        sup_alive = psutil.pid_exists(record["supervisorPid"])
        return record, "running" if sup_alive else "orphaned"
    except Exception:
        return None, None


def kind_of(cmd, cwd_of, roots):
    lower = cmd.lower()
    if "launch_complete_robot.py" in lower:
        return "robot"
    if PYTEST.search(cmd):
        cwd = cwd_of()
        return "test" if cwd and any(cwd == r or cwd.startswith(r + "/") for r in roots) else None
    for pattern, kind in RULES:
        if pattern in lower:
            return kind
    return None


def main():
    first, t0 = scan()
    time.sleep(0.25)
    second, t1 = scan()
    record, state = read_instance()
    roots = [record["cwd"]] if record else []
    tree = set()
    if record:
        children = {}
        for i in second.values():
            children.setdefault(i["ppid"], []).append(i["pid"])
        todo = [record["pid"]]
        while todo:
            pid = todo.pop()
            if pid in tree:
                continue
            tree.add(pid)
            todo.extend(children.get(pid, []))
    procs = []
    for pid, i in second.items():
        cmd = " ".join(i["cmdline"] or [])
        if not cmd:
            continue
        locked = pid in tree
        kind = kind_of(cmd, lambda: psutil.Process(pid).cwd(), roots) or ("other" if locked else None)
        if not kind:
            continue
        now = i["cpu_times"].user + i["cpu_times"].system
        prev = first.get(pid)
        if prev and prev["create_time"] == i["create_time"]:
            cpu = (now - prev["cpu_times"].user - prev["cpu_times"].system) * 100 / (t1 - t0)
        else:
            cpu = now * 100 / max(0.001, time.time() - i["create_time"])
        procs.append({
            "pid": pid, "ppid": i["ppid"], "kind": kind, "locked": locked, "cpu": round(max(0.0, cpu), 1),
            "memRss": i["memory_info"].rss, "startedAt": iso(i["create_time"]), "command": cmd,
        })
    procs.sort(key=lambda p: (ORDER[p["kind"]], p["startedAt"], p["pid"]))
    instance = None
    if record:
        instance = {k: record[k] for k in ("pid", "mode", "startedAt", "supervisorPid", "command")}
        instance["state"] = state
    print(json.dumps({"instance": instance, "processes": procs}, indent=2))


if __name__ == "__main__":
    main()
