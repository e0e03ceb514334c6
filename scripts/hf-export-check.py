#!/usr/bin/env python3
"""Loads a `curlab export --to hf` directory with Hugging Face transformers and reports what it gets.

    python3 scripts/hf-export-check.py DIR TEXTS.json OUT.json

TEXTS.json is a JSON list of strings. OUT.json gets, for each text, the ids AutoTokenizer gives
(no special tokens added) and its decoding of them; and, when torch is installed and DIR holds a
model, the logits AutoModelForCausalLM gives at the last position of the first text. HfExportPythonTest
compares these with curlab's own tokenizer and model (it skips itself when transformers is missing).
"""
import json
import os
import sys

import transformers
from transformers import AutoTokenizer

directory, texts_file, out_file = sys.argv[1:4]
with open(texts_file, encoding="utf-8") as f:
    texts = json.load(f)
tok = AutoTokenizer.from_pretrained(directory)
ids = [tok(t, add_special_tokens=False)["input_ids"] for t in texts]
result = {
    "transformers": transformers.__version__,
    "tokenizer_class": type(tok).__name__,
    "eos_token_id": tok.eos_token_id,
    "ids": ids,
    "decoded": [tok.decode(i) for i in ids],
    "logits": None,
}
if os.path.exists(os.path.join(directory, "model.safetensors")):
    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None:
        from transformers import AutoModelForCausalLM

        model = AutoModelForCausalLM.from_pretrained(directory).eval()
        with torch.no_grad():
            out = model(torch.tensor([ids[0][: model.config.n_positions]]))
        result["logits"] = out.logits[0, -1].tolist()
with open(out_file, "w", encoding="utf-8") as f:
    json.dump(result, f)
