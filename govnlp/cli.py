"""The ``govnlp`` command line.

    govnlp tag INPUT... -o OUT.jsonl      tag documents (files or directories)
    govnlp setup-segmenter                provision the pkuseg model (set-up only)
    govnlp info                           versions, model locations, pipeline

Each command lives in its own module of :mod:`govnlp.commands`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import List, Optional

from .about import __version__
from .commands import COMMAND_MODULES


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govnlp",
        description=(
            "Turn Chinese local-government documents into research data: work items, "
            "policy domains, numeric targets and government units."
        ),
    )
    parser.add_argument("--version", action="version", version=f"govnlp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"govnlp.commands.{name}").add_parser(sub)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Entry point of the ``govnlp`` command.

    >>> main(["--version"])  # doctest: +SKIP
    govnlp 0.1.0
    """
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("interrupted; rerun with --resume to continue", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
