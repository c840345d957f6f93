"""``govnlp.render``: a document's items, targets and units with spaCy's displaCy ``span`` style.

Work items are underlined in the colour of their primary domain (``labels[0]``;
no labels: ``unlabelled``, grey) and labelled with the domain's Chinese name;
numeric targets (目标 / 实绩 / 预计, by ``kind``) and government units (单位;
``单位?`` when the gazetteer does not know it) are spans nested under them.
A ``Doc`` is rendered over its own tokens; a record (``govnlp tag`` output, with
``text``) over its characters.

>>> import govnlp
>>> nlp = govnlp.load(segmenter="char")
>>> html = render(nlp("一、抓投资。\\n1.固定资产投资增长10%。\\n责任单位:县发改局"), jupyter=False)
>>> 'class="govnlp-render' in html and ">目标<" in html and ">单位<" in html
True
>>> rec = govnlp.doc_to_record(nlp("1.县发改局牵头。"), "a.txt")
>>> render(rec, jupyter=False, page=True).startswith("<!DOCTYPE html>")
True
"""

from __future__ import annotations

import html as _html
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from spacy import displacy
from spacy.tokens import Doc

from .colors import label_color, label_name, label_order, primary_label, special_color

__all__ = ["HTMLString", "render", "render_parts", "RENDER_CSS", "TARGET_LABELS"]

#: span labels of targets, by ``kind``
TARGET_LABELS = {"target": "目标", "outcome": "实绩", "forecast": "预计"}
UNIT_LABEL = "单位"
UNIT_NIL_LABEL = "单位?"

# displaCy's span templates, made compact (no whitespace between a token and its
# underlines, classes instead of repeated inline styles): Chinese has no spaces
# between words, and long documents stay small.
_TEMPLATE = {
    "span": (
        '<span class="gv-t" style="height:{total_height}px">{text}{span_slices}{span_starts}</span>'
    ),
    "slice": '<span class="gv-sl" style="background:{bg};top:{top_offset}px"></span>',
    "start": (
        '<span class="gv-st" style="background:{bg};top:{top_offset}px">'
        '<span class="gv-lb" style="background:{bg}">{label}{kb_link}</span></span>'
    ),
}

#: displaCy appends a space to every token outside a span (it is made for
#: languages with spaces); each token carries this marker, removed afterwards
#: with the space. ``"\x1f".isspace()`` is true, so whitespace tokens stay
#: whitespace for displaCy.
_MARK = "\x1f"
_BETWEEN_CHUNKS = re.compile(r'</div>\s+<div class="spans"')

RENDER_CSS = """
.govnlp-render{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;color:#222}
.govnlp-render .gv-head{font-weight:bold;margin:0 0 .3em}
.govnlp-render .gv-legend{display:flex;flex-wrap:wrap;gap:4px 6px;margin:.2em 0 .6em;font-size:12px;line-height:1.4}
.govnlp-render .gv-chip{display:inline-block;padding:1px 6px;border-radius:3px;color:#000;white-space:nowrap}
.govnlp-render .gv-chip b{font-weight:600;margin-left:3px}
.govnlp-render .gv-doc{white-space:pre-wrap;font-size:16px;line-height:1.7;word-break:break-all}
.govnlp-render .gv-doc .spans{display:inline;white-space:pre-wrap;line-height:1.7 !important}
.govnlp-render .gv-t{display:inline-block;position:relative;font-weight:normal;line-height:2.5}
.govnlp-render .gv-sl,.govnlp-render .gv-st{position:absolute;height:4px;left:-1px;width:calc(100% + 2px)}
.govnlp-render .gv-st{border-top-left-radius:3px;border-bottom-left-radius:3px}
.govnlp-render .gv-lb{position:absolute;z-index:10;color:#000;top:-.5em;padding:2px 3px;font-size:.6em;font-weight:bold;line-height:1;border-radius:3px;white-space:nowrap}
.govnlp-render .gv-lb a{color:inherit;font-weight:normal;text-decoration:none}
"""  # noqa: E501 (embedded CSS, one rule per line)


class HTMLString(str):
    """HTML as a ``str`` that Jupyter displays as HTML when it is a cell's value."""

    def _repr_html_(self) -> str:
        return str(self)


class _DisplayedHTML(HTMLString):
    """HTML already shown with ``IPython.display``: not shown a second time as the cell's value."""

    def _ipython_display_(self) -> None:
        return None


RecordOrDoc = Union[Doc, Dict[str, Any]]


def render(
    doc_or_record: Union[RecordOrDoc, Sequence[RecordOrDoc]],
    *,
    jupyter: Optional[bool] = None,
    page: bool = False,
    items: str = "leaf",
    targets: bool = True,
    units: bool = True,
    legend: bool = True,
    title: Optional[str] = None,
) -> str:
    """Render a processed ``Doc`` or an output record (or a list of them) as HTML.

    ``items``: ``"leaf"`` (work items, default), ``"all"`` (headings too) or
    ``"none"``; ``targets``/``units``: also show them as spans; ``legend``: a
    line of colour chips with the count of work items per primary domain;
    ``page``: a complete HTML page instead of a fragment; ``title``: a heading
    (default: the record's ``doc_id``).

    Returns the HTML string. In Jupyter (``jupyter=None``: detected) the string
    displays itself as HTML when it is a cell's value; ``jupyter=True`` shows it
    at once (inside a loop, say); ``jupyter=False`` returns a plain ``str``.
    """
    docs: List[RecordOrDoc]
    if isinstance(doc_or_record, (Doc, dict)):
        docs = [doc_or_record]
    else:
        docs = list(doc_or_record)
    fragments = [
        render_fragment(
            d,
            items=items,
            targets=targets,
            units=units,
            legend=legend,
            title=title,
            style=not page and i == 0,
        )
        for i, d in enumerate(docs)
    ]
    markup = "\n".join(fragments)
    if page:
        page_title = _html.escape(title or (_doc_id(docs[0]) if docs else "") or "govnlp")
        markup = (
            '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{page_title}</title>\n<style>{RENDER_CSS}body{{margin:2rem;max-width:60rem}}</style>\n"
            f"</head>\n<body>\n{markup}\n</body>\n</html>\n"
        )
    if jupyter is False:
        return markup
    if jupyter:
        from IPython.display import HTML, display

        display(HTML(markup))
        return _DisplayedHTML(markup)
    return HTMLString(markup)


def render_fragment(
    doc_or_record: RecordOrDoc,
    *,
    items: str = "leaf",
    targets: bool = True,
    units: bool = True,
    legend: bool = True,
    title: Optional[str] = None,
    style: bool = True,
    anchor: Optional[str] = None,
) -> str:
    """One document as an HTML fragment (``<div class="govnlp-render">``); ``style``: include the
    CSS.
    """
    parts = render_parts(doc_or_record, items=items, targets=targets, units=units)
    doc_id = _doc_id(doc_or_record)
    head = title if title is not None else doc_id
    out = [
        '<div class="govnlp-render tex2jax_ignore" '
        f'data-doc-id="{_html.escape(doc_id or "", quote=True)}" '
        f'data-work-items="{parts["work_items"]}" data-spans="{parts["n_spans"]}">'
    ]
    if style:
        out.append(f"<style>{RENDER_CSS}</style>")
    if head:
        out.append(f'<div class="gv-head">{_html.escape(head)}</div>')
    if legend:
        out.append(
            legend_html(
                parts["domain_counts"],
                targets=parts["target_kinds"] if targets else None,
                units=parts["unit_kinds"] if units else None,
            )
        )
    id_attr = f' id="{_attr(anchor)}"' if anchor else ""
    out.append(f'<div class="gv-doc"{id_attr}>{parts["markup"]}</div>')
    out.append("</div>")
    return "".join(out)


def legend_html(
    domain_counts: Dict[str, int],
    *,
    targets: Optional[Dict[str, int]] = None,
    units: Optional[Dict[str, int]] = None,
) -> str:
    """Colour chips: primary domains with their work-item counts, then target kinds and units."""
    chips = []
    order = {lab: i for i, lab in enumerate(label_order())}
    for lab, n in sorted(
        domain_counts.items(), key=lambda kv: (-kv[1], order.get(kv[0], len(order)), kv[0])
    ):
        chips.append(
            f'<span class="gv-chip gv-domain" data-label="{_attr(lab)}" data-count="{n}" '
            f'style="background:{label_color(lab)}" '
            f'title="{_attr(lab)}">{_html.escape(label_name(lab))}<b>{n}</b></span>'
        )
    for kind, n in (targets or {}).items():
        chips.append(
            f'<span class="gv-chip gv-target" data-kind="{_attr(kind)}" data-count="{n}" '
            f'style="background:{special_color(kind)}">{TARGET_LABELS.get(kind, kind)}'
            f"<b>{n}</b></span>"
        )
    for kind, n in (units or {}).items():
        label = UNIT_NIL_LABEL if kind == "unit_nil" else UNIT_LABEL
        chips.append(
            f'<span class="gv-chip gv-unit" data-kind="{kind}" data-count="{n}" '
            f'style="background:{special_color(kind)}">{label}<b>{n}</b></span>'
        )
    return f'<div class="gv-legend">{"".join(chips)}</div>'


def render_parts(
    doc_or_record: RecordOrDoc,
    *,
    items: str = "leaf",
    targets: bool = True,
    units: bool = True,
) -> Dict[str, Any]:
    """The displaCy markup of one document and the counts behind its legend.

    Returns ``markup`` (HTML), ``domain_counts`` (work items per primary domain),
    ``target_kinds``, ``unit_kinds``, ``work_items`` and ``n_spans``.
    """
    if items not in ("leaf", "all", "none"):
        raise ValueError(f"items must be 'leaf', 'all' or 'none', not {items!r}")
    if isinstance(doc_or_record, Doc):
        doc = doc_or_record
        text = doc.text
        records = list(doc._.items or [])
        tokens = [t.text_with_ws for t in doc]
        to_tokens = _doc_aligner(doc)
    elif isinstance(doc_or_record, dict):
        text = doc_or_record.get("text")
        if text is None:
            raise ValueError(
                f"record {doc_or_record.get('doc_id')!r} has no text (tagged with --no-text?): "
                "nothing to render"
            )
        records = list(doc_or_record.get("items") or [])
        tokens = list(text)
        n = len(text)

        def to_tokens(start: int, end: int) -> Optional[Tuple[int, int]]:
            start, end = max(0, start), min(n, end)
            return (start, end) if start < end else None
    else:
        raise TypeError(
            f"render() takes a spaCy Doc or a record dict, not {type(doc_or_record).__name__}"
        )

    spans: List[Dict[str, Any]] = []
    colors: Dict[str, str] = {}
    domain_counts: Counter = Counter()
    target_kinds: Counter = Counter()
    unit_kinds: Counter = Counter()
    work_items = 0
    for it in records:
        leaf = bool(it.get("leaf", True))
        if leaf:
            work_items += 1
            domain_counts[primary_label(it)] += 1
        if items == "all" or (items == "leaf" and leaf):
            lab = primary_label(it)
            display = _html.escape(label_name(lab))
            colors[display] = label_color(lab)
            _add(spans, to_tokens, it.get("start"), it.get("end"), display)
        if targets:
            for t in it.get("targets") or []:
                kind = t.get("kind") or "target"
                display = TARGET_LABELS.get(kind, _html.escape(str(kind)))
                colors[display] = special_color(kind)
                if _add(spans, to_tokens, t.get("start"), t.get("end"), display):
                    target_kinds[kind] += 1
        if units:
            for u in it.get("units") or []:
                nil = bool(u.get("nil"))
                display = UNIT_NIL_LABEL if nil else UNIT_LABEL
                colors[display] = special_color("unit_nil" if nil else "unit")
                if _add(spans, to_tokens, u.get("start"), u.get("end"), display):
                    unit_kinds["unit_nil" if nil else "unit"] += 1
    markup = _displacy_markup(tokens, spans, colors)
    return {
        "markup": markup,
        "domain_counts": dict(domain_counts),
        "target_kinds": dict(target_kinds),
        "unit_kinds": dict(unit_kinds),
        "work_items": work_items,
        "n_spans": len(spans),
        "text_length": len(text),
    }


def _add(spans: List[Dict[str, Any]], to_tokens: Any, start: Any, end: Any, label: str) -> bool:
    if not isinstance(start, int) or not isinstance(end, int):
        return False
    rng = to_tokens(start, end)
    if rng is None:
        return False
    spans.append({"start_token": rng[0], "end_token": rng[1], "label": label})
    return True


def _doc_aligner(doc: Doc) -> Any:
    """Character offsets → the tokens covering them (spaCy's ``alignment_mode="expand"``)."""
    starts = [t.idx for t in doc]
    n = len(doc.text)

    def to_tokens(start: int, end: int) -> Optional[Tuple[int, int]]:
        start, end = max(0, start), min(n, end)
        if start >= end or not starts:
            return None
        first = bisect_right(starts, start) - 1
        last = bisect_left(starts, end)
        return (max(first, 0), last) if last > max(first, 0) else None

    return to_tokens


def _displacy_markup(tokens: List[str], spans: List[Dict[str, Any]], colors: Dict[str, str]) -> str:
    """Render with ``displacy.render(style="span", manual=True)``, chunk by chunk.

    displaCy checks every span for every token; the text is cut where no span
    crosses, so each chunk only sees its own spans (linear in document length).
    """
    if not tokens:
        return ""
    tokens = [t.replace(_MARK, " ") + _MARK for t in tokens]
    chunks = []
    for lo, hi, members in _chunks(len(tokens), spans):
        chunks.append(
            {
                "text": "",
                "tokens": tokens[lo:hi],
                "spans": [
                    dict(s, start_token=s["start_token"] - lo, end_token=s["end_token"] - lo)
                    for s in members
                ],
            }
        )
    options = {"colors": colors, "template": _TEMPLATE}
    markup = displacy.render(chunks, style="span", manual=True, jupyter=False, options=options)
    markup = markup.replace(_MARK + " ", "").replace(_MARK, "")
    return _BETWEEN_CHUNKS.sub('</div><div class="spans"', markup.strip())


def _chunks(n: int, spans: List[Dict[str, Any]]) -> Iterable[Tuple[int, int, List[Dict[str, Any]]]]:
    """``(start, end, spans)`` pieces of ``range(n)`` that no span crosses."""
    ordered = sorted(spans, key=lambda s: (s["start_token"], -s["end_token"]))
    pos = 0
    i = 0
    while i < len(ordered):
        lo, hi = ordered[i]["start_token"], ordered[i]["end_token"]
        j = i + 1
        while j < len(ordered) and ordered[j]["start_token"] < hi:
            hi = max(hi, ordered[j]["end_token"])
            j += 1
        if lo > pos:
            yield pos, lo, []
        yield lo, hi, ordered[i:j]
        pos = hi
        i = j
    if pos < n:
        yield pos, n, []


def _doc_id(doc_or_record: Any) -> Optional[str]:
    if isinstance(doc_or_record, dict):
        return doc_or_record.get("doc_id")
    if isinstance(doc_or_record, Doc):
        return (
            (doc_or_record.user_data or {}).get("doc_id")
            if isinstance(doc_or_record.user_data, dict)
            else None
        )
    return None


def _attr(value: Any) -> str:
    """A value escaped for a double-quoted attribute."""
    return _html.escape(str(value), quote=True)
