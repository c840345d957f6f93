"""Provision the pkuseg ``default`` model at set-up (the only step that uses the network).

``govnlp setup-segmenter`` downloads the ``pkuseg==0.0.25`` wheel from the
package registry with pip (the wheel is a zip; nothing in it is installed or
run), converts the model to msgpack + numpy arrays with
:func:`~govnlp.segmenter.model_files.convert_pkuseg_model`, builds the hashed
lookup index of the numpy segmenter (:func:`~govnlp.segmenter.index.build_index`)
and writes both to :func:`~govnlp.segmenter.model_files.default_model_dir`.
A directory provisioned by an earlier govnlp only gets what it lacks (the
format-2 upgrade, the index), offline.

pkuseg's pretrained models are licensed for research use only.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional

from .index import build_index, has_index
from .model_files import (
    FEATURES_FORMAT,
    FEATURES_FORMAT_V1,
    convert_pkuseg_model,
    default_model_dir,
    model_format,
    upgrade_model,
)

PKUSEG_REQUIREMENT = "pkuseg==0.0.25"
#: Features whose five CRF weights are all within this of zero are dropped.
#: 0.0005 (with float64 weights) keeps segmentation identical on the seeds and ../shared/corpus
#: (see benchmarks/segmenter_agreement.py and the README).
DEFAULT_PRUNE_THRESHOLD = 0.0005


def download_pkuseg_wheel(dest: Path) -> Path:
    """Fetch the pkuseg 0.0.25 cp37 wheel (it carries the ``default`` model) into ``dest``."""
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--python-version",
        "3.7",
        "--platform",
        "manylinux1_x86_64",
        "--dest",
        str(dest),
        PKUSEG_REQUIREMENT,
    ]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wheels = sorted(dest.glob("pkuseg-0.0.25-*.whl"))
    if not wheels:
        raise FileNotFoundError(f"pip download of {PKUSEG_REQUIREMENT} produced no wheel in {dest}")
    return wheels[0]


def provision_segmenter(
    out_dir: Optional[Path] = None,
    *,
    wheel: Optional[Path] = None,
    prune_threshold: float = DEFAULT_PRUNE_THRESHOLD,
    force: bool = False,
) -> Path:
    """Make sure the converted default pkuseg model exists, in the current format; return its
    directory.

    A directory converted by an earlier govnlp (format 1) is upgraded in place,
    and one without a current index gets it, both offline; anything else is
    downloaded and converted again.
    """
    out = Path(out_dir) if out_dir else default_model_dir()
    fmt = model_format(out)
    if fmt == FEATURES_FORMAT_V1 and not force and wheel is None:
        upgrade_model(out)
        fmt = model_format(out)
    if fmt == FEATURES_FORMAT and not force:
        if not has_index(out):
            build_index(out)
        return out
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(wheel) if wheel else download_pkuseg_wheel(Path(tmp))
        staging = out.with_name(out.name + ".partial")
        convert_pkuseg_model(src, staging, prune_threshold=prune_threshold)
        build_index(staging)
        if out.exists():
            import shutil

            shutil.rmtree(out)
        staging.rename(out)
    return out
