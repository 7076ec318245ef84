"""An independent numpy reference for nn::seq's GRU language model (written by hand, no autodiff).

It draws initial weights and one batch of token sequences from a seeded numpy generator, trains
the model with plain gradient descent for STEPS steps (forward, backpropagation through time
written out below, update), and writes the weights, the batch and the loss before every step
to nn/tests/golden/names_gru_reference.json. The Rust test
`seq::the_gru_language_model_follows_the_numpy_reference_for_100_steps` starts from the same
weights and must reproduce every loss to 1e-9.

Model (PyTorch's GRUCell equations, weights stored input-major, gate columns r, z, n):
    x_t = emb[ids_t]
    r = σ(x W_i[:, r] + b_i[r] + h W_h[:, r] + b_h[r])
    z = σ(x W_i[:, z] + b_i[z] + h W_h[:, z] + b_h[z])
    n = tanh(x W_i[:, n] + b_i[n] + r ⊙ (h W_h[:, n] + b_h[n]))
    h' = (1 − z) ⊙ n + z ⊙ h,  h_0 = 0
    logits_t = h_t W_out + b_out
    loss = mean over the counted positions of −log softmax(logits)[target]

Run: python3 bench/reference/names_gru.py   (numpy only)
"""

import json
import pathlib

import numpy as np

VOCAB, EMBED, HIDDEN, BATCH, TIME = 6, 3, 4, 3, 5
STEPS, RATE = 100, 0.5
OUT = pathlib.Path(__file__).resolve().parents[2] / "nn/tests/golden/names_gru_reference.json"


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def loss_and_grads(p, ids, rows, targets):
    H = HIDDEN
    h = np.zeros((BATCH, H))
    cache, hs = [], []
    for t in range(TIME):
        x = p["emb"][ids[:, t]]
        gi = x @ p["W_i"] + p["b_i"]
        gh = h @ p["W_h"] + p["b_h"]
        r = sigmoid(gi[:, :H] + gh[:, :H])
        z = sigmoid(gi[:, H:2 * H] + gh[:, H:2 * H])
        n = np.tanh(gi[:, 2 * H:] + r * gh[:, 2 * H:])
        h_next = (1.0 - z) * n + z * h
        cache.append((x, h, gh, r, z, n))
        hs.append(h_next)
        h = h_next
    hidden = np.stack(hs, axis=1).reshape(BATCH * TIME, H)
    logits = hidden @ p["W_out"] + p["b_out"]
    picked = logits[rows]
    shifted = picked - picked.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    count = len(rows)
    loss = -log_probs[np.arange(count), targets].mean()

    d_picked = np.exp(log_probs)
    d_picked[np.arange(count), targets] -= 1.0
    d_picked /= count
    d_logits = np.zeros_like(logits)
    np.add.at(d_logits, rows, d_picked)
    g = {name: np.zeros_like(value) for name, value in p.items()}
    g["W_out"] = hidden.T @ d_logits
    g["b_out"] = d_logits.sum(axis=0)
    d_hidden = (d_logits @ p["W_out"].T).reshape(BATCH, TIME, H)
    dh = np.zeros((BATCH, H))
    for t in reversed(range(TIME)):
        x, h, gh, r, z, n = cache[t]
        dh = dh + d_hidden[:, t]
        dn = dh * (1.0 - z)
        dz = dh * (h - n)
        dh_prev = dh * z
        da_n = dn * (1.0 - n * n)
        dr = da_n * gh[:, 2 * H:]
        da_z = dz * z * (1.0 - z)
        da_r = dr * r * (1.0 - r)
        dgi = np.concatenate([da_r, da_z, da_n], axis=1)
        dgh = np.concatenate([da_r, da_z, da_n * r], axis=1)
        g["W_i"] += x.T @ dgi
        g["b_i"] += dgi.sum(axis=0)
        np.add.at(g["emb"], ids[:, t], dgi @ p["W_i"].T)
        g["W_h"] += h.T @ dgh
        g["b_h"] += dgh.sum(axis=0)
        dh = dh_prev + dgh @ p["W_h"].T
    return loss, g


def main():
    rng = np.random.default_rng(17)
    p = {
        "emb": rng.standard_normal((VOCAB, EMBED)),
        "gru.W_i": rng.standard_normal((EMBED, 3 * HIDDEN)) * 0.5,
        "gru.b_i": rng.standard_normal(3 * HIDDEN) * 0.1,
        "gru.W_h": rng.standard_normal((HIDDEN, 3 * HIDDEN)) * 0.5,
        "gru.b_h": rng.standard_normal(3 * HIDDEN) * 0.1,
        "W_out": rng.standard_normal((HIDDEN, VOCAB)) * 0.5,
        "b_out": np.zeros(VOCAB),
    }
    ids = rng.integers(0, VOCAB, size=(BATCH, TIME))
    # Sequences of lengths 5, 3 and 4: only their positions count.
    lengths = [5, 3, 4]
    rows = np.array([b * TIME + t for b in range(BATCH) for t in range(lengths[b])])
    targets = rng.integers(0, VOCAB, size=len(rows))
    initial = {name: value.copy() for name, value in p.items()}
    short = {name.removeprefix("gru."): value for name, value in p.items()}
    losses = []
    for _ in range(STEPS):
        loss, grads = loss_and_grads(short, ids, rows, targets)
        losses.append(float(loss))
        for name in short:
            short[name] -= RATE * grads[name]
    fixture = {
        "about": "written by bench/reference/names_gru.py; see its docstring",
        "sizes": {"vocab": VOCAB, "embed": EMBED, "hidden": HIDDEN, "batch": BATCH, "time": TIME},
        "rate": RATE,
        "params": {name: {"shape": list(v.shape), "data": v.ravel().tolist()} for name, v in initial.items()},
        "ids": ids.ravel().tolist(),
        "rows": rows.tolist(),
        "targets": targets.tolist(),
        "losses": losses,
    }
    OUT.write_text(json.dumps(fixture, indent=1) + "\n")
    print(f"{OUT}: losses {losses[0]:.6f} -> {losses[-1]:.6f} over {STEPS} steps")


if __name__ == "__main__":
    main()
