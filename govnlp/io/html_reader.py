"""Web pages of Chinese government sites → the document's text and its metadata.

Government sites (TRS, 开普云/UCAP, 大汉, 拓尔思 site-group systems) share a layout: a
header with the site name and navigation, a 当前位置 breadcrumb, a 政府信息公开 metadata
table (索引号, 发布机构, 成文日期, 发文字号, 主题分类, 标题…), a byline (发布时间, 来源,
浏览次数, 字号 大 中 小), the content in an element named like ``TRS_Editor``, ``zoom``,
``UCAP-CONTENT``, ``article-content``, then 打印/关闭/分享 tools and a footer. The head carries
the standard ``<meta name="ArticleTitle|PubDate|ContentSource|SiteName|ColumnName">``
tags required of government sites (《政府网站发展指引》).

:func:`extract_html` returns the main text (title first) and ``meta``:

- from the metadata table and byline: ``title``, ``issuer`` (发布机构/发文机关), ``date``
  (成文日期, else the publication date, as ``YYYY-MM-DD``), ``published`` (发布日期/发布时间/
  生成日期), ``doc_number`` (发文字号/文号), ``index_no`` (索引号), ``topic`` (主题分类),
  ``category`` (组配分类), ``genre`` (体裁分类), ``keywords`` (主题词), ``source`` (信息来源/来源),
  ``validity`` (有效性), ``disclosure`` (公开方式), ``registration_no`` (文件登记号), ``abstract``;
- from the head: ``site`` (SiteName), ``column`` (ColumnName), ``url``; ``title``, ``date``,
  ``issuer`` and ``keywords`` when the table has none.

Metadata blocks and boilerplate never reach the text, so they never become items.

>>> text, meta = extract_html('<html><body><table><tr><td>索引号：</td><td>001/2024-1</td>'
...     '<td>发布机构：</td><td>某县人民政府办公室</td></tr></table>'
...     '<div id="zoom"><p>一、抓投资。</p><p>二、抓招商。</p></div></body></html>')
>>> text, meta["index_no"], meta["issuer"]
('一、抓投资。\\n二、抓招商。', '001/2024-1', '某县人民政府办公室')
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Union

from .documents import (
    DEFAULT_MAX_CHARS,
    EmptyDocument,
    check_length,
    decode_bytes,
    read_bytes,
)

#: Raw page size allowed per character of ``max_chars`` (markup outweighs text).
HTML_BYTES_PER_CHAR = 16

#: Metadata labels → ``meta`` key (``None``: boilerplate, dropped). Longest first.
LABELS: Tuple[Tuple[str, Optional[str]], ...] = (
    ("信息索引号", "index_no"),
    ("索引号", "index_no"),
    ("索取号", "index_no"),
    ("发布机构", "issuer"),
    ("发文机关", "issuer"),
    ("发文机构", "issuer"),
    ("发文单位", "issuer"),
    ("制发机关", "issuer"),
    ("发布单位", "issuer"),
    ("所属机构", "issuer"),
    ("成文日期", "date"),
    ("成文时间", "date"),
    ("印发日期", "date"),
    ("发布日期", "published"),
    ("发布时间", "published"),
    ("生成日期", "published"),
    ("公开日期", "published"),
    ("公开时间", "published"),
    ("发文日期", "published"),
    ("发文字号", "doc_number"),
    ("文件编号", "doc_number"),
    ("文号", "doc_number"),
    ("主题分类", "topic"),
    ("组配分类", "category"),
    ("体裁分类", "genre"),
    ("公文种类", "genre"),
    ("文件名称", "title"),
    ("信息名称", "title"),
    ("标题", "title"),
    ("主题词", "keywords"),
    ("关键词", "keywords"),
    ("内容概述", "abstract"),
    ("内容摘要", "abstract"),
    ("摘要", "abstract"),
    ("信息来源", "source"),
    ("文章来源", "source"),
    ("来源", "source"),
    ("有效性", "validity"),
    ("时效性", "validity"),
    ("效力状态", "validity"),
    ("公开方式", "disclosure"),
    ("公开形式", "disclosure"),
    ("公开范围", "disclosure_scope"),
    ("公开时限", None),
    ("文件登记号", "registration_no"),
    ("统一编号", "registration_no"),
    ("浏览次数", None),
    ("访问次数", None),
    ("阅读次数", None),
    ("点击数", None),
    ("点击量", None),
    ("字体大小", None),
    ("字号", None),
    ("作者", None),
    ("责任编辑", None),
    ("编辑", None),
    ("分享到", None),
    ("分享", None),
)
_LABEL_KEY = {label: key for label, key in LABELS}
_LABEL_ALT = "|".join(
    r"\s*".join(map(re.escape, label)) for label, _ in sorted(LABELS, key=lambda x: -len(x[0]))
)
#: A label at the start of a string, or after a separator, followed by a colon or the end.
_LABEL_RE = re.compile(r"(?:^|(?<=[\s|｜丨/]))\s*(" + _LABEL_ALT + r")\s*(?:[:：]|$)")
_WS_RE = re.compile(r"[\s\u3000\xa0]+")

#: Head ``<meta name=…>`` → key.
HEAD_META = {
    "articletitle": "title",
    "pubdate": "published",
    "contentsource": "source",
    "sitename": "site",
    "columnname": "column",
    "keywords": "keywords",
    "url": "url",
}

REMOVE_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "canvas",
    "input",
    "select",
    "button",
    "textarea",
    "map",
    "audio",
    "video",
    "link",
    "meta",
)
BOILERPLATE_TAGS = ("header", "footer", "nav", "aside")
#: id/class parts (split on - and _) marking boilerplate.
BOILERPLATE_PARTS = {
    "header",
    "nav",
    "navbar",
    "navigation",
    "menu",
    "mainnav",
    "subnav",
    "footer",
    "foot",
    "copyright",
    "breadcrumb",
    "crumb",
    "crumbs",
    "bread",
    "location",
    "position",
    "curpos",
    "dqwz",
    "weizhi",
    "sidebar",
    "share",
    "bdshare",
    "fenxiang",
    "print",
    "toolbar",
    "friendlink",
    "yqlj",
    "search",
    "login",
    "pagination",
    "fenye",
    "qrcode",
    "ewm",
    "gotop",
    "backtop",
    "wza",
    "skip",
    "related",
    "xgwz",
    "xgxx",
    "comment",
}
#: Whole id/class tokens marking boilerplate.
BOILERPLATE_TOKENS = {"top", "head", "bottom", "links", "link", "tools", "tool"}
#: id/class tokens naming the content element.
_STRONG_RE = re.compile(
    r"^(trs_(editor|ueditor|paper_default)|(font)?zoom|ucap-content|custom_unionstyle|artibody|"
    r"[a-z]*[-_]?(content|contents|cont|con|text|txt|detail|body|zw|zwnr|nr|article)(box|main|text|con|\d*|[-_][a-z0-9]*)|"
    r"article|zw|nr|zwnr|main)$",
    re.I,
)
_STRONG_PRIORITY_RE = re.compile(
    r"^(trs_(editor|ueditor)|(font)?zoom|ucap-content|custom_unionstyle)$", re.I
)
_TITLE_PARTS = {"title", "tit", "bt", "biaoti", "arttitle", "headline"}
BLOCK_TAGS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "ul",
    "caption",
    "body",
    "html",
}
_CELL_TAGS = {"td", "th"}
_JUNK_RE = re.compile(
    r"[【\[（(]?\s*(?:打印本页|打印此页|打印|关闭本页|关闭窗口|关闭|返回顶部|返回|收藏本页|收藏|"
    r"分享到?|扫一扫在手机(?:上)?打开(?:当前|此|本)页|扫一扫|字[号体](?:大小)?|[大中小])\s*[】\]）)]?[:：]?"
)
_DATE_RE = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_CHARSET_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""",
    re.I,
)


def read_html_file(
    path: Union[str, Path], *, max_chars: Optional[int] = DEFAULT_MAX_CHARS
) -> Tuple[str, Dict[str, Any]]:
    """Read a page: bytes (bounded), encoding (BOM, ``<meta charset>``, detection), extraction."""
    max_bytes = HTML_BYTES_PER_CHAR * max_chars if max_chars else None
    raw = read_bytes(path, max_bytes, what="page")
    text, meta = extract_html(raw)
    return check_length(text, max_chars), meta


def declared_charset(raw: bytes) -> Optional[str]:
    """The charset a page declares in its first 4 KB (``<meta charset>``, http-equiv, XML)."""
    m = _CHARSET_RE.search(raw[:4096])
    if not m:
        return None
    return (m.group(1) or m.group(2)).decode("ascii", errors="ignore")


def extract_html(page: Union[str, bytes]) -> Tuple[str, Dict[str, Any]]:
    """``(text, meta)`` of a page; :class:`EmptyDocument` when it has no main text."""
    from bs4 import BeautifulSoup, Comment

    meta: Dict[str, Any] = {}
    if isinstance(page, bytes):
        declared = declared_charset(page)
        page, facts = decode_bytes(page, declared)
        meta.update(facts)
    soup = BeautifulSoup(page, "lxml")
    head_meta = _head_meta(soup)
    page_title = _clean(soup.title.get_text()) if soup.title else ""
    body = soup.body
    if body is None:
        raise EmptyDocument("HTML page without a <body>: no text")
    for el in body.find_all(REMOVE_TAGS):
        if not _gone(el):
            el.decompose()
    for c in body.find_all(string=lambda s: isinstance(s, Comment)):
        c.extract()
    hidden = [el for el in body.find_all(True) if _is_hidden(el)]
    for el in hidden:
        if not _gone(el):
            el.decompose()

    table_meta = _extract_meta_blocks(body)
    _remove_boilerplate(body)
    ix = _TreeIndex(body)
    content = _main_content(body, ix)
    title = (
        table_meta.get("title")
        or head_meta.get("title")
        or _heading_title(body, head_meta.get("site"), ix)
        or _page_title(page_title, head_meta.get("site"))
    )
    text = _render(content) if content is not None else ""
    if not text:
        raise EmptyDocument("HTML page has no main text (no <body> content)")
    if title:
        title = _clean(title)
        if title and title not in text[: max(300, len(title) * 2)]:
            text = title + "\n" + text

    # meta: table first, then head, then fallbacks
    for key, value in head_meta.items():
        if key != "title":
            table_meta.setdefault(key, value)
    meta.update({k: v for k, v in table_meta.items() if k != "title"})
    if title:
        meta["title"] = title
    if "issuer" not in meta and meta.get("source"):
        meta["issuer"] = meta["source"]
    for key in ("date", "published"):
        if key in meta:
            meta[key] = normalise_date(meta[key])
    if "date" not in meta and meta.get("published"):
        meta["date"] = meta["published"]
    return text, meta


def normalise_date(value: str) -> str:
    """``2023年2月22日`` / ``2023-02-22 09:12`` / ``2023/2/22`` → ``2023-02-22`` (else
    unchanged).
    """
    m = _DATE_RE.search(value or "")
    if not m:
        return value
    y, mo, d = (int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return value
    return f"{y:04d}-{mo:02d}-{d:02d}"


# -- the tree, linearly ------------------------------------------------------------------
#
# Scraped pages with unclosed tags nest thousands of levels deep in the parser's tree, so
# nothing below walks a node's parents or re-reads a subtree per element: one pass over the
# tree (:class:`_TreeIndex`) gives every node its pre-order position, the end of its subtree,
# its depth and its subtree's text and link lengths, and ancestry is a range check.


def _gone(node: Any) -> bool:
    """``node.decomposed`` without bs4's lookup: on a live tag, ``getattr(tag, "_decomposed")``
    falls back to ``tag.find("_decomposed")``, a search of the whole subtree."""
    return bool(node.__dict__.get("_decomposed", False))


class _TreeIndex:
    """Pre-order positions and subtree sums of ``root`` and its descendants, in one pass.

    Valid until the tree changes (build a new one after decomposing); a subtree that is
    not touched keeps its sums.

    >>> from bs4 import BeautifulSoup
    >>> soup = BeautifulSoup("<div><p>一 二<a>链接</a></p><p>三</p></div>", "lxml")
    >>> ix = _TreeIndex(soup.div)
    >>> (
    ...     ix.text_len(soup.div),
    ...     ix.link_len(soup.div),
    ...     ix.inside(soup.a, soup.div),
    ...     ix.inside(soup.div, soup.a),
    ... )
    (5, 2, True, False)
    """

    def __init__(self, root: Any) -> None:
        from bs4 import CData, NavigableString, Tag

        main_types = (NavigableString, CData)
        nodes = [root]
        nodes.extend(root.descendants)
        pos = {id(node): i for i, node in enumerate(nodes)}
        n = len(nodes)
        parent = [-1] * n
        for i in range(1, n):
            parent[i] = pos.get(id(nodes[i].parent), -1)
        end = list(range(n))
        text = [0] * n
        links = [0] * n
        prio = [0] * n
        depth = [0] * n
        for i in range(1, n):
            if parent[i] >= 0:
                depth[i] = depth[parent[i]] + 1
        for i in range(n - 1, -1, -1):
            node = nodes[i]
            is_tag = isinstance(node, Tag)
            if not is_tag and type(node) in main_types:
                text[i] = len(_WS_RE.sub("", node))
            p = parent[i]
            if p < 0:
                continue
            text[p] += text[i]
            links[p] += links[i] + (text[i] if is_tag and node.name == "a" else 0)
            prio[p] += prio[i] + (
                1 if is_tag and any(_STRONG_PRIORITY_RE.match(t) for t in _tokens(node)) else 0
            )
            if end[i] > end[p]:
                end[p] = end[i]
        self._nodes = nodes  # keeps the ids valid
        self._pos = pos
        self._end = end
        self._text = text
        self._links = links
        self._prio = prio
        self._depth = depth
        self._main_types = set(main_types)
        self._strings: Optional[Tuple[List[int], List[str], List[bool]]] = None

    def has(self, node: Any) -> bool:
        return id(node) in self._pos

    def text_len(self, el: Any) -> int:
        """``len(_WS_RE.sub("", el.get_text()))``."""
        if el.interesting_string_types not in (None, self._main_types):
            return _text_len(el)  # <rt>, <rp>: strings of their own kind
        return self._text[self._pos[id(el)]]

    def link_len(self, el: Any) -> int:
        """Text length of the ``<a>`` elements inside ``el`` (nested ones counted again)."""
        return self._links[self._pos[id(el)]]

    def has_priority_inside(self, el: Any) -> bool:
        """A descendant's id/class names a content element of the priority kind."""
        return self._prio[self._pos[id(el)]] > 0

    def depth(self, el: Any) -> int:
        return self._depth[self._pos[id(el)]]

    def inside(self, node: Any, ancestor: Any) -> bool:
        """``ancestor`` is one of ``node``'s parents."""
        if id(ancestor) not in self._pos or id(node) not in self._pos:
            return _inside(node, ancestor)
        a = self._pos[id(ancestor)]
        return a < self._pos[id(node)] <= self._end[a]

    def span(self, el: Any) -> Tuple[int, int]:
        """First and last pre-order position of ``el``'s subtree (``el`` included)."""
        i = self._pos[id(el)]
        return i, self._end[i]

    def position(self, node: Any) -> int:
        return self._pos[id(node)]

    def lowest_common_ancestor(self, a: Any, b: Any) -> Any:
        """The deepest node that is an ancestor of both (walks up from both by depth)."""
        i, j = self._pos[id(a)], self._pos[id(b)]
        nodes, depth = self._nodes, self._depth
        x, y = nodes[i], nodes[j]
        di, dj = depth[i], depth[j]
        while di > dj:
            x, di = x.parent, di - 1
        while dj > di:
            y, dj = y.parent, dj - 1
        while x is not y:
            x, y = x.parent, y.parent
        return x

    def clean_text(self, el: Any, limit: int) -> Optional[str]:
        """``_clean(el.get_text())``, or None when ``el`` has more than ``limit`` non-space
        characters (then the cleaned text is longer than ``limit``); the cost is the number
        of non-blank strings read, never the size of the subtree."""
        if el.interesting_string_types not in (None, self._main_types):
            t = _clean(el.get_text())
            return t if len(t) <= limit else None
        if self.text_len(el) > limit:
            return None
        import bisect

        if self._strings is None:
            self._strings = self._string_table()
        where, cores, space_before = self._strings
        lo, hi = self.span(el)
        a = bisect.bisect_left(where, lo)
        b = bisect.bisect_right(where, hi)
        parts: List[str] = []
        for k in range(a, b):
            if parts and space_before[k]:
                parts.append(" ")
            parts.append(cores[k])
        return "".join(parts)

    def _string_table(self) -> Tuple[List[int], List[str], List[bool]]:
        """Non-blank counted strings in order: position, cleaned text, whether blank text
        separates it from the previous one."""
        from bs4 import Tag

        where: List[int] = []
        cores: List[str] = []
        space_before: List[bool] = []
        pending_space = False
        for i, node in enumerate(self._nodes):
            if isinstance(node, Tag) or type(node) not in self._main_types or not node:
                continue
            core = _clean(node)
            if not core:
                pending_space = True
                continue
            where.append(i)
            cores.append(core)
            space_before.append(pending_space or bool(_WS_RE.match(node)))
            pending_space = bool(_WS_RE.match(node[-1]))
        return where, cores, space_before


# -- pieces -------------------------------------------------------------------------------


def _clean(s: str) -> str:
    return _WS_RE.sub(" ", s or "").strip()


def _head_meta(soup: Any) -> Dict[str, str]:
    out: Dict[str, str] = {}
    for m in soup.find_all("meta"):
        name = (m.get("name") or "").strip().lower()
        key = HEAD_META.get(name)
        content = _clean(m.get("content") or "")
        if key and content and key not in out:
            out[key] = content
    return out


def _is_hidden(el: Any) -> bool:
    if el.attrs is None:
        return False
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or el.has_attr("hidden")


def _tokens(el: Any) -> List[str]:
    if el.attrs is None:
        return []
    cls = el.get("class") or []
    if isinstance(cls, str):
        cls = cls.split()
    toks = [t.lower() for t in cls]
    if el.get("id"):
        toks.append(str(el.get("id")).lower())
    return toks


def _is_boilerplate(el: Any) -> bool:
    if el.name in BOILERPLATE_TAGS:
        return True
    for tok in _tokens(el):
        if tok in BOILERPLATE_TOKENS:
            return True
        if any(part in BOILERPLATE_PARTS for part in re.split(r"[-_\s]+", tok)):
            return True
    return False


def _is_strong(el: Any) -> bool:
    return any(_STRONG_RE.match(t) for t in _tokens(el))


def _text_len(el: Any) -> int:
    return len(_WS_RE.sub("", el.get_text()))


def _link_len(el: Any) -> int:
    return sum(len(_WS_RE.sub("", a.get_text())) for a in el.find_all("a"))


def _label_hits(s: str) -> List[Tuple[str, Optional[str], str]]:
    """``(label, key, inline value)`` for each label in a string (first one at its start)."""
    matches = list(_LABEL_RE.finditer(s))
    if not matches or s[: matches[0].start()].strip():
        return []
    hits = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(s)
        label = _WS_RE.sub("", m.group(1))
        value = s[m.end() : end].strip(" \t\r\n\u3000\xa0|｜丨")
        hits.append((label, _LABEL_KEY.get(label), value))
    return hits


def _inside(node: Any, ancestor: Any) -> bool:
    """``ancestor`` is one of ``node``'s parents (identity: bs4 compares tags by content)."""
    return any(p is ancestor for p in node.parents)


def _row_of(string: Any) -> Any:
    """The element a label's value must be in: its table row / list item / paragraph /
    definition list (within four levels), else the label's grandparent."""
    parents = []
    for anc in string.parents:
        parents.append(anc)
        if len(parents) > 4:
            break
        if anc.name in ("tr", "li", "dl", "p"):
            return anc
    return parents[1] if len(parents) > 1 else None


def _extract_meta_blocks(body: Any) -> Dict[str, str]:
    """Find metadata tables/bylines (≥ 2 labels in a small block mostly made of labels and
    values), read their label→value pairs, and remove them from the page."""
    import bisect

    strings = [s for s in body.find_all(string=True) if s.strip()]
    hit_idx: Dict[int, List[Tuple[str, Optional[str], str]]] = {}
    for i, s in enumerate(strings):
        if len(s) <= 400:
            hits = _label_hits(str(s))
            if hits:
                hit_idx[i] = hits
    if not hit_idx:
        return {}
    ix = _TreeIndex(body)
    # a label with no inline value takes the next string as its value (unless that is a label)
    pairs: Dict[int, List[Tuple[Optional[str], str, Optional[int]]]] = {}
    for i, hits in hit_idx.items():
        out = []
        for j, (label, key, value) in enumerate(hits):
            vidx = None
            if not value and j == len(hits) - 1 and i + 1 < len(strings) and (i + 1) not in hit_idx:
                cand = _clean(str(strings[i + 1]))
                row = _row_of(strings[i])
                if len(cand) <= 300 and row is not None and ix.inside(strings[i + 1], row):
                    value, vidx = cand, i + 1
            out.append((key, _clean(value), vidx))
        pairs[i] = out
    # hit strings in document order; the lowest ancestor of a hit that holds another hit is
    # the deeper of its common ancestors with the hits just before and after it
    order = sorted(hit_idx)  # strings are in document order already
    where = [ix.position(strings[i]) for i in order]
    blocks: Dict[int, Any] = {}
    members: Dict[int, List[int]] = {}
    for k, i in enumerate(order):
        if len(hit_idx[i]) >= 2:
            block = strings[i].parent
        else:
            block = None
            block_depth = -2
            for other in (
                order[k - 1] if k else None,
                order[k + 1] if k + 1 < len(order) else None,
            ):
                if other is None:
                    continue
                lca = ix.lowest_common_ancestor(strings[i], strings[other])
                if not ix.has(lca):  # above body: an ancestor of every hit
                    lca_depth = -1
                else:
                    lca_depth = ix.depth(lca)
                if block is None or lca_depth > block_depth:
                    block, block_depth = lca, lca_depth
        if block is None or block.name in ("body", "html", "[document]"):
            continue
        blocks[id(block)] = block
        members.setdefault(id(block), []).append(i)
    meta: Dict[str, str] = {}
    accepted: List[Any] = []
    for bid, block in blocks.items():
        total = ix.text_len(block)
        if total == 0 or total > 3000:
            continue
        lo, hi = ix.span(block)
        idxs = set()
        for i in order[bisect.bisect_right(where, lo) : bisect.bisect_right(where, hi)]:
            idxs.add(i)
            idxs.update(v for _, _, v in pairs[i] if v is not None)
        covered = sum(len(_WS_RE.sub("", str(strings[k]))) for k in idxs)
        n_hits = sum(len(hit_idx[i]) for i in idxs if i in hit_idx)
        if n_hits < 2 or covered < 0.5 * total:
            continue
        accepted.append(block)
        for i in sorted(idxs):
            for key, value, _ in pairs.get(i, []):
                if key and value and key not in meta:
                    meta[key] = value
    # remove the outermost accepted blocks (an accepted block inside another goes with it)
    spans = sorted((ix.span(b), n) for n, b in enumerate(accepted))
    nested = set()
    outer_end = -1
    for (lo, hi), n in spans:
        if lo <= outer_end:
            nested.add(n)
        else:
            outer_end = hi
    for n, block in enumerate(accepted):
        if not _gone(block) and n not in nested:
            block.decompose()
    return meta


def _remove_boilerplate(body: Any) -> None:
    # Elements are taken in document order; removing one never touches the subtree of an
    # element after it, so sums read from one index stay right for every element still there.
    ix = _TreeIndex(body)
    total = max(ix.text_len(body), 1)
    for el in list(body.find_all(True)):
        if _gone(el) or el.attrs is None or not _is_boilerplate(el):
            continue
        if _is_strong(el) and el.name not in BOILERPLATE_TAGS:
            continue
        if ix.has_priority_inside(el):
            continue
        if ix.text_len(el) - ix.link_len(el) > 0.4 * total:
            continue  # a "boilerplate" element holding most of the page is the page
        el.decompose()


def _main_content(body: Any, ix: Optional[_TreeIndex] = None) -> Optional[Any]:
    """The element holding the document: a content-named element, else the densest block."""
    ix = ix or _TreeIndex(body)
    body_text = max(ix.text_len(body) - ix.link_len(body), 1)

    def own(el: Any) -> int:
        return ix.text_len(el) - ix.link_len(el)

    cands = [el for el in body.find_all(True) if _is_strong(el)]
    scored = [(own(el), el) for el in cands]
    scored = [(n, el) for n, el in scored if n >= 20]
    if scored:
        best_n, best = max(scored, key=lambda x: x[0])
        prio = [
            (n, el) for n, el in scored if any(_STRONG_PRIORITY_RE.match(t) for t in _tokens(el))
        ]
        if prio:
            p_n, p_el = max(prio, key=lambda x: x[0])
            if p_n >= 0.5 * best_n:
                best_n, best = p_n, p_el
        if best_n >= 200 or best_n >= 0.25 * body_text:
            # descend into a nested content element that holds nearly all of it
            while True:
                inner = [
                    (n, el)
                    for n, el in scored
                    if n >= 0.8 * best_n and el is not best and ix.inside(el, best)
                ]
                if not inner:
                    break
                best_n, best = max(inner, key=lambda x: ix.depth(x[1]))
            return best
    return _densest(body)


def _densest(body: Any) -> Optional[Any]:
    from bs4 import NavigableString

    scores: Dict[int, float] = {}
    els: Dict[int, Any] = {}
    for el in body.find_all(True):
        if el.name == "a":
            continue
        direct = sum(
            len(_WS_RE.sub("", str(s))) for s in el.children if isinstance(s, NavigableString)
        )
        if not direct:
            continue
        for weight, target in (
            (1.0, el),
            (1.0, el.parent),
            (0.5, el.parent.parent if el.parent else None),
        ):
            if target is None or target.name in ("[document]", "html"):
                continue
            scores[id(target)] = scores.get(id(target), 0.0) + weight * direct
            els[id(target)] = target
    direct_body = sum(
        len(_WS_RE.sub("", str(s))) for s in body.children if isinstance(s, NavigableString)
    )
    if direct_body:
        scores[id(body)] = scores.get(id(body), 0.0) + direct_body
        els[id(body)] = body
    if not scores:
        return body if _text_len(body) else None
    best = max(scores, key=lambda k: scores[k])
    return els[best]


def _site_like(t: str, site: Optional[str]) -> bool:
    return t == site or "门户网站" in t or (len(t) <= 12 and t.endswith(("人民政府", "政府网")))


def _heading_title(
    body: Any, site: Optional[str], ix: Optional[_TreeIndex] = None
) -> Optional[str]:
    ix = ix or _TreeIndex(body)
    for h in body.find_all(["h1", "h2"]):
        t = ix.clean_text(h, 200)
        if t is not None and 4 <= len(t) <= 200 and not _site_like(t, site):
            return t
    best = None
    for el in body.find_all(True):
        if any(p in _TITLE_PARTS for tok in _tokens(el) for p in re.split(r"[-_\s]+", tok)):
            t = ix.clean_text(el, 200)
            if (
                t is not None
                and 4 <= len(t) <= 200
                and not _site_like(t, site)
                and (best is None or len(t) > len(best))
            ):
                best = t
    return best


def _page_title(title: str, site: Optional[str]) -> Optional[str]:
    if not title:
        return None
    parts = [p.strip() for p in re.split(r"\s*(?:_|\||｜| - |——)\s*", title) if p.strip()]
    parts = [p for p in parts if p != site]
    return parts[0] if parts else None


def _render(el: Any) -> str:
    """Text of an element with block structure as line breaks (iteratively: no recursion limit)."""
    from bs4 import NavigableString, Tag

    out: List[str] = []
    stack: List[Any] = [el]
    while stack:
        node = stack.pop()
        if isinstance(node, str) and not isinstance(node, NavigableString):
            out.append(node)  # a marker pushed below
            continue
        if isinstance(node, NavigableString):
            out.append(re.sub(r"[ \t\r\n\f\xa0]+", " ", str(node)))
            continue
        if not isinstance(node, Tag):
            continue
        name = node.name
        if name == "br":
            out.append("\n")
            continue
        if name in BLOCK_TAGS:
            out.append("\n")
            stack.append("\n")
        elif name in _CELL_TAGS:
            out.append("\t")
        stack.extend(reversed(list(node.children)))
    lines = []
    for line in "".join(out).split("\n"):
        line = re.sub(r" *\t[ \t]*", "\t", line).strip(" \t\u3000\xa0")
        line = re.sub(r" {2,}", " ", line)
        if not line or _is_junk(line):
            continue
        lines.append(line)
    return "\n".join(lines)


def _is_junk(line: str) -> bool:
    if len(line) > 60:
        return False
    rest = _JUNK_RE.sub("", line)
    return not re.sub(r"[\s|｜丨/:：【】\[\]()（）,，.。-]+", "", rest) and rest != line


__all__ = ["extract_html", "read_html_file", "normalise_date", "declared_charset"]
