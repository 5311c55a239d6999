#!/usr/bin/python3
"""A psutil live view as a baseline for `status --watch`: every INTERVAL seconds, every process with the
attributes a monitor shows (CPU % over the interval, RSS, command line), one line printed per refresh.

Usage: psutil_watch.py INTERVAL. Runs until killed.
"""
import sys
import time

import psutil

ATTRS = ["pid", "ppid", "cmdline", "cpu_percent", "memory_info", "create_time"]

interval = float(sys.argv[1])
while True:
    rows = [p.info for p in psutil.process_iter(ATTRS)]
    print(len(rows), flush=True)
    time.sleep(interval)
