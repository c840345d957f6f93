# The two commands of the README. Both set up a fresh machine first (idempotent).
.PHONY: setup run test bench

setup:
	bash scripts/setup.sh

# Main job: tag the bundled sample corpus end to end.
run: setup
	.venv/bin/govnlp tag corpora/samples -o out/samples.jsonl

# The test suite (what CI runs).
test: setup
	.venv/bin/python -m pytest -q

bench: setup
	.venv/bin/python benchmarks/segmenter_agreement.py --help >/dev/null
