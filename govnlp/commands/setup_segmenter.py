"""``govnlp setup-segmenter``: provision the pkuseg model at set-up."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Declare the ``setup-segmenter`` command."""
    setup = sub.add_parser(
        "setup-segmenter",
        help="download pkuseg's default model from PyPI and convert it (pickle-free)",
        description=(
            "Provision the pkuseg 'default' segmentation model once, at set-up: pip downloads "
            "the pkuseg==0.0.25 wheel (a zip; nothing is installed or executed), its features "
            "are read without executing code and written as msgpack + float64 .npy (format 2), "
            "with the hashed lookup index of the numpy segmenter (.npy arrays), into the data "
            "directory ($GOVNLP_DATA_DIR or <venv>/share/govnlp). pkuseg's models are for "
            "research use only."
        ),
    )
    setup.add_argument(
        "--wheel", type=Path, help="use this pkuseg-0.0.25 wheel instead of downloading"
    )
    setup.add_argument("--out", type=Path, help="target directory (default: the data directory)")
    setup.add_argument("--force", action="store_true", help="convert again even if present")

    setup.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``govnlp setup-segmenter``."""
    from ..segmenter.provision import provision_segmenter

    out = provision_segmenter(args.out, wheel=args.wheel, force=args.force)
    print(f"pkuseg default model ready in {out}")
    return 0
