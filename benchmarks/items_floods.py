"""``parse_items`` on marker floods: seconds per flood and size, and the ratio per doubling.

A flood is a document made of one marker (or a short run of markers) repeated until it has the
wanted number of characters: ``①①①…``, ``一是一是…``, ``一、⏎一、⏎…``, mixes of styles, long runs
of well-formed siblings, a 序号 table with one row per line. Scraped pages and OCR output do hold
such stretches; the parser must stay linear on them (issue 18). Each flood is timed at 125k,
250k, 500k and 1M characters (``--sizes``), in CPU seconds of this process (the machine is shared:
wall-clock time would measure the neighbours too); linear growth shows as a ratio near 2 per
doubling (quadratic: 4), and 8× the characters (125k → 1M) about 8× the time (quadratic: 64×).
Single doublings are noisy on a shared machine; floods that make one item per marker spend most
of their time building the items (and the garbage collector walking them: ``--gc-off``).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/items_floods.py
        [--sizes 125000,250000,500000,1000000]
        [--floods circled,yishi,...] [--json out/items_floods.json] [--gc-off] [--code /work/main]

``flood(name, n_chars)`` is imported by ``benchmarks/items_identity.py`` too (small floods are
part of the before/after comparison).
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List

_CN = "一二三四五六七八九十"


def _cn(n: int) -> str:
    """1..99 as a Chinese numeral (一 … 九十九)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN[tens - 1] + "十")
    return head + ("" if ones == 0 else _CN[ones - 1])


def _repeat(unit: str) -> Callable[[int], str]:
    def make(n: int) -> str:
        return (unit * (n // len(unit) + 1))[:n]

    return make


def _numbered(fmt: Callable[[int], str], period: int = 99) -> Callable[[int], str]:
    """Well-formed siblings 1, 2, 3 … ``period`` and again from 1."""

    def make(n: int) -> str:
        parts: List[str] = []
        size = k = 0
        while size < n:
            s = fmt(k % period + 1)
            parts.append(s)
            size += len(s)
            k += 1
        return "".join(parts)[:n]

    return make


def _table(n: int) -> str:
    parts = ["序号\n工作任务\n责任单位\n"]
    size = len(parts[0])
    k = 1
    while size < n:
        s = f"{k}\n新建农村公路{k % 50 + 1}公里。\n县交通运输局\n"
        parts.append(s)
        size += len(s)
        k += 1
    return "".join(parts)[:n]


def _then(head: str, unit: str, tail: str = "") -> Callable[[int], str]:
    """``head``, then ``unit`` repeated, then ``tail``: ``n`` characters in all."""

    def make(n: int) -> str:
        body = n - len(head) - len(tail)
        return head + (unit * (max(body, 0) // len(unit) + 1))[: max(body, 0)] + tail

    return make


FLOODS: Dict[str, Callable[[int], str]] = {
    "circled": _repeat("①"),
    "yishi": _repeat("一是"),
    "dun_lines": _repeat("一、\n"),
    "paren_lines": _repeat("（一）\n"),
    "ar_dot_lines": _repeat("1.\n"),
    "di": _repeat("第一，"),
    "mix": _repeat("①一是一、\n"),
    "mix_inline": _repeat("一、（一）1.（1）①一是第一，"),
    "circled_seq": _repeat("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"),
    "yishi_seq": _numbered(lambda k: f"（{_cn(k)}）抓落实。一是抓项目，二是抓招商，三是抓服务。\n"),
    "dun_seq": _numbered(lambda k: f"{_cn(k)}、抓项目建设。\n"),
    "nested_seq": _numbered(
        lambda k: (
            f"{_cn(k)}、综合\n（一）抓投资。\n1.甲。\n2.乙。\n（二）抓招商。一是丙，二是丁。\n"
        )
    ),
    "duty_seq": _numbered(lambda k: f"{k}.抓投资。\n责任单位:县发改局\n", 999),
    "blank_blocks": _repeat("一是抓\n项目\n\n"),
    "table": _table,
    "ordinal_open": _then(
        "一是抓项目，二是抓招商，", "丙1.丁"
    ),  # rejected markers under an open point
    "quoted": _repeat("“①”"),
    "attachments": _then(
        "",
        "附件1\n",
        "\n" + "为深入贯彻落实省委省政府决策部署要求，进一步加强工作，现将有关事项通知如下，"
        "请各单位认真遵照执行。",
    ),
    "trailers": _repeat("返回顶部\n"),
}

#: floods whose *output* grows faster than the input, so no parser can be linear on them: each new
#: 一是 run inside an open run (of the same style, even in a later paragraph) opens one level down
#: (spec items.md v2), so k runs nest k deep and the items' ``path`` lists hold k²/2 ids. Timed
#: only when named in ``--floods``.
DEEP: Dict[str, Callable[[int], str]] = {
    "yishi_runs": _numbered(lambda k: f"{_cn(k)}是抓项目，", 9),
    "yishi_paragraphs": _repeat("一是抓项目，二是抓招商，三是抓服务。\n"),
}


def flood(name: str, n_chars: int) -> str:
    """The flood ``name`` with ``n_chars`` characters.

    >>> flood("circled", 3), flood("dun_lines", 5)
    ('①①①', '一、\\n一、')
    """
    return {**FLOODS, **DEEP}[name](n_chars)


def main(argv: List[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="125000,250000,500000,1000000")
    ap.add_argument("--floods", default=",".join(FLOODS))
    ap.add_argument("--json", metavar="PATH", help="write the figures as JSON too")
    ap.add_argument(
        "--gc-off",
        action="store_true",
        help=(
            "time with the garbage collector off: the parser's own growth, without the "
            "collector's walks over the growing heap"
        ),
    )
    ap.add_argument(
        "--code",
        metavar="DIR",
        default=str(Path(__file__).resolve().parents[1]),
        help="the checkout whose govnlp is timed (default: this one)",
    )
    args = ap.parse_args(argv)
    sys.path.insert(0, args.code)
    from govnlp.items import parse_items

    sizes = [int(s) for s in args.sizes.split(",")]
    parse_items("一、热身\n（一）抓投资。")  # rules loaded before timing
    results = {}
    print(
        f"{'flood':<14}"
        + "".join(f"{n // 1000:>9}k" for n in sizes)
        + "   ratio per doubling   items at max"
    )
    for name in args.floods.split(","):
        secs, n_items = [], 0
        for n in sizes:
            text = flood(name, n)
            if args.gc_off:
                gc.disable()
            t0 = time.process_time()
            n_items = len(parse_items(text))
            secs.append(time.process_time() - t0)
            gc.enable()
            gc.collect()
        ratios = [b / a if a > 0 else float("nan") for a, b in zip(secs, secs[1:])]
        results[name] = {"sizes": sizes, "seconds": secs, "ratios": ratios, "items_at_max": n_items}
        print(
            f"{name:<14}"
            + "".join(f"{s:>9.2f}s" for s in secs)
            + "   "
            + " ".join(f"{r:.2f}" for r in ratios).ljust(20)
            + f" {n_items}",
            flush=True,
        )
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    worst = max((max(r["ratios"]) for r in results.values() if r["ratios"]), default=0.0)
    print(f"worst ratio per doubling: {worst:.2f} (2 = linear, 4 = quadratic)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
