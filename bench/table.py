"""Turns the `BENCH ...` lines of compare.sh's runs into one markdown table of medians and ratios.

Usage: table.py RESULTS.txt
Per workload: each implementation's median time per pass over the rounds, that time divided by
ours (the tape engine, `rust-tape`; above 1 means ours is faster), the rate of floating-point
operations it implies (matrix products; for cnn, the convolutions, forward and backward), the final loss (all implementations should agree) and, for the Rust runs, heap
allocations per pass. Below the table: ours ÷ JAX and tape ÷ hand within each round (lines that
carry `round=N`), whose spread shows how much the machine moved during the run.
"""

import sys
from statistics import median

# Layer sizes and examples of each workload, for the matrix-product FLOP count per pass.
SHAPES = {"small": ([2, 3, 2], 200), "large": ([2, 64, 2], 100_000), "deep": ([64, 256, 256, 10], 8192)}
WORKLOADS = list(SHAPES) + ["cnn", "transformer"]
ORDER = ["numpy", "jax", "torch", "rust-hand", "rust-tape"]


def conv_flops(batch=64):
    """The digits CNN's convolutions per step: 2·C_out·H·W·C_in·kH·kW per image for the forward
    pass, as much for the weight gradient, and (second convolution only: the images need no
    gradient) as much again for the input gradient."""
    first = 2 * 8 * 8 * 8 * 1 * 9  # 1 -> 8 channels on 8x8
    second = 2 * 16 * 4 * 4 * 8 * 9  # 8 -> 16 channels on 4x4 (after the 2x2 pooling)
    return batch * (2 * first + 3 * second)


def transformer_flops(batch=32, time=12, width=32, vocab=27, layers=2):
    """The transformer's matrix products per step (the sizes of make_data.py): per block the
    projections Q, K, V, O (4 of width²) and the MLP (2 of 4·width²) per position, and the
    attention scores and their weighted sum (2 of time·width per position); the output layer;
    every product three times (forward, and its two operands' gradients)."""
    positions = batch * time
    block = 2 * positions * 12 * width * width + 4 * positions * time * width
    return 3 * (layers * block + 2 * positions * width * vocab)


def matrix_flops(workload):
    """2·N·(in·out) per product: the forward product, the weight gradient, and (above the first
    layer) the input gradient."""
    if workload == "cnn":
        return conv_flops()
    if workload == "transformer":
        return transformer_flops()
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
    print("| workload | implementation | time per pass | time ÷ ours | GFLOP/s (matrix; cnn: conv) | final loss | allocations per pass |")
    print("|---|---|---:|---:|---:|---:|---:|")
    summaries = []
    for workload in WORKLOADS:
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
