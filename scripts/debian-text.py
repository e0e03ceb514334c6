#!/usr/bin/env python3
"""A file-based multi-domain set from English text a Debian system ships (wamerican + base files).
on-target  prose:     /usr/share/common-licenses/* (license prose), cut into 64-character paragraphs
off-target changelog: /usr/share/doc/*/changelog.Debian.gz entries (versions, e-mail addresses, terse notes)
off-target wordsalad: 12 uniformly drawn words (cut to 64 characters) from /usr/share/dict/american-english (no syntax)
train.jsonl interleaves them at random (prose 0.4, changelog 0.3, wordsalad 0.3); heldout.jsonl is
prose paragraphs that are not in train.jsonl. Seeded, so the files are reproducible.
Usage: scripts/debian-text.py OUT   (needs: apt-get install wamerican)"""
import glob, gzip, json, os, random, re, sys
rng = random.Random(0)
out = sys.argv[1]
def paragraphs(text, size=64):
    text = re.sub(r'\s+', ' ', text).strip()
    return [text[i:i + size] for i in range(0, len(text) - size // 2, size)]
prose = []
for f in sorted(glob.glob('/usr/share/common-licenses/*')):
    if os.path.islink(f):
        continue
    prose += paragraphs(open(f, encoding='utf-8', errors='replace').read())
rng.shuffle(prose)
held, prose = prose[:1000], prose[1000:]
changelog = []
for f in sorted(glob.glob('/usr/share/doc/*/changelog.Debian.gz')):
    try:
        changelog += paragraphs(gzip.open(f, 'rt', encoding='utf-8').read()[:4000])
    except (OSError, UnicodeDecodeError):
        pass
rng.shuffle(changelog)
words = [w.strip() for w in open('/usr/share/dict/american-english', encoding='utf-8') if w.strip().isalpha()]
docs = []
n = 12000
for i in range(n):
    u = rng.random()
    if u < 0.4:
        docs.append({'text': prose[i % len(prose)], 'source': 'prose'})
    elif u < 0.7:
        docs.append({'text': changelog[i % len(changelog)], 'source': 'changelog'})
    else:
        docs.append({'text': ' '.join(rng.choice(words) for _ in range(12))[:64], 'source': 'wordsalad'})
os.makedirs(os.path.join(out, 'train'), exist_ok=True)
with open(os.path.join(out, 'train', 'train.jsonl'), 'w') as f:
    for d in docs:
        f.write(json.dumps(d) + '\n')
with open(os.path.join(out, 'heldout.jsonl'), 'w') as f:
    for t in held:
        f.write(json.dumps({'text': t, 'source': 'prose'}) + '\n')
print(len(prose), 'prose paragraphs for training,', len(held), 'held out;', len(changelog), 'changelog paragraphs;', len(docs), 'training documents')
