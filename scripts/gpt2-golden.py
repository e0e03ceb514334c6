#!/usr/bin/env python3
"""Golden logits for a tiny, randomly initialised GPT-2, from a numpy implementation that shares no
code with curlab's model (Hugging Face layout: Conv1D weights stored (in, out), y = x @ W + b;
GELU tanh; LayerNorm eps 1e-5; head tied to wte).

Writes OUT/config.json and OUT/model.safetensors (F32, HF names) and OUT/golden-logits.json (the
token ids and their logits, computed in float64 from the float32 weights). The committed fixture
src/test/resources/golden/tiny-gpt2/ was made with:

    python3 scripts/gpt2-golden.py src/test/resources/golden/tiny-gpt2

Shapes: 2 layers, d 8, 2 heads, vocab 13, 10 positions. attn.c_proj (d, d) is the only square
weight; its entries are drawn independently, so applying it transposed changes the logits (the test
checks the fixture is sensitive to that). Every other shape differs from its transpose, so the
loader's shape check catches a transposed load of those.
"""
import json
import os
import struct
import sys

import numpy as np

LAYERS, D, HEADS, VOCAB, POSITIONS = 2, 8, 2, 13, 10
TOKENS = [3, 0, 12, 7, 7, 1, 11, 4, 9, 2]  # one window of POSITIONS tokens
EPS = 1e-5


def init(rng):
    """Every tensor by HF name, float32. Weights N(0, 0.3), biases N(0, 0.1), LN gains 1 + N(0, 0.1)."""
    w = lambda *s: rng.normal(0, 0.3, s).astype(np.float32)
    b = lambda *s: rng.normal(0, 0.1, s).astype(np.float32)
    p = {"wte.weight": w(VOCAB, D), "wpe.weight": w(POSITIONS, D)}
    for i in range(LAYERS):
        h = f"h.{i}."
        p[h + "ln_1.weight"] = (1 + b(D)).astype(np.float32)
        p[h + "ln_1.bias"] = b(D)
        p[h + "attn.c_attn.weight"] = w(D, 3 * D)
        p[h + "attn.c_attn.bias"] = b(3 * D)
        p[h + "attn.c_proj.weight"] = w(D, D)
        p[h + "attn.c_proj.bias"] = b(D)
        p[h + "ln_2.weight"] = (1 + b(D)).astype(np.float32)
        p[h + "ln_2.bias"] = b(D)
        p[h + "mlp.c_fc.weight"] = w(D, 4 * D)
        p[h + "mlp.c_fc.bias"] = b(4 * D)
        p[h + "mlp.c_proj.weight"] = w(4 * D, D)
        p[h + "mlp.c_proj.bias"] = b(D)
    p["ln_f.weight"] = (1 + b(D)).astype(np.float32)
    p["ln_f.bias"] = b(D)
    return p


def layer_norm(x, g, b):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + EPS) * g + b


def gelu(x):
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))


def forward(p, ids):
    """Logits (T, V) for one sequence, in float64."""
    p = {k: v.astype(np.float64) for k, v in p.items()}
    t = len(ids)
    hd = D // HEADS
    x = p["wte.weight"][ids] + p["wpe.weight"][:t]
    causal = np.tril(np.ones((t, t), dtype=bool))
    for i in range(LAYERS):
        h = f"h.{i}."
        a = layer_norm(x, p[h + "ln_1.weight"], p[h + "ln_1.bias"])
        qkv = a @ p[h + "attn.c_attn.weight"] + p[h + "attn.c_attn.bias"]  # (T, 3D)
        q, k, v = np.split(qkv, 3, axis=-1)
        heads = []
        for j in range(HEADS):
            s = slice(j * hd, (j + 1) * hd)
            att = q[:, s] @ k[:, s].T / np.sqrt(hd)
            att = np.where(causal, att, -np.inf)
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            heads.append(att @ v[:, s])
        y = np.concatenate(heads, axis=-1)
        x = x + y @ p[h + "attn.c_proj.weight"] + p[h + "attn.c_proj.bias"]
        m = layer_norm(x, p[h + "ln_2.weight"], p[h + "ln_2.bias"])
        x = x + gelu(m @ p[h + "mlp.c_fc.weight"] + p[h + "mlp.c_fc.bias"]) @ p[h + "mlp.c_proj.weight"] + p[h + "mlp.c_proj.bias"]
    x = layer_norm(x, p["ln_f.weight"], p["ln_f.bias"])
    return x @ p["wte.weight"].T


def write_safetensors(path, tensors):
    header, blobs, off = {"__metadata__": {"format": "pt"}}, [], 0
    for name, a in tensors.items():
        data = np.ascontiguousarray(a, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [off, off + len(data)]}
        blobs.append(data)
        off += len(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def main(out):
    os.makedirs(out, exist_ok=True)
    p = init(np.random.default_rng(20261201))
    write_safetensors(os.path.join(out, "model.safetensors"), p)
    config = {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "n_layer": LAYERS, "n_embd": D,
              "n_head": HEADS, "n_positions": POSITIONS, "n_ctx": POSITIONS, "vocab_size": VOCAB,
              "activation_function": "gelu_new", "layer_norm_epsilon": EPS, "tie_word_embeddings": True}
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    logits = forward(p, TOKENS)
    with open(os.path.join(out, "golden-logits.json"), "w") as f:
        json.dump({"tokens": TOKENS, "logits": [[round(float(v), 9) for v in row] for row in logits]}, f)
    # What a transposed c_proj would give: the test asserts the fixture tells the two apart.
    q = dict(p)
    for i in range(LAYERS):
        q[f"h.{i}.attn.c_proj.weight"] = p[f"h.{i}.attn.c_proj.weight"].T
    print("max |logit change| with attn.c_proj transposed: %.4f" % np.abs(forward(q, TOKENS) - logits).max())


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "golden-tiny-gpt2")
