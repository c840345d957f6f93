"""Reading, converting and loading pkuseg segmenter models without pickle.

pkuseg's pretrained ``default`` model ships as ``features.pkl`` (a pickle) and
``weights.npz``. :func:`convert_pkuseg_model` turns it *once*, at set-up, into
a directory that loads with msgpack and numpy only (format 2)::

    <model_dir>/features.msgpack   feature names in index order and the unigram word
                                   list, each one UTF-8 blob of newline-separated strings
    <model_dir>/weights.npy        CRF weights of the kept features, float64 (memory-mapped)
    <model_dir>/processors.msgpack post-processing word list (a blob) and user dictionary
    <model_dir>/meta.json          provenance, pruning threshold, format

Format 1 (lists of strings in msgpack, ``weights.npz``) still loads, more
slowly; ``govnlp setup-segmenter`` upgrades a format-1 directory in place,
offline. Format 2 loads in about two thirds of the time (≈ 1.7 s instead of
≈ 2.6 s on the reference machine): the 2.5 M feature names come out of one
``bytes.decode().split()`` instead of 2.5 M msgpack strings, the name → index
table is built by one C-level ``dict.update(zip(...))`` (see :func:`_index`),
and the 99 MB of weights are memory-mapped (read on first use, shared between
processes) instead of read out of a zip. The dictionary itself (≈ 1 s) is
what remains: pkuseg's Cython looks features up in a ``dict`` of strings.
govnlp's numpy segmenter (:mod:`~govnlp.segmenter.fast`) needs no dictionary:
it memory-maps the hashed index that set-up writes beside these files
(:mod:`~govnlp.segmenter.index`) and loads in milliseconds.

The pickle is read by :class:`RefusingUnpickler`, which refuses every global
(class or function) a pickle could name, so even at set-up it cannot execute
code: only plain dicts, lists, strings and numbers come out.

>>> from govnlp.segmenter.model_files import load_pkuseg
>>> seg = load_pkuseg(default_model_dir())              # doctest: +SKIP
>>> seg.cut("县发改局牵头")                               # doctest: +SKIP
['县', '发改局', '牵头']
"""

from __future__ import annotations

import io
import json
import os
import pickle
import sys
import zipfile
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple, Union

import numpy as np
import srsly

PathLike = Union[str, "os.PathLike[str]"]

#: File names of a converted model directory.
FEATURES_FILE = "features.msgpack"
#: Format tag written into the features file (and meta.json).
FEATURES_FORMAT = "govnlp-pkuseg-features/2"
#: The previous format (lists of strings, weights in an .npz); still readable.
FEATURES_FORMAT_V1 = "govnlp-pkuseg-features/1"
WEIGHTS_FILE = "weights.npy"
WEIGHTS_FILE_V1 = "weights.npz"
PROCESSORS_FILE = "processors.msgpack"
PROCESSORS_FORMAT = "govnlp-pkuseg-processors/2"
META_FILE = "meta.json"
#: Separator of the string blobs (never part of a feature name or a word: pkuseg
#: splits its training text on whitespace).
_SEP = "\n"

#: Environment variable that points govnlp at another data directory.
DATA_DIR_ENV = "GOVNLP_DATA_DIR"


class SegmenterModelMissing(FileNotFoundError):
    """Raised when the pkuseg model has not been provisioned."""


class RefusingUnpickler(pickle.Unpickler):
    """An unpickler that refuses to resolve any global name.

    Plain containers (dict, list, str, int, float) load; anything that would
    import a module or call a function raises ``pickle.UnpicklingError``.

    >>> RefusingUnpickler(io.BytesIO(pickle.dumps({"a": [1, "b"]}))).load()
    {'a': [1, 'b']}
    """

    def find_class(self, module: str, name: str) -> Any:  # noqa: D102
        raise pickle.UnpicklingError(f"refused to load global {module}.{name} from a pickle")


def data_dir() -> Path:
    """Where govnlp keeps provisioned data (segmenter model, divisions).

    ``$GOVNLP_DATA_DIR`` when set, else ``<sys.prefix>/share/govnlp`` — inside
    the virtual environment, so a fresh ``.venv`` is self-contained.
    """
    env = os.environ.get(DATA_DIR_ENV)
    return Path(env) if env else Path(sys.prefix) / "share" / "govnlp"


def default_model_dir() -> Path:
    """Directory of the provisioned default pkuseg model."""
    return data_dir() / "pkuseg" / "default"


def _read_member(source: PathLike, name: str) -> bytes:
    """Read ``pkuseg/models/default/<name>`` from a wheel, or ``<name>`` from a directory."""
    source = Path(source)
    if source.is_dir():
        return (source / name).read_bytes()
    with zipfile.ZipFile(source) as zf:
        return zf.read(f"pkuseg/models/default/{name}")


def read_pickled_features(raw: bytes) -> Dict[str, Any]:
    """Decode pkuseg's ``features.pkl`` with :class:`RefusingUnpickler`."""
    data = RefusingUnpickler(io.BytesIO(raw)).load()
    expected = {"unigram", "bigram", "feature_to_idx", "tag_to_idx"}
    if not isinstance(data, dict) or not expected <= set(data):
        raise ValueError(
            "not a pkuseg feature file: keys "
            f"{sorted(data) if isinstance(data, dict) else type(data)}"
        )
    return data


def prune_features(
    features: Dict[str, Any], w: np.ndarray, n_tag: int, threshold: float
) -> Tuple[Dict[str, Any], np.ndarray]:
    """Drop node features whose weights are all within ``threshold`` of zero.

    A feature that is absent contributes nothing to a CRF score, exactly like a
    feature whose weights are zero, so ``threshold=0`` changes nothing and a
    small threshold changes scores by at most ``threshold`` per feature.
    Feature 0 (``$$``, pkuseg's fallback) is always kept.
    """
    f2i: Dict[str, int] = features["feature_to_idx"]
    n_feature = len(f2i)
    node = w[: n_feature * n_tag].reshape(n_feature, n_tag)
    trans = w[n_feature * n_tag :]
    keep = np.abs(node).max(axis=1) > threshold
    keep[0] = True
    old_index = np.flatnonzero(keep)
    rank = np.cumsum(keep) - 1
    new_f2i = {f: int(rank[i]) for f, i in f2i.items() if keep[i]}
    new_w = np.concatenate([node[old_index].reshape(-1), trans])
    pruned = dict(features)
    pruned["feature_to_idx"] = new_f2i
    return pruned, new_w


def convert_pkuseg_model(
    source: PathLike,
    out_dir: PathLike,
    *,
    prune_threshold: float = 0.0,
    weights_dtype: str = "float64",
    dictionary_pickle: Optional[PathLike] = None,
) -> Path:
    """Convert pkuseg's pickled ``default`` model into a pickle-free directory.

    ``source`` is the ``pkuseg==0.0.25`` wheel or a directory holding
    ``features.pkl`` and ``weights.npz``. ``dictionary_pickle`` is spacy-pkuseg's
    ``dicts/default.pkl`` (the post-processing word list spaCy uses with
    ``pkuseg_user_dict="default"``); it is located automatically when omitted.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    features = read_pickled_features(_read_member(source, "features.pkl"))
    with np.load(io.BytesIO(_read_member(source, "weights.npz")), allow_pickle=False) as npz:
        sizes = npz["sizes"]
        w = npz["w"]
    n_tag, n_feature = int(sizes[0]), int(sizes[1])
    if len(features["feature_to_idx"]) != n_feature:
        raise ValueError("features.pkl and weights.npz disagree on the number of features")
    original = len(features["feature_to_idx"])
    features, w = prune_features(features, w, n_tag, prune_threshold)
    write_features(out, features["unigram"], features["feature_to_idx"], features["tag_to_idx"])
    write_weights(out, n_tag, len(features["feature_to_idx"]), w, weights_dtype)
    other_words = read_default_dictionary(dictionary_pickle)
    write_processors(out, user_dict=[], do_process=True, common_words=[], other_words=other_words)
    meta = {
        "format": FEATURES_FORMAT,
        "source": "pkuseg==0.0.25 (PyPI), models/default; research use only",
        "features_original": original,
        "features_kept": len(features["feature_to_idx"]),
        "prune_threshold": prune_threshold,
        "weights_dtype": weights_dtype,
    }
    (out / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    return out


def _blob(strings: Iterable[str], what: str) -> bytes:
    """Strings as one UTF-8 blob, newline-separated (read back with ``_unblob``)."""
    strings = list(strings)
    for x in strings:
        if _SEP in x:
            raise ValueError(f"{what} {x!r} contains a newline; it cannot be stored in format 2")
    return _SEP.join(strings).encode("utf-8")


def _unblob(blob: bytes, n: Optional[int] = None) -> List[str]:
    """The strings of a blob, made by one C-level decode and split."""
    out = blob.decode("utf-8").split(_SEP) if (blob or n) else []
    if n is not None and len(out) != n:
        raise ValueError(f"expected {n} strings, found {len(out)}")
    return out


def write_features(
    out: Path, unigram: Iterable[str], feature_to_idx: Dict[str, int], tag_to_idx: Dict[str, int]
) -> None:
    """Write the feature table (format 2): names in index order, as a blob.

    pkuseg's bigram list is not written: its inference path
    (``get_node_features_idx``) only consults the unigram set.
    """
    names = [""] * len(feature_to_idx)
    for name, idx in feature_to_idx.items():
        names[idx] = name
    unigram = sorted(unigram)
    srsly.write_msgpack(
        Path(out) / FEATURES_FILE,
        {
            "format": FEATURES_FORMAT,
            "n_feature": len(names),
            "n_unigram": len(unigram),
            "tag_to_idx": dict(tag_to_idx),
            "unigram": _blob(unigram, "unigram word"),
            "features": _blob(names, "feature name"),
        },
    )


def write_weights(
    out: Path, n_tag: int, n_feature: int, w: np.ndarray, dtype: str = "float64"
) -> None:
    """Write CRF weights as ``weights.npy`` (format 2, memory-mappable).

    ``float32`` halves the file but changes a few Viterbi ties (3 of 366
    documents of ../shared/corpus segment differently), so the default keeps
    float64; the in-memory model is float64 either way (pkuseg's Cython needs it).
    The file is replaced atomically: a process that has the old one
    memory-mapped keeps reading the old one.
    """
    w = np.asarray(w)
    if w.shape != (n_tag * (n_feature + n_tag),):
        raise ValueError(
            f"weights of shape {w.shape} do not fit {n_tag} tags x {n_feature} features"
        )
    target = Path(out) / WEIGHTS_FILE
    tmp = target.with_name(target.name + f".{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        np.save(fh, np.ascontiguousarray(w, dtype=dtype), allow_pickle=False)
    os.replace(tmp, target)


def read_default_dictionary(path: Optional[PathLike] = None) -> List[str]:
    """The word list of spacy-pkuseg's ``dicts/default.pkl`` (read without executing code)."""
    if path is None:
        import spacy_pkuseg

        path = Path(spacy_pkuseg.__file__).parent / "dicts" / "default.pkl"
    text = RefusingUnpickler(io.BytesIO(Path(path).read_bytes())).load()
    if not isinstance(text, str):
        raise ValueError("unexpected content in pkuseg's default dictionary")
    return sorted(set(text.strip().split("\n")))


def write_processors(
    model_dir: PathLike,
    *,
    user_dict: Iterable[Tuple[str, str]] | Iterable[str],
    do_process: bool,
    common_words: Iterable[str],
    other_words: Iterable[str],
) -> None:
    """Write the pre/post-processing state (format 2: word lists as blobs)."""
    entries = [[w, ""] if isinstance(w, str) else list(w) for w in user_dict]
    srsly.write_msgpack(
        Path(model_dir) / PROCESSORS_FILE,
        {
            "format": PROCESSORS_FORMAT,
            "user_dict": entries,
            "do_process": bool(do_process),
            "common_words": _blob(sorted(common_words), "common word"),
            "other_words": _blob(sorted(other_words), "word"),
        },
    )


def model_format(model_dir: PathLike) -> Optional[str]:
    """The format tag of a converted model directory (``None``: no model there).

    Reads only the head of ``features.msgpack`` (the format is its first key).
    """
    path = Path(model_dir) / FEATURES_FILE
    if not path.exists():
        return None
    import msgpack

    with open(path, "rb") as fh:
        unpacker = msgpack.Unpacker(fh, raw=False, read_size=4096)
        try:
            if unpacker.read_map_header() < 1 or unpacker.unpack() != "format":
                return "unknown"
            value = unpacker.unpack()
        except Exception:  # noqa: BLE001 - anything unreadable is "unknown"
            return "unknown"
    return value if isinstance(value, str) else "unknown"


def _index(names: List[str]) -> Dict[str, int]:
    """``{name: i}`` for the feature names, in one C-level call.

    The table starts with a non-string key that is removed at the end: CPython
    (3.11+) then keeps the "general" layout, which stores each key's hash in
    the table, instead of the string-only layout, which must reach into every
    string object to read its hash on each resize and probe. With 2.5 M random
    strings that saves about a third of the time (≈ 1.0 s instead of ≈ 1.5 s on
    the reference machine). The result is an ordinary ``dict`` with exactly the
    same items either way; on other Pythons the trick is harmless.
    """
    table: Dict[Any, int] = {None: -1}
    table.update(zip(names, range(len(names))))
    del table[None]
    return table


def load_pkuseg(model_dir: PathLike, *, mmap: bool = True) -> Any:
    """Load a converted model directory as a ``spacy_pkuseg.pkuseg`` object.

    Reads msgpack and numpy ``.npy``/``.npz`` files with ``allow_pickle=False``;
    nothing in the directory can execute code. With ``mmap`` (the default) the
    weights of a format-2 directory are memory-mapped read-only.
    """
    import spacy_pkuseg

    model_dir = Path(model_dir)
    fmt = model_format(model_dir)
    if fmt is None:
        if (model_dir / "features.pkl").exists():
            raise ValueError(
                f"{model_dir} holds a pickled model; convert it with govnlp setup-segmenter"
            )
        raise SegmenterModelMissing(
            f"no pkuseg model in {model_dir}. Provision it once with "
            "`govnlp setup-segmenter` (downloads pkuseg==0.0.25 from PyPI and converts it), "
            'or choose segmenter = "char" or "jieba" in the config.'
        )
    if fmt == FEATURES_FORMAT:
        unigram, names, tag_to_idx, n_tag, w = _read_v2(model_dir, mmap=mmap)
    elif fmt == FEATURES_FORMAT_V1:
        unigram, names, tag_to_idx, n_tag, w = _read_v1(model_dir)
    else:
        raise ValueError(
            f"{model_dir / FEATURES_FILE} is not a govnlp pkuseg feature file (format {fmt!r})"
        )
    n_feature = len(names)
    if w.shape[0] != n_tag * (n_feature + n_tag):
        raise ValueError(f"{model_dir}: features and weights disagree")
    fe = spacy_pkuseg.FeatureExtractor.__new__(spacy_pkuseg.FeatureExtractor)
    fe.unigram = set(unigram)
    fe.bigram = set()
    fe.feature_to_idx = _index(names)
    del names
    fe.tag_to_idx = tag_to_idx
    model = spacy_pkuseg.Model.__new__(spacy_pkuseg.Model)
    model.n_tag, model.n_feature = n_tag, n_feature
    model.n_transition_feature = n_tag * (n_feature + n_tag)
    model.w = w
    seg = spacy_pkuseg.pkuseg.__new__(spacy_pkuseg.pkuseg)
    seg.postag = False
    seg.feature_extractor = fe
    seg.model = model
    seg.idx_to_tag = {idx: tag for tag, idx in fe.tag_to_idx.items()}
    seg.n_feature, seg.n_tag = n_feature, len(fe.tag_to_idx)
    seg.preprocesser = spacy_pkuseg.Preprocesser(None)
    seg.postprocesser = spacy_pkuseg.Postprocesser(None, None)
    apply_processors(seg, model_dir / PROCESSORS_FILE)
    return seg


def _read_v2(
    model_dir: Path, *, mmap: bool
) -> Tuple[List[str], List[str], Dict[str, int], int, np.ndarray]:
    data = srsly.read_msgpack(model_dir / FEATURES_FILE)
    names = _unblob(data["features"], int(data["n_feature"]))
    unigram = _unblob(data["unigram"], int(data["n_unigram"]))
    tag_to_idx = dict(data["tag_to_idx"])
    w = np.load(model_dir / WEIGHTS_FILE, mmap_mode="r" if mmap else None, allow_pickle=False)
    if w.dtype != np.float64 or w.ndim != 1:
        w = np.ascontiguousarray(w, dtype=np.float64).reshape(-1)
    return unigram, names, tag_to_idx, len(tag_to_idx), w


def _read_v1(model_dir: Path) -> Tuple[List[str], List[str], Dict[str, int], int, np.ndarray]:
    if not (model_dir / WEIGHTS_FILE_V1).exists():
        raise SegmenterModelMissing(
            f"no {WEIGHTS_FILE_V1} in {model_dir}; run `govnlp setup-segmenter`"
        )
    data = srsly.read_msgpack(model_dir / FEATURES_FILE)
    with np.load(model_dir / WEIGHTS_FILE_V1, allow_pickle=False) as npz:
        n_tag, n_feature = (int(x) for x in npz["sizes"])
        w = np.ascontiguousarray(npz["w"], dtype=np.float64)
    names = list(data["features"])
    if len(names) != n_feature:
        raise ValueError(f"{model_dir}: features and weights disagree")
    return list(data["unigram"]), names, dict(data["tag_to_idx"]), n_tag, w


def upgrade_model(model_dir: PathLike) -> bool:
    """Rewrite a format-1 model directory in format 2, in place, offline.

    The new files are written to a sibling directory that then replaces the
    old one (two renames), so a concurrent reader sees one format or the other.
    Returns ``False`` when the directory is already current.
    """
    import shutil

    model_dir = Path(model_dir)
    fmt = model_format(model_dir)
    if fmt == FEATURES_FORMAT:
        return False
    if fmt != FEATURES_FORMAT_V1:
        raise ValueError(f"{model_dir}: cannot upgrade a model of format {fmt!r}")
    unigram, names, tag_to_idx, n_tag, w = _read_v1(model_dir)
    staging = model_dir.with_name(model_dir.name + ".upgrade")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    write_features(staging, unigram, {n: i for i, n in enumerate(names)}, tag_to_idx)
    write_weights(staging, n_tag, len(names), w, "float64")
    proc = model_dir / PROCESSORS_FILE
    if proc.exists():
        user_dict, do_process, common_words, other_words = _read_processors(proc)
        write_processors(
            staging,
            user_dict=user_dict,
            do_process=do_process,
            common_words=common_words,
            other_words=other_words,
        )
    meta_path = model_dir / META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    meta["format"] = FEATURES_FORMAT
    meta["upgraded_from"] = FEATURES_FORMAT_V1
    (staging / META_FILE).write_text(
        json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    old = model_dir.with_name(model_dir.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    os.rename(model_dir, old)
    os.rename(staging, model_dir)
    shutil.rmtree(old, ignore_errors=True)
    return True


def _read_processors(path: Path) -> Tuple[List[Tuple[str, str]], bool, List[str], List[str]]:
    """(user_dict, do_process, common_words, other_words) from either format."""
    data = srsly.read_msgpack(path)
    if isinstance(data, dict):
        if data.get("format") != PROCESSORS_FORMAT:
            raise ValueError(f"{path} is not a govnlp pkuseg processors file")
        return (
            [tuple(e) for e in data["user_dict"]],
            bool(data["do_process"]),
            _unblob(data["common_words"]),
            _unblob(data["other_words"]),
        )
    user_dict, do_process, common_words, other_words = data
    return [tuple(e) for e in user_dict], bool(do_process), list(common_words), list(other_words)


def apply_processors(seg: Any, path: Path) -> None:
    """Install pre/post-processors read from ``processors.msgpack`` on ``seg``."""
    import spacy_pkuseg

    if not path.exists():
        return
    user_dict, do_process, common_words, other_words = _read_processors(path)
    seg.preprocesser = spacy_pkuseg.Preprocesser(list(user_dict) or None)
    seg.postprocesser.do_process = bool(do_process)
    seg.postprocesser.common_words = set(common_words)
    seg.postprocesser.other_words = set(other_words)


def save_pkuseg(seg: Any, model_dir: PathLike) -> None:
    """Write a loaded segmenter (with its user dictionary) to ``model_dir``."""
    from spacy.lang.zh import _get_pkuseg_trie_data

    out = Path(model_dir)
    out.mkdir(parents=True, exist_ok=True)
    fe = seg.feature_extractor
    write_features(out, fe.unigram, fe.feature_to_idx, fe.tag_to_idx)
    write_weights(out, seg.model.n_tag, seg.model.n_feature, seg.model.w, "float64")
    write_processors(
        out,
        user_dict=_get_pkuseg_trie_data(seg.preprocesser.trie),
        do_process=seg.postprocesser.do_process,
        common_words=seg.postprocesser.common_words,
        other_words=seg.postprocesser.other_words,
    )
