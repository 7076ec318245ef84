"""Turns the `BENCH ...` lines of compare.sh's runs into one markdown table of medians and ratios.

Usage: table.py RESULTS.txt
Per workload: each implementation's median time per pass, that time divided by ours (the tape
engine, `rust-tape`; above 1 means ours is faster), the matrix-product rate it implies, the final
loss (all implementations should agree) and, for the Rust runs, heap allocations per pass.
"""

import sys

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


def main():
    rows = parse(sys.argv[1])
    print("| workload | implementation | time per pass | time ÷ ours | matrix GFLOP/s | final loss | allocations per pass |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for workload in SHAPES:
        found = {r["impl"]: r for r in rows if r["workload"] == workload}
        if not found:
            continue
        ours = float(found["rust-tape"]["per_pass_us"]) if "rust-tape" in found else None
        for impl in sorted(found, key=lambda i: ORDER.index(i) if i in ORDER else len(ORDER)):
            row = found[impl]
            per_pass = float(row["per_pass_us"])
            shown = f"{per_pass:.2f} µs" if per_pass < 1000 else f"{per_pass / 1000:.2f} ms"
            ratio = f"{per_pass / ours:.2f}" if ours else "–"
            rate = matrix_flops(workload) / (per_pass * 1e3)
            allocations = row.get("allocs_per_pass", "–")
            print(
                f"| {workload} ({row['passes']} passes, median of {row['runs']}) | {impl} | {shown} "
                f"| {ratio} | {rate:.1f} | {float(row['final_loss']):.10f} | {allocations} |"
            )


if __name__ == "__main__":
    main()
