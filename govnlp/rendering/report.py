"""``govnlp report``: tagged documents as self-contained HTML: one file, or an index and one
page per document when one file would be too large for a browser.

A report needs no network (CSS and JavaScript inline, no CDN, no fonts
fetched). It has a summary — counts of documents, items, work items, targets
and units; the share of work items per primary domain (an inline SVG bar
chart); a table of documents with their domain mix — and one section per
document: its text with items coloured by primary domain and targets and units
as spans (:func:`govnlp.render`, displaCy ``span`` style), a table of its items,
a table of its targets (indicator, kind, value, unit, bound, text) and a table
of its units (canonical name, gazetteer id, NIL, mentions).

Elements carry stable ids and classes and ``data-`` counts for tests and
scripts: ``#summary[data-documents][data-items][data-work-items][data-targets][data-units]``,
``section.document[data-doc-id]``, ``tr.item``, ``tr.target``,
``tr.unit[data-mentions]``, ``#domain-shares g.bar[data-label][data-count]``.
When the page has loaded, a script counts the rendered rows and writes them to
``#dom-check`` (``data-status="ready"``, ``data-consistent="true"`` when they
match the summary).

Past ``split_over`` bytes (:data:`DEFAULT_SPLIT_OVER`, 4 MB) the report is split
(:func:`render_report`): ``report.html`` is the index — header, summary, aggregate
sections (:data:`SUMMARY_SECTIONS`), the documents table with a link per document,
errors — and ``report_files/doc_0001.html`` … hold one document section each, with
links back to the index and to the previous and next documents. On an index the
page script counts the documents table's rows; on a document page, its section's
rows. :func:`write_report` writes either form atomically.

The sections are lists of callables, so that adding one is one line:
:data:`SUMMARY_SECTIONS` (the whole report: ``(ReportData) -> html``, on the index or
at the top of a single file) and :data:`DOCUMENT_PARTS` (one document:
``(DocumentView) -> html``, in its section).

>>> import govnlp
>>> nlp = govnlp.load(segmenter="char")
>>> rec = govnlp.doc_to_record(nlp("1.固定资产投资增长10%。\\n责任单位:县发改局"), "a.txt")
>>> html = build_report([rec])
>>> 'data-documents="1"' in html and 'class="target"' in html and "<script" in html
True
>>> rep = render_report([rec] * 3, split_over=0)
>>> rep.split, sorted(rep.pages), 'href="report_files/doc_0002.html"' in rep.index
(True, ['report_files/doc_0001.html', 'report_files/doc_0002.html', 'report_files/doc_0003.html'], True)
"""  # noqa: E501 (the expected output of a doctest above is one line)

from __future__ import annotations

import datetime as _dt
import html as _html
import os
import shutil
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union
from urllib.parse import quote

from spacy.tokens import Doc

from ..about import __version__
from ..records import COUNTS, Item, Record, Target, record_counts, region_label
from .colors import UNLABELLED, label_color, label_name, label_order, primary_label, special_color
from .spans import RENDER_CSS, TARGET_LABELS, legend_html, render_parts

__all__ = [
    "DEFAULT_SPLIT_OVER",
    "DOCUMENT_PARTS",
    "DocumentView",
    "Report",
    "ReportData",
    "ReportError",
    "SUMMARY_SECTIONS",
    "build_report",
    "files_dir_for",
    "render_report",
    "report_summary",
    "write_report",
]

PathLike = Union[str, Path]
Entry = Union[Dict[str, Any], Tuple[Dict[str, Any], Optional[Doc]]]

#: a report over this many bytes (UTF-8) as one file is split into an index and one page per
#: document. Headless Chromium on a busy 2-core machine needs about 2 s per MB of report (the text
#: rendering is one element per token): 2.4 MB (the five seeds) opened in 4.5–7.4 s, 7.8 MB in
#: 16–18 s (benchmarks/report_size.py)
DEFAULT_SPLIT_OVER = 4_000_000
#: in the pages directory of a split report: tells :func:`write_report` the directory is its own
_MARKER = ".govnlp-report"


@dataclass
class ReportError:
    """A document that is not in the report, and why."""

    doc_id: str
    error_type: str
    message: str


@dataclass
class _Totals:
    documents: int = 0
    items: int = 0
    work_items: int = 0
    labelled: int = 0
    targets: int = 0
    units: int = 0
    domains: Counter = field(default_factory=Counter)
    rows: List[Dict[str, Any]] = field(default_factory=list)


@dataclass
class ReportData:
    """What a summary section sees: the counts, the per-document rows of the documents table
    (``doc_id``, ``title``, ``region``, counts, ``domains``, ``href``), the records, the errors."""

    totals: _Totals
    records: List[Dict[str, Any]]
    errors: Sequence[ReportError] = ()


@dataclass
class DocumentView:
    """What a document part sees: the record, its ``Doc`` if any, its row, the ``items`` option."""

    rec: Dict[str, Any]
    doc: Optional[Doc]
    row: Dict[str, Any]
    items: str = "leaf"


@dataclass
class Report:
    """A rendered report: ``index`` (the single file, or the index page), ``pages`` (path relative
    to the index, ``<stem>_files/doc_0001.html`` → HTML; empty for a single file) and the
    ``index_name`` the pages link back to."""

    index: str
    pages: Dict[str, str] = field(default_factory=dict)
    index_name: str = "report.html"

    @property
    def split(self) -> bool:
        return bool(self.pages)

    @property
    def pages_dir(self) -> str:
        """The directory of the document pages, beside the index."""
        return files_dir_for(self.index_name)

    def sizes(self) -> Dict[str, int]:
        """Bytes per file, the index first (key ``""``)."""
        return {
            "": len(self.index.encode("utf-8")),
            **{k: len(v.encode("utf-8")) for k, v in self.pages.items()},
        }


# -- the report --------------------------------------------------------------------------


def report_summary(records: Iterable[Dict[str, Any]]) -> Dict[str, Any]:
    """The report's counts: documents, items, work items, labelled work items, targets, units,
    domains.
    """
    totals = _Totals()
    for rec in records:
        _count(totals, rec)
    return {
        "documents": totals.documents,
        "items": totals.items,
        "work_items": totals.work_items,
        "labelled_work_items": totals.labelled,
        "targets": totals.targets,
        "units": totals.units,
        "domains": dict(totals.domains),
    }


def build_report(
    entries: Iterable[Entry],
    *,
    title: str = "govnlp report",
    errors: Sequence[ReportError] = (),
    items: str = "leaf",
    generated: Optional[str] = None,
    source: Optional[str] = None,
) -> str:
    """The report as one HTML string (never split: see :func:`render_report`).

    ``entries``: records (``govnlp tag`` output) or ``(record, doc)`` pairs (the
    ``Doc`` gives the rendering its tokens; else the text is rendered by
    character). ``errors``: documents left out, listed at the end.
    ``items``: which items the text rendering underlines (``leaf`` or ``all``).
    """
    return render_report(
        entries,
        title=title,
        errors=errors,
        items=items,
        generated=generated,
        source=source,
        split_over=None,
    ).index


def render_report(
    entries: Iterable[Entry],
    *,
    title: str = "govnlp report",
    errors: Sequence[ReportError] = (),
    items: str = "leaf",
    generated: Optional[str] = None,
    source: Optional[str] = None,
    split_over: Optional[int] = DEFAULT_SPLIT_OVER,
    index_name: str = "report.html",
) -> Report:
    """The report as one file or, when that file would exceed ``split_over`` bytes (``0``:
    always split, ``None``: never), as an index page and one page per document, in the directory
    :func:`files_dir_for` ``(index_name)`` beside the index (the document pages link back to
    ``index_name``). Other arguments as :func:`build_report`.
    """
    totals = _Totals()
    records: List[Dict[str, Any]] = []
    sections: List[str] = []
    for index, entry in enumerate(entries):
        rec, doc = entry if isinstance(entry, tuple) else (entry, None)
        row = _count(totals, rec)
        row["anchor"] = f"doc-{index}"
        row["href"] = f"#doc-{index}"
        records.append(rec)
        sections.append(_document_section(DocumentView(rec, doc, row, items)))
    generated = generated or _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z").strip()
    header = _header(title, generated, source)
    data = ReportData(totals, records, errors)
    if split_over is None or split_over > 0:
        single = _page(
            title,
            [
                header,
                *_summary_parts(data),
                '<main id="documents-detail">',
                *sections,
                "</main>",
                _errors_section(errors),
                _CHECK,
            ],
        )
        if split_over is None or len(single.encode("utf-8")) <= split_over:
            return Report(single, index_name=index_name)
        del single
    files_dir = files_dir_for(index_name)
    names = [f"doc_{k + 1:0{max(4, len(str(len(sections))))}d}.html" for k in range(len(sections))]
    for row, name in zip(totals.rows, names):
        row["href"] = f"{_url(files_dir)}/{_url(name)}"
    index = _page(title, [header, *_summary_parts(data), _errors_section(errors), _CHECK])
    back = f"../{_url(index_name)}"
    pages: Dict[str, str] = {}
    for k, (row, section, name) in enumerate(zip(totals.rows, sections, names)):
        nav = _page_nav(k, names, back)
        section = section.replace(_BACK_LINK, f'<a href="{back}#summary">↑ index</a>', 1)
        pages[f"{files_dir}/{name}"] = _page(
            f"{row['doc_id']} · {title}",
            [
                _header(title, generated, source, back=back),
                nav,
                section,
                nav.replace('class="page-nav"', 'class="page-nav bottom"'),
                _CHECK,
            ],
        )
    return Report(index, pages, index_name=index_name)


def files_dir_for(index_name: PathLike) -> str:
    """The directory of a split report's document pages, beside its index: ``<stem>_files``.

    >>> files_dir_for("out/seeds.html")
    'seeds_files'
    """
    return f"{Path(index_name).stem}_files"


def write_report(path: PathLike, report: Union[str, Report]) -> Path:
    """Write ``report`` (an HTML string, or a :class:`Report`) to ``path`` atomically: the file
    goes to a temporary name in its directory and is renamed; the pages of a split report go to a
    temporary directory first, which then replaces the old pages directory whole, before the index
    is renamed into place. A single file removes the pages directory an earlier split report of
    the same name left. Returns ``path``.
    """
    from ..io import atomic_path

    path = Path(path)
    html, split = (report.index, report.split) if isinstance(report, Report) else (report, False)
    if isinstance(report, Report) and split:
        if path.name != report.index_name:
            raise ValueError(
                f"the report's pages link back to {report.index_name!r}: write it there, not to "
                f"{path.name!r} (render_report(..., index_name=...))"
            )
        _write_pages(path.parent / files_dir_for(path), report)
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(html)
    if not split:
        stale = path.parent / files_dir_for(path)
        if (stale / _MARKER).is_file():
            shutil.rmtree(stale, ignore_errors=True)
    return path


def _write_pages(final: Path, report: Report) -> None:
    """The document pages of ``report`` into the directory ``final``, swapped in whole."""
    final.parent.mkdir(parents=True, exist_ok=True)
    if (
        final.exists()
        and not (final / _MARKER).is_file()
        and (not final.is_dir() or any(final.iterdir()))
    ):
        raise FileExistsError(
            f"{final} exists and is not the pages directory of a govnlp report: not replaced"
        )
    tmp = final.with_name(f".{final.name}.{os.getpid()}.tmp")
    old = final.with_name(f".{final.name}.{os.getpid()}.old")
    for leftover in (tmp, old):
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        tmp.mkdir()
        (tmp / _MARKER).write_text(
            f"document pages of {report.index_name} (govnlp report)\n", encoding="utf-8"
        )
        prefix = files_dir_for(report.index_name) + "/"
        for name, html in report.pages.items():
            with open(tmp / name[len(prefix) :], "w", encoding="utf-8", newline="\n") as fh:
                fh.write(html)
        if final.exists():
            os.replace(final, old)
        os.replace(tmp, final)
    finally:
        if old.exists() and not final.exists():
            os.replace(old, final)  # the swap failed half-way: the old pages stay
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


# -- pieces ------------------------------------------------------------------------------

_CHECK = '<footer><p id="dom-check" data-status="pending">The page script has not run.</p></footer>'
_BACK_LINK = '<a href="#summary">↑ summary</a>'


def _page(title: str, body: List[str]) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="govnlp {_esc(__version__)}">\n'
        f"<title>{_esc(title)}</title>\n<style>{RENDER_CSS}{_REPORT_CSS}</style>\n</head>\n"
        f"<body>\n{''.join(body)}\n<script>{_REPORT_JS}</script>\n</body>\n</html>\n"
    )


def _header(title: str, generated: str, source: Optional[str], back: Optional[str] = None) -> str:
    h1 = f'<a href="{back}">{_esc(title)}</a>' if back else _esc(title)
    return (
        f'<header><h1 id="report-title">{h1}</h1>'
        f'<p class="meta">govnlp {_esc(__version__)} · {_esc(generated)}'
        f"{' · ' + _esc(source) if source else ''}</p></header>"
    )


def _page_nav(k: int, names: List[str], back: str) -> str:
    """Links of a document page: the index, the previous and the next document."""
    prev = (
        f'<a rel="prev" href="{_url(names[k - 1])}">← previous</a>'
        if k > 0
        else '<span class="off">← previous</span>'
    )
    nxt = (
        f'<a rel="next" href="{_url(names[k + 1])}">next →</a>'
        if k + 1 < len(names)
        else '<span class="off">next →</span>'
    )
    return (
        f'<nav class="page-nav"><a rel="index" href="{back}#documents">↑ index</a> · '
        f"document {k + 1} of "
        f"{len(names)} · {prev} · {nxt}</nav>"
    )


def _url(name: str) -> str:
    return quote(name, safe="/")


def _summary_parts(data: ReportData) -> List[str]:
    return [section(data) for section in SUMMARY_SECTIONS]


def _count(totals: _Totals, rec: Record) -> Dict[str, Any]:
    domains: Counter = Counter()
    row = {
        "doc_id": str(rec.get("doc_id", "")),
        "title": _doc_title(rec),
        "region": region_label(rec),
        **record_counts(rec),
        "domains": domains,
    }
    for it in rec.get("items") or []:
        if it.get("leaf"):
            lab = primary_label(it)
            domains[lab] += 1
            totals.labelled += lab != UNLABELLED
    totals.documents += 1
    for key in COUNTS:
        setattr(totals, key, getattr(totals, key) + row[key])
    totals.domains.update(domains)
    totals.rows.append(row)
    return row


def _summary_section(data: ReportData) -> str:
    """Counts, domain shares, and the documents table (with a link to each document)."""
    t = data.totals
    stats = [
        ("documents", "documents", "文件", t.documents),
        ("items", "items", "条目", t.items),
        ("work-items", "work items", "工作事项", t.work_items),
        ("targets", "targets", "数量目标", t.targets),
        ("units", "unit mentions", "责任单位", t.units),
    ]
    cards = "".join(
        f'<div class="stat" id="count-{key}" data-count="{n}"><span class="n">{n:,}</span>'
        f'<span class="what">{_esc(en)}<br><small>{_esc(zh)}</small></span></div>'
        for key, en, zh, n in stats
    )
    attrs = " ".join(f'data-{key}="{n}"' for key, _, _, n in stats)
    return (
        f'<section id="summary" {attrs} data-labelled-work-items="{t.labelled}">'
        f'<h2>Summary</h2><div class="stats">{cards}</div>'
        f"<h3>Domain shares <small>primary domain of {t.work_items:,} work items</small></h3>"
        f"{_domain_chart(t.domains, t.work_items)}"
        f"<h3>Documents</h3>{_documents_table(t.rows)}</section>"
    )


def _domain_chart(domains: Counter, total: int) -> str:
    """A horizontal bar chart (inline SVG) of the work items per primary domain."""
    order = {lab: i for i, lab in enumerate(label_order())}
    bars = sorted(
        ((lab, n) for lab, n in domains.items() if n),
        key=lambda kv: (-kv[1], order.get(kv[0], len(order)), kv[0]),
    )
    if not bars:
        return '<p id="domain-shares" class="empty" data-bars="0">No work items.</p>'
    label_w, bar_w, row_h, pad = 230, 440, 24, 4
    width = label_w + bar_w + 110
    height = row_h * len(bars) + pad * 2
    top = max(n for _, n in bars)
    out = [
        f'<svg id="domain-shares" data-bars="{len(bars)}" data-total="{total}" '
        f'xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="work items per primary domain">'
    ]
    for i, (lab, n) in enumerate(bars):
        y = pad + i * row_h
        w = max(1.0, bar_w * n / top)
        share = n / total if total else 0.0
        name = label_name(lab)
        out.append(
            f'<g class="bar" data-label="{_esc(lab)}" data-count="{n}" data-share="{share:.4f}">'
            f"<title>{_esc(name)} ({_esc(lab)}): {n} work items, {share:.1%}</title>"
            f'<text class="bar-label" x="{label_w - 8}" y="{y + row_h / 2}" '
            f'text-anchor="end" dominant-baseline="central">{_esc(name)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
            f'rx="2" fill="{label_color(lab)}"/>'
            f'<text class="bar-value" x="{label_w + w + 6:.1f}" y="{y + row_h / 2}" '
            f'dominant-baseline="central">{n} · {share:.1%}</text>'
            "</g>"
        )
    out.append("</svg>")
    return "".join(out)


def _documents_table(rows: List[Dict[str, Any]]) -> str:
    head = (
        "<thead><tr><th>#</th><th>document</th><th>region</th><th>items</th><th>work items</th>"
        "<th>targets</th><th>units</th><th>domain mix (primary)</th></tr></thead>"
    )
    body = []
    for i, r in enumerate(rows):
        body.append(
            f'<tr class="doc-row" data-doc-id="{_esc(r["doc_id"])}" data-items="{r["items"]}" '
            f'data-work-items="{r["work_items"]}" data-targets="{r["targets"]}" '
            f'data-units="{r["units"]}">'
            f'<td>{i + 1}</td><td><a href="{r["href"]}">{_esc(r["doc_id"])}</a>'
            f'<div class="doc-title">{_esc(r["title"])}</div></td>'
            f"<td>{_esc(r['region'] or '—')}</td>"
            f'<td class="num">{r["items"]}</td><td class="num">{r["work_items"]}</td>'
            f'<td class="num">{r["targets"]}</td><td class="num">{r["units"]}</td>'
            f"<td>{_mix_bar(r['domains'], r['work_items'])}</td></tr>"
        )
    return f'<table id="documents" class="grid">{head}<tbody>{"".join(body)}</tbody></table>'


def _mix_bar(domains: Counter, total: int) -> str:
    if not total:
        return '<div class="mix empty"></div>'
    order = {lab: i for i, lab in enumerate(label_order())}
    segs = []
    for lab, n in sorted(
        domains.items(), key=lambda kv: (-kv[1], order.get(kv[0], len(order)), kv[0])
    ):
        segs.append(
            f'<span class="seg" data-label="{_esc(lab)}" data-count="{n}" '
            f'style="width:{100 * n / total:.2f}%;background:{label_color(lab)}" '
            f'title="{_esc(label_name(lab))}: {n} ({n / total:.0%})"></span>'
        )
    return f'<div class="mix">{"".join(segs)}</div>'


def _document_section(view: DocumentView) -> str:
    """One document's ``section``: its heading and the :data:`DOCUMENT_PARTS`."""
    row = view.row
    head = (
        f'<section class="document" id="{row["anchor"]}" '
        f'data-doc-id="{_esc(row["doc_id"])}" data-items="{row["items"]}" '
        f'data-work-items="{row["work_items"]}" data-targets="{row["targets"]}" '
        f'data-units="{row["units"]}">'
        f'<h2><span class="doc-id">{_esc(row["doc_id"])}</span> '
        f"<small>{_esc(row['title'])}</small></h2>"
        f'<p class="doc-meta">{_esc(row["region"] or "region unknown")} · {row["items"]} items · '
        f"{row['work_items']} work items · {row['targets']} targets · {row['units']} "
        "unit mentions · "
        f"{_BACK_LINK}</p>"
    )
    return "".join([head, *(part(view) for part in DOCUMENT_PARTS), "</section>"])


def _text_part(view: DocumentView) -> str:
    """The document's text with its items, targets and units marked (displaCy span style)."""
    rec, doc, row = view.rec, view.doc, view.row
    if doc is None and rec.get("text") is None:
        return (
            '<p class="no-text">The record has no text (tagged with '
            "<code>--no-text</code>): no rendering.</p>" + legend_html(dict(row["domains"]))
        )
    r = render_parts(doc if doc is not None else rec, items=view.items)
    return (
        f'<details class="doc-text" open><summary>Text: items by primary domain, targets and units '
        f'({r["text_length"]:,} characters)</summary><div class="govnlp-render tex2jax_ignore" '
        f'data-doc-id="{_esc(row["doc_id"])}" data-spans="{r["n_spans"]}">'
        f"{legend_html(r['domain_counts'], targets=r['target_kinds'], units=r['unit_kinds'])}"
        f'<div class="gv-doc">{r["markup"]}</div></div></details>'
    )


def _items_table(items: List[Item]) -> str:
    rows = []
    for it in items:
        labels = it.get("labels") or []
        chips = "".join(
            f'<span class="chip{" primary" if k == 0 else ""}" '
            f'style="background:{label_color(lab)}" title="{_esc(lab)}">'
            f"{_esc(label_name(lab))}</span>"
            for k, lab in enumerate(labels)
        ) or (
            f'<span class="chip" style="background:{label_color(None)}">{UNLABELLED}</span>'
            if it.get("leaf")
            else ""
        )
        text = it.get("title") or it.get("heading") or ""
        rows.append(
            f'<tr class="item" data-item-id="{_esc(it.get("id"))}" '
            f'data-leaf="{1 if it.get("leaf") else 0}" '
            f'data-primary="{_esc(primary_label(it))}">'
            f"<td>{_esc(it.get('id'))}</td><td>{_esc(it.get('marker') or '')}</td>"
            f'<td class="num">{_esc(it.get("level"))}</td>'
            f"<td>{'✓' if it.get('leaf') else ''}</td><td>{chips}</td>"
            f"<td>{_esc(_short(text, 80))}</td>"
            f'<td class="num">{len(it.get("targets") or [])}</td>'
            f'<td class="num">{len(it.get("units") or [])}</td></tr>'
        )
    n_leaf = sum(1 for it in items if it.get("leaf"))
    return (
        '<details class="items-block">'
        f"<summary>Items ({len(items)}, of which {n_leaf} work items)</summary>"
        f'<table class="items grid" data-count="{len(items)}" data-work-items="{n_leaf}">'
        "<thead><tr><th>id</th><th>marker</th>"
        "<th>level</th><th>work item</th><th>domains (primary first)</th>"
        "<th>title</th><th>targets</th><th>units</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></details>"
    )


def _targets_table(items: List[Item]) -> str:
    rows = []
    for it in items:
        for t in it.get("targets") or []:
            kind = t.get("kind") or "target"
            rows.append(
                f'<tr class="target" data-item-id="{_esc(it.get("id"))}" data-kind="{_esc(kind)}" '
                f'data-unit="{_esc(t.get("unit") or "")}">'
                f"<td>{_esc(it.get('id'))}</td><td>{_esc(t.get('indicator') or '—')}</td>"
                f'<td><span class="chip" style="background:{special_color(kind)}">'
                f"{_esc(TARGET_LABELS.get(kind, kind))}</span> {_esc(kind)}</td>"
                f'<td>{_esc(t.get("measure") or "")}</td><td class="num">{_esc(_value(t))}</td>'
                f"<td>{_esc(_unit(t))}</td>"
                f"<td>{_esc(t.get('bound') or '')}</td>"
                f'<td class="quote">{_esc(t.get("text") or "")}</td></tr>'
            )
    if not rows:
        return '<h3>Targets</h3><p class="targets empty" data-count="0">No numeric targets.</p>'
    return (
        f'<h3>Targets <small>({len(rows)})</small></h3><table class="targets grid" '
        f'data-count="{len(rows)}"><thead><tr>'
        "<th>item</th><th>indicator</th><th>kind</th><th>measure</th><th>value</th><th>unit</th><th>bound</th><th>text</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _units_table(items: List[Item]) -> str:
    groups: Dict[Tuple[str, str, bool], Dict[str, Any]] = {}
    roles: Dict[Tuple[str, str, bool], Counter] = defaultdict(Counter)
    total = 0
    for it in items:
        for u in it.get("units") or []:
            total += 1
            key = (
                str(u.get("canonical") or u.get("text") or ""),
                str(u.get("id") or ""),
                bool(u.get("nil")),
            )
            g = groups.setdefault(key, {"mentions": 0, "texts": Counter(), "scope": u.get("scope")})
            g["mentions"] += 1
            g["texts"][u.get("text") or ""] += 1
            roles[key][u.get("role") or "?"] += 1
    if not groups:
        return (
            '<h3>Units</h3><p class="units empty" data-count="0" data-distinct="0">'
            "No government units.</p>"
        )
    rows = []
    for key, g in sorted(groups.items(), key=lambda kv: (-kv[1]["mentions"], kv[0])):
        canonical, uid, nil = key
        written = "、".join(t for t, _ in g["texts"].most_common() if t and t != canonical)
        role_text = ", ".join(f"{r} {n}" for r, n in roles[key].most_common())
        rows.append(
            f'<tr class="unit{" nil" if nil else ""}" '
            f'data-mentions="{g["mentions"]}" data-nil="{1 if nil else 0}" '
            f'data-unit-id="{_esc(uid)}">'
            f"<td>{_esc(canonical)}</td>"
            f'<td class="code">{_esc(uid or "—")}</td><td>{"NIL" if nil else ""}</td>'
            f"<td>{_esc(g['scope'] or '')}</td><td>{_esc(role_text)}</td>"
            f'<td class="num">{g["mentions"]}</td>'
            f"<td>{_esc(_short(written, 60))}</td></tr>"
        )
    nil_mentions = sum(g["mentions"] for k, g in groups.items() if k[2])
    return (
        f"<h3>Units <small>({total} mentions of {len(groups)} units, "
        f"{nil_mentions} NIL)</small></h3>"
        f'<table class="units grid" data-count="{total}" '
        f'data-distinct="{len(groups)}" data-nil="{nil_mentions}"><thead><tr>'
        "<th>canonical</th><th>id</th><th>nil</th><th>scope</th><th>roles</th>"
        "<th>mentions</th><th>as written</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _errors_section(errors: Sequence[ReportError]) -> str:
    if not errors:
        return '<section id="errors" data-count="0"></section>'
    lis = "".join(
        f'<li class="error" data-doc-id="{_esc(e.doc_id)}"><code>{_esc(e.doc_id)}</code> '
        f"{_esc(e.error_type)}: {_esc(e.message)}</li>"
        for e in errors
    )
    return (
        f'<section id="errors" data-count="{len(errors)}">'
        f"<h2>Not in the report ({len(errors)})</h2><ul>{lis}</ul></section>"
    )


def _outcomes_section(data: ReportData) -> str:
    """Targets against outcomes over the years (:mod:`govnlp.outcomes`), when the documents hold
    a target whose outcome a later document reports (a county's work reports of several years);
    nothing otherwise."""
    from ..outcomes import link_outcomes, outcome_rows, outcomes_section_html

    rows = outcome_rows(link_outcomes(r for r in data.records if r.get("text")))
    if not any(r.get("outcome_text") for r in rows):
        return ""
    return outcomes_section_html(rows)


#: The report-wide sections, in order: on the index of a split report, at the top of a single
#: file. Each takes the :class:`ReportData` and returns HTML; add a section by appending it here.
SUMMARY_SECTIONS: List[Callable[[ReportData], str]] = [_summary_section, _outcomes_section]

#: The parts of each document's section, in order, after its heading. Each takes a
#: :class:`DocumentView` and returns HTML; add a part by appending it here.
DOCUMENT_PARTS: List[Callable[[DocumentView], str]] = [
    _text_part,
    lambda v: _items_table(v.rec.get("items") or []),
    lambda v: _targets_table(v.rec.get("items") or []),
    lambda v: _units_table(v.rec.get("items") or []),
]


def _value(t: Target) -> str:
    if t.get("masked"):
        return "masked"
    low, high = t.get("low"), t.get("high")
    if low is not None and high is not None:
        return f"{_num(low)}–{_num(high)}"
    v = t.get("value")
    return "" if v is None else _num(v)


def _unit(t: Target) -> str:
    """The unit as written and, when it differs, normalised: ``亿元 · CNY``, ``%``."""
    raw, unit = t.get("unit_raw"), t.get("unit")
    if raw and unit and raw != unit and not (raw == "%" and unit == "percent"):
        return f"{raw} · {unit}"
    return str(raw or unit or "")


def _num(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _doc_title(rec: Record) -> str:
    meta = rec.get("meta") or {}
    if meta.get("title"):
        return str(meta["title"])
    for line in (rec.get("text") or "").splitlines():
        line = line.strip()
        if len(line) >= 4:
            return _short(line, 60)
    return ""


def _short(text: Any, n: int) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _esc(value: Any) -> str:
    return _html.escape("" if value is None else str(value), quote=True)


_REPORT_CSS = """
*{box-sizing:border-box}
body{margin:0;padding:1.5rem 2rem 3rem;font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;color:#222;background:#fafafa;max-width:80rem}
header h1{margin:0 0 .2rem;font-size:1.6rem}
header .meta{margin:0 0 1rem;color:#666;font-size:.85rem}
h2{font-size:1.25rem;margin:1.2rem 0 .5rem}
h2 small,h3 small{font-weight:normal;color:#666;font-size:.8em}
h3{font-size:1.05rem;margin:1rem 0 .4rem}
section#summary,section.document,section#errors[data-count]:not([data-count="0"]){background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:.8rem 1.2rem;margin:0 0 1.2rem}
.stats{display:flex;flex-wrap:wrap;gap:.8rem}
.stat{display:flex;align-items:center;gap:.5rem;padding:.5rem .9rem;border-radius:6px;background:#f0f4f8;min-width:9rem}
.stat .n{font-size:1.7rem;font-weight:700}
.stat .what{font-size:.85rem;line-height:1.2;color:#444}
#domain-shares text{font-size:13px;fill:#333;font-family:inherit}
table.grid{border-collapse:collapse;width:100%;font-size:.85rem;margin:.3rem 0 .8rem}
table.grid th,table.grid td{border-bottom:1px solid #e6e6e6;padding:3px 6px;text-align:left;vertical-align:top}
table.grid th{background:#f3f3f3;font-weight:600;position:sticky;top:0}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.code{font-family:ui-monospace,monospace;font-size:.8rem;color:#555}
td.quote{color:#333;white-space:nowrap}
.doc-title{color:#666;font-size:.8rem}
.mix{display:flex;width:16rem;height:14px;border-radius:3px;overflow:hidden;background:#eee}
.mix .seg{display:block;height:100%}
.chip{display:inline-block;padding:0 5px;margin:1px 2px 1px 0;border-radius:3px;font-size:.78rem;color:#000;white-space:nowrap}
.chip.primary{font-weight:700}
tr.unit.nil td:first-child{color:#8a5a00}
details summary{cursor:pointer;color:#245;margin:.3rem 0}
details.doc-text{border-left:3px solid #e3e3e3;padding-left:.8rem}
.doc-meta{color:#555;font-size:.85rem;margin:.1rem 0 .5rem}
.doc-meta a,#documents a{color:#245}
#errors li{font-size:.85rem}
footer{color:#666;font-size:.8rem}
#dom-check[data-consistent="false"]{color:#b00;font-weight:bold}
header h1 a{color:inherit;text-decoration:none}
.page-nav{margin:.2rem 0 1rem;font-size:.9rem;color:#555}
.page-nav a{color:#245}
.page-nav .off{color:#aaa}
"""  # noqa: E501 (embedded CSS, one rule per line)

_REPORT_JS = """
(function(){
  "use strict";
  function sum(nodes, attr){var s=0;for(var i=0;i<nodes.length;i++){s+=parseInt(nodes[i].getAttribute(attr)||"0",10);}return s;}
  function check(){
    // a single file or a document page: count the documents' rows against the summary (or the
    // page's one section); the index of a split report: count the documents table against it
    var summary=document.getElementById("summary"), out=document.getElementById("dom-check");
    var sections=document.querySelectorAll("section.document"), got;
    if(!out||!(summary||sections.length)){return;}
    if(sections.length||!summary){
      got={
        "documents":sections.length,
        "items":document.querySelectorAll("tr.item").length,
        "work-items":document.querySelectorAll("tr.item[data-leaf='1']").length,
        "targets":document.querySelectorAll("tr.target").length,
        "units":sum(document.querySelectorAll("tr.unit"),"data-mentions")
      };
    }else{
      var rows=document.querySelectorAll("#documents tr.doc-row");
      got={"documents":rows.length,"items":sum(rows,"data-items"),"work-items":sum(rows,"data-work-items"),
           "targets":sum(rows,"data-targets"),"units":sum(rows,"data-units")};
    }
    var ref=summary||sections[0];
    var ok=true, parts=[];
    for(var k in got){
      out.setAttribute("data-"+k,String(got[k]));
      var want=ref.getAttribute("data-"+k);
      if(want===null&&k==="documents"){want="1";}
      if(String(got[k])!==want){ok=false;}
      parts.push(got[k]+" "+k.replace("-"," "));
    }
    out.setAttribute("data-consistent",ok?"true":"false");
    out.setAttribute("data-status","ready");
    out.textContent="Counted in the page: "+parts.join(", ")+(ok?" — consistent with the summary.":" — DIFFERENT from the summary!");
  }
  if(document.readyState==="loading"){document.addEventListener("DOMContentLoaded",check);}else{check();}
})();
"""  # noqa: E501 (embedded script)
