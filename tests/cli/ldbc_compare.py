#!/usr/bin/env python3
"""Runs a `tessera graph` command and compares its output with an LDBC Graphalytics expected
output file under LDBC's matching rules:

  exact      every vertex's value equal (BFS, CDLP)
  relative   values within a relative tolerance (PR, SSSP, LCC); `infinity` only matches itself
  partition  the same grouping of vertices (WCC: labels may differ)

Usage: ldbc_compare.py MODE TOLERANCE EXPECTED_FILE -- COMMAND...
Exits 0 on a match, 1 with the first differences listed, 77 (ctest SKIP) when EXPECTED_FILE is
absent (the shared data lives outside the project).
"""
import math
import os
import subprocess
import sys


def parse(text, where):
    values = {}
    for number, line in enumerate(text.splitlines(), 1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 2:
            sys.exit(f"{where}:{number}: expected 'ID VALUE', found {line!r}")
        if fields[0] in values:
            sys.exit(f"{where}:{number}: vertex {fields[0]} appears twice")
        values[int(fields[0])] = fields[1]
    return values


def number(text):
    return math.inf if text in ("infinity", "inf", "Infinity") else float(text)


def main():
    if len(sys.argv) < 6 or sys.argv[4] != "--":
        sys.exit(__doc__)
    mode, tolerance, expected_path = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    command = sys.argv[5:]
    if not os.path.exists(expected_path):
        print(f"SKIPPED: {expected_path} is absent (the shared test data lives beside the project)")
        return 77
    with open(expected_path) as f:
        expected = parse(f.read(), expected_path)
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        print(f"command failed with exit code {run.returncode}: {' '.join(command)}\n{run.stderr}")
        return 1
    actual = parse(run.stdout, "output")
    # Output order: sorted by vertex id.
    ids = [int(line.split()[0]) for line in run.stdout.splitlines() if line.strip()]
    problems = []
    if ids != sorted(ids):
        problems.append("output is not sorted by vertex id")
    if set(actual) != set(expected):
        missing = sorted(set(expected) - set(actual))[:5]
        extra = sorted(set(actual) - set(expected))[:5]
        problems.append(f"vertex sets differ: missing {missing}, unexpected {extra}")
    common = sorted(set(actual) & set(expected))
    if mode == "exact":
        for v in common:
            if int(actual[v]) != int(expected[v]):
                problems.append(f"vertex {v}: {actual[v]}, expected {expected[v]}")
    elif mode == "relative":
        for v in common:
            a, e = number(actual[v]), number(expected[v])
            if math.isinf(a) or math.isinf(e):
                ok = a == e
            else:
                ok = abs(a - e) <= tolerance * max(abs(a), abs(e)) or abs(a - e) <= 1e-15
            if not ok:
                problems.append(f"vertex {v}: {actual[v]}, expected {expected[v]}")
    elif mode == "partition":
        forward, backward = {}, {}
        for v in common:
            a, e = actual[v], expected[v]
            if forward.setdefault(a, e) != e or backward.setdefault(e, a) != a:
                problems.append(f"vertex {v}: component {a} does not match expected {e}")
    else:
        sys.exit(f"unknown mode {mode}")
    if problems:
        print(f"{' '.join(command)}: {len(problems)} mismatches against {expected_path}")
        for p in problems[:20]:
            print("  " + p)
        return 1
    print(f"{len(common)} vertices match {expected_path} ({mode})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
