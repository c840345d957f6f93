"""Unit gazetteer, linker, region resolution and the govnlp_units component."""

import json

import msgpack
import pytest
import spacy

from govnlp.units import (
    DivisionsNotFound,
    Gazetteer,
    find_units,
    load_divisions,
    resolve_region,
    suggest_entries,
    unit_surface_forms,
)
from govnlp.units.divisions import Divisions
from govnlp.units.region import Region, document_region
from govnlp.units import component as _component  # noqa: F401  (registers govnlp_units)

import importlib.util
import pathlib

_spec = importlib.util.spec_from_file_location(
    "build_divisions",
    pathlib.Path(__file__).resolve().parents[1] / "scripts" / "build_divisions.py",
)
build_divisions = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_divisions)

TREE = """浙江省\t330000\t浙江
\t舟山市\t330900\t舟山
\t\t嵊泗县\t330922\t嵊泗
\t\t\t菜园镇
\t\t\t\t基湖村
\t\t\t洋山镇
\t\t\t五龙乡
\t\t\t嵊山镇
\t\t\t花鸟乡
\t\t\t枸杞乡
\t\t\t黄龙乡
\t宁波市\t330200\t宁波
\t\t象山县\t330225\t象山
\t\t\t丹西街道
\t\t\t石浦镇
\t\t慈溪市\t330282\t慈溪
\t\t\t浒山街道
\t\t\t观海卫镇
"""


@pytest.fixture(scope="module")
def divisions():
    return Divisions(build_divisions.parse_location_tree(TREE.splitlines(True)))


@pytest.fixture(scope="module")
def gaz(divisions):
    return Gazetteer.default(divisions=divisions)


def units(text, gaz, region="嵊泗县"):
    return [
        (u["text"], u["role"], u["canonical"], u["nil"], u["scope"])
        for u in find_units(text, gaz, region)
    ]


def test_template_counts_and_ids():
    g = Gazetteer.default(divisions=None)
    ids = [r["id"] for r in g.records]
    assert len(ids) == len(set(ids)) and len(ids) > 200
    assert "tpl:county:fagai" in ids and "tpl:national:guowuyuan" in ids


@pytest.mark.parametrize(
    "surface,canonical",
    [
        ("县发改局", "县发展和改革局"),
        ("县人力社保局", "县人力资源和社会保障局"),
        ("县人社局", "县人力资源和社会保障局"),
        ("县文广旅体局", "县文化和广电旅游体育局"),
        ("县资源规划局", "县自然资源和规划局"),
        ("县市场监管局", "县市场监督管理局"),
        ("县投促中心", "县投资促进中心"),
        ("县委改革办", "县委全面深化改革委员会办公室"),
        ("县安委办", "县安全生产委员会办公室"),
        ("县防指", "县防汛防台抗旱指挥部"),
        ("团县委", "团县委"),
        ("县纪委县监委", "县纪委监委"),
    ],
)
def test_abbreviations(gaz, surface, canonical):
    (u,) = find_units(f"责任单位:{surface}", gaz, "嵊泗县")
    assert (u["text"], u["canonical"], u["nil"], u["role"]) == (
        surface,
        canonical,
        False,
        "responsible",
    )


@pytest.mark.parametrize(
    "surface,canonical",
    [
        # distinct official names stay distinct (spec v2): an alias abbreviates its own body only
        ("县工业和信息化局", "县工业和信息化局"),
        ("县经信局", "县经济和信息化局"),
        ("县发改委", "县发展和改革委员会"),
        ("县人大", "县人民代表大会"),
        ("县人大常委会", "县人民代表大会常务委员会"),
        ("县政协", "县政治协商会议委员会"),
        ("市卫生健康委", "市卫生健康委员会"),
        ("市自然资源局", "市自然资源局"),
        ("县城管局", "县城市管理局"),
        ("县教体局", "县教育体育局"),
        ("县疫情防控指挥部", "县疫情防控指挥部"),
    ],
)
def test_distinct_names_are_not_merged(gaz, surface, canonical):
    (u,) = find_units(f"责任单位:{surface}", gaz, "嵊泗县")
    assert (u["text"], u["canonical"], u["nil"]) == (surface, canonical, False)


def test_county_companies_are_reported_as_written(gaz):
    (u,) = find_units("责任单位:县城投公司", gaz, "嵊泗县")
    assert (u["canonical"], u["nil"], u["scope"]) == ("县城投公司", True, "local")


def test_level_word_follows_county(gaz):
    assert units("经市政府同意", gaz, "慈溪市") == [
        ("市政府", "mentioned", "市人民政府", False, "local")
    ]
    assert units("在市委、市政府和区委的坚强领导下", gaz, "嵊泗县")[0][4] == "upper"
    (u,) = find_units("听取区发改局汇报", gaz, {"name": "海拉尔区", "adcode": "150702"})
    assert u["canonical"] == "区发展和改革局"


def test_run_together_list_and_roles(gaz):
    got = units(
        "17.全面承接政策。\n责任单位:县发改局、县经信局、县交通运输局、县属有关部门、各乡镇人民政府",
        gaz,
    )
    assert [g[0] for g in got] == [
        "县发改局",
        "县经信局",
        "县交通运输局",
        "县属有关部门",
        "各乡镇人民政府",
    ]
    assert {g[1] for g in got} == {"responsible"}
    got = units("推进改革(县发改局牵头)", gaz)
    assert got == [("县发改局", "responsible", "县发展和改革局", False, "local")]
    got = units("牵头单位：县发改局；配合单位：县财政局、县经信局", gaz)
    assert [g[1] for g in got] == ["lead", "cooperating", "cooperating"]
    got = units("由县应急管理局牵头，会同县公安局开展整治", gaz)
    assert [g[:2] for g in got] == [("县应急管理局", "lead"), ("县公安局", "mentioned")]


def test_branches(gaz):
    (u,) = find_units("责任单位:市生态环境局嵊泗分局", gaz, "嵊泗县")
    assert (u["canonical"], u["scope"], u["id"]) == (
        "市生态环境局分局",
        "local",
        "tpl:prefecture:shengtai/branch",
    )
    (u,) = find_units("审议市生态环境局象山分局提交的方案", gaz, "象山县")
    assert u["text"] == "市生态环境局象山分局"


def test_collectives_and_members(gaz):
    (u,) = find_units("责任单位:各乡镇人民政府", gaz, "嵊泗县")
    assert u["canonical"] == "各乡镇人民政府" and len(u["members"]) == 7
    assert "div:330922:菜园镇" in u["members"]
    (u,) = find_units("责任单位:有关乡镇人民政府", gaz, "嵊泗县")
    assert u["id"] == "tpl:county:youguan_xiangzhen" and u["scope"] == "local"
    (u,) = find_units("责任单位:县平安办成员单位", gaz, "嵊泗县")
    assert u["canonical"] == "县平安办成员单位" and not u["nil"]


def test_township_governments(gaz):
    got = find_units("责任单位:菜园镇人民政府、洋山镇人民政府", gaz, "嵊泗县")
    assert [(u["canonical"], u["id"]) for u in got] == [
        ("菜园镇人民政府", "div:330922:菜园镇"),
        ("洋山镇人民政府", "div:330922:洋山镇"),
    ]
    (u,) = find_units("支持石浦镇政府开展工作", gaz, "象山县")
    assert u["canonical"] == "石浦镇人民政府" and u["scope"] == "local"


def test_nil_units(gaz):
    got = find_units("责任单位:县洋管中心、嵊泗海关、县发改局", gaz, "嵊泗县")
    assert [(u["text"], u["nil"], u["canonical"], u["id"]) for u in got] == [
        ("县洋管中心", True, "县洋管中心", None),
        ("嵊泗海关", True, "嵊泗海关", None),
        ("县发改局", False, "县发展和改革局", "tpl:county:fagai"),
    ]
    assert find_units("听取县菜篮子服务中心关于工作的汇报", gaz, "嵊泗县")[0]["nil"] is True


def test_not_mentions(gaz):
    assert units("落实《国务院办公厅关于加强管理的通知》", gaz) == []
    assert units("传达省委经济工作会议精神", gaz) == []
    assert units("李晓东主持召开县政府第五次常务会议", gaz) == []
    assert units("省委书记袁家军讲话", gaz) == []
    assert units("相关部门和各单位要加强城市管理", gaz) == []


def test_place_prefixed_and_elided(gaz):
    got = units("认真对标党中央和省委、宁波市委、市委部署要求", gaz, "慈溪市")
    assert [(g[0], g[2], g[4]) for g in got] == [
        ("党中央", "中共中央", "upper"),
        ("省委", "省委", "upper"),
        ("宁波市委", "市委", "upper"),
        ("市委", "市委", "local"),
    ]
    got = units("分送：县法院、检察院", gaz, "象山县")
    assert [(g[0], g[2]) for g in got] == [("县法院", "县人民法院"), ("检察院", "县人民检察院")]


def test_user_county_file_jsonl_and_csv(tmp_path, divisions):
    j = tmp_path / "haishu.jsonl"
    j.write_text(
        json.dumps(
            {
                "id": "tpl:county:zhifa",
                "canonical": "区综合执法与应急管理局",
                "aliases": ["区执法应急局"],
                "type": "department",
                "level": "county",
                "region": {"name": "嵊泗县", "adcode": "330922"},
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    c = tmp_path / "extra.csv"
    c.write_text(
        "id,canonical,aliases,type,level,region,adcode\n"
        "user:yangguan,县洋山区域合作开发管理中心,县洋管中心|洋管中心,department,county,嵊泗县,330922\n",
        encoding="utf-8",
    )
    g = Gazetteer.default(divisions=divisions, county_files=[j, c])
    got = find_units("责任单位:区执法应急局、县洋管中心、县综合执法局", g, "嵊泗县")
    assert [(u["canonical"], u["id"], u["nil"]) for u in got] == [
        ("区综合执法与应急管理局", "tpl:county:zhifa", False),
        ("县洋山区域合作开发管理中心", "user:yangguan", False),
        ("区综合执法与应急管理局", "tpl:county:zhifa", False),
    ]
    # other counties keep the template
    assert find_units("责任单位:县综合执法局", g, "象山县")[0]["canonical"] == "县综合行政执法局"


def test_gazetteer_round_trip(gaz):
    data = gaz.to_bytes()
    assert not data.startswith(b"\x80")  # not a pickle
    g2 = Gazetteer.from_bytes(data)
    assert g2.records == gaz.records
    assert g2.divisions.townships == gaz.divisions.townships
    t = "责任单位:县发改局、菜园镇人民政府、各乡镇人民政府"
    assert find_units(t, g2, "嵊泗县") == find_units(t, gaz, "嵊泗县")
    assert msgpack.unpackb(data, raw=False)["format"] == "govnlp-gazetteer/1"


def test_resolve_region(divisions):
    txt = "嵊泗县人民政府办公室\n2023年重点工作责任分解\n责任单位:县发改局"
    assert resolve_region(txt, divisions=divisions) == {"name": "嵊泗县", "adcode": "330922"}
    assert resolve_region("", "330225", divisions=divisions) == {
        "name": "象山县",
        "adcode": "330225",
    }
    assert resolve_region("没有地名的文本", divisions=divisions) is None
    short = "象山企业参展。象山海上风电。宁波(象山)分会场。我县渔业增收。"
    assert resolve_region(short, divisions=divisions)["adcode"] == "330225"
    # a text that never speaks as a county (a national or provincial report) names no county by
    # a short name alone: 象山 here is a word of the text, not its county
    national = "象山企业参展。象山海上风电。宁波(象山)分会场。健全县级基本财力保障机制。"
    assert resolve_region(national, divisions=divisions) is None


def test_divisions_missing_message(tmp_path):
    with pytest.raises(DivisionsNotFound, match="build_divisions.py"):
        load_divisions(tmp_path / "nope" / "divisions.msgpack")


def test_build_divisions_script(tmp_path, divisions):
    import zipfile

    z = tmp_path / "china_location.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("china_location.txt", TREE)
    out = build_divisions.build(tmp_path / "out", source=z)
    d = load_divisions(out)
    assert d.townships_of("330922")[:2] == ["菜园镇", "洋山镇"]
    assert d.county("330282")["name"] == "慈溪市"


def test_surface_forms_and_suggest(gaz):
    forms = unit_surface_forms(gaz, "嵊泗县")
    assert "县发改局" in forms and "菜园镇人民政府" in forms and "县委" not in forms
    cands = suggest_entries(
        ["责任单位:县洋管中心、县发改局", "责任单位:县洋管中心、嵊泗海关"], gaz, "嵊泗县"
    )
    assert [(c["canonical"], c["freq"]) for c in cands] == [("县洋管中心", 2), ("嵊泗海关", 1)]
    assert cands[0]["region"]["adcode"] == "330922" and cands[0]["roles"] == {"responsible": 2}


def _nlp(gaz, region="嵊泗县"):
    nlp = spacy.blank("zh")
    comp = nlp.add_pipe("govnlp_units", config={"divisions": None, "region": region})
    comp.gazetteer = gaz
    return nlp, comp


def test_component_fills_items_and_meta(gaz):
    nlp, comp = _nlp(gaz, region=None)
    text = "嵊泗县人民政府办公室\n一、重点工作\n1.推进项目。\n责任单位:县发改局、菜园镇人民政府"
    doc = nlp.make_doc(text)
    h = text.index("一、")
    leaf = text.index("1.")
    doc._.items = [
        {"start": h, "end": len(text), "leaf": False, "units": []},
        {"start": leaf, "end": len(text), "leaf": True, "units": []},
    ]
    doc._.meta = {}
    doc = comp(doc)
    assert doc._.meta["region"] == {"name": "嵊泗县", "adcode": "330922"}
    us = doc._.items[1]["units"]
    assert [doc.text[u["start"] : u["end"]] for u in us] == ["县发改局", "菜园镇人民政府"]
    assert set(us[0]) == {
        "start",
        "end",
        "text",
        "role",
        "id",
        "canonical",
        "nil",
        "scope",
        "members",
        "link_score",
    }
    assert doc._.items[0]["units"] == []  # heading: only its own text


def test_component_serialisation(tmp_path, gaz):
    nlp, comp = _nlp(gaz)
    data = comp.to_bytes()
    nlp2, comp2 = _nlp(Gazetteer.default(divisions=None), region=None)
    comp2.from_bytes(data)
    assert comp2.region == "嵊泗县" and comp2.gazetteer.records == gaz.records
    assert comp2.gazetteer.divisions is not None
    nlp.to_disk(tmp_path / "m")
    nlp3 = spacy.load(tmp_path / "m", config={"components": {"govnlp_units": {"divisions": None}}})
    comp3 = nlp3.get_pipe("govnlp_units")
    assert comp3.gazetteer.records == gaz.records and comp3.gazetteer.divisions.townships_of(
        "330922"
    )
    assert comp3.to_bytes() == comp.to_bytes()


def test_config_wins_over_a_saved_linker_state(tmp_path, nlp_char):
    """`govnlp tag --model DIR --region X --county-file F`: the options reach the saved linker."""
    import govnlp

    saved = tmp_path / "model"
    nlp_char.to_disk(saved)
    county = tmp_path / "county.jsonl"
    county.write_text(
        json.dumps(
            {
                "id": "usr:zzgw",
                "canonical": "县重点项目攻坚指挥部",
                "aliases": ["县攻坚办"],
                "type": "group",
                "level": "county",
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    nlp = govnlp.load(
        saved,
        config={
            "components.govnlp_units.region": "嵊泗县",
            "components.govnlp_units.county_files": [str(county)],
        },
    )
    doc = nlp("1.推进重点项目。\n责任单位：县攻坚办、县发改局")
    assert doc._.meta["region"]["name"] == "嵊泗县"
    units = doc._.items[0]["units"]
    assert [(u["text"], u["canonical"], u["nil"]) for u in units][0] == (
        "县攻坚办",
        "县重点项目攻坚指挥部",
        False,
    )


# -- one Region per document: option, input metadata, text -----------------------------------

_DUTY = "1.推进项目。责任单位:各乡镇人民政府、县发改局、菜园镇人民政府、石浦镇人民政府"


def _linked(gaz, text, input_meta=None, region=None):
    nlp, comp = _nlp(gaz, region=region)
    doc = nlp.make_doc(text)
    doc._.input_meta = input_meta
    doc._.items = [{"start": 0, "end": len(text), "leaf": True, "units": []}]
    doc = comp(doc)
    by_text = {u["text"]: u for u in doc._.items[0]["units"]}
    return doc, by_text


def test_metadata_county_steers_linking(gaz):
    # the text never names its county: without metadata 各乡镇人民政府 has no members
    doc, units = _linked(gaz, _DUTY)
    assert doc._.region is None and "region" not in doc._.meta
    assert units["各乡镇人民政府"]["members"] == []
    # the input's 发布机构 names 嵊泗县: its townships are linked, 石浦镇 (象山) is not local
    doc, units = _linked(gaz, _DUTY, {"issuer": "嵊泗县人民政府办公室"})
    assert Region.of(doc) == Region("嵊泗县", "330922", "county", "舟山市", "浙江省", "metadata")
    assert doc._.meta["region"] == {"name": "嵊泗县", "adcode": "330922"}
    assert doc._.meta["region_from"] == "input_meta"
    assert units["各乡镇人民政府"]["members"][:2] == ["div:330922:菜园镇", "div:330922:洋山镇"]
    assert (
        units["菜园镇人民政府"]["scope"] == "local" and units["石浦镇人民政府"]["scope"] != "local"
    )
    # a table's region column (an adcode) steers it too
    doc, units = _linked(gaz, _DUTY, {"region": "330225"})
    assert units["各乡镇人民政府"]["members"] == ["div:330225:丹西街道", "div:330225:石浦镇"]
    assert units["石浦镇人民政府"]["scope"] == "local"


def test_metadata_county_wins_over_the_text(gaz):
    text = "象山县人民政府关于印发通知。象山县各乡镇：" + _DUTY
    doc, units = _linked(gaz, text)
    assert Region.of(doc).name == "象山县" and Region.of(doc).source == "text"
    assert units["象山县人民政府"]["scope"] == "local"
    # the metadata is what the user knows: it wins a disagreement with the text
    doc, units = _linked(gaz, text, {"issuer": "嵊泗县人民政府办公室"})
    assert Region.of(doc).name == "嵊泗县" and Region.of(doc).source == "metadata"
    assert (
        units["象山县人民政府"]["scope"] == "upper" or units["象山县人民政府"]["scope"] != "local"
    )
    assert units["各乡镇人民政府"]["members"][0] == "div:330922:菜园镇"
    # agreeing metadata: the text found it (no region_from)
    doc, _ = _linked(gaz, text, {"issuer": "象山县人民政府"})
    assert Region.of(doc).source == "text" and "region_from" not in doc._.meta
    # the region option wins over both
    doc, units = _linked(gaz, text, {"issuer": "嵊泗县人民政府办公室"}, region="慈溪市")
    assert Region.of(doc).record() == {"name": "慈溪市", "adcode": "330282"}
    assert Region.of(doc).source == "option" and "region_from" not in doc._.meta


def test_region_set_on_the_doc_is_kept(gaz):
    nlp, comp = _nlp(gaz, region=None)
    doc = nlp.make_doc(_DUTY)
    doc._.region = Region("象山县", "330225", source="option").to_dict()
    doc._.items = [{"start": 0, "end": len(_DUTY), "leaf": True, "units": []}]
    doc = comp(doc)
    assert doc._.meta["region"] == {"name": "象山县", "adcode": "330225"}
    assert doc._.items[0]["units"][0]["members"] == ["div:330225:丹西街道", "div:330225:石浦镇"]


def test_document_region_precedence(divisions):
    text = "嵊泗县人民政府办公室\n2023年重点工作责任分解\n责任单位:县发改局"
    assert document_region(text, divisions=divisions).source == "text"
    got = document_region(text, meta={"issuer": "象山县人民政府"}, divisions=divisions)
    assert (got.name, got.source) == ("象山县", "metadata")
    got = document_region(text, option="330282", meta={"region": "象山县"}, divisions=divisions)
    assert (got.name, got.source) == ("慈溪市", "option")
    # a region column the divisions do not know as a county is no county: the text decides
    got = document_region(text, meta={"region": "华东"}, divisions=divisions)
    assert (got.name, got.source) == ("嵊泗县", "text")
    assert document_region("没有地名", meta={"title": "工作要点"}, divisions=divisions) is None


def test_divisions_none_means_none_everywhere(divisions):
    text = "嵊泗县人民政府办公室\n2023年重点工作责任分解\n嵊泗县人民政府"
    # no divisions: nothing is detected in the text or the free-text metadata …
    assert resolve_region(text, divisions=None) is None
    assert document_region(text, meta={"issuer": "嵊泗县人民政府"}, divisions=None) is None
    assert Gazetteer.default(divisions=None).divisions is None
    # … and a county given as an option or a region column is kept as written
    assert resolve_region(text, "嵊泗县", divisions=None) == {"name": "嵊泗县", "adcode": None}
    got = document_region(text, meta={"region": "嵊泗县"}, divisions=None)
    assert got.record() == {"name": "嵊泗县", "adcode": None} and got.source == "metadata"
    # with divisions the same option is normalised, in the resolver and the gazetteer alike
    assert resolve_region(text, "嵊泗", divisions=divisions) == {
        "name": "嵊泗县",
        "adcode": "330922",
    }
    assert Gazetteer(divisions=divisions).normalize_region("嵊泗") == resolve_region(
        "", "嵊泗", divisions=divisions
    )


def test_region_survives_docbin(gaz):
    from spacy.tokens import DocBin

    doc, _ = _linked(gaz, _DUTY, {"issuer": "嵊泗县人民政府办公室"})
    nlp = spacy.blank("zh")
    (back,) = DocBin(docs=[doc], store_user_data=True).get_docs(nlp.vocab)
    assert Region.of(back) == Region.of(doc) and back._.input_meta == doc._.input_meta


def test_tries_built_on_shared_ones_hold_exactly_their_keys():
    # views build their tries as extensions of shared ones: the result must be the trie of
    # the keys given, whatever was asked before, and the shared trie must stay as it was
    import random

    from govnlp.units.gazetteer import _Trie, _TrieCache

    rng = random.Random(4)
    words = [
        "".join(rng.choice("县区委局镇政府办") for _ in range(rng.randint(1, 5)))
        for _ in range(300)
    ]
    cache = _TrieCache()
    for _ in range(40):
        keys = rng.sample(words, rng.randint(0, 120))
        got = cache.trie_of(keys)
        assert got.root == _Trie(keys).root and got.n == len(set(keys))
        base_keys = rng.sample(words, 50)
        base = _Trie(base_keys)
        more = base.extended(keys)
        assert more.root == _Trie(base_keys + keys).root and more.n == len(set(base_keys + keys))
        assert base.root == _Trie(base_keys).root  # unchanged by the extension
        assert sorted(_keys(more.root)) == sorted(set(base_keys + keys))


def _keys(node, prefix=""):
    for ch, child in node.items():
        if ch == "\0":
            yield prefix
        else:
            yield from _keys(child, prefix + ch)


def test_views_share_the_divisions_places_and_keep_their_own(gaz):
    a, b = gaz.view("嵊泗县"), gaz.view(None)
    assert a.places["嵊泗"] == ("county", "330922") and "嵊泗" not in b.places
    assert a.place_trie.longest("嵊泗县委", 0) == 3 and b.place_trie.longest("嵊泗人", 0) == 0
    assert a.places["舟山市"] == b.places["舟山市"] == ("prefecture", "330900")


def test_bigram_hits_are_the_keys_whose_pair_is_in_the_text():
    # region detection loops over the indices _bigram_hits gives: they must be those of every
    # key (repeated keys included) whose two characters the text has side by side
    import random

    import numpy as np

    from govnlp.units.region import _bigram_hits, _Keys, _pair_key

    rng = random.Random(2)
    alphabet = "县区嵊泗舟山\ud800a𠀀"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        pairs = ["".join(rng.choice(alphabet) for _ in range(2)) for _ in range(8)]
        keys = _Keys(np.array([_pair_key(p) for p in pairs], dtype=np.int64))
        grams = {text[i : i + 2] for i in range(len(text) - 1)}
        assert _bigram_hits(text, keys) == [k for k, p in enumerate(pairs) if p in grams]


def test_lookup_starts_are_where_a_key_or_a_key_prefix_begins(gaz):
    # the scan jumps between the offsets lookup_starts finds on code points: they must be the
    # offsets where the text has a one-character key or a two-character key prefix
    import random

    from govnlp.units.linker import _key_prefixes, lookup_starts

    view = gaz.view("嵊泗县")
    singles, pairs = _key_prefixes(view)
    rng = random.Random(8)
    # an astral character too: looked up in the sorted arrays, not the BMP tables
    alphabet = "县区市委政府发改局镇嵊泗菜园省浙江\ud800a\n、𠀀"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        want = [k for k in range(len(text)) if text[k] in singles or text[k : k + 2] in pairs]
        assert lookup_starts(text, view) == want
    assert lookup_starts("请县发改局牵头", view) == [1]


def test_document_lookup_gives_each_slice_its_own_lookup_starts(gaz):
    # find_units reads an item's offsets from its document's lookup: the same as the slice's own
    import random

    from govnlp.units.linker import DocumentLookup, _key_prefixes

    view = gaz.view("嵊泗县")
    singles, pairs = _key_prefixes(view)
    rng = random.Random(9)
    alphabet = "县区市委政府发改局镇嵊泗菜园省浙江a\n、"
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        lookup = DocumentLookup(text, view)
        for _ in range(5):
            s = rng.randint(0, len(text))
            e = rng.randint(s, len(text))
            piece = text[s:e]
            want = [
                k for k in range(len(piece)) if piece[k] in singles or piece[k : k + 2] in pairs
            ]
            assert lookup.within(s, e) == want


def test_item_own_spans_end_a_heading_at_its_first_nested_item():
    import random

    from govnlp.units.component import item_own_spans

    def reference(items):
        starts = sorted(it["start"] for it in items)
        out = []
        for it in items:
            s, e = it["start"], it["end"]
            if not it.get("leaf", True):
                inner = [x for x in starts if s < x < e]
                e = min(inner) if inner else e
            out.append((s, e))
        return out

    rng = random.Random(2)
    for _ in range(300):
        items = []
        for _ in range(rng.randint(0, 12)):
            s = rng.randint(0, 50)
            items.append({"start": s, "end": s + rng.randint(0, 30), "leaf": rng.random() < 0.5})
        assert item_own_spans(items) == reference(items)
    heading = {"start": 0, "end": 20, "leaf": False}
    assert item_own_spans([heading, {"start": 5, "end": 20, "leaf": True}]) == [(0, 5), (5, 20)]


def test_a_text_speaks_as_a_county_by_first_person_or_repeated_county_bodies():
    from govnlp.units.region import _speaks_as_county

    assert _speaks_as_county("我县渔业增收") and _speaks_as_county("县委召开……全县……县政府")
    # a national report that tells of one county once, or of 自治区/特别行政区 governments
    assert not _speaks_as_county("一个县的县委统一领导全县企业。")
    assert not _speaks_as_county("支持特别行政区政府依法施政，自治区政府，地区政府，健全县级财力")


def test_key_prefixes_of_a_table_are_every_prefix_of_its_keys_found_once():
    # match_at stops looking at a place-prefixed mention's longer lengths where the text stops
    # beginning a key of the table: the prefixes must be exactly the keys' prefixes
    from govnlp.units import Gazetteer
    from govnlp.units.linker import _key_prefixes_of

    view = Gazetteer.default(divisions=None).view("嵊泗县")
    for table in (view.table, view.province_table, view.prefecture_table):
        prefixes = _key_prefixes_of(view, table)
        assert prefixes == {k[:n] for k in table for n in range(1, len(k) + 1)}
        assert _key_prefixes_of(view, table) is prefixes  # once per table
