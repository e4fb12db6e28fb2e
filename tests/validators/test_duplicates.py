"""The 首报 comparison and the in-memory index (validators.duplicates)."""

from __future__ import annotations

import time
from datetime import date

import pytest

from validators.duplicates import (
    DuplicateConfig,
    DuplicateIndex,
    DuplicateMatch,
    IndexedItem,
    compare_texts,
    duplicate_findings,
    facts,
    normalise,
)
from validators.findings import Severity

ITEM = (
    "青山县自然资源局开展龙山镇违法用地专项督查\n"
    "3月12日，青山县自然资源局抽调12名执法人员组成3个督查组，对龙山镇开展违法用地专项督查。"
    "此次督查采取查阅资料、实地踏勘、走访群众相结合的方式，重点检查乱占耕地建房、违规占用永久基本农田等问题。\n"
    "督查共核查图斑46宗，涉及面积128.5亩，发现疑似违法用地7宗。对发现的问题，督查组现场下达整改通知书7份，明确整改时限和责任人。\n"
    "下一步，青山县自然资源局将建立问题台账，实行销号管理，坚决守住耕地保护红线。"
)
UNIT = "青山县自然资源局"
ON = date(2026, 3, 20)  # the day of the checks below
OTHER_UNIT = "河口县自然资源局"


def index_with(*entries: tuple[int, str, str, date], **options) -> DuplicateIndex:  # noqa: ANN003
    index = DuplicateIndex(**options)
    for item_id, text, unit, accepted_on in entries:
        receipt = f"ZRZY-{accepted_on.year}-{item_id:05d}"
        index.add(IndexedItem.from_text(item_id=item_id, text=text, unit_name=unit, receipt=receipt, accepted_on=accepted_on))
    return index


def test_normalise_ignores_width_whitespace_and_punctuation():
    assert normalise("３月１２日 ， 检查\u300046宗。") == normalise("3月12日,检查46宗")


def test_normalise_drops_stray_signoff_lines():
    signed = ITEM + "\n审核：李四  撰稿：张三  电话：13912345678\n（供稿：王五）"
    assert normalise(signed) == normalise(ITEM)


def test_normalise_removes_the_units_own_names():
    assert UNIT not in normalise(ITEM, [UNIT]) and "龙山镇" in normalise(ITEM, [UNIT])


def test_normalise_writes_numeric_dates_as_chinese_dates():
    assert normalise("2026-03-05召开") == normalise("2026年3月5日召开")


def test_facts_are_dates_and_figures_without_years_or_measure_words():
    found = facts(normalise("2026年3月12日核查图斑46宗，面积128.5亩，合格率98%，投资17.4亿元。"))
    assert (set(found.dates), set(found.figures)) == ({"3月12日"}, {"46", "128.5", "98%", "17.4亿"})


def test_reordered_sentences_keep_the_content_similarity():
    first, *rest = ITEM.split("\n")
    reordered = "\n".join([first, *reversed(rest)])
    assert compare_texts(normalise(reordered), normalise(ITEM)).content > 0.95


def test_other_figures_bring_the_similarity_down():
    other_event = ITEM.replace("12名", "9名").replace("46宗", "31宗").replace("128.5亩", "77.2亩").replace("7宗", "2宗")
    comparison = compare_texts(normalise(other_event), normalise(ITEM))
    assert comparison.content > 0.8 and comparison.similarity < 0.4


def test_own_resend_is_a_duplicate():
    index = index_with((1, ITEM, UNIT, date(2026, 3, 13)))
    [match] = index.find(ITEM, unit_names=[UNIT], on=ON)
    assert (match.item_id, match.duplicate, match.receipt) == (1, True, "ZRZY-2026-00001")


def test_resend_by_another_unit_under_its_own_name_is_a_duplicate():
    index = index_with((1, ITEM, UNIT, date(2026, 3, 13)))
    [match] = index.find(ITEM.replace(UNIT, OTHER_UNIT), unit_names=[OTHER_UNIT], on=ON)
    assert match.duplicate and match.unit == UNIT


def test_same_text_with_another_day_is_only_a_possible_duplicate():
    index = index_with((1, ITEM, UNIT, date(2026, 3, 13)))
    [match] = index.find(ITEM.replace("3月12日", "3月14日"), unit_names=[UNIT], on=ON)
    assert not match.duplicate


def test_next_months_meeting_from_the_same_template_is_not_flagged():
    index = index_with((1, ITEM, UNIT, date(2026, 3, 13)))
    next_month = (
        ITEM.replace("3月12日", "4月9日").replace("12名", "15名").replace("3个", "4个")
        .replace("46宗", "52宗").replace("128.5亩", "140.2亩").replace("7宗", "5宗").replace("7份", "5份")
    )
    assert index.find(next_month, unit_names=[UNIT], on=ON) == []


def test_unrelated_item_is_not_flagged():
    index = index_with((1, ITEM, UNIT, date(2026, 3, 13)))
    other = "白云县应急管理局召开防汛工作会议。6月2日，会议部署汛期值班值守、物资储备和转移避险工作，要求各乡镇落实24小时值班。"
    assert index.find(other, on=ON) == []


def test_window_is_rolling_across_new_year():
    index = index_with((1, ITEM, UNIT, date(2025, 12, 27)))
    assert [m.item_id for m in index.find(ITEM, unit_names=[UNIT], on=date(2026, 1, 6))] == [1]


def test_default_window_ignores_items_older_than_365_days():
    index = index_with((1, ITEM, UNIT, date(2025, 3, 13)))
    assert index.find(ITEM, unit_names=[UNIT], on=date(2026, 3, 14)) == []


def test_window_in_days_ignores_older_items():
    index = index_with((1, ITEM, UNIT, date(2026, 1, 5)), window=30)
    assert index.find(ITEM, unit_names=[UNIT], on=date(2026, 3, 1)) == []


def test_window_in_days_finds_recent_items():
    index = index_with((1, ITEM, UNIT, date(2026, 2, 20)), window=30)
    assert [m.item_id for m in index.find(ITEM, unit_names=[UNIT], on=date(2026, 3, 1))] == [1]


def test_excluded_item_is_not_its_own_duplicate():
    index = index_with((1, ITEM, UNIT, date(2026, 3, 13)))
    assert index.find(ITEM, unit_names=[UNIT], on=ON, exclude_item_id=1) == []


def test_removed_item_is_no_longer_found():
    index = index_with((1, ITEM, UNIT, date(2026, 3, 13)))
    index.remove(1)
    assert index.find(ITEM, unit_names=[UNIT], on=ON) == [] and len(index) == 0


def test_re_adding_an_item_replaces_its_text():
    index = index_with((1, ITEM, UNIT, date(2026, 3, 13)))
    other = "白云县应急管理局召开防汛工作会议，部署汛期值班值守、物资储备和转移避险工作。"
    index.add(IndexedItem.from_text(item_id=1, text=other, unit_name=UNIT, receipt=None, accepted_on=date(2026, 3, 13)))
    assert index.find(ITEM, unit_names=[UNIT], on=ON) == []


def test_duplicates_come_first_report_first():
    edited = ITEM.replace("重点检查", "重点核查").replace("相结合的方式", "结合方式")
    index = index_with((1, edited, UNIT, date(2026, 3, 13)), (2, ITEM, UNIT, date(2026, 3, 14)))
    assert [(m.item_id, m.duplicate) for m in index.find(ITEM, unit_names=[UNIT], on=ON)] == [(1, True), (2, True)]


def test_possible_duplicates_come_most_similar_first():
    other_day = ITEM.replace("3月12日", "3月14日")
    edited = other_day.replace("重点检查", "重点核查").replace("相结合的方式", "结合方式")
    index = index_with((1, edited, UNIT, date(2026, 3, 13)), (2, other_day, UNIT, date(2026, 3, 14)))
    assert [(m.item_id, m.duplicate) for m in index.find(ITEM, unit_names=[UNIT], on=ON)] == [(2, False), (1, False)]


def match(item_id: int, day: int, similarity: float, duplicate: bool) -> DuplicateMatch:
    return DuplicateMatch(item_id, f"R-{item_id}", UNIT, date(2026, 3, day), similarity, duplicate)


def test_duplicate_finding_names_the_first_report():
    [finding] = duplicate_findings([match(2, 14, 0.99, True), match(1, 12, 0.9, True)])
    assert (finding.code, finding.severity, finding.evidence["receipt"]) == ("DUPLICATE", Severity.ERROR, "R-1")


def test_possible_duplicate_finding_is_held_for_review():
    [finding] = duplicate_findings([match(1, 12, 0.5, False)])
    assert (finding.code, finding.severity, finding.evidence["date"]) == ("POSSIBLE_DUPLICATE", Severity.REVIEW, "2026-03-12")


def test_no_match_no_finding():
    assert duplicate_findings([]) == []


def test_config_reads_the_duplicates_section():
    config = DuplicateConfig.from_mapping({"window": 90, "duplicate_threshold": 0.6, "review_threshold": 0.4})
    assert (config.window, config.duplicate_threshold, config.review_threshold) == (90, 0.6, 0.4)


@pytest.mark.parametrize(
    "section",
    [{"window": "year"}, {"window": 0}, {"window": True}, {"review_threshold": 0.9, "duplicate_threshold": 0.5}, {"thresold": 0.5}],
)
def test_config_refuses_bad_values(section):  # noqa: ANN001
    with pytest.raises(ValueError):
        DuplicateConfig.from_mapping(section)


@pytest.mark.parametrize("text", ["", "。，、；！", "审核：李四\n撰稿：张三\n电话：13912345678", "短"])
def test_text_without_content_matches_nothing(text):  # noqa: ANN001
    index = index_with((1, ITEM, UNIT, date(2026, 3, 13)), (2, text, UNIT, date(2026, 3, 13)))
    assert index.find(text, on=ON) == []


def test_very_long_text_is_checked_quickly():
    index = index_with((1, ITEM, UNIT, date(2026, 3, 13)))
    huge = ITEM * 2000  # ~400k characters
    started = time.perf_counter()
    [match] = index.find(huge, unit_names=[UNIT], on=ON)
    assert match.item_id == 1 and time.perf_counter() - started < 5


TRADITIONAL_ITEM = (
    "青山縣自然資源局開展龍山鎮違法用地專項督查\n"
    "3月12日，青山縣自然資源局抽調12名執法人員組成3個督查組，對龍山鎮開展違法用地專項督查。"
    "此次督查採取查閱資料、實地踏勘、走訪群眾相結合的方式，重點檢查亂佔耕地建房、違規佔用永久基本農田等問題。\n"
    "督查共核查圖斑46宗，涉及面積128.5畝，發現疑似違法用地7宗。對發現的問題，督查組現場下達整改通知書7份，明確整改時限和責任人。\n"
    "下一步，青山縣自然資源局將建立問題台賬，實行銷號管理，堅決守住耕地保護紅線。"
)
MEETING = (
    "青山县应急管理局召开{month}月份安全生产工作例会\n"
    "二〇二六年{month}月{day}日，青山县应急管理局召开{month}月份安全生产工作例会，{people}名安全员参加会议。"
    "会议通报了当月安全生产形势，共排查一般隐患{hazards}处，已全部整改到位。"
    "会议强调，要坚持人民至上、生命至上，压紧压实企业主体责任和部门监管责任，坚决防范遏制重特大事故发生。"
)


def test_traditional_characters_are_folded_to_simplified():
    assert normalise(TRADITIONAL_ITEM, [UNIT]) == normalise(ITEM, [UNIT])


def test_traditional_copy_is_a_duplicate():
    index = index_with((1, ITEM, UNIT, date(2026, 3, 13)))
    assert [(m.item_id, m.duplicate) for m in index.find(TRADITIONAL_ITEM, unit_names=[UNIT], on=date(2026, 3, 20))] == [
        (1, True)
    ]


@pytest.mark.parametrize(
    ("numerals", "arabic"),
    [
        ("二〇二六年十一月三日召开", "2026年11月3日召开"),
        ("三十五人参加", "35人参加"),
        ("投入资金三万五千元", "投入资金35000元"),
        ("排查隐患一百零五处", "排查隐患105处"),
        ("十二月二十六日前完成", "12月26日前完成"),
    ],
)
def test_chinese_numerals_in_dates_and_figures_are_read_as_arabic(numerals, arabic):  # noqa: ANN001
    assert normalise(numerals) == normalise(arabic)


@pytest.mark.parametrize("words", ["一是强化组织领导", "统一部署", "十分重视", "千方百计", "万家灯火"])
def test_numerals_that_are_words_stay_words(words):  # noqa: ANN001
    assert normalise(words) == words


def test_chinese_numeral_dates_and_figures_are_facts():
    found = facts(normalise(MEETING.format(month="十一", day="三", people="三十五", hazards="十二")))
    assert (set(found.dates), set(found.figures)) == ({"11月3日", "11月"}, {"35", "12"})


def test_recurring_meeting_dated_in_numerals_is_not_a_duplicate():
    november = MEETING.format(month="十一", day="三", people="三十五", hazards="十二")
    december = MEETING.format(month="十二", day="一", people="四十二", hazards="九")
    index = index_with((1, november, "青山县应急管理局", date(2026, 11, 3)))
    assert not any(m.duplicate for m in index.find(december, unit_names=["青山县应急管理局"], on=date(2026, 12, 1)))


def test_a_side_without_facts_does_not_agree_on_facts():
    stated = normalise("11月3日召开例会，35名安全员参加，排查隐患12处。")
    assert compare_texts(stated, normalise("召开例会，安全员参加，排查隐患。")).facts == 0.0


def test_a_long_summary_quoting_a_short_item_is_not_its_duplicate():
    other_work = (
        "4月2日，青山县自然资源局召开不动产登记业务培训会，全县58名登记人员参加培训，围绕登记流程、权籍调查、档案管理等内容开展系统讲解。\n"
        "4月9日，青山县自然资源局在松林乡组织开展地质灾害应急避险演练，设置监测预警、转移避险、抢险救援等环节，312名群众参加演练。\n"
        "一季度，青山县自然资源局累计办理用地审批手续23件，完成国土空间规划编制村庄规划9个，组织耕地保护宣传活动6场次，发放宣传资料2400份。\n"
        "下一步，青山县自然资源局将围绕全年目标任务，持续加强耕地保护、地灾防治和不动产登记便民服务，推动各项工作提质增效。"
    )
    summary = "青山县自然资源局一季度工作综述\n" + ITEM.split("\n", 1)[1] + "\n" + other_work
    index = index_with((1, ITEM, UNIT, date(2026, 3, 13)))
    assert not any(m.duplicate for m in index.find(summary, unit_names=[UNIT], on=date(2026, 4, 10)))


def test_a_typo_in_a_measure_word_keeps_the_fact():
    short = "青山县自然资源局完成龙山镇土地整治项目验收\n3月12日，龙山镇土地整治项目通过验收，项目总投资17.4亿元，新增耕地面积显著。"
    typo = short.replace("17.4亿元", "17.4亿圆")
    index = index_with((1, short, UNIT, date(2026, 3, 13)))
    assert [(m.item_id, m.duplicate) for m in index.find(typo, unit_names=[UNIT], on=date(2026, 3, 20))] == [(1, True)]


def test_same_day_notice_with_other_figures_is_not_a_duplicate():
    notice = (
        "{unit}召开11月份安全生产例会\n11月3日，{unit}召开11月份安全生产例会，{people}名干部职工参加会议，"
        "会议通报了11月份以来安全生产形势，排查一般隐患{hazards}处，要求各股室于11月30日前完成整改。"
    )
    index = index_with((1, notice.format(unit=UNIT, people=43, hazards=274), UNIT, date(2026, 11, 3)))
    other = notice.format(unit=OTHER_UNIT, people=38, hazards=12)
    assert not any(m.duplicate for m in index.find(other, unit_names=[OTHER_UNIT], on=date(2026, 11, 4)))
