#!/usr/bin/python3
"""Runs one command n times in a row and prints, per run, one JSON line: wall ms and the CPU that
wait4() reports for it (user + sys of the command and of every descendant it waited for, µs precision).

Input on stdin: {"cmd": [...], "n": N, "cwd": DIR, "stdout": FILE, "stderr": FILE}.
"""
import json
import os
import sys
import time


def main():
    spec = json.load(sys.stdin)
    os.chdir(spec["cwd"])
    for _ in range(int(spec["n"])):
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, spec["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
            (os.POSIX_SPAWN_OPEN, 2, spec["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
        ]
        t0 = time.perf_counter()
        pid = os.posix_spawnp(spec["cmd"][0], spec["cmd"], os.environ, file_actions=actions)
        _, status, ru = os.wait4(pid, 0)
        wall = (time.perf_counter() - t0) * 1000
        rc = os.waitstatus_to_exitcode(status)
        print(json.dumps({
            "wall_ms": wall,
            "user_ms": ru.ru_utime * 1000,
            "sys_ms": ru.ru_stime * 1000,
            "maxrss_kb": ru.ru_maxrss,
            "rc": rc,
        }), flush=True)


if __name__ == "__main__":
    main()
