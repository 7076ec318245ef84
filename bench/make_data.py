"""Generates the large and deep workloads' data and initial weights, deterministically from fixed seeds.

Usage: make_data.py OUT_DIR
Writes large.csv (two moons, 100,000 points, noise 0.2) with init_large.json (2-64-2), and deep.csv
(8192 points, 64 standardised features, 10 Gaussian blobs with standard deviation 4) with
init_deep.json (64-256-256-10). Floats are written in shortest round-trip form, so every reader
parses the same f64 values. Weights are randn / sqrt(fan_in), biases zero, as in the tutorial.
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


if __name__ == "__main__":
    main()
