#!/usr/bin/env python3
"""Seed summary for builtin:skills grids (docs/RESULTS.md, section O): per selector, final eval loss,
examples to a target eval loss (linear between eval points, as `curlab compare` counts them; a run
that never reaches it enters at the examples it trained, censored, marked >=), the target skills'
share of the picks, and the paired difference of examples-to-target against a reference with a
percentile bootstrap 95% interval (10,000 resamples over the paired seeds, numpy seed 0).

usage: scripts/skills-summary.py TARGET_LOSS REFERENCE_LABEL LABEL=DIR...   (DIR holds seed0, seed1, ...)
"""
import importlib.util
import os
import sys

import numpy as np

TARGETS = {"sums", "chain8", "fg"}
# load() and examples_to() of the per-run table, scripts/skills-table.py
_spec = importlib.util.spec_from_file_location("skills_table", os.path.join(os.path.dirname(os.path.abspath(__file__)), "skills-table.py"))
skills_table = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(skills_table)
load = skills_table.load


def examples_to(evals, target):
    """Examples to the target, and whether it was reached (else the examples trained: censored)."""
    reach = skills_table.examples_to(evals, target)
    return (reach, True) if reach is not None else (evals[-1][0], False)


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
