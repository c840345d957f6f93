"""Synthetic web pages for the HTML reader's tests and benchmarks (deterministic per seed).

:func:`random_page` builds a government-site-like page — header/nav boilerplate, a metadata
table, a content element, unclosed ``<font>``/``<p>``/``<td>``, hidden blocks, comments,
scripts — from a seed; :func:`deep_page` nests ``depth`` elements around the text, the way
scraped pages with unclosed tags nest in the parser's tree.

>>> random_page(1) == random_page(1), deep_page(3).count("<div>")
(True, 3)
"""

from __future__ import annotations

import random

SENTENCES = (
    "一、抓投资促发展，全年完成固定资产投资120亿元。",
    "二、抓招商引资，引进亿元以上项目15个。",
    "（一）深化“放管服”改革，优化营商环境。",
    "1.加快推进乡村振兴，农村居民人均可支配收入增长7%左右。",
    "责任单位：县发改局、县财政局。",
    "各乡镇人民政府，县政府各部门：",
    "现将《2024年重点工作任务分解》印发给你们，请认真贯彻执行。",
    "打印本页",
    "【关闭窗口】",
    "字号：大 中 小",
    "当前位置：首页 > 政务公开 > 通知公告",
    "某县人民政府办公室 2024年3月5日",
)
LABELS = (
    "索引号",
    "发布机构",
    "成文日期",
    "发文字号",
    "主题分类",
    "标题",
    "发布时间",
    "来源",
    "浏览次数",
)
VALUES = (
    "001/2024-00012",
    "某县人民政府办公室",
    "2024-03-05",
    "某政办发〔2024〕3号",
    "综合政务",
    "关于印发重点工作的通知",
    "2024年3月5日 09:12",
    "县政府办",
    "1024",
)
CLASSES = (
    "",
    "header",
    "nav",
    "footer",
    "TRS_Editor",
    "zoom",
    "article-content",
    "content",
    "main",
    "share",
    "print",
    "title",
    "bt",
    "xgwz",
    "con_text",
    "wrap",
    "left",
    "right",
)
INLINE = ("font", "span", "b", "strong", "a", "em")
BLOCKS = ("div", "p", "td", "li", "section", "center", "h2", "table", "tr", "ul")


def _fragment(rng: random.Random, depth: int) -> str:
    r = rng.random()
    if depth > 6 or r < 0.25:
        return rng.choice(SENTENCES)
    if r < 0.3:
        return "<br>" + rng.choice(SENTENCES)
    if r < 0.33:
        return "<!-- 注释 -->" + rng.choice(SENTENCES)
    if r < 0.36:
        return "<script>var x = '<div>';</script>"
    if r < 0.39:
        return f'<div style="display:none">{rng.choice(SENTENCES)}</div>'
    if r < 0.45:  # a metadata table
        rows = "".join(
            f"<tr><td>{LABELS[i]}：</td><td>{VALUES[i]}</td></tr>"
            for i in rng.sample(range(len(LABELS)), rng.randint(1, 5))
        )
        return f'<table class="{rng.choice(CLASSES)}">{rows}</table>'
    tag = rng.choice(INLINE if r < 0.6 else BLOCKS)
    cls = rng.choice(CLASSES)
    attr = f' class="{cls}"' if cls else ""
    if rng.random() < 0.3:
        attr += f' id="{rng.choice(CLASSES) or "x"}"'
    inner = "".join(_fragment(rng, depth + 1) for _ in range(rng.randint(1, 4)))
    close = "" if rng.random() < 0.25 else f"</{tag}>"  # unclosed, as scraped pages have them
    return f"<{tag}{attr}>{inner}{close}"


def random_page(seed: int) -> str:
    """A page of tag soup from ``seed`` (same seed, same page)."""
    rng = random.Random(seed)
    head = "<title>关于印发重点工作的通知_某县人民政府</title>"
    if rng.random() < 0.5:
        head += (
            '<meta name="ArticleTitle" content="关于印发重点工作的通知"><meta name="SiteName" '
            'content="某县人民政府">'
        )
    body = "".join(_fragment(rng, 0) for _ in range(rng.randint(1, 8)))
    return f"<html><head>{head}</head><body>{body}</body></html>"


def deep_page(depth: int, chars: int = 2000, *, style: str = "div") -> str:
    """``chars`` characters of text inside ``depth`` nested elements.

    ``style`` ``div``: closed ``<div>``s; ``font``/``p``/``td``: unclosed ``<font>``, ``<p>``
    or ``<td>`` (a table cell per level), the way scraped pages leave them.
    """
    unit = "一、抓投资，促发展。"
    text = (unit * (chars // len(unit) + 1))[:chars]
    if style == "div":
        body = "<div>" * depth + text + "</div>" * depth
    elif style == "font":
        body = '<font size="3">' * depth + text
    elif style == "p":
        body = "<p>一、" * depth + text
    elif style == "td":
        body = "<table><tr><td>" * depth + text
    else:
        raise ValueError(style)
    return f"<html><head><title>深层页面</title></head><body>{body}</body></html>"
