#!/usr/bin/env python3
"""Seed summary for builtin:skills grids (docs/RESULTS.md, section O): per selector, final eval loss,
examples to a target eval loss (linear between eval points, as `curlab compare` counts them; a run
that never reaches it enters at the examples it trained, censored, marked >=), the target skills'
share of the picks, and the paired difference of examples-to-target against a reference with a
percentile bootstrap 95% interval (10,000 resamples over the paired seeds, numpy seed 0).

usage: scripts/skills-summary.py TARGET_LOSS REFERENCE_LABEL LABEL=DIR...   (DIR holds seed0, seed1, ...)
"""
import json
import os
import sys

import numpy as np

TARGETS = {"sums", "chain8", "fg"}


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
            return e0 + (e1 - e0) * (l0 - target) / (l0 - l1) if l0 > target else e0, True
    return evals[-1][0], False


def main():
    target, ref, specs = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
    runs = {}
    for spec in specs:
        label, root = spec.rsplit("=", 1)
        seeds = sorted(d for d in os.listdir(root) if d.startswith("seed"))
        rows = []
        for s in seeds:
            evals, picks = load(os.path.join(root, s))
            ex, reached = examples_to(evals, target)
            share = sum(p in TARGETS for p in picks) / max(1, len(picks))
            rows.append((evals[-1][1], ex, reached, share))
        runs[label] = rows
    rng = np.random.default_rng(0)
    print("| selector | seeds | final eval loss | examples to %.2f (reached) | examples per seed | target share | vs %s: paired difference in examples, 95%% interval |" % (target, ref))
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for label, rows in runs.items():
        final = np.array([r[0] for r in rows])
        ex = np.array([r[1] for r in rows])
        reached = [r[2] for r in rows]
        per = ", ".join(("%.0f" % r[1]) if r[2] else (">=%.0f" % r[1]) for r in rows)
        cmp = ""
        if label != ref and ref in runs and len(runs[ref]) == len(rows):
            d = ex - np.array([r[1] for r in runs[ref]])
            boot = rng.choice(d, size=(10000, len(d)), replace=True).mean(axis=1)
            lo, hi = np.percentile(boot, [2.5, 97.5])
            censored = not all(reached) or not all(r[2] for r in runs[ref])
            verdict = "no difference" if lo <= 0 <= hi else ("fewer" if hi < 0 else "more")
            cmp = "%+.0f [%+.0f, %+.0f]: %s%s" % (d.mean(), lo, hi, verdict, " (censored runs)" if censored else "")
        print("| %s | %d | %.4f ± %.4f | %.0f ± %.0f (%d/%d) | %s | %.2f | %s |" % (
            label, len(rows), final.mean(), final.std(ddof=1), ex.mean(), ex.std(ddof=1), sum(reached), len(rows), per,
            np.mean([r[3] for r in rows]), cmp))


if __name__ == "__main__":
    main()
