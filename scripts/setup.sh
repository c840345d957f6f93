#!/usr/bin/env bash
# Set up a fresh machine: .venv at the repository root, govnlp installed into it,
# the pkuseg segmenter model provisioned into .venv/share/govnlp.
# Idempotent: a second run only checks. Uses the package registry, nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.govnlp-installed
if [ ! -f "$stamp" ] || [ setup.cfg -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "==> installing govnlp and its dependencies into .venv"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test,dask]"
  touch "$stamp"
fi
if [ ! -f .venv/share/govnlp/divisions/divisions.msgpack ]; then
  echo "==> building the administrative-divisions gazetteer (from the jionlp package's data)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps "jionlp==1.5.31"
  .venv/bin/python scripts/build_divisions.py .venv/share/govnlp/divisions
fi
echo "==> provisioning the pkuseg segmenter model"
.venv/bin/govnlp setup-segmenter
