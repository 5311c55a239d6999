#!/usr/bin/python3
"""The seed tool's poll as a baseline: psutil.process_iter with the attributes a monitor needs.

Usage: psutil_poll.py N. Prints one JSON line per iteration, measured inside this process:
wall ms (perf_counter) and CPU ms (process_time: user + sys of this process), and the count listed.
One warm-up iteration runs first (psutil caches Process objects between iterations, as a poll loop would).
"""
import json
import sys
import time

import psutil

ATTRS = ["pid", "ppid", "cmdline", "cpu_times", "memory_info", "create_time"]


def poll():
    return [p.info for p in psutil.process_iter(ATTRS)]


def main():
    n = int(sys.argv[1])
    warm = poll()
    print(json.dumps({"warmup": True, "count": len(warm)}), flush=True)
    for _ in range(n):
        w0, c0 = time.perf_counter(), time.process_time()
        out = poll()
        c1, w1 = time.process_time(), time.perf_counter()
        print(json.dumps({"wall_ms": (w1 - w0) * 1000, "cpu_ms": (c1 - c0) * 1000, "count": len(out)}), flush=True)


if __name__ == "__main__":
    main()
