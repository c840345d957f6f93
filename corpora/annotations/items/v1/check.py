#!/usr/bin/env python
"""Sanity checker for the gold work-item annotations in this directory.

Usage:  python corpora/annotations/items/v1/check.py [file.jsonl ...]
        (default: every *.jsonl next to this script)

Reloads every referenced document exactly as the spec prescribes
(open(path, encoding='utf-8'), universal newlines, nothing else) and verifies:
  * the `check` field equals doc_text[start:end][:6];
  * 0 <= start < end <= len(text);
  * no leading / trailing whitespace in doc_text[start:end];
  * a non-empty `marker` is literally present at `start`;
  * `parent_start` (if any) names a record of the same document that encloses the unit
    and has a smaller level;
  * leaf items of one document do not overlap;
  * shared-corpus records carry `heading: null` and a check field of <= 6 chars.
Exit status 1 if anything fails.

Document paths: `corpora/samples/...` is relative to the repo root (three levels above this
file); `shared:corpus/...` is relative to $GOVNLP_SHARED (default /work/shared).
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
SHARED = os.environ.get('GOVNLP_SHARED', '/work/shared')
WS = set(' \t\n\r\u3000\xa0\u2002\u2003\ufeff')
KEYS = {'doc', 'start', 'end', 'marker', 'level', 'is_heading', 'heading', 'leaf',
        'parent_start', 'check'}


def resolve(doc):
    if doc.startswith('shared:'):
        return os.path.join(SHARED, doc[len('shared:'):])
    return os.path.join(REPO, doc)


def main(files):
    cache, errors, n = {}, [], 0
    by_doc = {}
    for f in files:
        with open(f, encoding='utf-8') as fh:
            for ln, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                r = json.loads(line)
                n += 1
                where = f'{os.path.basename(f)}:{ln}'
                if set(r) != KEYS:
                    errors.append(f'{where}: keys {sorted(set(r) ^ KEYS)}')
                    continue
                doc = r['doc']
                if doc not in cache:
                    cache[doc] = open(resolve(doc), encoding='utf-8').read()
                t = cache[doc]
                s, e = r['start'], r['end']
                if not (0 <= s < e <= len(t)):
                    errors.append(f'{where}: offsets out of range {s},{e} (len {len(t)})')
                    continue
                span = t[s:e]
                if span[0] in WS or span[-1] in WS:
                    errors.append(f'{where}: leading/trailing whitespace at {s},{e}')
                if span[:6] != r['check']:
                    errors.append(f'{where}: check {r["check"]!r} != {span[:6]!r}')
                if r['marker'] and not span.startswith(r['marker']):
                    errors.append(f'{where}: marker {r["marker"]!r} not at start ({span[:8]!r})')
                if doc.startswith('shared:'):
                    if r['heading'] is not None:
                        errors.append(f'{where}: shared doc must have heading null')
                    if len(r['check']) > 6:
                        errors.append(f'{where}: check too long')
                if r['is_heading'] and not doc.startswith('shared:') and not r['heading']:
                    errors.append(f'{where}: heading unit without heading text')
                by_doc.setdefault(doc, []).append((where, r))
    for doc, recs in by_doc.items():
        starts = {r['start']: r for _, r in recs}
        leaves = sorted((r['start'], r['end'], w) for w, r in recs if r['leaf'])
        for a, b in zip(leaves, leaves[1:]):
            if b[0] < a[1]:
                errors.append(f'{b[2]}: leaf overlaps previous leaf ({a[2]})')
        for w, r in recs:
            p = r['parent_start']
            if p is None:
                continue
            pr = starts.get(p)
            if pr is None:
                errors.append(f'{w}: parent_start {p} is not a record of {doc}')
            elif not (pr['start'] < r['start'] and r['end'] <= pr['end'] and pr['level'] < r['level']):
                errors.append(f'{w}: parent {p} does not enclose it / level not smaller')
            elif pr['leaf']:
                errors.append(f'{w}: parent {p} is marked leaf')
    for e in errors:
        print('ERROR', e)
    print(f'{n} records, {len(by_doc)} documents, {len(errors)} errors')
    return 1 if errors else 0


if __name__ == '__main__':
    fs = sys.argv[1:] or sorted(os.path.join(HERE, f) for f in os.listdir(HERE) if f.endswith('.jsonl'))
    sys.exit(main(fs))
