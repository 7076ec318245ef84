"""Compares loss trajectories (passes,loss CSVs) at the passes they share; exits 1 past a tolerance.

Usage: check_traces.py TOLERANCE REFERENCE.csv OTHER.csv [OTHER.csv ...]
Prints, for each OTHER, the worst relative difference from REFERENCE and at which pass.
"""

import sys


def read_trace(path):
    """The trace as a dict from passes to loss."""
    with open(path) as f:
        next(f)
        return {int(p): float(l) for p, l in (line.strip().split(",") for line in f if line.strip())}


def main():
    tolerance = float(sys.argv[1])
    reference = read_trace(sys.argv[2])
    failed = False
    for path in sys.argv[3:]:
        other = read_trace(path)
        shared = sorted(set(reference) & set(other))
        if not shared:
            print(f"{path}: no passes in common with {sys.argv[2]}")
            failed = True
            continue
        worst, at = max((abs(other[p] - reference[p]) / abs(reference[p]), p) for p in shared)
        verdict = "ok" if worst <= tolerance else "FAIL"
        print(
            f"trajectory {path} vs {sys.argv[2]}: {len(shared)} passes, worst relative "
            f"difference {worst:.2e} at pass {at} ({verdict}, tolerance {tolerance:g})"
        )
        failed |= worst > tolerance
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
