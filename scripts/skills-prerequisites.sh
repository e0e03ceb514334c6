#!/usr/bin/env bash
# The prerequisite measurement of docs/RESULTS.md ("builtin:skills"): a nano model learns fg = f(g(x))
# (a) from scratch, (b) after its prerequisites f and g, (c) after unrelated skills (digits, assign),
# on the same fg windows (same seed, same fg-only stream); the eval set is fg alone.
# Usage: scripts/skills-prerequisites.sh OUT_DIR [SEEDS] [PRE_STEPS] [STEPS]   (CURLAB=launcher, default ./curlab;
# a run whose directory already holds a finished run is kept)
set -euo pipefail
cl=${CURLAB:-./curlab}
out=${1:?usage: $0 OUT_DIR [SEEDS] [PRE_STEPS] [STEPS]}
seeds=${2:-"0 1 2"}
pre=${3:-300}
steps=${4:-500}
zero="digits=0&carry=0&sums=0&assign=0&chain2=0&chain4=0&chain8=0&f=0&g=0&fg=0"
only() { local s=$zero; for k in "$@"; do s=${s/$k=0/$k=1}; done; echo "builtin:skills?$s&target=fg"; }
common=(--selector random --model nano --eval-every 20 --no-progress)
train() { local dir=$1; shift; grep -q '^.*finished' "$dir/train.log" 2>/dev/null || "$cl" train --out "$dir" --overwrite "$@" "${common[@]}" > /dev/null; }
export CURLAB_THREADS=${CURLAB_THREADS:-1}
for seed in $seeds; do
  train "$out/scratch-$seed" --data "$(only fg)" --steps "$steps" --seed "$seed"
  for arm in "prereq:f g" "control:digits assign"; do
    name=${arm%%:*}
    train "$out/$name-pre-$seed" --data "$(only ${arm#*:})" --steps "$pre" --seed "$seed"
    [ -f "$out/$name-hf-$seed/model.safetensors" ] || "$cl" export --checkpoint "$out/$name-pre-$seed" --to hf "$out/$name-hf-$seed" > /dev/null 2>&1
    train "$out/$name-$seed" --data "$(only fg)" --steps "$steps" --seed "$seed" --init-from "$out/$name-hf-$seed"
  done
done
