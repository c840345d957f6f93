"""Annotations by reference: where the documents they name live.

Gold annotations name their document as ``corpora/samples/…`` (relative to the
repository) or ``shared:corpus/…`` (relative to the shared data directory, whose
text is never copied into the repository). :func:`resolve_reference` turns such
a name into a path.

>>> resolve_reference("shared:corpus/raw/a.txt", shared="/data/shared").as_posix()
'/data/shared/corpus/raw/a.txt'
>>> resolve_reference("corpora/samples/x.txt", root="/repo").as_posix()
'/repo/corpora/samples/x.txt'
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional, Union

__all__ = ["SHARED_PREFIX", "repository_root", "resolve_reference", "shared_dir"]

SHARED_PREFIX = "shared:"


def repository_root() -> Path:
    """The repository this package was installed from (editable installs), else the cwd."""
    here = Path(__file__).resolve().parents[1]
    return here if (here / "corpora").is_dir() else Path.cwd()


def shared_dir() -> Path:
    """The shared data directory: ``$GOVNLP_SHARED``, else ``../shared`` beside the repository."""
    env = os.environ.get("GOVNLP_SHARED")
    return Path(env) if env else repository_root().parent / "shared"


def resolve_reference(
    doc: str,
    *,
    shared: Optional[Union[str, Path]] = None,
    root: Optional[Union[str, Path]] = None,
) -> Path:
    """The path of the document an annotation names (``shared:…`` or repository-relative)."""
    if doc.startswith(SHARED_PREFIX):
        return Path(shared if shared is not None else shared_dir()) / doc[len(SHARED_PREFIX) :]
    return Path(root if root is not None else repository_root()) / doc
