"""VAGUE_WORDING and CLASSIFIED_MARKING on parsed text: the traps and the suggestions."""

from dataclasses import replace

from validators import wording
from validators.findings import Severity


def vague(case):
    return list(wording.vague_wording(case))


def test_jinri_in_body_is_found_with_an_exact_date_suggestion(case_of):
    hits = vague(case_of(body=["近日，奇台县环境保护局开展检查。"]))
    assert [h.params["word"] for h in hits] == ["近日"]
    assert hits[0].params["where"] == "第2段"
    assert "11月20日" in hits[0].params["suggestion"]
    assert (hits[0].location.start, hits[0].location.end) == (0, 2)


def test_zuori_suggests_the_day_before_arrival(case_of):
    hits = vague(case_of(body=["昨日，奇台县环境保护局召开会议。"]))
    assert "11月19日" in hits[0].params["suggestion"]


def test_woju_suggests_the_units_full_name_when_known(case_of):
    hits = vague(case_of(body=["11月18日，我局召开会议。"], unit_name="奇台县环境保护局"))
    assert hits[0].params["word"] == "我局"
    assert "奇台县环境保护局" in hits[0].params["suggestion"]


def test_woxian_suggests_the_county_name(case_of):
    hits = vague(case_of(body=["11月18日，我县召开会议。"], unit_name="奇台县环境保护局"))
    assert "奇台县" in hits[0].params["suggestion"]


def test_word_inside_book_title_is_not_a_finding(case_of):
    assert vague(case_of(body=["11月18日，《今日昌吉》栏目报道了奇台县的做法。"])) == []


def test_word_merely_containing_a_listed_string_is_not_a_finding(case_of):
    assert vague(case_of(body=["11月18日，干部要克服自我局限，提升能力。"])) == []


def test_well_known_proper_nouns_are_allowed(case_of):
    assert vague(case_of(body=["11月18日，今日头条和《今日说法》转载了该信息。", "今日说法栏目组来访。"])) == []


def test_a_comparison_with_the_previous_month_or_week_is_not_a_finding(case_of):
    body = ["12月3日，昌吉州环境监测站通报：11月优良天数比例为86.7%，较上月下降3.3个百分点，PM2.5浓度环比上月上升12.5%。",
            "12月3日，奇台县环境保护局统计，11月第4周受理投诉12件，比上周减少3件，与上个月相比下降20%。"]
    assert vague(case_of(body=body)) == []


def test_inside_a_quoted_speech_it_is_only_a_warning(case_of):
    hits = vague(case_of(body=["11月18日，局长强调：“我局要抓好近期工作。”"]))
    assert {h.params["word"] for h in hits} == {"我局", "近期"}
    assert all(h.severity is Severity.WARNING for h in hits)


def test_each_occurrence_is_one_finding(case_of):
    hits = vague(case_of(body=["近日我局开展检查，近日还将继续。"]))
    assert [h.params["word"] for h in hits] == ["近日", "我局", "近日"]


def test_vague_word_in_title_is_found(case_of):
    hits = vague(case_of(title="我局近日开展专项检查"))
    assert {h.params["word"] for h in hits} == {"我局", "近日"}
    assert hits[0].location.paragraph == 1


def test_allow_list_comes_from_configuration(case_of, org_a):
    rules = replace(org_a.checks, vague=replace(org_a.checks.vague, allow=()))
    assert vague(case_of(body=["11月18日，今日头条转载。"], rules=rules))


def test_classified_marking_is_found_and_quotes_nothing(case_of):
    hits = list(wording.classified_marking(case_of(body=["机密★1年", "11月18日，会议研究了有关事项。"])))
    assert len(hits) == 1
    assert hits[0].evidence == {"where": "第2段"}
    assert "机密" not in str(hits[0].params)


def test_ordinary_text_has_no_classified_marking(case_of):
    assert list(wording.classified_marking(case_of(body=["11月18日，会议强调要严守保密纪律。"]))) == []
