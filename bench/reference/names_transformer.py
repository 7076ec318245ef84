"""An independent numpy reference for nn::seq's decoder-only transformer (backward written by hand).

It draws initial weights and one batch of token sequences from a seeded numpy generator, trains
the model with plain gradient descent for STEPS steps (forward, the backward pass written out
below, update), and writes the weights, the batch and the loss before every step to
nn/tests/golden/names_transformer_reference.json. The Rust test
`seq::the_transformer_follows_the_numpy_reference_for_100_steps` starts from the same weights and
must reproduce every loss to 1e-9. Before writing, the script checks its own gradients against
central finite differences (a few entries of every parameter).

Model (pre-norm blocks; weights stored input-major, so a layer is x·W + b):
    X_0 = tok[ids] + pos[0..T]
    per block l:
        A = LN(X; ln1)                       LN(x) = gain ⊙ (x − mean)/√(var + 1e-5) + bias,
                                             mean and biased var over the last axis
        Q, K, V = A·W_q, A·W_k, A·W_v        head h: columns h·d .. (h+1)·d, d = width/heads
        P_h = softmax(Q_h·K_hᵀ/√d + M)       M: 0 where key step j ≤ query step i, −∞ after
        X = X + concat_h(P_h·V_h)·W_o + b_o
        X = X + tanh(LN(X; ln2)·W_1 + b_1)·W_2 + b_2      (W_1: width × 4·width)
    logits = LN(X_L; ln_f)·W_out + b_out     row b·T + t predicts the token after position t
    loss = mean over the counted rows of −log softmax(logits)[target]

Run: python3 bench/reference/names_transformer.py   (numpy only)
"""

import json
import pathlib

import numpy as np

VOCAB, CONTEXT, WIDTH, HEADS, LAYERS = 7, 6, 8, 2, 2
BATCH, TIME = 3, 5
STEPS, RATE = 100, 0.3
EPS = 1e-5
OUT = pathlib.Path(__file__).resolve().parents[2] / "nn/tests/golden/names_transformer_reference.json"


def layer_norm(x, gain, bias):
    centred = x - x.mean(axis=-1, keepdims=True)
    scale = np.sqrt((centred * centred).mean(axis=-1, keepdims=True) + EPS)
    unit = centred / scale
    return unit * gain + bias, (unit, scale, gain)


def layer_norm_backward(dy, cache):
    """dx = (dx̂ − mean(dx̂) − x̂ ⊙ mean(dx̂ ⊙ x̂)) / s, with dx̂ = dy ⊙ gain and s = √(var + eps)."""
    unit, scale, gain = cache
    lanes = dy.reshape(-1, dy.shape[-1])
    d_gain = (lanes * unit.reshape(lanes.shape)).sum(axis=0)
    d_bias = lanes.sum(axis=0)
    d_unit = dy * gain
    dx = (d_unit - d_unit.mean(axis=-1, keepdims=True)
          - unit * (d_unit * unit).mean(axis=-1, keepdims=True)) / scale
    return dx, d_gain, d_bias


def causal_mask(time):
    steps = np.arange(time)
    return np.where(steps[None, :] <= steps[:, None], 0.0, -np.inf)


def attention(a, p, prefix):
    """Causal multi-head self-attention on a [B, T, width]; returns the output and a cache."""
    b, t, width = a.shape
    d = width // HEADS
    q, k, v = (a @ p[f"{prefix}.W_{n}"] for n in "qkv")
    mask = causal_mask(t)
    heads, probs = [], []
    for h in range(HEADS):
        cols = slice(h * d, (h + 1) * d)
        scores = q[:, :, cols] @ k[:, :, cols].transpose(0, 2, 1) / np.sqrt(d) + mask
        shifted = scores - scores.max(axis=-1, keepdims=True)
        e = np.exp(shifted)
        prob = e / e.sum(axis=-1, keepdims=True)
        probs.append(prob)
        heads.append(prob @ v[:, :, cols])
    joined = np.concatenate(heads, axis=-1)
    y = joined @ p[f"{prefix}.W_o"] + p[f"{prefix}.b_o"]
    return y, (a, q, k, v, probs, joined)


def attention_backward(dy, p, prefix, cache, g):
    a, q, k, v, probs, joined = cache
    width = a.shape[-1]
    d = width // HEADS
    rows = lambda m: m.reshape(-1, m.shape[-1])  # noqa: E731
    g[f"{prefix}.W_o"] += rows(joined).T @ rows(dy)
    g[f"{prefix}.b_o"] += rows(dy).sum(axis=0)
    d_joined = dy @ p[f"{prefix}.W_o"].T
    dq, dk, dv = np.zeros_like(q), np.zeros_like(k), np.zeros_like(v)
    for h in range(HEADS):
        cols = slice(h * d, (h + 1) * d)
        prob, d_out = probs[h], d_joined[:, :, cols]
        dv[:, :, cols] = prob.transpose(0, 2, 1) @ d_out
        d_prob = d_out @ v[:, :, cols].transpose(0, 2, 1)
        # softmax: dS = P ⊙ (dP − Σ_j dP ⊙ P); the masked entries have P = 0, so dS = 0 there.
        d_scores = prob * (d_prob - (d_prob * prob).sum(axis=-1, keepdims=True)) / np.sqrt(d)
        dq[:, :, cols] = d_scores @ k[:, :, cols]
        dk[:, :, cols] = d_scores.transpose(0, 2, 1) @ q[:, :, cols]
    da = np.zeros_like(a)
    for name, dm in (("W_q", dq), ("W_k", dk), ("W_v", dv)):
        g[f"{prefix}.{name}"] += rows(a).T @ rows(dm)
        da += dm @ p[f"{prefix}.{name}"].T
    return da


def block_forward(x, p, l):
    pre = f"block{l}"
    a, ln1 = layer_norm(x, p[f"{pre}.ln1.gain"], p[f"{pre}.ln1.bias"])
    attended, att = attention(a, p, f"{pre}.attn")
    x = x + attended
    n, ln2 = layer_norm(x, p[f"{pre}.ln2.gain"], p[f"{pre}.ln2.bias"])
    hidden = np.tanh(n @ p[f"{pre}.W_1"] + p[f"{pre}.b_1"])
    x = x + hidden @ p[f"{pre}.W_2"] + p[f"{pre}.b_2"]
    return x, (ln1, att, n, ln2, hidden)


def block_backward(dx, p, l, cache, g):
    pre = f"block{l}"
    ln1, att, n, ln2, hidden = cache
    rows = lambda m: m.reshape(-1, m.shape[-1])  # noqa: E731
    # MLP branch: X₂ = X₁ + tanh(N·W_1 + b_1)·W_2 + b_2.
    g[f"{pre}.W_2"] += rows(hidden).T @ rows(dx)
    g[f"{pre}.b_2"] += rows(dx).sum(axis=0)
    d_pre = (dx @ p[f"{pre}.W_2"].T) * (1.0 - hidden * hidden)
    g[f"{pre}.W_1"] += rows(n).T @ rows(d_pre)
    g[f"{pre}.b_1"] += rows(d_pre).sum(axis=0)
    dn, d_gain, d_bias = layer_norm_backward(d_pre @ p[f"{pre}.W_1"].T, ln2)
    g[f"{pre}.ln2.gain"] += d_gain
    g[f"{pre}.ln2.bias"] += d_bias
    dx = dx + dn
    # Attention branch: X₁ = X₀ + Attention(LN(X₀)).
    da = attention_backward(dx, p, f"{pre}.attn", att, g)
    dx0, d_gain, d_bias = layer_norm_backward(da, ln1)
    g[f"{pre}.ln1.gain"] += d_gain
    g[f"{pre}.ln1.bias"] += d_bias
    return dx + dx0


def loss_and_grads(p, ids, rows, targets):
    ids = ids.reshape(BATCH, TIME)
    x = p["tok"][ids] + p["pos"][:TIME]
    caches = []
    for l in range(LAYERS):
        x, cache = block_forward(x, p, l)
        caches.append(cache)
    normed, ln_f = layer_norm(x, p["ln_f.gain"], p["ln_f.bias"])
    flat = normed.reshape(BATCH * TIME, WIDTH)
    logits = flat @ p["W_out"] + p["b_out"]
    picked = logits[rows]
    shifted = picked - picked.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    count = len(rows)
    loss = -log_probs[np.arange(count), targets].mean()

    g = {name: np.zeros_like(value) for name, value in p.items()}
    d_picked = np.exp(log_probs)
    d_picked[np.arange(count), targets] -= 1.0
    d_picked /= count
    d_logits = np.zeros_like(logits)
    np.add.at(d_logits, rows, d_picked)
    g["W_out"] = flat.T @ d_logits
    g["b_out"] = d_logits.sum(axis=0)
    d_normed = (d_logits @ p["W_out"].T).reshape(BATCH, TIME, WIDTH)
    dx, g["ln_f.gain"], g["ln_f.bias"] = layer_norm_backward(d_normed, ln_f)
    for l in reversed(range(LAYERS)):
        dx = block_backward(dx, p, l, caches[l], g)
    np.add.at(g["tok"], ids, dx)
    g["pos"][:TIME] = dx.sum(axis=0)
    return loss, g


def initial_params(rng):
    """Weights randn/√fan_in as nn draws them; gains, biases and the unused last position's
    embedding drawn away from 1 and 0 too, so that every gradient is exercised from step 0."""
    def randn(rows, cols, fan_in):
        return rng.standard_normal((rows, cols)) / np.sqrt(fan_in)

    def norm(prefix):
        p[f"{prefix}.gain"] = 1.0 + 0.1 * rng.standard_normal(WIDTH)
        p[f"{prefix}.bias"] = 0.1 * rng.standard_normal(WIDTH)

    wide = 4 * WIDTH
    p = {"tok": randn(VOCAB, WIDTH, WIDTH), "pos": randn(CONTEXT, WIDTH, WIDTH)}
    for l in range(LAYERS):
        pre = f"block{l}"
        norm(f"{pre}.ln1")
        for name in ("W_q", "W_k", "W_v", "W_o"):
            p[f"{pre}.attn.{name}"] = randn(WIDTH, WIDTH, WIDTH)
        p[f"{pre}.attn.b_o"] = 0.1 * rng.standard_normal(WIDTH)
        norm(f"{pre}.ln2")
        p[f"{pre}.W_1"] = randn(WIDTH, wide, WIDTH)
        p[f"{pre}.b_1"] = 0.1 * rng.standard_normal(wide)
        p[f"{pre}.W_2"] = randn(wide, WIDTH, wide)
        p[f"{pre}.b_2"] = 0.1 * rng.standard_normal(WIDTH)
    norm("ln_f")
    p["W_out"] = randn(WIDTH, VOCAB, WIDTH)
    p["b_out"] = 0.1 * rng.standard_normal(VOCAB)
    return p


def check_gradients(p, ids, rows, targets, rng):
    """Central differences on four entries of every parameter; fails loudly on a mismatch.
    Returns the largest absolute difference."""
    _, grads = loss_and_grads(p, ids, rows, targets)
    worst = 0.0
    for name, value in p.items():
        for flat in rng.choice(value.size, size=min(4, value.size), replace=False):
            index = np.unravel_index(flat, value.shape)
            step = 1e-6
            saved = value[index]
            value[index] = saved + step
            up, _ = loss_and_grads(p, ids, rows, targets)
            value[index] = saved - step
            down, _ = loss_and_grads(p, ids, rows, targets)
            value[index] = saved
            numeric = (up - down) / (2 * step)
            # Central differences with a step of 1e-6 on a loss near 2 carry about 1e-10 of rounding.
            error = abs(numeric - grads[name][index])
            worst = max(worst, error)
            assert error < 1e-8 + 1e-6 * abs(numeric), \
                f"{name}{index}: hand-written {grads[name][index]}, finite differences {numeric}"
    return worst


def main():
    rng = np.random.default_rng(17)
    p = initial_params(rng)
    ids = rng.integers(0, VOCAB, size=BATCH * TIME)
    # Sequences of lengths 5, 3 and 4: only their positions count (the causal mask keeps the
    # padding after each from reaching them).
    lengths = [5, 3, 4]
    rows = np.array([b * TIME + t for b in range(BATCH) for t in range(lengths[b])])
    targets = rng.integers(0, VOCAB, size=len(rows))
    worst = check_gradients(p, ids, rows, targets, np.random.default_rng(1))
    initial = {name: value.copy() for name, value in p.items()}
    losses = []
    for _ in range(STEPS):
        loss, grads = loss_and_grads(p, ids, rows, targets)
        losses.append(float(loss))
        for name in p:
            p[name] -= RATE * grads[name]
    fixture = {
        "about": "written by bench/reference/names_transformer.py; see its docstring",
        "sizes": {"vocab": VOCAB, "context": CONTEXT, "width": WIDTH, "heads": HEADS,
                  "layers": LAYERS, "batch": BATCH, "time": TIME},
        "rate": RATE,
        "params": {name: {"shape": list(v.shape), "data": v.ravel().tolist()} for name, v in initial.items()},
        "ids": ids.tolist(),
        "rows": rows.tolist(),
        "targets": targets.tolist(),
        "losses": losses,
    }
    OUT.write_text(json.dumps(fixture, indent=1) + "\n")
    print(f"{OUT}: gradients agree with finite differences to {worst:.1e}; "
          f"losses {losses[0]:.6f} -> {losses[-1]:.6f} over {STEPS} steps")


if __name__ == "__main__":
    main()
