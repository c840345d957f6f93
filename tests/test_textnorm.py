"""Text normalisation: the simplified shadow is the translation table applied to every
character."""

import random

from govnlp.textnorm import _table, readable, to_simplified


def test_to_simplified_is_the_table_applied_to_every_character():
    table = _table()
    traditional = sorted(chr(k) for k in table)
    rng = random.Random(5)
    plain = "县政府工作报告，发展和改革局(qū)\n\t 2023年 abc]^-\\"
    texts = ["", "區", "區長主持召開常務會議"] + [
        "".join(
            rng.choice(traditional) if rng.random() < 0.3 else rng.choice(plain) for _ in range(n)
        )
        for n in range(0, 400, 7)
    ]
    for text in texts:
        assert to_simplified(text) == text.translate(table)
        assert len(to_simplified(text)) == len(text)
    assert to_simplified("區長") == "区长"


def test_simplified_characters_are_left_as_they_are():
    """The table once turned 呼 into 唿 and 猛 into 勐 (呼伦贝尔 no longer named its city)."""
    text = "呼伦贝尔市 勇猛 糊涂 脊梁 劈山 佘太君 慰藉"
    assert to_simplified(text) == text
    for k in _table():
        try:
            chr(k).encode("gb2312")
        except UnicodeEncodeError:
            continue
        assert chr(k) in "後摺夥徵谘矽", chr(k)  # traditional forms GB 2312 also holds


def test_readable_drops_glosses_and_maps_offsets_back():
    written = "地區(qū)生產(chǎn)總值增長(zhǎng)5%，貸款余額達(dá)535億元"
    reading, where = readable(written)
    assert reading == "地区生产总值增长5%，贷款余额达535亿元"
    assert len(where) == len(reading) + 1 and where[-1] == len(written)
    i = reading.index("535亿元")
    j = i + len("535亿元")
    assert written[where[i] : where[j - 1] + 1] == "535億元"
    assert readable("地区生产总值增长5%") == ("地区生产总值增长5%", None)


def test_targets_and_region_of_a_page_turned_traditional_with_glosses():
    """A county page a mirror turned traditional, with pinyin glosses: its figures are read
    as on the simplified page, quoted as written; its county is named."""
    import govnlp
    from govnlp.units.region import resolve_region

    written = (
        "一、2023年工作回顧(gù)\n1.全縣(xiàn)地區(qū)生產(chǎn)總值增長(zhǎng)6.2%，"
        "新登記(jì)市場(chǎng)主體2.05萬(wàn)戶(hù)。\n"
    )
    nlp = govnlp.load()
    doc = nlp(written)
    found = [t for it in doc._.items for t in it["targets"]]
    assert [(t["indicator"], t["measure"], t["kind"]) for t in found] == [
        ("全县地区生产总值", "growth_rate", "outcome"),
        ("新登记市场主体", "count", "outcome"),
    ]
    assert [written[t["start"] : t["end"]] for t in found] == [t["text"] for t in found]
    assert found[1]["text"] == "2.05萬(wàn)戶"
    text = (
        "蘭陵縣(xiàn)人民政府工作報(bào)告\n蘭陵縣(xiàn)人民政府縣長(zhǎng)\n"
        "蘭陵縣(xiàn)第十八屆(jiè)"
    )
    assert resolve_region(text) == {"name": "兰陵县", "adcode": "371324"}
