"""Reference (a): the tutorial's hand-written backpropagation in numpy, generalised to any depth.

Full-batch gradient descent on SUM cross-entropy + reg/2 * sum ||W||^2, tanh hidden layers,
softmax output, f64. Times `--runs` whole training loops from the same initial weights (after
`--warm-up` untimed ones) and prints one `BENCH impl=numpy ...` line (median over runs); `--trace`
also writes the loss trajectory.
"""

import time

import numpy as np

from common import load_data, load_init, mean_loss, parse_args, report, write_trace


def train_pass(params, features, labels, learning_rate, reg):
    """One forward pass, the hand-derived backward pass, and one update of `params` in place."""
    layers = len(params) // 2
    activations = [features]
    for layer in range(layers - 1):
        activations.append(np.tanh(activations[-1] @ params[2 * layer] + params[2 * layer + 1]))
    exp_scores = np.exp(activations[-1] @ params[-2] + params[-1])
    delta = exp_scores / exp_scores.sum(axis=1, keepdims=True)
    delta[np.arange(len(labels)), labels] -= 1
    grads = [None] * len(params)
    for layer in reversed(range(layers)):
        weights = params[2 * layer]
        grads[2 * layer] = activations[layer].T @ delta + reg * weights
        grads[2 * layer + 1] = delta.sum(axis=0)
        if layer > 0:
            delta = (delta @ weights.T) * (1 - activations[layer] ** 2)
    for param, grad in zip(params, grads):
        param += -learning_rate * grad


def main():
    args = parse_args(__doc__)
    features, labels = load_data(args.data)
    init = load_init(args.init)
    if args.trace:
        params = [p.copy() for p in init]
        losses = [mean_loss(params, features, labels, args.reg)]
        for _ in range(args.trace_passes):
            train_pass(params, features, labels, args.learning_rate, args.reg)
            losses.append(mean_loss(params, features, labels, args.reg))
        write_trace(args.trace, losses)
    seconds = []
    for loop in range(args.warm_up + args.runs):
        params = [p.copy() for p in init]
        start = time.perf_counter()
        for _ in range(args.passes):
            train_pass(params, features, labels, args.learning_rate, args.reg)
        if loop >= args.warm_up:
            seconds.append(time.perf_counter() - start)
    report("numpy", args, seconds, mean_loss(params, features, labels, args.reg))


if __name__ == "__main__":
    main()
