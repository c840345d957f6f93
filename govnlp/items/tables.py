"""Task tables flattened into text: one item per row (spec items.md v2, *Tables*).

A table opens with a header of short cells, the first of which is 序号 — one cell per line
(``序号⏎工作任务⏎责任单位``, optionally ending in ``|``) or all on one line separated by ``|`` or
tabs. Each row then starts at its row number, standing alone on its line (``1``, ``24 |``) or as
the first cell of a one-line row (``1 | 新建… | 县交通局``), and runs to the next row number. The
cell under a 责任单位-like column is the row's duty line.

>>> t = (
...     "序号\\n工作任务\\n责任单位\\n1\\n新建农村公路30公里。\\n县交通运输局\\n"
...     "2\\n改造小区12个。\\n县住建局"
... )
>>> [(t[r.start:r.end].split("\\n")[0], r.duty) for r in find_tables(t)[0].rows]
[('1', ('责任单位', 27, 33)), ('2', ('责任单位', 45, 49))]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Dict, List, Optional, Tuple

from .grammar import load_rules, ordinal_value
from .layout import split_lines

_WS = " \t\r\n\u3000\xa0"


@dataclass
class TableRow:
    start: int
    end: int
    marker: str
    duty: Optional[Tuple[str, int, int]] = None  # (column label, value start, value end)


@dataclass
class Table:
    start: int  # first header cell
    end: int  # end of the last row's text
    columns: List[str]
    stop: int = 0  # end of the table's last line (its trailing separators included)
    rows: List[TableRow] = field(default_factory=list)


@lru_cache(maxsize=1)
def _table_rules() -> Dict[str, Any]:
    r = load_rules()["tables"]
    return {
        "first_cell": re.compile(r["first_cell"]),
        "cell": re.compile(r["header_cell"]),
        "duty": re.compile(r["duty_column"]),
        "row_number": re.compile(r["row_number"]),
        "max_header_cells": r["max_header_cells"],
    }


def _cell_text(text: str, a: int, b: int) -> Tuple[int, int]:
    """A cell line without its trailing ``|`` separators and whitespace."""
    while b > a and text[b - 1] in _WS + "|｜":
        b -= 1
    while a < b and text[a] in _WS + "|｜":
        a += 1
    return a, b


def find_tables(text: str) -> List[Table]:
    """Every task table of ``text`` (see the module docstring)."""
    rules = _table_rules()
    lines = [(a, b) for a, b in split_lines(text) if text[a:b].strip(_WS)]
    tables: List[Table] = []
    i = 0
    while i < len(lines):
        a, b = lines[i]
        ca, cb = _cell_text(text, a, b)
        if not rules["first_cell"].match(text[ca:cb]):
            i += 1
            continue
        columns, j = _header(text, lines, i)
        if len(columns) < 2:
            i += 1
            continue
        table = Table(start=ca, end=cb, columns=columns)
        i = _rows(text, lines, j, table)
        if table.rows:
            table.end = table.rows[-1].end
            table.stop = lines[i - 1][1]
            tables.append(table)
    return tables


def _header(text: str, lines: List[Tuple[int, int]], i: int) -> Tuple[List[str], int]:
    """Column names from the header at ``lines[i]``; the index of the first line after it."""
    rules = _table_rules()
    a, b = lines[i]
    cells = [c.strip(_WS) for c in re.split(r"[|｜\t]|\s{2,}", text[a:b]) if c.strip(_WS)]
    if len(cells) >= 2:
        return cells, i + 1
    columns = [cells[0]] if cells else []
    j = i + 1
    while j < len(lines) and len(columns) < rules["max_header_cells"]:
        ca, cb = _cell_text(text, *lines[j])
        cell = text[ca:cb]
        if rules["row_number"].match(cell) or not rules["cell"].match(cell):
            break
        if cell:
            columns.append(cell)
        j += 1
    return columns, j


def _row_number(text: str, a: int, b: int) -> Optional[Tuple[int, int, int, bool]]:
    """``(value, start, end, inline)`` of a row number opening the line ``[a, b)``."""
    m = _table_rules()["row_number"].match(text[a:b])
    if not m:
        return None
    num = m.group("num")
    value = int(num) if num.isdigit() else ordinal_value(num, "chinese")
    if not value:
        return None
    inline = bool(m.group("rest") and m.group("rest").strip(_WS + "|｜"))
    return value, a + m.start("num"), a + m.end("num"), inline


def _rows(text: str, lines: List[Tuple[int, int]], j: int, table: Table) -> int:
    """Read the rows after the header into ``table``; the index of the first line after them."""
    duty_col = next(
        (k for k, c in enumerate(table.columns) if _table_rules()["duty"].search(c)), None
    )
    last_number: Optional[int] = None
    current: Optional[List[Tuple[int, int]]] = None  # cell lines of the open row

    def close(cells: List[Tuple[int, int]]) -> None:
        start = cells[0][0]
        end = max(_cell_text(text, a, b)[1] for a, b in cells)
        marker_a, marker_b = _cell_text(text, *cells[0])
        marker = re.split(r"[|｜\s]", text[marker_a:marker_b])[0]
        duty = None
        if duty_col is not None:
            if len(cells) == 1:  # a one-line row: split its cells
                parts = _split_inline(text, *cells[0])
                cell = parts[duty_col] if duty_col < len(parts) else None
            else:
                cell = _cell_text(text, *cells[duty_col]) if duty_col < len(cells) else None
            if cell is not None and cell[1] > cell[0]:
                duty = (table.columns[duty_col], cell[0], cell[1])
        table.rows.append(TableRow(start, end, marker, duty))

    while j < len(lines):
        a, b = lines[j]
        rn = _row_number(text, a, b)
        # a row number: the next one (gaps of up to 3), or any larger one once the open row has
        # its cells (an excerpt of a longer table: rows 6, 52, 53…)
        cells_so_far = len(current) - 1 if current else 0
        if rn is not None and (
            last_number is None
            or 1 <= rn[0] - last_number <= 3
            or (rn[0] > last_number and cells_so_far >= len(table.columns) - 1)
        ):
            if current:
                close(current)
            current = [(a, b)]
            last_number = rn[0]
        elif current is not None:
            current.append((a, b))
        else:
            break
        j += 1
    if current:
        close(current)
    return j


def _split_inline(text: str, a: int, b: int) -> List[Tuple[int, int]]:
    out = []
    pos = a
    for m in re.finditer(r"[|｜\t]", text[a:b]):
        out.append(_cell_text(text, pos, a + m.start()))
        pos = a + m.end()
    out.append(_cell_text(text, pos, b))
    return out
