"""Turns the `BENCH ...` lines of compare.sh's runs into one markdown table of medians and ratios.

Usage: table.py RESULTS.txt
Per workload: each implementation's median time per pass over the rounds, that time divided by
ours (the tape engine, `rust-tape`; above 1 means ours is faster), the matrix-product rate it
implies, the final loss (all implementations should agree) and, for the Rust runs, heap
allocations per pass. Below the table: ours ÷ JAX and tape ÷ hand within each round (lines that
carry `round=N`), whose spread shows how much the machine moved during the run.
"""

import sys
from statistics import median

# Layer sizes and examples of each workload, for the matrix-product FLOP count per pass.
SHAPES = {"small": ([2, 3, 2], 200), "large": ([2, 64, 2], 100_000), "deep": ([64, 256, 256, 10], 8192)}
ORDER = ["numpy", "jax", "torch", "rust-hand", "rust-tape"]


def matrix_flops(workload):
    """2·N·(in·out) per product: the forward product, the weight gradient, and (above the first
    layer) the input gradient."""
    sizes, examples = SHAPES[workload]
    products = [a * b for a, b in zip(sizes, sizes[1:])]
    return 2 * examples * (2 * sum(products) + sum(products[1:]))


def parse(path):
    """A list of dicts, one per BENCH line."""
    rows = []
    with open(path) as f:
        for line in f:
            if line.startswith("BENCH "):
                rows.append(dict(field.split("=", 1) for field in line.split()[1:]))
    return rows


def per_round_ratios(rows, impl, base):
    """`impl`'s time ÷ `base`'s time in each round both ran in (rows carry `round=`)."""
    times = {}
    for row in rows:
        if "round" in row:
            times.setdefault(row["round"], {})[row["impl"]] = float(row["per_pass_us"])
    return [t[impl] / t[base] for t in times.values() if impl in t and base in t]


def main():
    rows = parse(sys.argv[1])
    print("| workload | implementation | time per pass | time ÷ ours | matrix GFLOP/s | final loss | allocations per pass |")
    print("|---|---|---:|---:|---:|---:|---:|")
    summaries = []
    for workload in SHAPES:
        runs = {}
        for r in rows:
            if r["workload"] == workload:
                runs.setdefault(r["impl"], []).append(r)
        if not runs:
            continue
        # Each BENCH line is the median of its own `runs` loops; lines of one implementation
        # (one per round) are pooled by their median.
        per_pass = {impl: median([float(r["per_pass_us"]) for r in found]) for impl, found in runs.items()}
        ours = per_pass.get("rust-tape")
        for impl in sorted(runs, key=lambda i: ORDER.index(i) if i in ORDER else len(ORDER)):
            row, time = runs[impl][0], per_pass[impl]
            loops = sum(int(r["runs"]) for r in runs[impl])
            shown = f"{time:.2f} µs" if time < 1000 else f"{time / 1000:.2f} ms"
            ratio = f"{time / ours:.2f}" if ours else "–"
            rate = matrix_flops(workload) / (time * 1e3)
            allocations = row.get("allocs_per_pass", "–")
            print(
                f"| {workload} ({row['passes']} passes, median of {loops}) | {impl} | {shown} "
                f"| {ratio} | {rate:.1f} | {float(row['final_loss']):.10f} | {allocations} |"
            )
        for impl, base in [("rust-tape", "jax"), ("rust-tape", "rust-hand")]:
            ratios = per_round_ratios(runs.get(impl, []) + runs.get(base, []), impl, base)
            if ratios:
                summaries.append(
                    f"{workload}: {impl} ÷ {base} per round: median {median(ratios):.2f} "
                    f"(from {min(ratios):.2f} to {max(ratios):.2f}, {len(ratios)} rounds)"
                )
    if summaries:
        print()
        for line in summaries:
            print(f"- {line}")


if __name__ == "__main__":
    main()
