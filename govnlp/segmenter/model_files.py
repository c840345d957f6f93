"""Reading, converting and loading pkuseg segmenter models without pickle.

pkuseg's pretrained ``default`` model ships as ``features.pkl`` (a pickle) and
``weights.npz``. :func:`convert_pkuseg_model` turns it *once*, at set-up, into
a directory that loads with msgpack and numpy only::

    <model_dir>/features.msgpack   unigram word list, feature names in index order
    <model_dir>/weights.npz        CRF weights of the kept features (no object arrays)
    <model_dir>/processors.msgpack post-processing word list and user dictionary
    <model_dir>/meta.json          provenance, pruning threshold, agreement figures

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
#: Format tag written into the features file.
FEATURES_FORMAT = "govnlp-pkuseg-features/1"
WEIGHTS_FILE = "weights.npz"
PROCESSORS_FILE = "processors.msgpack"
META_FILE = "meta.json"

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
        raise ValueError(f"not a pkuseg feature file: keys {sorted(data) if isinstance(data, dict) else type(data)}")
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
        "source": "pkuseg==0.0.25 (PyPI), models/default; research use only",
        "features_original": original,
        "features_kept": len(features["feature_to_idx"]),
        "prune_threshold": prune_threshold,
        "weights_dtype": weights_dtype,
    }
    (out / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    return out


def write_features(out: Path, unigram: Iterable[str], feature_to_idx: Dict[str, int], tag_to_idx: Dict[str, int]) -> None:
    """Write the feature table compactly: names as a list in index order.

    pkuseg's bigram list is not written: its inference path
    (``get_node_features_idx``) only consults the unigram set.
    """
    names = [""] * len(feature_to_idx)
    for name, idx in feature_to_idx.items():
        names[idx] = name
    srsly.write_msgpack(
        out / FEATURES_FILE,
        {"format": FEATURES_FORMAT, "unigram": sorted(unigram), "features": names, "tag_to_idx": dict(tag_to_idx)},
    )


def write_weights(out: Path, n_tag: int, n_feature: int, w: np.ndarray, dtype: str = "float64") -> None:
    """Write CRF weights. ``float32`` halves the file but changes a few Viterbi ties
    (3 of 366 documents of ../shared/corpus segment differently), so the default
    keeps float64; the in-memory model is float64 either way (pkuseg's Cython needs it)."""
    np.savez(out / WEIGHTS_FILE, sizes=np.array([n_tag, n_feature], dtype=np.int64), w=w.astype(dtype))


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
    """Write the pre/post-processing state in spaCy's ``pkuseg_processors`` layout."""
    entries = [(w, "") if isinstance(w, str) else tuple(w) for w in user_dict]
    srsly.write_msgpack(
        Path(model_dir) / PROCESSORS_FILE,
        (entries, do_process, sorted(common_words), sorted(other_words)),
    )


def load_pkuseg(model_dir: PathLike) -> Any:
    """Load a converted model directory as a ``spacy_pkuseg.pkuseg`` object.

    Reads msgpack and a numpy ``.npz`` with ``allow_pickle=False``; nothing in
    the directory can execute code.
    """
    import spacy_pkuseg

    model_dir = Path(model_dir)
    if not (model_dir / FEATURES_FILE).exists() or not (model_dir / WEIGHTS_FILE).exists():
        raise SegmenterModelMissing(
            f"no pkuseg model in {model_dir}. Provision it once with "
            "`govnlp setup-segmenter` (downloads pkuseg==0.0.25 from PyPI and converts it), "
            "or choose segmenter = \"char\" or \"jieba\" in the config."
        )
    if (model_dir / "features.pkl").exists() and not (model_dir / FEATURES_FILE).exists():
        raise ValueError(f"{model_dir} holds a pickled model; convert it with govnlp setup-segmenter")
    data = srsly.read_msgpack(model_dir / FEATURES_FILE)
    if data.get("format") != FEATURES_FORMAT:
        raise ValueError(f"{model_dir / FEATURES_FILE} is not a govnlp pkuseg feature file")
    with np.load(model_dir / WEIGHTS_FILE, allow_pickle=False) as npz:
        n_tag, n_feature = (int(x) for x in npz["sizes"])
        w = np.ascontiguousarray(npz["w"], dtype=np.float64)
    names = data["features"]
    if len(names) != n_feature or w.shape[0] != n_tag * (n_feature + n_tag):
        raise ValueError(f"{model_dir}: features and weights disagree")
    fe = spacy_pkuseg.FeatureExtractor.__new__(spacy_pkuseg.FeatureExtractor)
    fe.unigram = set(data["unigram"])
    fe.bigram = set()
    fe.feature_to_idx = dict(zip(names, range(n_feature)))
    fe.tag_to_idx = data["tag_to_idx"]
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


def apply_processors(seg: Any, path: Path) -> None:
    """Install pre/post-processors read from ``processors.msgpack`` on ``seg``."""
    import spacy_pkuseg

    if not path.exists():
        return
    user_dict, do_process, common_words, other_words = srsly.read_msgpack(path)
    seg.preprocesser = spacy_pkuseg.Preprocesser([tuple(e) for e in user_dict] or None)
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
