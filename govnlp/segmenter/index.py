"""The hashed lookup index of a converted pkuseg model, built once at set-up.

:func:`build_index` reads a format-2 model directory (see
:mod:`~govnlp.segmenter.model_files`) and writes, beside its files, the arrays
the numpy segmenter (:mod:`~govnlp.segmenter.fast`) memory-maps instead of
building a 2.5 M-entry Python ``dict``:

    index.json                       format, counts, the checks below
    features.{keys,buckets,values}.npy   hashed feature names -> feature row
    unigram.{keys,buckets}.npy       hashed unigram words (pkuseg's word features)
    other_words.{keys,buckets}.npy   hashed post-processing words
    common_words.{keys,buckets}.npy  (usually empty)

Keys are :func:`~govnlp.segmenter.strhash.finalize`-d 64-bit hashes of the
strings; the build fails if two strings of one table share a hash, so a key
stands for exactly one feature name. (A string *outside* the table could still
share a key with one inside; with ≈ 2.5 M keys the chance is about 1 in 10^13
per lookup.) Nothing here is fetched or computed at run time.

>>> build_index(default_model_dir())          # doctest: +SKIP
PosixPath('.../share/govnlp/pkuseg/default')
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any, Dict, List, Optional

import numpy as np
import srsly

from .hashtable import HashTable
from .model_files import (
    FEATURES_FILE,
    FEATURES_FORMAT,
    PROCESSORS_FILE,
    PROCESSORS_FORMAT,
    PathLike,
    _unblob,
    model_format,
)
from .strhash import finalize, hash_strings

INDEX_FILE = "index.json"
INDEX_FORMAT = "govnlp-pkuseg-index/1"
#: pkuseg's placeholder for "no word here" in its word-pair features.
NO_WORD = "**noWord"
WORD_TABLES = ("other_words", "common_words")


def word_blobs(model_dir: PathLike) -> Dict[str, bytes]:
    """The post-processing word blobs (``other_words``, ``common_words``) of
    ``processors.msgpack``.
    """
    path = Path(model_dir) / PROCESSORS_FILE
    if not path.exists():
        return {name: b"" for name in WORD_TABLES}
    data = srsly.read_msgpack(path)
    if not isinstance(data, dict) or data.get("format") != PROCESSORS_FORMAT:
        raise ValueError(
            f"{path} is not a format-2 govnlp processors file; run `govnlp setup-segmenter`"
        )
    return {name: bytes(data[name]) for name in WORD_TABLES}


def blob_table(blob: bytes) -> HashTable:
    """Hash table of the strings of a newline-separated blob (empty blob: empty table)."""
    words = _unblob(blob)
    return HashTable.build(finalize(hash_strings(words)))


def blob_crc(blob: bytes) -> int:
    """CRC-32 of a blob (ties a stored word table to the word list it was built from)."""
    return zlib.crc32(blob) & 0xFFFFFFFF


def build_index(model_dir: PathLike) -> Path:
    """Write the hashed index of a format-2 model directory beside its files; return the
    directory.
    """
    model_dir = Path(model_dir)
    if model_format(model_dir) != FEATURES_FORMAT:
        raise ValueError(
            f"{model_dir}: the index needs a format-2 model (run `govnlp setup-segmenter`)"
        )
    data = srsly.read_msgpack(model_dir / FEATURES_FILE)
    names: List[str] = _unblob(data["features"], int(data["n_feature"]))
    unigram: List[str] = _unblob(data["unigram"], int(data["n_unigram"]))
    if names[0] != "$$":
        raise ValueError(f"{model_dir}: feature 0 is {names[0]!r}, not pkuseg's '$$'")
    features = HashTable.build(finalize(hash_strings(names)), values=np.arange(len(names)))
    features.save(model_dir, "features")
    HashTable.build(finalize(hash_strings(sorted(set(unigram))))).save(model_dir, "unigram")
    meta: Dict[str, Any] = {
        "format": INDEX_FORMAT,
        "hash": "polynomial mod 2**64, base 0x9E3779B97F4A7C15, digits ord+1, murmur3 fmix64",
        "n_feature": len(names),
        "n_unigram": len(set(unigram)),
        "features_file_size": (model_dir / FEATURES_FILE).stat().st_size,
        "empty_is_unigram": "" in set(unigram),
        "noword_features": any(NO_WORD in n for n in names),
        "tag_to_idx": dict(data["tag_to_idx"]),
    }
    for name, blob in word_blobs(model_dir).items():
        blob_table(blob).save(model_dir, name)
        meta[f"{name}_crc"] = blob_crc(blob)
    tmp = model_dir / (INDEX_FILE + ".tmp")
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(model_dir / INDEX_FILE)
    return model_dir


def read_index_meta(model_dir: PathLike) -> Optional[Dict[str, Any]]:
    """The index metadata, or ``None`` when the directory has no current index.

    An index whose feature file size differs from the model's is stale (``None``).
    """
    model_dir = Path(model_dir)
    path = model_dir / INDEX_FILE
    if not path.exists() or not (model_dir / FEATURES_FILE).exists():
        return None
    meta = json.loads(path.read_text(encoding="utf-8"))
    if meta.get("format") != INDEX_FORMAT:
        return None
    if meta.get("features_file_size") != (model_dir / FEATURES_FILE).stat().st_size:
        return None
    return meta


def has_index(model_dir: PathLike) -> bool:
    """Whether ``model_dir`` carries a current hashed index (see :func:`build_index`)."""
    return read_index_meta(model_dir) is not None


#: Every file of the index (for copying a model directory).
def index_files(model_dir: PathLike) -> List[Path]:
    """The index files present in ``model_dir``."""
    model_dir = Path(model_dir)
    stems = ("features", "unigram") + WORD_TABLES
    out = [model_dir / INDEX_FILE] if (model_dir / INDEX_FILE).exists() else []
    for stem in stems:
        out.extend(p for p in sorted(model_dir.glob(f"{stem}.*.npy")))
    return out
