#!/usr/bin/env bash
# The prerequisite measurement of docs/RESULTS.md ("builtin:skills"): a nano model learns one skill
# (a) from scratch, (b) after its prerequisites, (c) after as many steps of unrelated skills (control),
# on the same windows of the skill (same seed, same one-skill stream); the eval set is that skill alone.
# Usage: scripts/skills-prerequisites.sh OUT_DIR [SEEDS] [PRE_STEPS] [STEPS]
#   SKILL (default fg), PREREQ (default "f g"), CONTROL (default "digits assign"): skills, space-separated;
#   CURLAB: the launcher (default ./curlab). A run whose directory already holds a finished run is kept.
set -euo pipefail
cl=${CURLAB:-./curlab}
out=${1:?usage: $0 OUT_DIR [SEEDS] [PRE_STEPS] [STEPS]}
seeds=${2:-"0 1 2"}
pre=${3:-300}
steps=${4:-500}
skill=${SKILL:-fg}
prereq=${PREREQ:-"f g"}
control=${CONTROL:-"digits assign"}
all="digits carry sums assign chain2 chain4 chain8 f g fg"
only() {   # the spec of a stream of the given skills only, in equal shares
  local s="" k w
  for k in $all; do w=0; [[ " $* " == *" $k "* ]] && w=1; s="$s$k=$w&"; done
  echo "builtin:skills?${s}target=$skill"
}
common=(--selector random --model nano --eval-every 20 --no-progress)
train() { local dir=$1; shift; grep -q 'finished' "$dir/train.log" 2>/dev/null || "$cl" train --out "$dir" --overwrite "$@" "${common[@]}" > /dev/null; }
export CURLAB_THREADS=${CURLAB_THREADS:-1}
for seed in $seeds; do
  train "$out/scratch-$seed" --data "$(only $skill)" --steps "$steps" --seed "$seed"
  for arm in "prereq:$prereq" "control:$control"; do
    name=${arm%%:*}
    train "$out/$name-pre-$seed" --data "$(only ${arm#*:})" --steps "$pre" --seed "$seed"
    [ -f "$out/$name-hf-$seed/model.safetensors" ] || "$cl" export --checkpoint "$out/$name-pre-$seed" --to hf "$out/$name-hf-$seed" > /dev/null 2>&1
    train "$out/$name-$seed" --data "$(only $skill)" --steps "$steps" --seed "$seed" --init-from "$out/$name-hf-$seed"
  done
done
