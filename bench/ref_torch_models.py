"""Reference for the cnn workload in PyTorch's eager mode (f64), where PyTorch is installed.

The same run as bench/ref_jax_models.py's cnn (see its docstring): the digits CNN of
`demo digits` from the Sequential checkpoint `--init`, plain gradient descent on the mean
cross-entropy of mini-batch i mod B of `--data` at step i. Each step is one eager forward pass,
`torch.autograd.grad` and an in-place update. compare.sh runs it only when `import torch`
works; it does not install PyTorch.
"""

import json
import sys

import numpy as np

from common import parse_args, report, time_loops, write_trace

BATCH = 64


def main():
    args = parse_args(__doc__)
    if args.workload != "cnn":
        sys.exit(f"ref_torch_models.py: only the cnn workload, not {args.workload!r}")
    import torch
    import torch.nn.functional as F

    table = np.loadtxt(args.data, delimiter=",", dtype=np.float64, ndmin=2)
    batches = len(table) // BATCH
    table = table[: batches * BATCH]
    images = torch.from_numpy((table[:, :-1] / 16.0).reshape(batches, BATCH, 1, 8, 8).copy())
    labels = torch.from_numpy(table[:, -1].astype(np.int64).reshape(batches, BATCH).copy())
    with open(args.init) as f:
        stored = json.load(f)["params"]
    init = {name: torch.tensor(np.array(v["data"], dtype=np.float64).reshape(v["shape"]))
            for name, v in stored.items()}

    def loss(p, step):
        x = images[step % batches]
        x = F.max_pool2d(F.relu(F.conv2d(x, p["conv1.weight"], p["conv1.bias"], padding=1)), 2)
        x = F.max_pool2d(F.relu(F.conv2d(x, p["conv4.weight"], p["conv4.bias"], padding=1)), 2)
        logits = x.reshape(BATCH, -1) @ p["dense8.W"] + p["dense8.b"]
        return F.cross_entropy(logits, labels[step % batches])

    def train(passes, losses=None):
        p = {name: value.clone().requires_grad_(True) for name, value in init.items()}
        weights = list(p.values())
        for step in range(passes):
            value = loss(p, step)
            grads = torch.autograd.grad(value, weights)
            with torch.no_grad():
                for w, g in zip(weights, grads):
                    w.sub_(args.learning_rate * g)
            if losses is not None:
                losses.append(value.item())
        return p

    if args.trace:
        losses = []
        p = train(args.trace_passes, losses)
        with torch.no_grad():
            losses.append(loss(p, args.trace_passes).item())
        write_trace(args.trace, losses)
    seconds, p = time_loops(args, lambda: train(args.passes))
    with torch.no_grad():
        final = loss(p, 0).item()
    report("torch", args, seconds, final)


if __name__ == "__main__":
    main()
