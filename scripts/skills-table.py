#!/usr/bin/env python3
"""Per-run table for builtin:skills runs (docs/RESULTS.md, section O): final eval loss, examples to a
target eval loss (linear between eval points, as `curlab compare` counts them), and the share of each
skill among the picks in each part of the run.

usage: scripts/skills-table.py TARGET_LOSS PARTS RUN_DIR...   (RUN_DIR holds metrics.jsonl; LABEL=DIR names it)
"""
import json
import os
import sys

SKILLS = ["digits", "carry", "sums", "assign", "chain2", "chain4", "chain8", "f", "g", "fg"]


def load(path):
    evals, picks = [], []
    with open(os.path.join(path, "metrics.jsonl")) as f:
        for line in f:
            m = json.loads(line)
            if m.get("kind") == "eval":
                evals.append((m["examples_trained"], m["eval_loss"]))
            elif m.get("kind") == "step" and "selected_source" in m:
                picks.append(m["selected_source"])
    return evals, picks


def examples_to(evals, target):
    for (e0, l0), (e1, l1) in zip(evals, evals[1:]):
        if l1 <= target:
            return e0 + (e1 - e0) * (l0 - target) / (l0 - l1) if l0 > target else e0
    return None


def main():
    target, parts, runs = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    print("| run | final eval loss | examples to %.3f | picks per skill, in %d parts of the run (%s) |" % (target, parts, " ".join(SKILLS)))
    print("| --- | --- | --- | --- |")
    for run in runs:
        label, path = run.split("=", 1) if "=" in run else (run, run)
        evals, picks = load(path)
        reach = examples_to(evals, target)
        shares = []
        size = len(picks) // parts
        for p in range(parts):
            chunk = picks[p * size:(p + 1) * size]
            shares.append("/".join("%d" % round(100 * chunk.count(s) / max(1, len(chunk))) for s in SKILLS))
        print("| %s | %.4f | %s | %s |" % (label, evals[-1][1], "%.0f" % reach if reach is not None else "not reached",
                                          "; ".join(shares)))


if __name__ == "__main__":
    main()
