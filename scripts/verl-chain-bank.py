#!/usr/bin/env python3
"""Writes a problem bank in verl's parquet schema for RESULTS X's second bank.

Chains of 2-6 single-digit terms joined by + or -, evaluated left to right (the `chain` family of
builtin:arith, the same prompt text "3+5-9="), 640 distinct prompts drawn with Python's own seeded
generator (so the problems are not the built-in bank's). Columns as verl's data preprocessing
writes them: data_source, prompt (a plain string here: a GPT-2-class policy has no chat template),
ability, reward_model {style, ground_truth}, extra_info {split, index, length}.

usage: scripts/verl-chain-bank.py OUT.parquet   (needs `pip install duckdb`)
"""
import random
import sys

import duckdb

out = sys.argv[1]
rng = random.Random(2026)
seen, rows = set(), []
while len(rows) < 640:
    n = rng.randint(2, 6)
    acc = rng.randrange(10)
    text = str(acc)
    for _ in range(n - 1):
        x = rng.randrange(10)
        if rng.randrange(2) == 0:
            acc, text = acc + x, text + "+" + str(x)
        else:
            acc, text = acc - x, text + "-" + str(x)
    prompt = text + "="
    if prompt in seen:
        continue
    seen.add(prompt)
    rows.append((prompt, str(acc), n, len(rows)))

con = duckdb.connect()
con.execute("CREATE TABLE t (prompt VARCHAR, answer VARCHAR, length INTEGER, idx INTEGER)")
con.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", rows)
con.execute(f"""COPY (SELECT 'arith/chain' AS data_source, prompt, 'math' AS ability,
        {{'style': 'rule', 'ground_truth': answer}} AS reward_model,
        {{'split': 'train', 'index': idx, 'length': length}} AS extra_info FROM t ORDER BY idx)
    TO '{out}' (FORMAT PARQUET)""")
print(f"wrote {len(rows)} problems to {out}")
