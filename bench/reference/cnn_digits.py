"""Independent numpy reference for the digits CNN: forward and hand-written backward, plain SGD.

Writes the golden fixture that nn/tests/suite/golden_cnn.rs reproduces:
  digits320.csv   the first 320 images of scikit-learn's digits CSV (64 pixels 0..16, then the label)
  cnn_init.json   the initial weights, as a Sequential checkpoint (input, layers, params)
  cnn_batches.csv one line per step: the 64 row indices of that step's mini-batch
  cnn_losses.csv  step,loss: the batch objective at each step, before that step's update

Model (f64 throughout), on pixels / 16 as 1x8x8 images:
  conv 8 3x3 pad 1, batchnorm, relu, maxpool 2, conv 16 3x3 pad 1, relu, avgpool 2, flatten, dense 10
Objective: mean softmax cross-entropy + reg/2 * (|conv1.weight|^2 + |conv5.weight|^2 + |dense9.W|^2).
Batch normalisation uses the batch's statistics (biased variance, eps 1e-5), as in training.

Convolutions are written as sums of shifted slices (no im2col), the backward passes by hand.

Usage: python cnn_digits.py DIGITS_CSV OUT_DIR   (DIGITS_CSV: sklearn/datasets/data/digits.csv.gz, unzipped)
"""

import json
import sys

import numpy as np

IMAGES = 320
BATCH = 64
STEPS = 120
LEARNING_RATE = 0.1
REG = 1e-3
EPS = 1e-5
SEED = 7
LAYERS = ("conv 8 3x3 pad 1, batchnorm, relu, maxpool 2, conv 16 3x3 pad 1, relu, avgpool 2, "
          "flatten, dense 10")


def conv_forward(x, w, b):
    """3x3 convolution, zero padding 1, stride 1: y[n,o] = b[o] + sum_{c,ky,kx} w[o,c,ky,kx] x[n,c,.+ky-1,.+kx-1]."""
    n, c, h, wd = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    y = np.zeros((n, w.shape[0], h, wd)) + b[None, :, None, None]
    for ky in range(3):
        for kx in range(3):
            y += np.einsum("nchw,oc->nohw", xp[:, :, ky:ky + h, kx:kx + wd], w[:, :, ky, kx])
    return y


def conv_backward(x, w, dy):
    n, c, h, wd = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    for ky in range(3):
        for kx in range(3):
            dw[:, :, ky, kx] = np.einsum("nohw,nchw->oc", dy, xp[:, :, ky:ky + h, kx:kx + wd])
            dxp[:, :, ky:ky + h, kx:kx + wd] += np.einsum("nohw,oc->nchw", dy, w[:, :, ky, kx])
    return dxp[:, :, 1:-1, 1:-1], dw, dy.sum(axis=(0, 2, 3))


def windows(x):
    """(N, C, H, W) -> (N, C, H/2, W/2, 4): each 2x2 window's cells in row-major order."""
    n, c, h, w = x.shape
    return x.reshape(n, c, h // 2, 2, w // 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, h // 2, w // 2, 4)


def unwindows(cells):
    n, c, h2, w2, _ = cells.shape
    return cells.reshape(n, c, h2, w2, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, 2 * h2, 2 * w2)


def objective_and_grads(p, x, labels):
    n = x.shape[0]
    # forward
    z1 = conv_forward(x, p["conv1.weight"], p["conv1.bias"])
    mu = z1.mean(axis=(0, 2, 3))
    centered = z1 - mu[None, :, None, None]
    var = (centered ** 2).mean(axis=(0, 2, 3))
    inv_std = 1.0 / np.sqrt(var + EPS)
    xhat = centered * inv_std[None, :, None, None]
    bn = xhat * p["bn2.gamma"][None, :, None, None] + p["bn2.beta"][None, :, None, None]
    r1 = np.maximum(bn, 0.0)
    cells = windows(r1)
    first_max = cells.argmax(axis=-1)  # argmax takes the first maximum on ties
    m1 = cells.max(axis=-1)
    z2 = conv_forward(m1, p["conv5.weight"], p["conv5.bias"])
    r2 = np.maximum(z2, 0.0)
    a2 = windows(r2).mean(axis=-1)
    flat = a2.reshape(n, -1)
    logits = flat @ p["dense9.W"] + p["dense9.b"]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    data_loss = -log_probs[np.arange(n), labels].mean()
    weights = ["conv1.weight", "conv5.weight", "dense9.W"]
    penalty = REG / 2 * sum((p[name] ** 2).sum() for name in weights)
    # backward
    g = {}
    dlogits = np.exp(log_probs)
    dlogits[np.arange(n), labels] -= 1.0
    dlogits /= n
    g["dense9.W"] = flat.T @ dlogits
    g["dense9.b"] = dlogits.sum(axis=0)
    da2 = (dlogits @ p["dense9.W"].T).reshape(a2.shape)
    dr2 = unwindows(np.repeat(da2[..., None] / 4.0, 4, axis=-1))
    dz2 = dr2 * (z2 > 0)
    dm1, g["conv5.weight"], g["conv5.bias"] = conv_backward(m1, p["conv5.weight"], dz2)
    onehot = np.zeros_like(cells)
    np.put_along_axis(onehot, first_max[..., None], 1.0, axis=-1)
    dr1 = unwindows(onehot * dm1[..., None])
    dbn = dr1 * (bn > 0)
    g["bn2.gamma"] = (dbn * xhat).sum(axis=(0, 2, 3))
    g["bn2.beta"] = dbn.sum(axis=(0, 2, 3))
    dxhat = dbn * p["bn2.gamma"][None, :, None, None]
    m = z1.shape[0] * z1.shape[2] * z1.shape[3]
    dz1 = (inv_std[None, :, None, None] / m) * (
        m * dxhat
        - dxhat.sum(axis=(0, 2, 3))[None, :, None, None]
        - xhat * (dxhat * xhat).sum(axis=(0, 2, 3))[None, :, None, None])
    _, g["conv1.weight"], g["conv1.bias"] = conv_backward(x, p["conv1.weight"], dz1)
    for name in weights:
        g[name] = g[name] + REG * p[name]
    return data_loss + penalty, g


def check_gradients(p, x, labels, rng, samples=40, h=1e-6):
    """The hand-written backward against central differences at random coordinates."""
    _, g = objective_and_grads(p, x, labels)
    worst = 0.0
    for _ in range(samples):
        name = list(p)[rng.integers(len(p))]
        index = tuple(rng.integers(d) for d in p[name].shape)
        saved = p[name][index]
        p[name][index] = saved + h
        up, _ = objective_and_grads(p, x, labels)
        p[name][index] = saved - h
        down, _ = objective_and_grads(p, x, labels)
        p[name][index] = saved
        numeric = (up - down) / (2 * h)
        worst = max(worst, abs(numeric - g[name][index]) / max(1e-3, abs(numeric)))
    assert worst < 1e-5, f"hand-written gradient off by {worst}"
    return worst


def tensor_json(name, array):
    shape = ", ".join(str(d) for d in array.shape)
    data = ", ".join(repr(float(v)) for v in array.ravel())
    return f'    "{name}": {{ "shape": [{shape}], "data": [{data}] }}'


def main():
    source, out = sys.argv[1], sys.argv[2]
    rows = np.loadtxt(source, delimiter=",", dtype=np.int64)[:IMAGES]
    np.savetxt(f"{out}/digits320.csv", rows, fmt="%d", delimiter=",")
    x_all = rows[:, :64].astype(np.float64).reshape(-1, 1, 8, 8) / 16.0
    labels_all = rows[:, 64]

    rng = np.random.default_rng(SEED)
    he = lambda fan_in, shape: rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)
    p = {
        "conv1.weight": he(9, (8, 1, 3, 3)),
        "conv1.bias": np.zeros(8),
        "bn2.gamma": np.ones(8),
        "bn2.beta": np.zeros(8),
        "conv5.weight": he(72, (16, 8, 3, 3)),
        "conv5.bias": np.zeros(16),
        "dense9.W": he(64, (64, 10)),
        "dense9.b": np.zeros(10),
    }
    with open(f"{out}/cnn_init.json", "w") as f:
        params = ",\n".join(tensor_json(name, value) for name, value in p.items())
        f.write(f'{{\n  "input": [1, 8, 8],\n  "layers": "{LAYERS}",\n  "params": {{\n{params}\n  }}\n}}\n')

    worst = check_gradients(p, x_all[:BATCH], labels_all[:BATCH], np.random.default_rng(1))
    print(f"backward vs finite differences: worst relative error {worst:.1e}")
    batches = []
    while len(batches) < STEPS:
        order = rng.permutation(IMAGES)
        batches += [order[i:i + BATCH] for i in range(0, IMAGES, BATCH)]
    batches = batches[:STEPS]
    losses = []
    for batch in batches:
        loss, g = objective_and_grads(p, x_all[batch], labels_all[batch])
        losses.append(loss)
        for name in p:
            p[name] = p[name] - LEARNING_RATE * g[name]
    with open(f"{out}/cnn_batches.csv", "w") as f:
        f.writelines(",".join(str(i) for i in batch) + "\n" for batch in batches)
    with open(f"{out}/cnn_losses.csv", "w") as f:
        f.write("step,loss\n")
        f.writelines(f"{step},{float(loss)!r}\n" for step, loss in enumerate(losses))
    print(f"loss {losses[0]:.6f} -> {losses[-1]:.6f} over {STEPS} steps")


if __name__ == "__main__":
    main()
