"""Shared by the reference scripts: the data and weight file formats, arguments, and the timing line.

Data: CSV with a header; every column but the last is a feature, the last (`label`) an integer class.
Weights: JSON object W1, b1, W2, b2, ... (weights input x output, so a layer is x.W + b).
"""

import argparse
import json
import statistics
import time

import numpy as np


def load_data(path):
    """Features as an (N, D) float64 array and labels as an (N,) int array."""
    table = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64, ndmin=2)
    return np.ascontiguousarray(table[:, :-1]), table[:, -1].astype(np.int64)


def load_init(path):
    """The list [W1, b1, W2, b2, ...] as float64 arrays."""
    with open(path) as f:
        weights = json.load(f)
    layers = len(weights) // 2
    params = []
    for layer in range(1, layers + 1):
        params.append(np.array(weights[f"W{layer}"], dtype=np.float64))
        params.append(np.array(weights[f"b{layer}"], dtype=np.float64))
    return params


def parse_args(description):
    """The command line every reference script takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--workload", required=True, help="name printed in the timing line")
    parser.add_argument("--data", required=True)
    parser.add_argument("--init", required=True)
    parser.add_argument("--passes", type=int, required=True)
    parser.add_argument("--learning-rate", type=float, required=True)
    parser.add_argument("--reg", type=float, default=0.01)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--warm-up", type=int, default=0, help="untimed whole training loops before the timed ones"
    )
    parser.add_argument("--trace", help="write passes,loss for passes 0..=TRACE_PASSES to this CSV")
    parser.add_argument("--trace-passes", type=int, default=1500)
    return parser.parse_args()


def mean_loss(params, features, labels, reg):
    """(sum over examples of cross-entropy + reg/2 * sum of squared weights) / N, in numpy."""
    activation = features
    layers = len(params) // 2
    for layer in range(layers):
        z = activation @ params[2 * layer] + params[2 * layer + 1]
        activation = np.tanh(z) if layer + 1 < layers else z
    shifted = activation - activation.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    data_loss = -log_probs[np.arange(len(labels)), labels].sum()
    penalty = sum(float((params[2 * l] ** 2).sum()) for l in range(layers))
    return (data_loss + reg / 2 * penalty) / len(labels)


def write_trace(path, losses):
    """Writes the loss after 0, 1, ... passes as `passes,loss` rows (shortest round-trip floats)."""
    with open(path, "w") as f:
        f.write("passes,loss\n")
        for passes, loss in enumerate(losses):
            f.write(f"{passes},{float(loss)!r}\n")


def time_loops(args, run_once):
    """Runs `run_once()` (one whole training loop) `args.warm_up + args.runs` times; returns the
    wall times of the last `args.runs` and the last run's result."""
    seconds = []
    for loop in range(args.warm_up + args.runs):
        start = time.perf_counter()
        result = run_once()
        if loop >= args.warm_up:
            seconds.append(time.perf_counter() - start)
    return seconds, result


def report(impl, args, seconds, final_loss):
    """Prints the machine-readable timing line that compare.sh collects."""
    median = statistics.median(seconds)
    print(
        f"BENCH impl={impl} workload={args.workload} passes={args.passes} runs={len(seconds)} "
        f"median_s={median:.6f} per_pass_us={median / args.passes * 1e6:.3f} "
        f"final_loss={float(final_loss)!r}",
        flush=True,
    )
