# The two commands of the README. Both set up a fresh machine first (idempotent).
.PHONY: setup run test bench bench-small

setup:
	bash scripts/setup.sh

# Main job: tag the bundled sample corpus end to end.
run: setup
	.venv/bin/govnlp tag corpora/samples -o out/samples.jsonl --tables both
	.venv/bin/govnlp report --records out/samples.jsonl -o out/samples_report.html

# The test suite (what CI runs): also installs headless Chromium for the report's browser test.
test: setup
	bash scripts/setup_browser.sh
	RUFF_CACHE_DIR=$${TMPDIR:-/tmp}/govnlp-ruff-cache .venv/bin/ruff check govnlp tests benchmarks scripts
	RUFF_CACHE_DIR=$${TMPDIR:-/tmp}/govnlp-ruff-cache .venv/bin/ruff format --check govnlp tests benchmarks scripts
	.venv/bin/python -m pytest -q -n auto --dist loadfile  # one worker per core; a test file stays in one worker

# The bulk-tagging benchmark (figures in the README's "Measured" table).
bench: setup
	.venv/bin/python benchmarks/bench_pipeline.py --json out/bench_pipeline.json
	.venv/bin/python benchmarks/bench_segmenter.py --json out/bench_segmenter.json

# The same benchmark on 3 documents: every stage runs (the test suite runs it too:
# tests/test_bench.py), so `make bench` cannot rot. Its figures mean nothing.
bench-small: setup
	.venv/bin/python benchmarks/bench_pipeline.py --smoke --json out/bench_small.json
