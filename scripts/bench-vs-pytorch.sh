#!/usr/bin/env bash
# curlab's step phases against PyTorch eager on the same shapes, back to back on this machine.
#
#   scripts/bench-vs-pytorch.sh [more curlab bench options, e.g. --steps 3 --warmup 1]
#
# Runs `curlab bench --model mini --candidates 32 --heldout-batch 32` (soft-q defaults), then
# scripts/bench-pytorch.py on a GPT-2 of the mini shape (6 layers, d 256, 8 heads, T 128, GPT-2
# vocabulary) with the same thread count and the update's window count, and prints one table:
# each curlab phase, the PyTorch eager pass it is set against, both FLOPs, and the time ratio at
# the same FLOPs (PyTorch's GFLOP/s over curlab's; above 1: curlab is slower). Needs python3 with
# torch (the CPU wheel: pip install torch).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
./curlab bench --model mini --candidates 32 --heldout-batch 32 "$@" --json "$tmp/curlab.json"
read -r threads update_windows < <(python3 - "$tmp/curlab.json" <<'PY'
import json, os, sys
d = json.load(open(sys.argv[1]))
t = d["setup"]["threads"]
per_token = 2 * 12 * 6 * 256 ** 2 + 2 * 6 * 128 * 256 + 2 * 256 * 50257      # curlab's Flops.forwardPerToken, mini
u = round(d["phases"]["lm_update"]["gflop"] * 1e9 / (3 * per_token * 128))
print(t if t.isdigit() else os.cpu_count(), max(1, u))
PY
)
echo
echo "PyTorch eager: $threads threads, update on $update_windows window(s)"
python3 scripts/bench-pytorch.py --layers 6 --d-model 256 --heads 8 --context 128 --vocab 50257 --scoring-windows 32 \
    --update-windows "$update_windows" --reward-windows 32 --threads "$threads" --json "$tmp/torch.json"
python3 - "$tmp/curlab.json" "$tmp/torch.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["phases"]
t = json.load(open(sys.argv[2]))
p = t["phases"]
rows = [("scoring (N candidates: LM pass, held-out pre-update pass, alignment)", "scoring", "scoring (plain forward + loss of N windows)", "scoring"),
        ("lm_update (forward, backward, clip, AdamW)", "lm_update", "lm_update (same)", "lm_update"),
        ("reward (held-out pass after the update)", "reward", "reward (forward of M windows)", "reward"),
        ("q_update (IL model forward of the N candidates)", "q_update", "scoring (plain forward + loss of N windows)", "scoring")]
print()
print(f"| curlab phase | ms | GFLOP | GFLOP/s | PyTorch {t['torch']} eager | ms | GFLOP | GFLOP/s | time ratio at the same FLOPs |")
print("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |")
for name, ck, tname, tk in rows:
    a, b = c[ck], p[tk]
    if a["median_ms"] < 1.0 or not a["gflop"]:                 # a phase the median step skips (a few µs of bookkeeping)
        print(f"| {name} | {a['median_ms']:.0f} | {a['gflop']:.1f} | — (median step runs none) | {tname} | {b['median_ms']:.0f} | {b['gflop']:.1f} | {b['gflops']:.1f} | — |")
        continue
    ga = a["gflop"] / (a["median_ms"] / 1e3)
    print(f"| {name} | {a['median_ms']:.0f} | {a['gflop']:.1f} | {ga:.1f} | {tname} | {b['median_ms']:.0f} | {b['gflop']:.1f} | {b['gflops']:.1f} | {b['gflops'] / ga:.2f}x |")
PY
