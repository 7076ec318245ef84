"""Reference for the model workloads: JAX, the whole run of training steps compiled (jax.grad
inside lax.scan, jitted), in f64 (jax_enable_x64).

Workloads (`--workload`):
- cnn: the digits CNN of `demo digits` (conv 8 3x3 pad 1, relu, maxpool 2, conv 16 3x3 pad 1,
  relu, maxpool 2, flatten, dense 10) on `--data` (demo/data/digits.csv: 64 pixels 0..16 then
  the label, no header; the model sees pixels / 16) from `--init` (an nn Sequential checkpoint,
  bench/make_data.py). Step i is plain gradient descent on the mean cross-entropy of mini-batch
  i mod B, the file's images in order in B = ⌊N/64⌋ batches of 64 (one epoch is B passes).
- transformer: the small transformer of `demo names` (sizes in `--data`, which holds the initial
  weights and one batch as well; pass the same file as `--init`); every step is plain gradient
  descent on the mean cross-entropy of the batch's counted positions.

The loop is compiled ahead of time, then `--runs` whole loops are timed (each waits for its
result), after `--warm-up` untimed ones, and one `BENCH impl=jax ...` line is printed (the final
loss: the first batch's loss after the loop); `--trace` writes the loss before each of the first
`--trace-passes` steps, and after the last.
"""

import json

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402  (must follow the x64 switch)
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402

from common import parse_args, report, time_loops, write_trace  # noqa: E402

BATCH = 64


def mean_cross_entropy(logits, targets):
    log_probs = jax.nn.log_softmax(logits, axis=-1)
    return -jnp.mean(log_probs[jnp.arange(targets.shape[0]), targets])


def tensors(section):
    return {name: jnp.asarray(np.array(v["data"], dtype=np.float64).reshape(v["shape"]))
            for name, v in section.items()}


def cnn_problem(args):
    """Initial weights, and a loss of (weights, step) that uses mini-batch step mod B."""
    table = np.loadtxt(args.data, delimiter=",", dtype=np.float64, ndmin=2)
    batches = len(table) // BATCH
    table = table[: batches * BATCH]
    images = jnp.asarray((table[:, :-1] / 16.0).reshape(batches, BATCH, 1, 8, 8))
    labels = jnp.asarray(table[:, -1].astype(np.int64).reshape(batches, BATCH))
    with open(args.init) as f:
        params = tensors(json.load(f)["params"])

    def conv(x, w, b):
        y = lax.conv_general_dilated(x, w, (1, 1), ((1, 1), (1, 1)),
                                     dimension_numbers=("NCHW", "OIHW", "NCHW"))
        return y + b[None, :, None, None]

    def max_pool(x):
        return lax.reduce_window(x, -jnp.inf, lax.max, (1, 1, 2, 2), (1, 1, 2, 2), "VALID")

    def loss(p, step):
        x = images[step % batches]
        x = max_pool(jax.nn.relu(conv(x, p["conv1.weight"], p["conv1.bias"])))
        x = max_pool(jax.nn.relu(conv(x, p["conv4.weight"], p["conv4.bias"])))
        logits = x.reshape(BATCH, -1) @ p["dense8.W"] + p["dense8.b"]
        return mean_cross_entropy(logits, labels[step % batches])

    return params, loss


def layer_norm(x, gain, bias):
    centred = x - x.mean(axis=-1, keepdims=True)
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / jnp.sqrt(variance + 1e-5) * gain + bias


def transformer_problem(args):
    """Initial weights, and the batch's loss (the same at every step)."""
    with open(args.data) as f:
        spec = json.load(f)
    sizes = spec["sizes"]
    batch, time_steps, width = sizes["batch"], sizes["time"], sizes["width"]
    heads, layers = sizes["heads"], sizes["layers"]
    d = width // heads
    ids = jnp.asarray(np.array(spec["ids"]).reshape(batch, time_steps))
    rows = jnp.asarray(spec["rows"])
    targets = jnp.asarray(spec["targets"])
    steps = np.arange(time_steps)
    mask = jnp.asarray(np.where(steps[None, :] <= steps[:, None], 0.0, -np.inf))

    def attention(a, p, pre):
        q, k, v = (a @ p[f"{pre}.W_{n}"] for n in "qkv")
        outputs = []
        for h in range(heads):
            cols = slice(h * d, (h + 1) * d)
            scores = q[..., cols] @ jnp.swapaxes(k[..., cols], 1, 2) / np.sqrt(d) + mask
            outputs.append(jax.nn.softmax(scores, axis=-1) @ v[..., cols])
        return jnp.concatenate(outputs, axis=-1) @ p[f"{pre}.W_o"] + p[f"{pre}.b_o"]

    def loss(p, _step):
        x = p["tok"][ids] + p["pos"][:time_steps]
        for l in range(layers):
            pre = f"block{l}"
            x = x + attention(layer_norm(x, p[f"{pre}.ln1.gain"], p[f"{pre}.ln1.bias"]), p, f"{pre}.attn")
            n = layer_norm(x, p[f"{pre}.ln2.gain"], p[f"{pre}.ln2.bias"])
            x = x + jnp.tanh(n @ p[f"{pre}.W_1"] + p[f"{pre}.b_1"]) @ p[f"{pre}.W_2"] + p[f"{pre}.b_2"]
        normed = layer_norm(x, p["ln_f.gain"], p["ln_f.bias"]).reshape(batch * time_steps, width)
        logits = normed @ p["W_out"] + p["b_out"]
        return mean_cross_entropy(logits[rows], targets)

    return tensors(spec["params"]), loss


def main():
    args = parse_args(__doc__)
    problem = {"cnn": cnn_problem, "transformer": transformer_problem}[args.workload]
    init, loss = problem(args)
    rate = args.learning_rate

    def step(p, index):
        value, grads = jax.value_and_grad(loss)(p, index)
        return jax.tree.map(lambda w, g: w - rate * g, p, grads), value

    def train(p, passes):
        return lax.scan(step, p, jnp.arange(passes))

    if args.trace:
        params, losses = jax.jit(train, static_argnums=1)(init, args.trace_passes)
        write_trace(args.trace, list(jax.device_get(losses)) + [float(loss(params, args.trace_passes))])
    compiled = jax.jit(lambda p: train(p, args.passes)[0]).lower(init).compile()
    seconds, params = time_loops(args, lambda: jax.block_until_ready(compiled(init)))
    report("jax", args, seconds, float(jax.jit(loss)(params, 0)))


if __name__ == "__main__":
    main()
