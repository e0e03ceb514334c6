#!/usr/bin/env python3
"""The phases of a curlab training step in PyTorch eager, on a GPT-2 of the same shape (scripts/bench-vs-pytorch.sh).

    python3 scripts/bench-pytorch.py --layers 6 --d-model 256 --heads 8 --context 128 --vocab 50257 \
        --scoring-windows 32 --update-windows 1 --reward-windows 32 --threads 2 --json OUT.json

Times, as medians over --reps after --warmup repetitions, on random token windows:
  scoring   a no-grad forward of the scoring windows with per-window mean cross-entropy (a plain scoring pass)
  lm_update forward + backward of the update windows (micro-batches of --microbatch), global-norm clip, AdamW step
  reward    a no-grad forward of the reward windows with their mean log-probability
and reports each phase's FLOPs by curlab's formula (eval/Flops.java): C_forward per token =
2 * 12 * L * d^2 + 2 * L * T * d + 2 * d * V; training = 3 x forward.
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d, eps=1e-5)
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)
        self.ln_2 = nn.LayerNorm(d, eps=1e-5)
        self.c_fc = nn.Linear(d, 4 * d)
        self.mlp_proj = nn.Linear(4 * d, d)
        self.heads = heads

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(C, dim=2)                       # (B, T, C) each
        q, k, v = (t.view(B, T, self.heads, C // self.heads).transpose(1, 2) for t in (q, k, v))  # (B, h, T, C/h)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(C // self.heads)               # (B, h, T, T): written out, as curlab does
        mask = torch.ones(T, T, dtype=torch.bool).tril()
        att = att.masked_fill(~mask, float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        x = x + self.c_proj(y)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class Gpt2(nn.Module):
    def __init__(self, layers, d, heads, context, vocab):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(context, d)
        self.h = nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(d, eps=1e-5)

    def forward(self, idx):                                                        # (B, T) -> logits (B, T, V)
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        for b in self.h:
            x = b(x)
        return self.ln_f(x) @ self.wte.weight.t()                                  # tied head


def per_window_loss(model, windows):
    logits = model(windows[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), windows[:, 1:].reshape(-1), reduction="none")
    return loss.view(windows.shape[0], -1).mean(dim=1)                           # (B,)


def timed(fn, warmup, reps):
    for _ in range(warmup):
        fn()
    ms = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        ms.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(ms)


def main():
    p = argparse.ArgumentParser()
    for name, default in [("layers", 6), ("d-model", 256), ("heads", 8), ("context", 128), ("vocab", 50257),
                          ("scoring-windows", 32), ("update-windows", 1), ("reward-windows", 32), ("microbatch", 8),
                          ("threads", 2), ("warmup", 2), ("reps", 5)]:
        p.add_argument("--" + name, type=int, default=default)
    p.add_argument("--json")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = Gpt2(a.layers, a.d_model, a.heads, a.context, a.vocab)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.01)
    T = a.context

    def windows(n):
        return torch.randint(0, a.vocab, (n, T + 1))

    scoring_batch, update_batch, reward_batch = windows(a.scoring_windows), windows(a.update_windows), windows(a.reward_windows)

    def scoring():
        with torch.no_grad():
            per_window_loss(model, scoring_batch)

    def update():
        opt.zero_grad(set_to_none=True)
        for i in range(0, update_batch.shape[0], a.microbatch):
            mb = update_batch[i:i + a.microbatch]
            (per_window_loss(model, mb).sum() / update_batch.shape[0]).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    def reward():
        with torch.no_grad():
            (-per_window_loss(model, reward_batch)).mean()

    per_token = 2 * 12 * a.layers * a.d_model ** 2 + 2 * a.layers * T * a.d_model + 2 * a.d_model * a.vocab
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "phases": {}}
    for name, fn, tokens, factor in [("scoring", scoring, a.scoring_windows * T, 1), ("lm_update", update, a.update_windows * T, 3),
                                     ("reward", reward, a.reward_windows * T, 1)]:
        ms = timed(fn, a.warmup, a.reps)
        gflop = factor * per_token * tokens / 1e9
        out["phases"][name] = {"median_ms": ms, "gflop": gflop, "gflops": gflop / (ms / 1e3)}
        print(f"{name:10s} {ms:9.1f} ms  {gflop:8.1f} GFLOP  {gflop / (ms / 1e3):6.1f} GFLOP/s", flush=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
