"""Organisation A (highest outlet only, proof deadline the 25th), with hand-computed expectations."""

from __future__ import annotations

from datetime import date

from scoring.compute import CommissionRecord, compute_month, compute_year, proof_deadline
from tests.scoring.builders import YEAR, Ledger, row_of, ruleset

A = ruleset("A")


def _section() -> tuple[Ledger, object]:
    ledger = Ledger()
    return ledger, ledger.unit("昌吉州生态环境局法规科", "局机关科室")


def test_item_used_by_several_outlets_scores_at_the_highest_only() -> None:
    ledger, unit = _section()
    item = ledger.item(unit, date(YEAR, 3, 2))
    ledger.adopt(item, "州局微信平台", date(YEAR, 3, 5))  # 5
    ledger.adopt(item, "州党委政府信息刊物", date(YEAR, 3, 9))  # 15
    row = row_of(compute_month(A, ledger.books(), YEAR, 3), unit)
    assert row.scores["政务"].month == 15


def test_wechat_item_also_in_a_briefing_gets_five_more() -> None:
    ledger, unit = _section()
    item = ledger.item(unit, date(YEAR, 3, 2))
    ledger.adopt(item, "州局微信平台", date(YEAR, 3, 5))
    ledger.adopt(item, "州局工作简报", date(YEAR, 3, 6))
    assert row_of(compute_month(A, ledger.books(), YEAR, 3), unit).scores["政务"].month == 10


def test_wechat_item_also_on_the_regional_website_gets_fifteen_more() -> None:
    ledger, unit = _section()
    item = ledger.item(unit, date(YEAR, 3, 2))
    ledger.adopt(item, "州局微信平台", date(YEAR, 3, 5))
    ledger.adopt(item, "自治区生态环境厅网站", date(YEAR, 3, 6))  # 10 alone; 5 + 15 = 20 as a bureau item
    assert row_of(compute_month(A, ledger.books(), YEAR, 3), unit).scores["政务"].month == 20


def test_prefecture_leader_endorsement_adds_fifteen_to_the_adoption() -> None:
    ledger, unit = _section()
    item = ledger.item(unit, date(YEAR, 3, 2))
    ledger.adopt(item, "州党委政府信息刊物", date(YEAR, 3, 5))
    ledger.endorse(item, "州", date(YEAR, 3, 8))
    assert row_of(compute_month(A, ledger.books(), YEAR, 3), unit).scores["政务"].month == 30


def test_news_points_are_kept_apart_from_government_points() -> None:
    ledger, unit = _section()
    item = ledger.item(unit, date(YEAR, 3, 2))
    ledger.adopt(item, "州党委政府信息刊物", date(YEAR, 3, 5))
    ledger.adopt(item, "昌吉日报", date(YEAR, 3, 6))
    scores = row_of(compute_month(A, ledger.books(), YEAR, 3), unit).scores
    assert (scores["政务"].month, scores["新闻"].month) == (15, 20)


def test_later_better_adoption_adds_only_the_difference_in_its_month() -> None:
    ledger, unit = _section()
    item = ledger.item(unit, date(YEAR, 1, 10))
    ledger.adopt(item, "州局微信平台", date(YEAR, 1, 12))  # January: 5
    ledger.adopt(item, "自治区生态环境厅政务信息刊物", date(YEAR, 2, 3))  # best is now 20
    february = row_of(compute_month(A, ledger.books(), YEAR, 2), unit).scores["政务"]
    assert (february.month, february.year_to_date) == (15, 20)


def test_proof_after_the_25th_does_not_count() -> None:
    ledger, unit = _section()
    item = ledger.item(unit, date(YEAR, 3, 2))
    ledger.adopt(item, "州党委政府信息刊物", date(YEAR, 3, 10), proof_on=date(YEAR, 3, 26))
    row = row_of(compute_month(A, ledger.books(), YEAR, 3), unit)
    assert (row.scores["政务"].month, row.adopted, dict(row.outlet_counts)) == (0, 0, {})


def test_proof_on_the_25th_counts() -> None:
    ledger, unit = _section()
    item = ledger.item(unit, date(YEAR, 3, 2))
    ledger.adopt(item, "州党委政府信息刊物", date(YEAR, 3, 10), proof_on=date(YEAR, 3, 25))
    assert row_of(compute_month(A, ledger.books(), YEAR, 3), unit).scores["政务"].month == 15


def test_publication_after_the_25th_has_until_next_months_25th() -> None:
    assert proof_deadline(date(YEAR, 3, 28), 25) == date(YEAR, 4, 25)
    assert proof_deadline(date(YEAR, 12, 26), 25) == date(YEAR + 1, 1, 25)


def test_gap_to_target_uses_the_publicity_section_override() -> None:
    ledger = Ledger()
    publicity = ledger.unit("昌吉州生态环境局宣教科（组织人事科）", "局机关科室")
    item = ledger.item(publicity, date(YEAR, 3, 2))
    ledger.adopt(item, "生态环境部政务信息刊物", date(YEAR, 3, 5))  # 30
    score = row_of(compute_month(A, ledger.books(), YEAR, 3), publicity).scores["政务"]
    assert (score.year_to_date, score.target, score.gap) == (30, 200, 170)


def test_commissioned_piece_delivered_late_costs_thirty() -> None:
    ledger, unit = _section()
    ledger.commissions.append(CommissionRecord(unit_id=unit.id, due_on=date(YEAR, 4, 10), delivered_on=date(YEAR, 4, 12)))
    assert row_of(compute_month(A, ledger.books(), YEAR, 4), unit).scores["政务"].month == -30


def test_monthly_minimum_shortfall_is_reported_without_points() -> None:
    ledger = Ledger()
    county = ledger.unit("奇台县环境保护局", "县市环保局")
    ledger.items_for(county, date(YEAR, 5, 3), 6)
    row = row_of(compute_month(A, ledger.books(), YEAR, 5), county)
    monthly = next(q for q in row.quotas if q.quota.label == "每月报送政务信息")
    assert (monthly.actual, monthly.required, monthly.missing, monthly.deduction) == (6, 8, 2, 0)


def test_units_are_ranked_within_their_class_by_year_to_date_points() -> None:
    ledger = Ledger()
    first = ledger.unit("昌吉市环境保护局", "县市环保局")
    second = ledger.unit("阜康市环境保护局", "县市环保局")
    park = ledger.unit("准东经济技术开发区环境保护局", "园区环保局")
    ledger.adopt(ledger.item(first, date(YEAR, 2, 1)), "生态环境部政务信息刊物", date(YEAR, 2, 5))
    ledger.adopt(ledger.item(second, date(YEAR, 2, 1)), "州局微信平台", date(YEAR, 2, 5))
    report = compute_month(A, ledger.books(), YEAR, 2)
    assert [(r.unit.name, r.rank) for r in report.units] == [
        ("昌吉市环境保护局", 1),
        ("阜康市环境保护局", 2),
        ("准东经济技术开发区环境保护局", 1),
    ]
    assert report.silent_units()[0].unit == park


def test_year_report_has_no_money_rewards_under_a() -> None:
    ledger, unit = _section()
    ledger.adopt(ledger.item(unit, date(YEAR, 2, 1)), "生态环境部政务信息刊物", date(YEAR, 2, 5))
    assert compute_year(A, ledger.books(), YEAR).rewards == ()
