#!/usr/bin/env python3
"""Seed summary of an rl-compare directory (docs/RESULTS.md, V): per curator, final held-out pass@1
(every run generates the same rollouts, so this is accuracy at equal rollouts), rollouts and FLOPs to
a target pass@1 (the first evaluation at or above it; a run that never gets there enters at its
total, censored, marked >=), the zero-variance share, the curator's own FLOPs, and paired differences
against a reference curator with percentile bootstrap 95% intervals (10,000 resamples over the
paired seeds, numpy seed 0).

Then, per curator (seeds pooled), what it picked in each half of the run: the share of picks per
bucket (family and parameter, from picked_buckets) and the mean pick parameter.

usage: scripts/rl-summary.py DIR TARGET REFERENCE   (DIR holds <curator>-seed<s>/metrics.jsonl)
"""
import json
import os
import re
import sys

import numpy as np


def load(path):
    evals, steps = [], []
    with open(os.path.join(path, "metrics.jsonl")) as f:
        for line in f:
            m = json.loads(line)
            (evals if m.get("kind") == "eval" else steps).append(m)
    return evals, steps


def to_target(evals, target):
    for e in evals:
        if e["heldout_accuracy"] >= target:
            return e["rollouts"], e["flops_total"], True
    return evals[-1]["rollouts"], evals[-1]["flops_total"], False


def interval(d, rng):
    boot = rng.choice(d, size=(10000, len(d)), replace=True).mean(axis=1)
    return np.percentile(boot, [2.5, 97.5])


def main():
    root, target, ref = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    runs, picks = {}, {}
    for d in sorted(os.listdir(root)):
        m = re.fullmatch(r"(.+)-seed(\d+)", d)
        if not m or not os.path.isfile(os.path.join(root, d, "metrics.jsonl")):
            continue
        evals, steps = load(os.path.join(root, d))
        r, fl, reached = to_target(evals, target)
        picks.setdefault(m.group(1), []).append(steps)
        runs.setdefault(m.group(1), {})[int(m.group(2))] = dict(
            final=evals[-1]["heldout_accuracy"], best=max(e["heldout_accuracy"] for e in evals), rollouts=r, flops=fl / 1e9,
            reached=reached, zero=steps[-1]["zero_variance_share"], curator=steps[-1]["flops_curator"] / 1e9)
    rng = np.random.default_rng(0)
    print("| curator | seeds | pass@1 final (equal rollouts) | per seed | rollouts to %.3f (reached) | per seed | GFLOPs to %.3f | zero-variance share | curator GFLOPs | vs %s: final pass@1, 95%% interval | vs %s: rollouts to target, 95%% interval |"
          % (target, target, ref, ref))
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    order = ["uniform", "learnability", "alp-gmm", "bandit-adv", "curator", "soft-q"]
    for name in sorted(runs, key=lambda n: order.index(n) if n in order else len(order)):
        rs = runs[name]
        seeds = sorted(rs)
        col = lambda k: np.array([rs[s][k] for s in seeds], dtype=float)
        final, roll = col("final"), col("rollouts")
        cmp_final = cmp_roll = ""
        if name != ref and ref in runs and sorted(runs[ref]) == seeds:
            df = final - np.array([runs[ref][s]["final"] for s in seeds])
            lo, hi = interval(df, rng)
            cmp_final = "%+.3f [%+.3f, %+.3f]: %s" % (df.mean(), lo, hi, "no difference" if lo <= 0 <= hi else ("higher" if lo > 0 else "lower"))
            dr = roll - np.array([runs[ref][s]["rollouts"] for s in seeds])
            lo, hi = interval(dr, rng)
            cens = not all(rs[s]["reached"] for s in seeds) or not all(runs[ref][s]["reached"] for s in seeds)
            cmp_roll = "%+.0f [%+.0f, %+.0f]: %s%s" % (dr.mean(), lo, hi, "no difference" if lo <= 0 <= hi else ("more" if lo > 0 else "fewer"),
                                                   " (censored runs)" if cens else "")
        print("| %s | %d | %.3f ± %.3f | %s | %.0f ± %.0f (%d/%d) | %s | %.1f ± %.1f | %.3f ± %.3f | %.1f | %s | %s |" % (
            name, len(seeds), final.mean(), final.std(ddof=1), ", ".join("%.3f" % v for v in final), roll.mean(), roll.std(ddof=1),
            sum(rs[s]["reached"] for s in seeds), len(seeds),
            ", ".join(("%.0f" if rs[s]["reached"] else ">=%.0f") % rs[s]["rollouts"] for s in seeds),
            col("flops").mean(), col("flops").std(ddof=1), col("zero").mean(), col("zero").std(ddof=1), col("curator").mean(),
            cmp_final, cmp_roll))

    print()
    print("| curator | picks per bucket, steps 1-%d | steps %d-%d | mean pick parameter (1st half; 2nd half) |" % ((n := half(picks)), n + 1, 2 * n))
    print("| --- | --- | --- | --- |")
    for name in sorted(picks, key=lambda k: order.index(k) if k in order else len(order)):
        parts = [bucket_shares(picks[name], 0, n), bucket_shares(picks[name], n, 2 * n)]
        print("| %s | %s | %s | %s |" % (name, parts[0][0], parts[1][0], "%.2f; %.2f" % (parts[0][1], parts[1][1])))


def half(picks):
    return min(len(s) for runs in picks.values() for s in runs) // 2


def bucket_shares(runs, lo, hi):
    """Shares of picks per bucket over steps [lo, hi) of every run (largest first), and the mean parameter."""
    counts, total, psum, pn = {}, 0, 0.0, 0
    for steps in runs:
        for st in steps[lo:hi]:
            for bucket, n in st.get("picked_buckets", {}).items():
                counts[bucket] = counts.get(bucket, 0) + n
                total += n
                m = re.search(r"=([0-9.]+)", bucket)
                if m:
                    psum += float(m.group(1)) * n
                    pn += n
    top = sorted(counts.items(), key=lambda kv: -kv[1])
    return ", ".join("%s %.0f%%" % (b.replace("{", " ").replace("}", "").replace(".0", ""), 100 * c / total) for b, c in top[:8]), psum / max(1, pn)


if __name__ == "__main__":
    main()
