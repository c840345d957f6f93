"""``govnlp info``: versions, data locations and the default pipeline."""

from __future__ import annotations

import argparse
import sys

from ..about import __version__


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Declare the ``info`` command."""
    info = sub.add_parser("info", help="show versions, data locations and the default pipeline")
    info.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``govnlp info``."""
    import spacy

    from ..pipeline import default_config
    from ..segmenter import data_dir, default_model_dir

    model = default_model_dir()
    print(f"govnlp {__version__}, spaCy {spacy.__version__}, Python {sys.version.split()[0]}")
    print(f"data directory: {data_dir()}")
    present = (model / "features.msgpack").exists()
    state = "present" if present else "missing: run govnlp setup-segmenter"
    print(f"pkuseg model: {model} ({state})")
    print("default pipeline: " + ", ".join(default_config()["nlp"]["pipeline"]))
    return 0
