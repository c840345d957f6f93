"""Shared fixtures: the sample corpus, ../shared when present, session-scoped pipelines."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import configuration, settings

# Tests write under temporary directories only: Hypothesis keeps its caches in the system's
# temporary directory, not in the checkout (.hypothesis/), and no example database (a failure
# prints its reproducing seed).
configuration.set_hypothesis_home_dir(str(Path(tempfile.gettempdir()) / "govnlp-hypothesis"))
settings.register_profile("govnlp", database=None)
settings.load_profile("govnlp")

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpora" / "samples"
SHARED = ROOT.parent / "shared"


def seed_paths() -> list[Path]:
    return sorted(SAMPLES.glob("*.txt"))


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in seed_paths()}


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "corpus" / "MANIFEST.jsonl").exists():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def nlp_pkuseg():
    import govnlp
    from govnlp.segmenter import default_model_dir

    if not (default_model_dir() / "features.msgpack").exists():
        pytest.fail("pkuseg model not provisioned: run `govnlp setup-segmenter` (make test does)")
    return govnlp.load()


@pytest.fixture(scope="session")
def nlp_char():
    import govnlp

    return govnlp.load(segmenter="char")
