"""Property: every input — random bytes under any supported name, random HTML fragments,
random nesting, random JSONL — yields text or one of the documented error types
(:class:`govnlp.io.readers.DocumentError` subclasses) within a budget, never another
exception; and whatever is read can be written."""

from __future__ import annotations

import json
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govnlp.io import iter_documents
from govnlp.io.readers import DocumentError, decode_bytes
from govnlp.io.unicode_safety import dumps_line

#: Seconds one document may take: a budget for "does not hang", not a speed measurement.
BUDGET = 20.0
SUFFIXES = (".txt", ".html", ".htm", ".docx", ".jsonl", ".csv", ".parquet", ".md")
#: Derandomized: CI sees the same examples on every run (a fuzz failure is a bug to fix, never a
#: coin toss at landing); explore more locally with ``pytest --hypothesis-seed=random``.
FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CJK = st.text(
    alphabet=st.sampled_from("一二三、。，：；（）抓投资县政府工作通知\n\t 　<>&;\"'=/abc1①"),
    max_size=40,
)


def read_all(path: Path) -> list:
    """Documents of ``path``; each checked against the property."""
    docs = []
    start = time.perf_counter()
    for doc in iter_documents([path]):
        assert time.perf_counter() - start < BUDGET, f"{path.name}: over the {BUDGET} s budget"
        if doc.error is None:
            assert isinstance(doc.text, str) and doc.text.strip()
        else:
            assert isinstance(doc.error, DocumentError), repr(doc.error)
            assert doc.text is None
        assert isinstance(doc.doc_id, str) and doc.doc_id
        dumps_line({"doc_id": doc.doc_id, "text": doc.text, "meta": doc.meta})  # writable
        docs.append(doc)
        start = time.perf_counter()
    return docs


@FUZZ
@given(raw=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_under_any_name(tmp_path_factory, raw, suffix):
    path = tmp_path_factory.mktemp("bytes") / f"doc{suffix}"
    path.write_bytes(raw)
    docs = read_all(path)
    assert docs  # one document or one error, never nothing
    assert suffix in (".jsonl", ".csv", ".parquet") or len(docs) == 1


@FUZZ
@given(
    raw=st.binary(max_size=2000),
    declared=st.sampled_from([None, "gbk", "utf-8", "big5", "latin-1", "nonsense"]),
)
def test_decode_bytes_returns_text_or_a_documented_error(raw, declared):
    try:
        text, facts = decode_bytes(raw, declared)
    except DocumentError:
        return
    assert isinstance(text, str)
    assert 0 <= facts["encoding_confidence"] <= 1 and facts["encoding"]


def _element(children):
    tag = st.sampled_from(
        [
            "div",
            "p",
            "td",
            "tr",
            "table",
            "font",
            "span",
            "a",
            "li",
            "ul",
            "h1",
            "h2",
            "br",
            "script",
            "style",
            "b",
            "center",
            "form",
            "iframe",
            "svg",
            "title",
            "body",
            "html",
            "header",
            "nav",
            "footer",
            "meta",
            "rt",
            "ruby",
            "template",
            "textarea",
        ]
    )
    attrs = st.sampled_from(
        [
            "",
            ' class="TRS_Editor"',
            ' id="zoom"',
            ' class="nav"',
            ' class="content"',
            ' style="display:none"',
            " hidden",
            ' class="title"',
            ' class="footer share"',
            ' name="ArticleTitle" content="标题"',
            ' charset="gbk"',
        ]
    )
    close = st.booleans()
    return st.builds(
        lambda t, a, c, kids: f"<{t}{a}>{''.join(kids)}" + (f"</{t}>" if c else ""),
        tag,
        attrs,
        close,
        st.lists(children, max_size=5),
    )


FRAGMENT = st.recursive(
    st.one_of(
        CJK,
        st.sampled_from(
            [
                "<!-- x -->",
                "<![CDATA[x]]>",
                "&nbsp;",
                "&#x4e00;",
                "&#0;",
                "<?xml x?>",
                "索引号：",
                "发布机构：某县人民政府",
                "成文日期：2024年3月5日",
                "</div>",
                "<",
                "&",
            ]
        ),
    ),
    _element,
    max_leaves=40,
)


@FUZZ
@given(
    body=st.lists(FRAGMENT, min_size=1, max_size=6),
    encoding=st.sampled_from(["utf-8", "gbk", "utf-16", "gb18030"]),
)
def test_random_html_fragments(tmp_path_factory, body, encoding):
    page = "<html><head><title>页面</title></head><body>" + "".join(body) + "</body></html>"
    path = tmp_path_factory.mktemp("html") / "page.html"
    path.write_bytes(page.encode(encoding, errors="replace"))
    assert len(read_all(path)) == 1


#: Text inside the nesting: no ``<`` or ``&`` (``<a`` + the marker would be markup, not text).
PLAIN = st.text(
    alphabet=st.sampled_from("一二三、。，：；（）抓投资县政府工作通知\n\t 　abc1①"), max_size=40
)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    depth=st.sampled_from([1, 2, 7, 100, 1_000, 5_000, 30_000]),
    tags=st.lists(
        st.sampled_from(["div", "font", "td", "span", "p", "li", "a", "table", "b"]),
        min_size=1,
        max_size=4,
    ),
    closed=st.booleans(),
    text=PLAIN,
)
def test_random_nesting(tmp_path_factory, depth, tags, closed, text):
    opens = "".join(f"<{tags[i % len(tags)]}>" for i in range(depth))
    closes = "".join(f"</{tags[i % len(tags)]}>" for i in reversed(range(depth))) if closed else ""
    path = tmp_path_factory.mktemp("deep") / "deep.html"
    path.write_text(
        f"<html><body>{opens}{text}一、抓投资。{closes}</body></html>", encoding="utf-8"
    )
    [doc] = read_all(path)
    assert doc.error is None and "一、抓投资。" in doc.text


JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), CJK),
    lambda kids: st.one_of(st.lists(kids, max_size=3), st.dictionaries(CJK, kids, max_size=3)),
    max_leaves=12,
)
BAD_ESCAPES = st.sampled_from(["", "\\ud800", "\\udcd6", "\\udfff\\ud800", "\\u0000"])


@FUZZ
@given(
    rows=st.lists(
        st.tuples(
            JSON_VALUE,
            JSON_VALUE,
            st.dictionaries(
                st.sampled_from(["title", "issuer", "date", "url", "x"]), JSON_VALUE, max_size=3
            ),
            BAD_ESCAPES,
            st.integers(0, 3000),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_random_jsonl(tmp_path_factory, rows):
    lines = []
    for rid, text, meta, bad, depth in rows:
        obj = {"id": rid, "text": text, **meta}
        line = json.dumps(obj, ensure_ascii=False)
        if bad:
            line = (
                line[:-1] + (", " if len(obj) else "") + f'"title": "t{bad}", "id": "i{bad}"' + "}"
            )
        if depth > 2500:
            line = line[:-1] + ', "url": ' + "[" * depth + "]" * depth + "}"
        lines.append(line)
    path = tmp_path_factory.mktemp("jsonl") / "rows.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    read_all(path)
