"""Generates the large and deep workloads' data and initial weights, deterministically from fixed seeds.

Usage: make_data.py OUT_DIR
Writes large.csv (two moons, 100,000 points, noise 0.2) with init_large.json (2-64-2), and deep.csv
(8192 points, 64 standardised features, 10 Gaussian blobs with standard deviation 4) with
init_deep.json (64-256-256-10). Floats are written in shortest round-trip form, so every reader
parses the same f64 values. Weights are randn / sqrt(fan_in), biases zero, as in the tutorial.

For the model workloads (their data is not drawn: cnn reads demo/data/digits.csv):
- init_cnn.json: the digits CNN of `demo digits` as an nn `Sequential` checkpoint (`input`,
  `layers`, `params` of `{"shape", "data"}`); convolution weights [C_out, C_in, kH, kW] and dense
  weights [in, out] randn / sqrt(fan_in), biases zero.
- transformer.json: the small transformer of `demo names` (vocab 27, context 12, width 32, 4
  heads, 2 blocks) under nn's parameter names, initialised as nn does (randn / sqrt(fan_in),
  layer-norm gains 1, biases 0), with one batch of 32 random sequences of 12 tokens, `rows` (the
  counted positions: each sequence has a random length from 3 to 12) and `targets`.
"""

import json
import os
import sys

import numpy as np


def moons(samples, noise, rng):
    """Two interleaving half circles with Gaussian noise, shuffled (like scikit-learn's make_moons)."""
    outer = samples // 2
    inner = samples - outer
    outer_angle = np.linspace(0, np.pi, outer)
    inner_angle = np.linspace(0, np.pi, inner)
    points = np.concatenate(
        [
            np.stack([np.cos(outer_angle), np.sin(outer_angle)], axis=1),
            np.stack([1 - np.cos(inner_angle), 1 - np.sin(inner_angle) - 0.5], axis=1),
        ]
    )
    labels = np.concatenate([np.zeros(outer, dtype=np.int64), np.ones(inner, dtype=np.int64)])
    points += rng.normal(scale=noise, size=points.shape)
    order = rng.permutation(samples)
    return points[order], labels[order]


def blobs(samples, features, classes, spread, rng):
    """Gaussian clusters around centres drawn uniformly in [-10, 10]^features, then each feature
    standardised to mean 0 and standard deviation 1."""
    centres = rng.uniform(-10, 10, size=(classes, features))
    labels = np.arange(samples) % classes
    rng.shuffle(labels)
    points = centres[labels] + rng.normal(scale=spread, size=(samples, features))
    points = (points - points.mean(axis=0)) / points.std(axis=0)
    return points, labels


def initial_weights(sizes, rng):
    """W_l ~ randn(fan_in, fan_out) / sqrt(fan_in) and b_l = 0, keyed W1, b1, W2, ..."""
    weights = {}
    for layer, (fan_in, fan_out) in enumerate(zip(sizes, sizes[1:]), start=1):
        weights[f"W{layer}"] = (rng.normal(size=(fan_in, fan_out)) / np.sqrt(fan_in)).tolist()
        weights[f"b{layer}"] = [0.0] * fan_out
    return weights


CNN_LAYERS = "conv 8 3x3 pad 1, relu, maxpool 2, conv 16 3x3 pad 1, relu, maxpool 2, flatten, dense 10"
CNN_PARAMS = [("conv1.weight", (8, 1, 3, 3)), ("conv1.bias", (8,)), ("conv4.weight", (16, 8, 3, 3)),
              ("conv4.bias", (16,)), ("dense8.W", (64, 10)), ("dense8.b", (10,))]


def tensor(value):
    return {"shape": list(value.shape), "data": value.ravel().tolist()}


def cnn_checkpoint(rng):
    """The digits CNN's initial weights as a Sequential checkpoint."""
    params = {}
    for name, shape in CNN_PARAMS:
        if len(shape) == 1:
            params[name] = tensor(np.zeros(shape))
        else:
            fan_in = int(np.prod(shape[1:])) if len(shape) == 4 else shape[0]
            params[name] = tensor(rng.normal(size=shape) / np.sqrt(fan_in))
    return {"input": [1, 8, 8], "layers": CNN_LAYERS, "params": params}


def transformer_workload(rng, vocab=27, context=12, width=32, heads=4, layers=2, batch=32):
    """The transformer's sizes, initial weights and one batch, in the layout of the golden
    names_transformer_reference.json."""
    def randn(rows, cols):
        return rng.normal(size=(rows, cols)) / np.sqrt(rows)

    params = {"tok": rng.normal(size=(vocab, width)) / np.sqrt(width),
              "pos": rng.normal(size=(context, width)) / np.sqrt(width)}
    for l in range(layers):
        pre = f"block{l}"
        params[f"{pre}.ln1.gain"], params[f"{pre}.ln1.bias"] = np.ones(width), np.zeros(width)
        for name in ("W_q", "W_k", "W_v", "W_o"):
            params[f"{pre}.attn.{name}"] = randn(width, width)
        params[f"{pre}.attn.b_o"] = np.zeros(width)
        params[f"{pre}.ln2.gain"], params[f"{pre}.ln2.bias"] = np.ones(width), np.zeros(width)
        params[f"{pre}.W_1"], params[f"{pre}.b_1"] = randn(width, 4 * width), np.zeros(4 * width)
        params[f"{pre}.W_2"], params[f"{pre}.b_2"] = randn(4 * width, width), np.zeros(width)
    params["ln_f.gain"], params["ln_f.bias"] = np.ones(width), np.zeros(width)
    params["W_out"], params["b_out"] = randn(width, vocab), np.zeros(vocab)
    ids = rng.integers(0, vocab, size=batch * context)
    lengths = rng.integers(3, context + 1, size=batch)
    rows = [b * context + t for b in range(batch) for t in range(lengths[b])]
    targets = rng.integers(0, vocab, size=len(rows))
    return {
        "sizes": {"vocab": vocab, "context": context, "width": width, "heads": heads,
                  "layers": layers, "batch": batch, "time": context},
        "params": {name: tensor(value) for name, value in params.items()},
        "ids": ids.tolist(),
        "rows": rows,
        "targets": targets.tolist(),
    }


def write_csv(path, points, labels):
    """Header x0..x{D-1},label, then one row per point."""
    columns = points.shape[1]
    header = ["x", "y"] if columns == 2 else [f"x{i}" for i in range(columns)]
    with open(path, "w") as f:
        f.write(",".join(header + ["label"]) + "\n")
        for row, label in zip(points.tolist(), labels.tolist()):
            f.write(",".join(map(repr, row)) + f",{label}\n")


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    rng = np.random.default_rng(20240601)
    points, labels = moons(100_000, 0.2, rng)
    write_csv(os.path.join(out_dir, "large.csv"), points, labels)
    with open(os.path.join(out_dir, "init_large.json"), "w") as f:
        json.dump(initial_weights([2, 64, 2], rng), f)
    points, labels = blobs(8192, 64, 10, 4.0, rng)
    write_csv(os.path.join(out_dir, "deep.csv"), points, labels)
    with open(os.path.join(out_dir, "init_deep.json"), "w") as f:
        json.dump(initial_weights([64, 256, 256, 10], rng), f)
    with open(os.path.join(out_dir, "init_cnn.json"), "w") as f:
        json.dump(cnn_checkpoint(rng), f)
    with open(os.path.join(out_dir, "transformer.json"), "w") as f:
        json.dump(transformer_workload(rng), f)


if __name__ == "__main__":
    main()
