#!/usr/bin/env python3
"""Startup benchmark (issue #2): wall time of `gazetteer at 1958 Volgograd` on the
built-in data, median of N runs, beside the same for /bin/true.

A benchmark, not a test: it prints figures and never fails on them.
Usage: python3 bench/startup.py [RUNS]   (builds the release binary first)
"""
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 50


def median_ms(cmd):
    for _ in range(3):  # warm the page cache
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), min(times), max(times)


def main():
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target", "release", "gazetteer")
    cases = [
        ("/bin/true", ["/bin/true"]),
        ("gazetteer at 1958 Volgograd", [exe, "at", "1958", "Volgograd"]),
        ("gazetteer lookup Stalingrad", [exe, "lookup", "Stalingrad"]),
        ("gazetteer check (built-in data)", [exe, "check"]),
    ]
    print(f"{RUNS} runs each; wall time in ms (median, min, max)")
    for label, cmd in cases:
        med, lo, hi = median_ms(cmd)
        print(f"{label:36} {med:7.2f} {lo:7.2f} {hi:7.2f}")


if __name__ == "__main__":
    main()
