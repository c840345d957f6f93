#!/usr/bin/env bash
# Train the bundled default domain model from the corpus annotations, reproducibly.
#   bash training/train_default.sh            (needs ../shared for the corpus items)
# Same annotations + same seed → the same split, model and scores. The training report
# (govnlp/domains/default_model/training_report.json) holds the random-split test figures and the
# leave-one-source-out figures (each county-level source held out in turn).
set -euo pipefail
cd "$(dirname "$0")/.."
SEED="${SEED:-0}"
.venv/bin/govnlp train --backend sklearn --seed "$SEED" --set C=1.0 --threshold-prior 20 --refit --model-only \
  --secondary-rule --leave-one-source-out \
  -o govnlp/domains/default_model corpora/annotations/domains/labels_*.jsonl
