"""Input readers: HTML (main content, metadata table → meta, encodings), .docx, tables
(JSONL/CSV/Parquet, streamed), directory walking and counting."""

from __future__ import annotations

import inspect
import json
import shutil
from pathlib import Path

import pytest

from govnlp.io import count_documents, iter_documents
from govnlp.io.docx_reader import read_docx_file
from govnlp.io.html_reader import extract_html, normalise_date, read_html_file
from govnlp.io.readers import (
    SUPPORTED_SUFFIXES,
    EmptyDocument,
    MalformedDocument,
    decode_bytes,
    read_text_file,
)
from govnlp.tagging import tag_paths

DATA = Path(__file__).parent / "data"
HTML = DATA / "html"
TABULAR = DATA / "tabular"

#: Strings of government-site chrome that must never reach the text.
BOILERPLATE = (
    "索引号",
    "索 引 号",
    "发布机构",
    "成文日期",
    "发文字号",
    "主题分类",
    "浏览次数",
    "访问次数",
    "字号",
    "字体大小",
    "打印本页",
    "关闭窗口",
    "当前位置",
    "首页",
    "ICP",
    "版权所有",
    "主办",
    "分享到",
    "扫一扫",
    "相关链接",
    "信息来源",
    "有效性",
    "公开方式",
)


def read_jsonl(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


# -- HTML ---------------------------------------------------------------------------------


def test_gbk_information_disclosure_page():
    raw = (HTML / "xiangshan_xxgk_gbk.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("gb2312")  # the fixture really needs GBK (喆), not only what it declares
    text, meta = read_html_file(HTML / "xiangshan_xxgk_gbk.html")
    assert meta["index_no"] == "002947651/2024-11872"
    assert meta["issuer"] == "象山县人民政府办公室"
    assert meta["date"] == "2024-06-05"  # 成文日期, normalised
    assert meta["published"] == "2024-06-07"  # 发布时间 of the byline / PubDate
    assert meta["doc_number"] == "象政办发〔2024〕37号"
    assert meta["topic"] == "综合政务/其他"
    assert meta["validity"] == "有效"
    assert meta["title"] == "象山县人民政府办公室关于印发2024年6月份县政府重点工作安排的通知"
    assert meta["site"] == "象山县人民政府" and meta["column"] == "政府文件"
    lines = text.splitlines()
    assert lines[0] == meta["title"]
    assert lines[1] == "各乡镇人民政府、街道办事处，县政府直属各单位："
    assert (
        "（一）抓好二季度经济运行调度，确保上半年地区生产总值增长6%以上。（王喆副县长牵头，责任单位：县发改局、县统计局）"
        in lines
    )
    assert lines[-1] == "（二）组织2024年高考考务保障工作。（责任单位：县教育局、县公安局）"
    for junk in BOILERPLATE + ("doZoom", "var _hmt", "搜索", "走进象山", "部门文件"):
        assert junk not in text, junk
    assert text.count(meta["title"]) == 1


def test_zhejiang_list_metadata_and_byline():
    text, meta = read_html_file(HTML / "shengsi_zerenfenjie.html")
    assert meta["index_no"] == "11330922002627340X/2024-00582"
    assert meta["category"] == "政府工作报告执行"
    assert meta["issuer"] == "嵊泗县人民政府办公室"
    assert meta["date"] == "2024-02-26"
    assert meta["disclosure"] == "主动公开"
    assert meta["source"] == "县政府办公室"
    # labels with an empty value take nothing — not the next label, not the title below
    for key in ("topic", "doc_number", "validity", "registration_no"):
        assert key not in meta
    assert text.splitlines()[:2] == [
        "2024年政府工作报告重点工作责任分解",
        "一、陈明县长牵头重点工作",
    ]
    assert text.splitlines()[-1] == "责任单位：县海洋与渔业局、县交通运输局"
    for junk in BOILERPLATE + ("您当前的位置", "政务服务", "微信"):
        assert junk not in text, junk


def test_news_page_head_meta_and_junk():
    text, meta = read_html_file(HTML / "cixi_news_ucap.html")
    assert meta["title"] == "市应急管理局部署汛期安全生产工作"
    assert meta["issuer"] == "市应急管理局"  # 来源 / ContentSource: no 发布机构 on news pages
    assert meta["date"] == meta["published"] == "2024-05-20"
    lines = text.splitlines()
    assert lines[0] == meta["title"]
    assert lines[1].startswith("5月17日，市应急管理局召开")  # &nbsp; indentation stripped
    assert "部署下一阶段重点工作" in lines[1]  # inline <span> kept in the sentence
    assert lines[2].startswith("（一）压实防汛责任。") and lines[-1].startswith(
        "（三）开展应急演练。"
    )
    for junk in BOILERPLATE + ("镇街动态", "我市召开防汛防台工作会议", "document.write"):
        assert junk not in text, junk


def test_old_table_layout_page_falls_back_to_densest_block():
    text, meta = read_html_file(HTML / "old_table_layout.htm")
    assert (
        meta["title"] == "关于做好2023年秋冬季森林防火工作的通知"
    )  # from <title>, site suffix cut
    assert meta["issuer"] == "县林业局" and meta["doc_number"] == "林发〔2023〕19号"
    assert meta["date"] == "2023-10-16"
    lines = text.splitlines()
    assert lines[0] == meta["title"]
    assert [ln[:2] for ln in lines if ln[:2] in ("一、", "二、", "三、")] == [
        "一、",
        "二、",
        "三、",
    ]
    assert lines[-2:] == ["县林业局", "2023年10月16日"]
    assert "机构概况" not in text and "技术支持" not in text and "发文机关" not in text


def test_metadata_table_never_becomes_items(nlp_char, tmp_path):
    out = tmp_path / "html.jsonl"
    stats = tag_paths(nlp_char, [HTML], out)
    assert stats.documents == 4 and stats.errors == 0
    records = {r["doc_id"]: r for r in read_jsonl(out)}
    assert set(records) == {p.name for p in HTML.iterdir()}
    rec = records["xiangshan_xxgk_gbk.html"]
    # meta of the page is in the record, next to the pipeline's own keys
    assert (
        rec["meta"]["doc_number"] == "象政办发〔2024〕37号"
        and rec["meta"]["index_no"] == "002947651/2024-11872"
    )
    assert set(rec["meta"]) >= {"title", "issuer", "date", "doc_type", "region"}
    assert rec["meta"]["region"]["name"] == "象山县"
    for r in records.values():
        for it in r["items"]:
            span = r["text"][it["start"] : it["end"]]
            assert not any(
                label in span
                for label in ("索引号", "发布机构", "成文日期", "主题分类", "浏览次数")
            )
    markers = [
        it["marker"]
        for it in records["shengsi_zerenfenjie.html"]["items"]
        if it["kind"] == "numbered"
    ]
    assert markers == ["一、", "1.", "2.", "二、", "1.", "2."]
    # the page's text never names its county: the region comes from its 发布机构
    shengsi = records["shengsi_zerenfenjie.html"]["meta"]
    assert (
        shengsi["region"] == {"name": "嵊泗县", "adcode": "330922"}
        and shengsi["region_from"] == "input_meta"
    )
    assert "region_from" not in rec["meta"]  # found in the text itself
    # … and it steers linking: the page's 各乡镇人民政府 are 嵊泗县's townships
    (collective,) = [
        u
        for it in records["shengsi_zerenfenjie.html"]["items"]
        for u in it["units"]
        if u["text"] == "各乡镇人民政府"
    ]
    assert "div:330922:菜园镇" in collective["members"]
    assert all(m.startswith("div:330922:") for m in collective["members"])


@pytest.mark.parametrize("declared", ["utf-8", None, "gb2312"])
def test_html_encoding_detection(declared):
    body = (
        "<p>一、做好防汛防台工作，确保安全度汛。</p><p>二、抓好安全生产，王喆同志牵头落实。</p>" * 3
    )
    head = (
        f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">'
        if declared
        else ""
    )
    page = (
        f"<html><head>{head}<title>通知</title></head><body><div class='TRS_Editor'>{body}</div>"
        "</body></html>"
    )
    # GBK bytes whatever the page declares (a wrong utf-8 label is a real-world case)
    text, _ = extract_html(page.encode("gbk"))
    assert "二、抓好安全生产，王喆同志牵头落实。" in text.splitlines()
    # UTF-8 bytes under a GB2312 label: UTF-8 wins (valid UTF-8 is never a legacy text)
    text, _ = extract_html(page.encode("utf-8"))
    assert "一、做好防汛防台工作，确保安全度汛。" in text


def test_html_page_without_body_or_text_is_empty():
    for page in (
        b"<html><head><title>x</title></head></html>",
        "<html><body><div class='nav'><a href='/'>首页</a></div></body></html>".encode(),
    ):
        with pytest.raises(EmptyDocument):
            extract_html(page)


def test_normalise_date():
    assert normalise_date("2023年2月22日") == "2023-02-22"
    assert normalise_date("2024-06-07 16:20") == "2024-06-07"
    assert normalise_date("2024/6/7") == "2024-06-07"
    assert normalise_date("二〇二三年") == "二〇二三年"


# -- text ---------------------------------------------------------------------------------


def test_text_encodings(tmp_path):
    s = "一、做好防汛防台工作，确保安全度汛。\r\n二、抓好安全生产。\r三、王喆同志牵头。"
    expected = s.replace("\r\n", "\n").replace("\r", "\n")
    for name, raw in {
        "bom.txt": b"\xef\xbb\xbf" + s.encode("utf-8"),
        "utf16.txt": s.encode("utf-16"),
        "gbk.txt": s.encode("gbk"),
        "gb18030.txt": (s + "𠮷").encode("gb18030"),
    }.items():
        (tmp_path / name).write_bytes(raw)
        assert read_text_file(tmp_path / name).startswith(expected), name


def test_nearly_utf8_text_is_kept_and_flagged():
    s = "一、做好防汛防台工作，确保安全度汛。\n" * 200
    raw = s.encode("utf-8")
    raw = raw[:3000] + b"\xff" + raw[3000:]
    text, facts = decode_bytes(raw)
    assert facts["decode_errors"] == 1 and text.count("\ufffd") == 1
    assert text.replace("\ufffd", "") == s


# -- .docx ----------------------------------------------------------------------------------


def _make_docx(path):
    import docx

    d = docx.Document()
    d.core_properties.title = "2024年重点工作责任分解"
    d.add_paragraph("2024年重点工作责任分解")
    d.add_paragraph("一、经济发展")
    table = d.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [
            ("序号", "工作任务", "责任单位"),
            ("1", "地区生产总值增长6%以上。", "县发改局"),
            ("2", "固定资产投资增长8%。", ""),
        ]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(1, 2).merge(table.cell(2, 2))  # one 责任单位 for both rows (vertical merge)
    d.add_paragraph("二、社会事业")
    d.add_paragraph("")  # empty paragraphs are dropped
    d.add_paragraph("1.办好民生实事。")
    d.save(path)


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    path = tmp_path / "fenjie.docx"
    _make_docx(path)
    text, meta = read_docx_file(path)
    assert text.splitlines() == [
        "2024年重点工作责任分解",
        "一、经济发展",
        "序号\t工作任务\t责任单位",
        "1\t地区生产总值增长6%以上。\t县发改局",
        "2\t固定资产投资增长8%。",  # merged cell said once, in its first row
        "二、社会事业",
        "1.办好民生实事。",
    ]
    assert meta == {"title": "2024年重点工作责任分解"}


def test_broken_docx_is_malformed(tmp_path):
    (tmp_path / "old.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    (tmp_path / "cut.docx").write_bytes(b"PK\x03\x04" + b"\x01" * 100)
    got = {d.doc_id: d for d in iter_documents([tmp_path])}
    assert isinstance(got["old.docx"].error, MalformedDocument) and ".doc" in str(
        got["old.docx"].error
    )
    assert isinstance(got["cut.docx"].error, MalformedDocument)


# -- tables ---------------------------------------------------------------------------------


def test_jsonl_rows_ids_meta_and_line_errors():
    docs = list(iter_documents([TABULAR / "notices.jsonl"]))
    got = {d.doc_id: d for d in docs}
    assert [d.doc_id for d in docs] == [
        "xs-2024-06",
        "xs-2024-07",
        "notices.jsonl:3",
        "notices.jsonl:4",
        "xs-2024-09",
        "notices.jsonl:7",
        "2024010",
    ]
    ok = got["xs-2024-06"]
    assert ok.error is None and ok.text.startswith("一、经济运行\n（一）")
    assert ok.meta == {
        "title": "2024年6月份县政府重点工作安排",
        "issuer": "象山县人民政府办公室",
        "date": "2024-06-05",
    }
    assert got["notices.jsonl:4"].meta == {"source": "县林业局"}  # no id → file:line
    assert got["2024010"].meta == {"topic": "农业农村"}  # numeric id as text
    assert isinstance(got["notices.jsonl:3"].error, MalformedDocument)
    assert "line 3" in str(got["notices.jsonl:3"].error)
    assert isinstance(got["notices.jsonl:7"].error, MalformedDocument)
    assert isinstance(got["xs-2024-09"].error, EmptyDocument)


def test_excel_gbk_csv():
    raw = (TABULAR / "excel_gbk.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    docs = list(iter_documents([TABULAR / "excel_gbk.csv"]))
    assert [d.doc_id for d in docs] == ["cx-001", "cx-002", "excel_gbk.csv:4", "cx-004"]
    assert (
        docs[0].text
        == "一、中心工作\n（一）抓好一季度经济运行分析。\n（二）推进重大项目开工，完成投资30亿元。"
    )
    assert docs[0].meta == {"title": "慈溪市2024年5月份市政府工作要点", "date": "2024-05-13"}
    assert "“清零”" in docs[1].text
    assert docs[2].meta == {"title": "无编号文件"}  # spreadsheet row 4, no id
    assert isinstance(docs[3].error, EmptyDocument)


def test_csv_custom_columns_and_missing_text_column(tmp_path):
    p = tmp_path / "export.csv"
    p.write_text(
        "编号,正文,标题,发布单位\nA1,一、抓投资。,投资通知,县发改局\n", encoding="utf-8-sig"
    )
    docs = list(
        iter_documents([p], id_column="编号", text_column="正文", meta_columns=["发布单位"])
    )
    assert [(d.doc_id, d.text, d.meta) for d in docs] == [
        ("A1", "一、抓投资。", {"发布单位": "县发改局"})
    ]
    docs = list(iter_documents([p]))  # default text column absent: one error for the file
    assert len(docs) == 1 and docs[0].doc_id == "export.csv"
    assert isinstance(docs[0].error, MalformedDocument) and "--text-column" in str(docs[0].error)


def _write_parquet(path, n_rows, text_len=50, row_group_size=100):
    import pyarrow as pa
    import pyarrow.parquet as pq

    ids = [f"p{i:05d}" for i in range(n_rows)]
    texts = [f"一、第{i}项工作。" + "抓落实" * (text_len // 3) for i in range(n_rows)]
    texts[3] = None
    table = pa.table(
        {
            "doc": ids,
            "body": texts,
            "date": [f"2024-01-{i % 28 + 1:02d}" for i in range(n_rows)],
            "extra": list(range(n_rows)),
        }
    )
    pq.write_table(table, path, row_group_size=row_group_size)


def test_parquet_rows(tmp_path):
    p = tmp_path / "corpus.parquet"
    _write_parquet(p, 250)
    docs = list(iter_documents([p], id_column="doc", text_column="body"))
    assert len(docs) == 250 and docs[0].doc_id == "p00000" and docs[249].doc_id == "p00249"
    assert docs[0].text.startswith("一、第0项工作。") and docs[0].meta == {"date": "2024-01-01"}
    assert isinstance(docs[3].error, EmptyDocument) and docs[3].doc_id == "p00003"
    assert count_documents([p]) == (250, True)


def test_parquet_memory_stays_flat(tmp_path):
    import pyarrow as pa

    def peak_for(n_rows):
        p = tmp_path / f"big{n_rows}.parquet"
        _write_parquet(p, n_rows, text_len=3000, row_group_size=100)
        base = pa.total_allocated_bytes()
        peak = n = 0
        for _ in iter_documents([p], id_column="doc", text_column="body"):
            n += 1
            peak = max(peak, pa.total_allocated_bytes() - base)
        assert n == n_rows
        return peak

    small, large = peak_for(1000), peak_for(4000)  # ≈ 9 MB and 36 MB of text
    assert large < 1.3 * small + 1_000_000, (small, large)
    assert large < 4000 * 3000 * 3 / 4


def test_jsonl_is_streamed(tmp_path):
    p = tmp_path / "live.jsonl"
    p.write_text('{"id": "a", "text": "一、甲。"}\n', encoding="utf-8")
    it = iter_documents([p])
    assert inspect.isgenerator(it)
    assert next(it).doc_id == "a"
    with open(p, "a", encoding="utf-8") as fh:  # written after reading began: still read
        fh.write('{"id": "b", "text": "二、乙。"}\n')
    assert [d.doc_id for d in it] == ["b"]


def test_tabular_meta_reaches_records(nlp_char, tmp_path):
    p = tmp_path / "rows.jsonl"
    p.write_text(
        json.dumps(
            {
                "id": "r1",
                "text": "一、抓投资。\n二、抓招商。",
                "title": "要点",
                "date": "2024-05-01",
                "region": "象山县",
                "doc_type": "work_plan",
                "ignored": "x",
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    tag_paths(nlp_char, [p], out)
    (rec,) = read_jsonl(out)
    assert rec["doc_id"] == "r1"
    assert (
        rec["meta"]["title"] == "要点"
        and rec["meta"]["date"] == "2024-05-01"
        and rec["meta"]["doc_type"] == "work_plan"
    )
    assert "ignored" not in rec["meta"]
    # the region column names the county the pipeline links in (records.md's {"name", "adcode"},
    # from the divisions); the input value is kept aside
    assert rec["meta"]["region_input"] == "象山县"
    assert rec["meta"]["region"] == {"name": "象山县", "adcode": "330225"}
    assert rec["meta"]["region_from"] == "input_meta"


@pytest.mark.parametrize("doc_timeout", [0, 60])  # in this process; in forked workers
def test_input_metadata_steers_unit_linking(nlp_char, tmp_path, doc_timeout):
    # the text never names its county; each row's metadata does (or not)
    text = "一、重点工作\n1.推进项目。责任单位:各乡镇人民政府、县发改局"
    rows = [
        {"id": "column", "text": text, "region": "象山县"},
        {"id": "issuer", "text": text, "issuer": "嵊泗县人民政府办公室"},
        {"id": "none", "text": text},
    ]
    p = tmp_path / "rows.jsonl"
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    out = tmp_path / "out.jsonl"
    tag_paths(nlp_char, [p], out, doc_timeout=doc_timeout)
    recs = {r["doc_id"]: r for r in read_jsonl(out)}

    def collective(rec):
        (unit,) = [u for it in rec["items"] for u in it["units"] if u["text"] == "各乡镇人民政府"]
        return unit["members"]

    assert recs["column"]["meta"]["region"] == {"name": "象山县", "adcode": "330225"}
    assert recs["issuer"]["meta"]["region"] == {"name": "嵊泗县", "adcode": "330922"}
    assert recs["issuer"]["meta"]["region_from"] == "input_meta"
    assert recs["none"]["meta"]["region"] is None and "region_from" not in recs["none"]["meta"]
    # the county's townships are the collective's members: linked in the metadata's county
    assert collective(recs["column"]) and all(
        m.startswith("div:330225:") for m in collective(recs["column"])
    )
    assert collective(recs["issuer"]) and all(
        m.startswith("div:330922:") for m in collective(recs["issuer"])
    )
    assert collective(recs["none"]) == []


# -- walking --------------------------------------------------------------------------------


def test_default_include_covers_every_supported_type(tmp_path):
    for p in list(HTML.iterdir()) + list(TABULAR.iterdir()):
        shutil.copy(p, tmp_path / p.name)
    (tmp_path / "sub").mkdir()
    _make_docx(tmp_path / "sub" / "a.docx")
    (tmp_path / "sub" / "b.TXT").write_text("一、甲。", encoding="utf-8")
    (tmp_path / "sub" / "~$a.docx").write_bytes(b"\x00lock")  # Word lock file
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")  # unsupported: not taken
    docs = list(iter_documents([tmp_path]))
    sources = {Path(d.source.split(":")[0]).name if d.source else None for d in docs}
    assert sources == {p.name for p in HTML.iterdir()} | {p.name for p in TABULAR.iterdir()} | {
        "a.docx",
        "b.TXT",
    }
    assert {".html", ".htm", ".docx", ".jsonl", ".csv"} <= set(SUPPORTED_SUFFIXES)
    # counting: one per file, lines of JSONL; CSV lines are an estimate (quoted line breaks)
    n, exact = count_documents([tmp_path])
    csv_rows = sum(1 for d in docs if d.source and "excel_gbk.csv" in d.source)
    csv_lines = (TABULAR / "excel_gbk.csv").read_bytes().count(b"\n")
    assert not exact and n == len(docs) - csv_rows + csv_lines - 1
    only = list(iter_documents([tmp_path], include=["*.html"], exclude=["cixi*"]))
    assert sorted(d.doc_id for d in only) == ["shengsi_zerenfenjie.html", "xiangshan_xxgk_gbk.html"]


def test_count_documents_exact(tmp_path):
    (tmp_path / "a.txt").write_text("一、甲。", encoding="utf-8")
    (tmp_path / "b.html").write_text("<p>x</p>", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(
        '{"text": "一"}\n{"text": "二"}\n{"text": "三"}', encoding="utf-8"
    )
    _write_parquet(tmp_path / "d.parquet", 7)
    assert count_documents([tmp_path]) == (1 + 1 + 3 + 7, True)
    assert count_documents([tmp_path], include=["*.jsonl"]) == (3, True)
