"""The outcomes table (CSV or Parquet) and its section of the HTML report.

>>> OUTCOME_COLUMNS[:4]
('county', 'indicator', 'indicator_id', 'year')
"""

from __future__ import annotations

import csv
import html
from pathlib import Path
from typing import Any, Dict, Iterable, List, Sequence, Union

from ..io.writers import atomic_path
from .linking import OutcomePair

__all__ = ["OUTCOME_COLUMNS", "outcome_rows", "write_outcome_table", "outcomes_section_html"]

#: Columns of the outcomes table, in order (types: str unless named here).
OUTCOME_COLUMNS = (
    "county",
    "indicator",
    "indicator_id",
    "year",
    "measure",
    "target_text",
    "target_context",
    "target_indicator",
    "target_value",
    "target_low",
    "target_high",
    "bound",
    "unit",
    "outcome_text",
    "outcome_context",
    "outcome_indicator",
    "outcome_value",
    "outcome_unit",
    "verdict",
    "score",
    "target_doc_id",
    "target_start",
    "target_end",
    "outcome_doc_id",
    "outcome_start",
    "outcome_end",
)
_FLOAT = {"target_value", "target_low", "target_high", "outcome_value", "score"}
_INT = {"year", "target_start", "target_end", "outcome_start", "outcome_end"}

_VERDICT_COLOR = {
    "met": "#2e7d32",
    "partly": "#f9a825",
    "not_met": "#c62828",
    "no_outcome": "#9e9e9e",
}


def outcome_rows(pairs: Iterable[OutcomePair]) -> List[Dict[str, Any]]:
    """The table rows of the pairs, sorted by county, indicator, year and document order."""
    rows = [p.row() for p in pairs]
    rows.sort(
        key=lambda r: (
            str(r["county"]),
            str(r["indicator"]),
            r["year"] or 0,
            str(r["target_doc_id"]),
            r["target_start"] or 0,
        )
    )
    return rows


def write_outcome_table(rows: Sequence[Dict[str, Any]], path: Union[str, Path]) -> Path:
    """Write the rows as CSV (``.csv``, UTF-8 with BOM for spreadsheet programs) or Parquet
    (``.parquet``), atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise ValueError(f"the outcomes table is .csv or .parquet, not {path.name!r}")
    with atomic_path(path) as tmp:
        if suffix == ".csv":
            with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh, lineterminator="\r\n")
                writer.writerow(OUTCOME_COLUMNS)
                for row in rows:
                    writer.writerow(
                        ["" if row.get(c) is None else row.get(c) for c in OUTCOME_COLUMNS]
                    )
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            def kind(column: str) -> Any:
                return (
                    pa.float64()
                    if column in _FLOAT
                    else pa.int64()
                    if column in _INT
                    else pa.string()
                )

            schema = pa.schema([(c, kind(c)) for c in OUTCOME_COLUMNS])
            arrays = [
                pa.array([_typed(row.get(c), c) for row in rows], type=kind(c))
                for c in OUTCOME_COLUMNS
            ]
            pq.write_table(
                pa.Table.from_arrays(arrays, schema=schema), str(tmp), compression="zstd"
            )
    return path


def _typed(value: Any, column: str) -> Any:
    if value is None:
        return None
    if column in _FLOAT:
        return float(value)
    if column in _INT:
        return int(value)
    return str(value)


def _chart_svg(rows: Sequence[Dict[str, Any]], width: int = 360, height: int = 120) -> str:
    """A small chart of one indicator: targets (hollow) and outcomes (filled, coloured by verdict)
    over the years."""
    points = [
        (r["year"], r["target_value"], r["outcome_value"], r["verdict"])
        for r in rows
        if r["year"] is not None and r["target_value"] is not None
    ]
    if not points:
        return ""
    years = sorted({p[0] for p in points})
    values = [v for p in points for v in (p[1], p[2]) if v is not None]
    lo, hi = min(values + [0.0]), max(values)
    span_y = (hi - lo) or 1.0
    pad = 24

    def x(year: int) -> float:
        if len(years) == 1:
            return width / 2
        return pad + (width - 2 * pad) * (years.index(year) / (len(years) - 1))

    def y(value: float) -> float:
        return height - pad + 8 - (height - pad - 8) * ((value - lo) / span_y)

    parts = [
        f'<svg width="{width}" height="{height}" role="img" viewBox="0 0 {width} {height}">',
        f'<line x1="{pad}" y1="{y(lo):.1f}" x2="{width - pad}" y2="{y(lo):.1f}" stroke="#bbb"/>',
    ]
    for year in years:
        parts.append(
            f'<text x="{x(year):.1f}" y="{height - 2}" font-size="10" '
            f'text-anchor="middle">{year}</text>'
        )
    for year, target, outcome, verdict in points:
        parts.append(
            f'<circle cx="{x(year):.1f}" cy="{y(target):.1f}" r="4" fill="none" stroke="#1565c0">'
            f"<title>{year} target {target:g}</title></circle>"
        )
        if outcome is not None:
            parts.append(
                f'<circle cx="{x(year):.1f}" cy="{y(outcome):.1f}" r="4" '
                f'fill="{_VERDICT_COLOR.get(verdict, "#000")}"><title>{year} outcome {outcome:g} '
                f"({verdict})</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)


def outcomes_section_html(rows: Sequence[Dict[str, Any]], *, max_indicators: int = 30) -> str:
    """The report section: per county and indicator with an outcome, a chart of targets against
    outcomes over the years and the table of its pairs."""
    esc = html.escape
    linked = [r for r in rows if r.get("indicator_id")]
    groups: Dict[tuple, List[Dict[str, Any]]] = {}
    for row in linked:
        groups.setdefault(
            (row["county"], row["indicator"], row["measure"], row["unit"]), []
        ).append(row)
    ranked = sorted(
        groups.items(),
        key=lambda kv: (-sum(r["outcome_text"] is not None for r in kv[1]), kv[0][:2]),
    )
    out = [
        '<section id="outcomes"><h2>Targets and outcomes</h2>',
        "<p>Each target of year Y with the outcome its county reported for the same indicator "
        "(hollow: target, filled: outcome; green met, amber partly, red not met).</p>",
    ]
    if not ranked:
        out.append("<p>No target with a normalised indicator in these documents.</p></section>")
        return "".join(out)
    for (county, indicator, measure, unit), group in ranked[:max_indicators]:
        group = sorted(group, key=lambda r: r["year"] or 0)
        out.append(
            f"<h3>{esc(str(county))} · {esc(str(indicator))} ({esc(str(measure))}, "
            f"{esc(str(unit))})</h3>"
        )
        out.append(_chart_svg(group))
        out.append(
            "<table><tr><th>year</th><th>target</th><th>outcome</th><th>verdict</th><th>score</th></tr>"
        )
        for r in group:
            out.append(
                f'<tr><td>{r["year"]}</td><td title="{esc(str(r.get("target_context") or ""))}">'
                f"{esc(str(r['target_text']))}</td>"
                f'<td title="{esc(str(r.get("outcome_context") or ""))}">'
                f"{esc(str(r['outcome_text'] or '—'))}</td>"
                "<td "
                f'style="color:{_VERDICT_COLOR.get(r["verdict"], "#000")}">{esc(r["verdict"])}'
                "</td>"
                f"<td>{r['score']:.2f}</td></tr>"
            )
        out.append("</table>")
    out.append("</section>")
    return "".join(out)
