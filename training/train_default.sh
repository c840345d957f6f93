#!/usr/bin/env bash
# Train the bundled default domain model from the corpus annotations, reproducibly.
#   bash training/train_default.sh            (needs ../shared for the corpus items)
# Same annotations + same seed → the same split, model and scores. The training report
# (govnlp/domains/default_model/training_report.json) holds the random-split test figures and the
# leave-one-source-out figures (each county-level source held out in turn). C=2 and context_weight=0.3:
# the titles of the headings above each item as a separate, down-weighted n-gram block
# (benchmarks/domains_loso.py --recipes bundled-now,bundled-now+C2+ctx03 --base bundled-now); title_weight=0.5:
# the item's title (text up to its first 。；：！？) as a block of its own (--recipes
# bundled-now+C2+ctx03,bundled-now+C2+ctx03+title05 --base bundled-now+C2+ctx03).
set -euo pipefail
cd "$(dirname "$0")/.."  # and run this checkout's code (not an installed govnlp)
SEED="${SEED:-0}"
PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" .venv/bin/python -m govnlp.cli train --backend sklearn --seed "$SEED" --set C=2.0 --set context_weight=0.3 --set title_weight=0.5 --threshold-prior 20 --refit --model-only \
  --secondary-rule --leave-one-source-out \
  -o govnlp/domains/default_model corpora/annotations/domains/labels_*.jsonl
