"""The ``govnlp_units`` pipeline component.

Runs after ``govnlp_items``. First it resolves the document's county once
(:func:`govnlp.units.region.document_region`: the ``region`` option, else the input's
metadata in ``doc._.input_meta`` and the text; a ``doc._.region`` set beforehand is kept),
stores it in ``doc._.region`` and, when still empty, ``doc._.meta["region"]`` (with
``doc._.meta["region_from"] = "input_meta"`` when the metadata decided it). Then, for every
leaf item of ``doc._.items``, it fills ``item["units"]`` with unit records (offsets into
``doc.text``), linked in that county.

>>> import spacy, govnlp.units.component
>>> nlp = spacy.blank("zh")
>>> units = nlp.add_pipe("govnlp_units", config={"divisions": None, "region": "嵊泗县"})
>>> doc = nlp.make_doc("1.推进项目。责任单位:县发改局")
>>> doc._.items = [{"start": 0, "end": len(doc.text), "leaf": True, "units": []}]
>>> doc = units(doc)
>>> doc._.items[0]["units"][0]["canonical"]
'县发展和改革局'
"""

from __future__ import annotations

import json
from bisect import bisect_right
from pathlib import Path
from typing import Any, Dict, List, Optional

import msgpack
from spacy.language import Language
from spacy.tokens import Doc

from .._doctext import doc_text
from .._extensions import register_extensions
from .gazetteer import Gazetteer
from .linker import DocumentLookup, find_units
from ..textnorm import to_simplified
from .region import REGION_FROM_METADATA, Region, document_level_word, document_region


@Language.factory(
    "govnlp_units",
    assigns=["doc._.items", "doc._.meta", "doc._.region"],
    default_config={
        "template": "default",
        "divisions": "default",
        "county_files": [],
        "region": None,
        "nil_in_text": True,
        "segmenter_words": True,
    },
)
def make_units_component(
    nlp: Language,
    name: str,
    template: Optional[str],
    divisions: Optional[str],
    county_files: List[str],
    region: Optional[str],
    nil_in_text: bool,
    segmenter_words: bool,
) -> "UnitLinker":
    """Config entry point. ``template``: "default" (bundled) or a JSONL path or null;
    ``divisions``: "default" (built at set-up), a path, or null (no divisions: no townships,
    no region detection, a ``region`` kept as written); ``county_files``: user JSONL/CSV
    files; ``region``: fixed county (name or adcode), else resolved per document from its
    input metadata and text (:func:`govnlp.units.region.document_region`);
    ``segmenter_words``: add the gazetteer's unit names to the pkuseg user dictionary when
    the pipeline is initialised, so that a unit name stays one token."""
    gaz = Gazetteer.default(template=template, divisions=divisions, county_files=county_files)
    return UnitLinker(
        gaz,
        name=name,
        region=region,
        nil_in_text=nil_in_text,
        segmenter_words=segmenter_words,
        county_files=county_files,
    )


def item_own_spans(items: List[Dict[str, Any]]) -> List[tuple]:
    """(start, end) of the text each item owns: a leaf its whole span, a heading the part
    before its first nested item (so no mention is reported twice)."""
    starts = sorted(it["start"] for it in items)
    out = []
    for it in items:
        s, e = it["start"], it["end"]
        if not it.get("leaf", True):
            k = bisect_right(starts, s)  # the first item starting after s, if before e
            if k < len(starts) and starts[k] < e:
                e = starts[k]
        out.append((s, e))
    return out


class UnitLinker:
    """Rule component carrying its gazetteer (serialised with msgpack).

    The pipeline config wins over saved state: a saved linker loaded with a ``region`` or
    ``county_files`` in its config (``govnlp tag --model DIR --region X --county-file F``)
    keeps that region and adds those files on top of the saved gazetteer."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        *,
        name: str = "govnlp_units",
        region: Optional[str] = None,
        nil_in_text: bool = True,
        segmenter_words: bool = True,
        county_files: List[str] = (),
    ) -> None:  # type: ignore[assignment]
        register_extensions()
        self.county_files = list(county_files)
        self.segmenter_words = segmenter_words
        self.name = name
        self.gazetteer = gazetteer
        self.region = region
        self.nil_in_text = nil_in_text

    def initialize(self, get_examples: Any = None, *, nlp: Optional[Language] = None) -> None:
        """Add the unit names to the pkuseg user dictionary (spaCy calls this after
        the tokenizer's own ``initialize`` has loaded the pkuseg model)."""
        tokenizer = getattr(nlp, "tokenizer", None)
        if not self.segmenter_words or not hasattr(tokenizer, "pkuseg_update_user_dict"):
            return
        if str(getattr(tokenizer, "segmenter", "")) not in ("pkuseg", "Segmenter.pkuseg"):
            return
        tokenizer.pkuseg_update_user_dict(self.gazetteer.surface_forms(self.region))

    def doc_region(self, doc: Doc) -> Optional[Dict[str, Any]]:
        """The document's county as ``{"name", "adcode"}`` (None if unknown), resolved once.

        ``doc._.region`` when set; else a ``doc._.meta["region"]`` set beforehand (taken as
        the caller's metadata); else :func:`document_region` of the text, the ``region``
        option and ``doc._.input_meta``, in the gazetteer's divisions.
        """
        region = self.resolve(doc)
        return region.record() if region else None

    def resolve(self, doc: Doc) -> Optional[Region]:
        """:meth:`doc_region` as a :class:`Region` (and where it is stored)."""
        region = Region.of(doc)
        meta = doc._.meta
        if meta is None:
            meta = {}
            doc._.meta = meta
        if region is None:
            if meta.get("region"):
                region = self.gazetteer.region(meta["region"], source="metadata")
            else:
                region = document_region(
                    doc_text(doc),
                    option=self.region,
                    meta=doc._.input_meta,
                    divisions=self.gazetteer.divisions,
                )
            if region is not None:
                doc._.region = region.to_dict()
        if region is not None and not meta.get("region"):
            meta["region"] = region.record()
            if region.source == "metadata":
                meta["region_from"] = REGION_FROM_METADATA
        return region

    def __call__(self, doc: Doc) -> Doc:
        region = self.resolve(doc)
        text = doc_text(doc)
        simplified = to_simplified(text)
        # a county we cannot name still tells its level word (区委, 区直各单位)
        lw = None if region and region.name else document_level_word(simplified)
        view = self.gazetteer.view(region, level_word_=lw)
        lookup = DocumentLookup(simplified, view)  # once for all the items
        items = doc._.items or []
        for it, (s, e) in zip(items, item_own_spans(items)):
            # a table row's 责任单位 cell (a duty line without a `label:`) is a role list too
            cells = [
                (d["value_start"] - s, d["value_end"] - s, d["label"])
                for d in it.get("duty_lines") or []
                if d["start"] == d["value_start"] and s <= d["value_start"] < d["value_end"] <= e
            ]
            it["units"] = (
                find_units(
                    text[s:e],
                    view,
                    offset=s,
                    nil_in_text=self.nil_in_text,
                    cells=cells,
                    lookup=lookup,
                )
                if e > s
                else []
            )
        return doc

    def pipe(self, stream, batch_size: int = 128):
        for doc in stream:
            yield self(doc)

    # -- serialisation -------------------------------------------------------
    def _cfg(self) -> Dict[str, Any]:
        return {"region": self.region, "nil_in_text": self.nil_in_text}

    def to_bytes(self, *, exclude: tuple = ()) -> bytes:
        return msgpack.packb(
            {"cfg": self._cfg(), "gazetteer": self.gazetteer.to_bytes()}, use_bin_type=True
        )

    def _restore(self, cfg: Dict[str, Any], gazetteer: Gazetteer) -> "UnitLinker":
        """Saved state under the config: the config's region and county files win."""
        for f in self.county_files:
            gazetteer.load_file(f)
        self.gazetteer = gazetteer
        self.region = self.region or cfg.get("region")
        self.nil_in_text = cfg.get("nil_in_text", True)
        return self

    def from_bytes(self, data: bytes, *, exclude: tuple = ()) -> "UnitLinker":
        d = msgpack.unpackb(data, raw=False)
        return self._restore(d["cfg"], Gazetteer.from_bytes(d["gazetteer"]))

    def to_disk(self, path: Any, *, exclude: tuple = ()) -> None:
        p = Path(path)
        p.mkdir(parents=True, exist_ok=True)
        (p / "cfg.json").write_text(json.dumps(self._cfg(), ensure_ascii=False), encoding="utf-8")
        self.gazetteer.to_disk(p / "gazetteer.msgpack")

    def from_disk(self, path: Any, *, exclude: tuple = ()) -> "UnitLinker":
        p = Path(path)
        cfg = json.loads((p / "cfg.json").read_text(encoding="utf-8"))
        return self._restore(cfg, Gazetteer.from_disk(p / "gazetteer.msgpack"))
