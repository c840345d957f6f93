"""Real page layouts (spec items.md v2): the item cases A–N of
``../shared/hardcases/items_units.md``.

The texts are invented (same layouts as the real county pages, other wording), so they live here.
Each test asserts the structure the spec asks for; the general rule behind each case is in the
parser (chrome lines, flattened pages, task tables, repeated/continued/restarted numbering,
notices with attachments, news-style meeting reports, run-in titles, paragraph items).
"""

from govnlp.items import leaf_items, parse_items


def spans(text, items):
    return [text[it["start"] : it["end"]] for it in items]


def tree(items):
    """(marker, parent marker) of every numbered unit."""
    by_id = {it["id"]: it for it in items}
    return [
        (it["marker"], by_id[it["parent"]]["marker"] if it["parent"] else None)
        for it in items
        if it["marker"]
    ]


A1 = (
    "当前位置： 首页 … 时间：2023-03-01 附件 重点任务清单 "
    "序号任务内容牵头单位一、优化营商环境1.简化企业开办流程，压缩办理时限。县市场监管局2.推行涉"
    "企事项一次办结。县政务服务中心二、扩大有效投资3.加快重点项目前期工作。县发改局4.建立项目周"
    "调度机制。县发改局"
)


def test_a1_flattened_table_with_glued_markers():
    items = parse_items(A1)
    assert tree(items) == [
        ("一、", None),
        ("1.", "一、"),
        ("2.", "一、"),
        ("二、", None),
        ("3.", "二、"),
        ("4.", "二、"),
    ]
    leaves = spans(A1, leaf_items(items))
    assert leaves[0] == "1.简化企业开办流程，压缩办理时限。县市场监管局"
    assert leaves[-1] == "4.建立项目周调度机制。县发改局"


def test_a2_flattened_rows_ending_in_collective():
    text = A1.replace("县市场监管局2.", "县市场监管局、各镇（街道）2.").replace(
        "县政务服务中心二、", "县政务服务中心、各镇（街道）二、"
    )
    items = parse_items(text)
    assert [m for m, _ in tree(items)] == ["一、", "1.", "2.", "二、", "3.", "4."]
    assert (
        spans(text, leaf_items(items))[1] == "2.推行涉企事项一次办结。县政务服务中心、各镇（街道）"
    )


def test_b_preamble_on_the_chrome_line():
    text = (
        "当前位置：首页 > 政务公开 > 计划总结 发布时间：2023-02-01 "
        "根据县委工作部署，现将本局全年工作安排如下：一、强化安全监管（一）开展隐患排查。全年检"
        "查企业200家。（二）加强执法检查。立案查处违法行为。二、提升服务水平（一）优化审批流程。"
        "（二）推行延时服务。"
    )
    items = parse_items(text)
    assert items[0]["kind"] == "preamble"
    assert spans(text, items)[0] == "根据县委工作部署，现将本局全年工作安排如下："
    assert tree(items) == [
        ("一、", None),
        ("（一）", "一、"),
        ("（二）", "一、"),
        ("二、", None),
        ("（一）", "二、"),
        ("（二）", "二、"),
    ]


def test_c1_navigation_title_and_counter_are_chrome():
    text = (
        "您现在的位置： 首页 > 信息公开 > 工作动态 > "
        "本月通报\n\n关于三月份重点项目推进情况的通报\n\n浏览次数：\n\n今年以来，全县重点项目完"
        "成投资12亿元。\n\n下一步，将加快推进项目建设。"
    )
    items = parse_items(text)
    assert spans(text, items) == [
        "今年以来，全县重点项目完成投资12亿元。",
        "下一步，将加快推进项目建设。",
    ]
    assert all(it["kind"] == "paragraph" for it in items)


def test_c2_footer_lines_are_trailer():
    text = (
        "会议研究了老旧小区改造工作。\n会议研究了农村公路建设工作。\n会议还研究了其他事项。\n返回顶部\n"
        "某公网安备 12345678901234号"
    )
    assert spans(text, parse_items(text)) == [
        "会议研究了老旧小区改造工作。",
        "会议研究了农村公路建设工作。",
    ]


def test_d_separator_line_is_not_body():
    text = (
        "标题: 县应急局2023年工作要点\n发布时间: 2023-01-05\n==================== 正文 "
        "====================\n今年，我局将紧扣年度目标，抓好以下工作：\n（一）强化监管。一是开"
        "展检查；二是严格执法。\n（二）夯实基础。"
    )
    items = parse_items(text)
    assert spans(text, items)[0] == "今年，我局将紧扣年度目标，抓好以下工作："
    assert tree(items) == [
        ("（一）", None),
        ("一是", "（一）"),
        ("二是", "（一）"),
        ("（二）", None),
    ]


def test_e_meeting_news_report_opening_and_attendance_are_not_items():
    text = (
        "3月2日上午，县长王某主持召开县政府第12次常务会议，副县长李某、张某出席会议。\n"
        "会议听取了全县安全生产工作情况汇报。\n会议审议通过了《县老旧小区改造实施方案》。\n县领导赵某、钱某参加会议。"
    )
    assert spans(text, parse_items(text)) == [
        "会议听取了全县安全生产工作情况汇报。",
        "会议审议通过了《县老旧小区改造实施方案》。",
    ]


def test_f_task_table_rows_with_a_lone_number():
    text = (
        "序号\n\n工作任务\n\n责任单位\n\n1\n\n新建农村公路30公里。\n\n县交通运输局\n\n2\n\n完成老旧小区改造12个。\n\n"
        "县住建局\n\n3\n\n新增城镇就业2000人。\n\n县人社局"
    )
    items = parse_items(text)
    assert [it["marker"] for it in items] == ["1", "2", "3"]
    assert all(it["kind"] == "row" and it["leaf"] for it in items)
    first = items[0]
    assert text[first["start"] : first["end"]] == "1\n\n新建农村公路30公里。\n\n县交通运输局"
    duty = first["duty_lines"][0]
    assert (
        duty["label"] == "责任单位"
        and text[duty["value_start"] : duty["value_end"]] == "县交通运输局"
    )


def test_f_pipe_table_cells_one_per_line():
    text = (
        "2023年民生实事推进情况\n序号 |\n主要任务 |\n牵头单位 |\n推进情况 |\n24 "
        "|\n优化背街后巷交通组织。 |\n城管局 |\n已完成30%。 |\n25 |\n新增达标小区210个。 "
        "|\n城管局 |\n已建成38个。 |"
    )
    items = parse_items(text)
    assert [it["marker"] for it in items] == ["24", "25"]
    duty = items[1]["duty_lines"][0]
    assert duty["label"] == "牵头单位" and text[duty["value_start"] : duty["value_end"]] == "城管局"


def test_g_one_item_per_paragraph_under_a_childless_heading():
    text = (
        "一、工作背景\n去年以来，全县共排查隐患45个。\n为进一步压实责任，开展专项整治活动。\n二"
        "、主要任务\n1.抓排查。\n2.抓整改。"
    )
    items = parse_items(text)
    bodies = [it for it in items if it["kind"] == "body"]
    assert spans(text, bodies) == [
        "去年以来，全县共排查隐患45个。",
        "为进一步压实责任，开展专项整治活动。",
    ]
    assert items[0]["heading"] == "工作背景" and not items[0]["leaf"]


def test_h_run_in_titles():
    text = (
        "一、工作成效（一）强化要素保障为确保项目顺利落地，全年统筹资金2亿元。一是保障用地。二是保障用能。"
        "二、问题短板对照年初目标，我们仍有差距：一是项目储备不足；二是融资渠道单一。"
    )
    items = parse_items(text)
    by_marker = {it["marker"]: it for it in items if it["marker"] in ("（一）", "二、")}
    assert by_marker["（一）"]["heading"] == "强化要素保障"
    assert by_marker["二、"]["heading"] == "问题短板"
    lead_ins = [it for it in items if it["kind"] == "lead_in"]
    assert spans(text, lead_ins) == [
        "为确保项目顺利落地，全年统筹资金2亿元。",
        "对照年初目标，我们仍有差距：",
    ]


def test_h2_title_ended_by_a_space():
    text = "二、今年工作安排 今年，我们将重点抓好以下两方面工作：（一）抓项目。（二）抓民生。"
    items = parse_items(text)
    assert items[0]["heading"] == "今年工作安排"
    assert spans(text, [it for it in items if it["kind"] == "lead_in"]) == [
        "今年，我们将重点抓好以下两方面工作："
    ]


def test_i_repeated_and_skipped_numbers_are_siblings():
    text = (
        "一、工作回顾（一）抓党建。一是强化学习。二是建强支部。（二）抓产业。一是壮大工业。二是发展特色农业。"
        "（二）抓生态。一是治理水体。二是植树造林。三是修复海岸线。（四）抓民生。一是稳就业。二是办实事。"
    )
    items = parse_items(text)
    second_level = [m for m, parent in tree(items) if parent == "一、"]
    assert second_level == ["（一）", "（二）", "（二）", "（四）"]
    assert "三是修复海岸线。" in spans(text, leaf_items(items))


def test_i_a_lower_number_opening_a_line_restarts_the_list_as_a_sibling():
    # a page spliced from two lists: (二) after (五), at a line start, is a sibling of (五)
    text = (
        "县林业局工作总结\n一、今年以来工作完成情况\n（一）经济指标完成情况。一季度民间投资增长4%。\n"
        "（五）推动服务业发展。出台若干政策。\n（二）压实安全责任，强化隐患治理。开展“靶向”检查。\n"
        "（三）突出重点领域，强化节日保障。开展安全生产大排查。\n二、下一步打算\n（一）加强培训。\n（二）完善制度。\n"
    )
    units = tree(parse_items(text))
    assert [m for m, _ in units][:5] == ["一、", "（一）", "（五）", "（二）", "（三）"]
    assert {parent for _, parent in units[1:5]} == {"一、"}
    # inline, a lower number is a cross-reference, not a marker
    text = "县林业局工作总结\n一、工作\n（一）甲。\n（二）乙。\n（三）丙，见上文（二）所述。\n"
    assert [m for m, _ in tree(parse_items(text))] == ["一、", "（一）", "（二）", "（三）"]


def test_j_numbering_continued_across_sections():
    text = (
        "一、主要目标\n1.地区生产总值增长6%。\n2.城镇新增就业3000人。\n二、重点任务\n3.新建标准"
        "厂房10万平方米。\n4.引进亿元以上项目20个。"
    )
    items = parse_items(text)
    assert tree(items)[-2:] == [("3.", "二、"), ("4.", "二、")]
    assert spans(text, leaf_items(items))[-2:] == [
        "3.新建标准厂房10万平方米。",
        "4.引进亿元以上项目20个。",
    ]


def test_k_restarted_ordinal_run_opens_a_new_level():
    text = (
        "（一）加强党建一是强化理论学习。二是规范组织生活。三是加强廉政教育。同时也要看到，工作中仍有不足："
        "一是学习不够深入；二是制度执行不严；三是基层力量薄弱。（二）加强作风建设。"
    )
    items = parse_items(text)
    leaves = spans(text, leaf_items(items))
    assert "一是学习不够深入；" in leaves and "三是基层力量薄弱。" in leaves
    third = next(it for it in items if text[it["start"] :].startswith("三是加强"))
    assert not third["leaf"]
    assert [m for m, parent in tree(items) if parent == "三是"] == ["一是", "二是", "三是"]


def test_l1_notice_sentence_is_a_preamble_and_attachment_title_is_not_an_item():
    text = (
        "各乡镇人民政府，县直各部门：\n《2023年重点工作任务分解》已经县政府同意，现印发给你们，请抓好落实。\n"
        "某县人民政府办公室\n2023年2月10日\n2023年重点工作任务分解\n为确保全年目标任务完成，现将重点工作分解如下。\n"
        "一、稳增长\n1.扩大有效投资。\n2.促进消费回升。"
    )
    items = parse_items(text)
    got = spans(text, items)
    assert got[0] == "《2023年重点工作任务分解》已经县政府同意，现印发给你们，请抓好落实。"
    assert got[1] == "为确保全年目标任务完成，现将重点工作分解如下。"
    assert not any("某县人民政府办公室" in s or "2月10日" in s for s in got)
    assert [m for m, _ in tree(items)] == ["一、", "1.", "2."]


def test_l2_signature_and_date_end_the_last_item():
    text = (
        "各乡镇人民政府：\n现将有关事项通知如下：\n一、明确责任分工。\n二、每季度末报送进展情况。\n"
        "某县人民政府办公室\n2023年2月10日\n2023年重点工作任务分解\n一、稳增长\n1.扩大有效投资。\n2.促进消费回升。"
    )
    items = parse_items(text)
    second = next(it for it in items if text[it["start"] :].startswith("二、每季度"))
    assert text[second["start"] : second["end"]] == "二、每季度末报送进展情况。"


def test_m_contact_block_is_trailer():
    text = (
        "一、工作目标\n全年完成投资50亿元。\n二、保障措施\n县政府办公室将每月调度一次工作进展。\n政策解读及联系方式\n"
        "解读单位：某县发展和改革局\n业务联系人：李某\n联系电话：0000-1234567"
    )
    items = parse_items(text)
    assert spans(text, items)[-1] == "县政府办公室将每月调度一次工作进展。"


def test_n_truncated_final_item_is_flagged():
    text = "一、重点任务\n1.完成农村改厕500户。\n2.推进城区污水管网改造，力争年底前"
    leaves = leaf_items(parse_items(text))
    assert [it.get("truncated", False) for it in leaves] == [False, True]
    complete = leaf_items(parse_items("一、重点任务\n1.完成农村改厕500户。\n2.推进污水管网改造。"))
    assert not any(it.get("truncated") for it in complete)


def test_an_ordinal_point_ends_with_its_paragraph():
    text = (
        "十、关于生态补偿问题。你省请求：一是延长补助年限；二是纳入补偿范围。\n"
        "1.关于补助年限。财政部研究提出了意见。\n2.关于补偿范围。林业局研究提出了意见。"
    )
    items = parse_items(text)
    assert tree(items) == [
        ("十、", None),
        ("一是", "十、"),
        ("二是", "十、"),
        ("1.", "十、"),
        ("2.", "十、"),
    ]
    text2 = "（一）抓投资。一是扩大投资；二是优化结构。\n会议要求，各单位抓好落实。\n（二）抓招商。"
    leaves = spans(text2, leaf_items(parse_items(text2)))
    assert leaves == [
        "一是扩大投资；",
        "二是优化结构。",
        "会议要求，各单位抓好落实。",
        "（二）抓招商。",
    ]


def test_blank_line_paragraphs_with_wrapped_lines():
    text = (
        "一、工作重点\n\n加大工业结构调整力度。\n要围绕优化结构，着重抓好四个环节。\n\n严肃财经纪律，切实贯彻《\n会计法\n》。\n\n"
        "二、保障措施\n\n加强组织领导。"
    )
    bodies = [it for it in parse_items(text) if it["kind"] == "body"]
    assert spans(text, bodies)[:2] == [
        "加大工业结构调整力度。\n要围绕优化结构，着重抓好四个环节。",
        "严肃财经纪律，切实贯彻《\n会计法\n》。",
    ]


def test_chapters_and_articles_of_rules():
    text = (
        "某县人民政府工作规则\n第一章 总则\n第一条 为规范工作，制定本规则。\n第二条 "
        "本规则适用于县政府。\n第二章 职责\n一、县政府实行县长负责制。\n二、县长主持全面工作。"
    )
    items = parse_items(text)
    assert tree(items) == [
        ("第一章", None),
        ("第一条", "第一章"),
        ("第二条", "第一章"),
        ("第二章", None),
        ("一、", "第二章"),
        ("二、", "第二章"),
    ]
    assert items[0]["heading"] == "总则"


def test_page_metadata_block_before_the_notice():
    text = (
        "返回顶部\n镇巴县人民政府工作规则\n  • 索引号:\n    6107280000/2024-001005\n  • "
        "发文日期:\n    2024年04月06日 16:40\n] "
        "背景色:\n各乡镇人民政府，县政府各部门：\n现将《工作规则》印发给你们，请遵照执行。\n一、"
        "总体要求。\n二、保障措施。"
    )
    got = spans(text, parse_items(text))
    assert got == ["现将《工作规则》印发给你们，请遵照执行。", "一、总体要求。", "二、保障措施。"]


def test_table_excerpt_rows_and_lists_inside_a_cell():
    text = (
        "序号\n\n目标任务\n\n牵头责任单位\n\n目前完成情况\n\n6\n\n农村居民收入同步增长。\n\n经管站\n\n增幅7.4%\n\n"
        "52\n\n建成高标准农田8.3万亩。\n\n农田建设管理股\n\n1、已完成70%。2、年底前完工。\n\n53\n\n完成土地流转20万亩。\n\n经管站\n\n已完成"
    )
    items = parse_items(text)
    assert [it["marker"] for it in items] == ["6", "52", "53"]
    assert all(it["leaf"] for it in items)


def test_a_document_adopted_at_a_meeting_is_not_a_meeting_report():
    text = (
        "各乡镇人民政府：\n《议事规则》已经2024年11月13日召开的市政府第93次常务会议通过，现予印发。\n某市人民政府\n2024年11月20日\n"
        "第一条 为规范议事，制定本规则。"
    )
    assert (
        spans(text, parse_items(text))[0]
        == "《议事规则》已经2024年11月13日召开的市政府第93次常务会议通过，现予印发。"
    )


def test_hard_wrapped_pdf_text_is_one_paragraph_per_sentence_block():
    text = (
        "为深入贯彻落实关于加快发展人工智能的\n部署要求，贯彻落实国家标准化发展纲要\n，进一步加强人工智能标准化工作系统谋\n划。\n"
        "人工智能是引领新一轮科技革命和产业变\n革的基础性和战略性技术，正加速与实体\n经济深度融合。\n"
    )
    assert len(parse_items(text)) == 2


def test_a_numbered_line_ending_like_a_title_is_a_heading_not_header():
    # 一、…情况 / …报告 ends like a document title but opens the body
    from govnlp.items import find_zones

    for heading in ("一、今年以来工作完成情况", "一、关于上半年工作的报告"):
        text = (
            f"县林业局工作总结\n{heading}\n（一）造林。完成造林1万亩。\n（二）防火。\n二、下一步"
            "打算\n（一）加强培训。\n"
        )
        start, _ = find_zones(text)
        assert text[start:].startswith(heading)
        assert [m for m, _ in tree(parse_items(text))][:1] == ["一、"]


# --- hard-wrapped PDF text whose lines mix CJK with half-width digits and spaces ------------
# (widths in display columns: a digit or space is half a CJK character)
WRAPPED_RULES = (
    "关于印发服务资源供给办法的通知\n"
    "各区县工信部门，各有关单位：\n"
    "《服务资源供给办法（V1.0）》已经市工业和信息化局党组 20\n"
    "21 年第 5 次会议审议通过，现印发给你们，请认真贯彻执行。\n"
    "目 录\n"
    "第一章 总则 ........................................ 3\n"
    "第二章 支持方式 .................................... 4\n"
    "第一章 总 则\n"
    "第一条 为贯彻落实市人民政府与华为软件技术有限公司签\n"
    "署的《战略合作框架协议》，确保财政资金投入成效，规范三\n"
    "— 2 —\n"
    "个创新中心运营，制定本办法。\n"
    "第二条 本办法所指的服务资源包括 X86 资源类、EI 产品服\n"
    "务类、鲲鹏产品服务类、软件开发产品类和能力培训类。\n"
    "第二章 支持方式\n"
    "第三条 服务券按企业营业收入分档补贴，补贴上限如下：\n"
    "1.对上一年度营业收入 50 亿元以上的企业，补贴上限为每年\n"
    "200 万元；\n"
    "2.对上一年度营业收入 10 亿元到 50 亿元之间的企业，补贴\n"
    "上限为每年 150 万元。\n"
    "附件：1. 服务资源产品清单\n"
    "2. 服务券申领表\n"
    "附件1\n"
    "服务资源产品清单\n"
    "服务资源产品清单随华为软件技术有限公司公开目录的更新而\n"
    "优化调整，运营公司每季度向使用单位公布一次更新后的清单。\n"
)


def test_wrapped_articles_keep_their_sentences_whole_across_wraps_and_page_numbers():
    leaves = spans(WRAPPED_RULES, leaf_items(parse_items(WRAPPED_RULES)))
    first = next(s for s in leaves if s.startswith("第一条"))
    assert first.endswith("制定本办法。") and "— 2 —" in first  # the page number stays inside
    assert any(s.startswith("第二条") and s.endswith("能力培训类。") for s in leaves)
    assert any(s.startswith("1.对上一年度") and s.endswith("200 万元；") for s in leaves)


def test_a_table_of_contents_is_header_not_items():
    leaves = spans(WRAPPED_RULES, leaf_items(parse_items(WRAPPED_RULES)))
    assert not any("......" in s for s in leaves)


def test_a_wrapped_attachment_after_the_list_of_attachments_is_body():
    leaves = spans(WRAPPED_RULES, leaf_items(parse_items(WRAPPED_RULES)))
    assert any(s.startswith("服务资源产品清单随") and s.endswith("更新后的清单。") for s in leaves)


# an emergency plan (应急预案) numbered 1 / 1.1 / 1.1.1, with its table of contents (invented)
DECIMAL_PLAN = (
    "某县防汛应急预案\n"
    "目　　录\n"
    "1　总则\n"
    "1.1　编制目的\n"
    "1.2　适用范围\n"
    "2　组织机构\n"
    "2.1　指挥部\n"
    "\n"
    "1　总则\n"
    "1.1　编制目的\n"
    "为做好防汛工作，保障人民群众生命财产安全，制定本预案。\n"
    "1.2　适用范围\n"
    "1.2.1　本预案适用于全县行政区域内洪涝灾害的预防和处置。\n"
    "1.2.2　其他灾害参照执行。\n"
    "2　组织机构\n"
    "2.1　指挥部\n"
    "（1）统一领导防汛工作。\n"
    "（2）负责组织抢险救灾。\n"
    "会议于第\n"
    "5 次会议审议通过，现印发给你们，请认真贯彻执行。\n"
)


def test_decimal_numbering_nests_by_its_dots():
    items = parse_items(DECIMAL_PLAN)
    assert tree(items) == [
        ("1", None),
        ("1.1", "1"),
        ("1.2", "1"),
        ("1.2.1", "1.2"),
        ("1.2.2", "1.2"),
        ("2", None),
        ("2.1", "2"),
        ("（1）", "2.1"),
        ("（2）", "2.1"),
    ]
    leaves = spans(DECIMAL_PLAN, leaf_items(items))
    assert "为做好防汛工作，保障人民群众生命财产安全，制定本预案。" in leaves


def test_the_entries_of_a_table_of_contents_are_no_items():
    items = parse_items(DECIMAL_PLAN)
    first_body = DECIMAL_PLAN.index("1　总则\n1.1　编制目的\n为")
    assert all(it["start"] >= first_body for it in items)


def test_a_number_and_space_opening_a_sentence_line_is_no_section():
    items = parse_items(DECIMAL_PLAN)
    assert not any(it["marker"] == "5" for it in items)


# a five-year plan (规划) in parts, chapters and sections; a work summary in parts (invented)
PLAN_IN_PARTS = (
    "某县国民经济和社会发展第十四个五年规划纲要\n"
    "第一篇　发展基础\n"
    "第一章　发展环境\n"
    "第一节　发展成就\n"
    "全县地区生产总值年均增长7%，城乡面貌明显改善。\n"
    "第二节　面临形势\n"
    "外部环境更趋复杂，县域经济发展不平衡。\n"
    "第二篇　主要任务\n"
    "第二章　产业发展\n"
    "第一节　现代农业\n"
    "一、稳定粮食生产。落实耕地保护制度。\n"
    "二、发展特色产业。培育茶叶、水果等产业。\n"
    "第一部分是全县的基础，不是标题。\n"
)


def test_parts_chapters_and_sections_nest_above_the_numbered_points():
    items = parse_items(PLAN_IN_PARTS)
    assert tree(items) == [
        ("第一篇", None),
        ("第一章", "第一篇"),
        ("第一节", "第一章"),
        ("第二节", "第一章"),
        ("第二篇", None),
        ("第二章", "第二篇"),
        ("第一节", "第二章"),
        ("一、", "第一节"),
        ("二、", "第一节"),
    ]
    leaves = spans(PLAN_IN_PARTS, leaf_items(items))
    assert "全县地区生产总值年均增长7%，城乡面貌明显改善。" in leaves


# a notice: contacts, its attachment list, signature and date, then the attachment in full,
# once with an 附件 line and once without; a body sentence naming 违法和不良信息 (invented)
NOTICE_THEN_ATTACHMENT = (
    "关于开展网络生态治理的通知\n"
    "各乡镇人民政府，县直各部门：\n"
    "现将《网络生态治理工作方案》印发给你们，请认真贯彻执行。\n"
    "联系人：县委网信办 张三 0000-1234567\n"
    "附件：网络生态治理工作方案\n"
    "某县人民政府办公室\n"
    "2024年3月1日\n"
    "{attachment_line}"
    "网络生态治理工作方案\n"
    "为营造清朗网络空间，依法清理违法和不良信息，切实维护群众合法权益，结合我县实际，制定本方案。\n"
    "一、工作目标。全年清理违法和不良信息1万条以上，网络生态持续向好。\n"
    "二、工作措施。建立网络举报电话受理机制，实行24小时值班制度，确保举报件件有回应。\n"
)


def test_an_attachment_given_in_full_after_the_notices_trailer_is_body():
    for attachment_line in ("附件\n", ""):
        text = NOTICE_THEN_ATTACHMENT.format(attachment_line=attachment_line)
        leaves = spans(text, leaf_items(parse_items(text)))
        assert any(s.startswith("全年清理违法和不良信息1万条以上") for s in leaves), attachment_line
        assert any(s.startswith("二、工作措施") for s in leaves), attachment_line
        assert not any("联系人" in s for s in leaves)


def test_a_footer_phrase_inside_a_body_sentence_ends_nothing():
    text = NOTICE_THEN_ATTACHMENT.format(attachment_line="附件\n")
    leaves = spans(text, leaf_items(parse_items(text)))
    assert any(s.startswith("为营造清朗网络空间") for s in leaves)


def test_line_patterns_find_what_any_of_the_patterns_finds():
    # classify_lines asks LinePatterns (two regex calls) what it asked each pattern: same
    # answers on every line of the seeds and on strings built from the patterns' characters
    import random
    import re
    from pathlib import Path

    from govnlp.items.grammar import load_rules
    from govnlp.items.layout import LinePatterns, split_lines

    rules = load_rules()["layout"]
    root = Path(__file__).resolve().parents[1]
    lines = []
    for path in sorted(root.glob("corpora/samples/*.txt")):
        text = path.read_text(encoding="utf-8")
        lines += [text[a:b].strip() for a, b in split_lines(text)]
    rng = random.Random(3)
    for key in ("chrome_lines", "trailer_lines"):
        patterns = rules[key]
        alphabet = sorted(set("".join(patterns)) | set(" 。一1"))
        tries = lines + [
            "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(3000)
        ]
        together = LinePatterns(patterns)
        compiled = [re.compile(p) for p in patterns]
        for s in tries:
            assert together.search(s) == any(rx.search(s) for rx in compiled), (key, s)


def test_three_dashes_before_text_make_a_dash_bullet_not_a_rule_line():
    # old national reports open their review bullets with ——— (three em dashes)
    text = (
        "一、一年来工作回顾\n\n过去的一年，是不平凡的一年。\n\n"
        "———经济平稳增长。全年生产总值增长8%。\n\n"
        "———财政收入增加。全年财政收入达到300亿元。\n\n"
        "——————\n"
    )
    leaves = spans(text, leaf_items(parse_items(text)))
    assert "———经济平稳增长。全年生产总值增长8%。" in leaves
    assert any(leaf.startswith("———财政收入增加") for leaf in leaves)
    assert not any(leaf.strip() == "——————" for leaf in leaves)  # a bare rule line stays chrome


def test_display_width_counts_two_columns_per_wide_character():
    # display_width cuts out runs of wide characters: the same as two columns for each CJK or
    # full-width character and one for any other (astral characters and surrogates included)
    import random

    from govnlp.items.layout import display_width

    def reference(s):
        return sum(2 if "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\uffe6" else 1 for ch in s)

    rng = random.Random(11)
    alphabet = "营业收入 50亿元，ＡＢ\u2e80\u9fff\uf900\uffe6\uffe7\u2e7f𠀀\ud800a\t"
    for _ in range(2000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert display_width(s) == reference(s), s
    assert display_width("营业收入 50 亿元") == 16
