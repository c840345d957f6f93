"""The govnlp_targets component on the responsibility-breakdown seed, end to end."""


def _targets(nlp, text, marker_prefix):
    doc = nlp(text)
    item = next(
        it for it in doc._.items if it["leaf"] and doc.text[it["start"] :].startswith(marker_prefix)
    )
    return doc, item["targets"]


def test_targets_on_seed_breakdown(nlp_char, seed_texts):
    text = seed_texts["002_ed9c876b7720aff2.txt"]
    doc, targets = _targets(nlp_char, text, "1.地区生产总值")
    by_text = {text[t["start"] : t["end"]]: t for t in targets}
    gdp = by_text["10%左右"]
    assert (gdp["kind"], gdp["measure"], gdp["bound"], gdp["value_base"], gdp["unit"]) == (
        "target",
        "growth_rate",
        "approx",
        10.0,
        "percent",
    )
    assert "地区生产总值" in gdp["indicator"]
    fai = by_text["100亿元以上"]
    assert (fai["bound"], fai["value_base"], fai["unit"]) == ("ge", 1e10, "CNY")
    incomes = [
        t for t in targets if t["measure"] == "growth_rate" and t["value_base"] in (8.0, 8.5)
    ]
    assert len(incomes) == 2 and len({t["indicator"] for t in incomes}) == 1  # 分别 distribution


def test_threshold_inside_indicator_is_not_a_bound(nlp_char, seed_texts):
    text = seed_texts["002_ed9c876b7720aff2.txt"]
    _, targets = _targets(nlp_char, text, "22.坚持落地导向")
    six = [t for t in targets if t["value"] == 6]
    assert six and six[0]["bound"] == "point"
    usd = [t for t in targets if t["unit"] == "USD"]
    assert usd and usd[0]["value_base"] == 3.5e7


def test_slogans_and_periods_are_not_targets(nlp_char, seed_texts):
    text = seed_texts["000_1b6371df3f24c22f.txt"]
    doc = nlp_char(text)
    texts = [text[t["start"] : t["end"]] for it in doc._.items for t in it["targets"]]
    assert not any(s in ("1245", "4431", "2025年") for s in texts)


def test_heading_own_text_is_scanned(nlp_char):
    # a heading item that carries text before its first child: the quantities there are found too
    text = (
        "五、认真开展道路交通安全专项整治。全年开展4次治超专项行动,办结案件23件。\n1.加强巡查。"
        "\n2.新建停车场2个。"
    )
    doc = nlp_char(text)
    got = {text[t["start"] : t["end"]] for it in doc._.items for t in it["targets"]}
    assert {"4次", "23件", "2个"} <= got
    spans = [(t["start"], t["end"]) for it in doc._.items for t in it["targets"]]
    assert len(spans) == len(set(spans))  # no quantity is attached to two items


def test_figures_under_a_heading_of_last_years_work_are_outcomes(nlp_char):
    # 一、１９９４年国内工作的回顾: a review heading written with 的, as old reports do
    text = (
        "一、１９９４年国内工作的回顾\n（一）国民经济\n国内生产总值达到４３８００亿元。\n"
        "二、１９９５年的主要任务\n（一）经济增长\n国内生产总值增长百分之八。\n"
    )
    doc = nlp_char(text)
    kinds = {text[t["start"] : t["end"]]: t["kind"] for it in doc._.items for t in it["targets"]}
    assert kinds["４３８００亿元"] == "outcome" and kinds["百分之八"] == "target"


def test_guess_kind_with_a_memo_answers_as_without():
    # the component keeps the answers by the id the walk starts from: same kinds as walking up
    # from every item
    import random

    from govnlp.targets.component import _guess_kind

    rng = random.Random(2)
    headings = ["一、工作回顾", "二、主要任务", "（一）工作开展情况", "1.强化保障", None]
    items = []
    for k in range(60):
        parent = str(rng.randrange(k)) if k and rng.random() < 0.8 else None
        items.append(
            {
                "id": str(k),
                "parent": parent,
                "heading": rng.choice(headings),
                "leaf": rng.random() < 0.5,
            }
        )
    by_id = {it["id"]: it for it in items}
    memo: dict = {}
    assert [_guess_kind(it, by_id, memo) for it in items] == [
        _guess_kind(it, by_id) for it in items
    ]
    assert set(memo.values()) == {"summary", "plan"}
