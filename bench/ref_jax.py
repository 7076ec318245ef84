"""Reference (b): JAX with the whole training loop compiled (jax.grad inside lax.fori_loop, jitted).

Same model, loss, data and initial weights as ref_numpy.py, in f64 (jax_enable_x64). The loop is
compiled ahead of time, then `--runs` whole loops are timed (each waits for its result), after
`--warm-up` untimed ones, and one `BENCH impl=jax ...` line is printed; `--trace` also writes the
loss trajectory.
"""


import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402  (must follow the x64 switch)
from jax import lax  # noqa: E402

from common import load_data, load_init, parse_args, report, time_loops, write_trace  # noqa: E402


def make_functions(features, labels, learning_rate, reg):
    """The summed loss, one gradient-descent step, and the compiled loops built from them."""
    features = jnp.asarray(features)
    labels = jnp.asarray(labels)
    rows = jnp.arange(labels.shape[0])

    def summed_loss(params):
        layers = len(params) // 2
        activation = features
        for layer in range(layers):
            z = activation @ params[2 * layer] + params[2 * layer + 1]
            activation = jnp.tanh(z) if layer + 1 < layers else z
        log_probs = jax.nn.log_softmax(activation, axis=1)
        penalty = sum(jnp.sum(params[2 * l] ** 2) for l in range(layers))
        return -jnp.sum(log_probs[rows, labels]) + reg / 2 * penalty

    def step(params):
        grads = jax.grad(summed_loss)(params)
        return tuple(p - learning_rate * g for p, g in zip(params, grads))

    def train(params, passes):
        return lax.fori_loop(0, passes, lambda _, p: step(p), params)

    def trace(params, passes):
        def body(p, _):
            return step(p), summed_loss(p)

        final, losses = lax.scan(body, params, None, length=passes)
        return jnp.append(losses, summed_loss(final)) / labels.shape[0]

    def mean_loss(params):
        return summed_loss(params) / labels.shape[0]

    return train, trace, jax.jit(mean_loss)


def main():
    args = parse_args(__doc__)
    features, labels = load_data(args.data)
    init = tuple(jnp.asarray(p) for p in load_init(args.init))
    train, trace, mean_loss = make_functions(features, labels, args.learning_rate, args.reg)
    if args.trace:
        losses = jax.jit(trace, static_argnums=1)(init, args.trace_passes)
        write_trace(args.trace, list(jax.device_get(losses)))
    compiled = jax.jit(train, static_argnums=1).lower(init, args.passes).compile()
    seconds, params = time_loops(args, lambda: jax.block_until_ready(compiled(init)))
    report("jax", args, seconds, float(mean_loss(params)))


if __name__ == "__main__":
    main()
