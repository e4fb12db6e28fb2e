"""Organisation B (level-by-level accumulation, quarterly quotas, −20 % of the year's total)."""

from __future__ import annotations

from datetime import date

from scoring.compute import AdjustmentRecord, CommissionRecord, compute_month
from tests.scoring.builders import YEAR, Ledger, row_of, ruleset

B = ruleset("B")


def _office(class_name: str = "一类信息网点") -> tuple[Ledger, object]:
    ledger = Ledger()
    return ledger, ledger.unit("区示例局", class_name)


def test_points_accumulate_level_by_level() -> None:
    ledger, unit = _office()
    item = ledger.item(unit, date(YEAR, 2, 3))  # reported 10
    ledger.adopt(item, "区政府刊物", date(YEAR, 2, 5))  # +10
    ledger.adopt(item, "市政府刊物", date(YEAR, 2, 9))  # +20
    assert row_of(compute_month(B, ledger.books(), YEAR, 2), unit).scores["政务"].month == 40


def test_special_report_scores_its_own_points() -> None:
    ledger, unit = _office()
    item = ledger.item(unit, date(YEAR, 2, 3), category="专报")  # 10 + 20
    ledger.adopt(item, "市政府刊物", date(YEAR, 2, 9))  # 专报 by the city: +40
    assert row_of(compute_month(B, ledger.books(), YEAR, 2), unit).scores["政务"].month == 70


def test_regional_leader_endorsement_adds_two_hundred() -> None:
    ledger, unit = _office()
    item = ledger.item(unit, date(YEAR, 2, 3))  # 10
    ledger.adopt(item, "自治区政府刊物", date(YEAR, 2, 9))  # +30
    ledger.endorse(item, "自治区", date(YEAR, 2, 20))  # +200
    assert row_of(compute_month(B, ledger.books(), YEAR, 2), unit).scores["政务"].month == 240


def test_percentage_deduction_takes_a_fifth_of_the_years_total() -> None:
    ledger, unit = _office()
    for month in (1, 2):
        ledger.items_for(unit, date(YEAR, month, 10), 5)  # 50 points a month
    ledger.adjustments.append(
        AdjustmentRecord(unit_id=unit.id, on=date(YEAR, 2, 15), group=None, points=None, percent=-20, reason="未按要求实施")
    )
    score = row_of(compute_month(B, ledger.books(), YEAR, 2), unit).scores["政务"]
    assert (score.month, score.year_to_date) == (50, 80)


def test_percentage_deduction_does_not_reach_back_before_its_date() -> None:
    ledger, unit = _office()
    ledger.items_for(unit, date(YEAR, 1, 10), 5)
    ledger.adjustments.append(
        AdjustmentRecord(unit_id=unit.id, on=date(YEAR, 2, 15), group=None, points=None, percent=-20, reason="未按要求实施")
    )
    assert row_of(compute_month(B, ledger.books(), YEAR, 1), unit).scores["政务"].year_to_date == 50


def test_quarterly_shortfall_costs_ten_per_item_and_twenty_per_adoption() -> None:
    ledger, unit = _office("四类信息网点")  # a quarter needs 15 submitted, 4 adopted (15/4 rounded up)
    items = ledger.items_for(unit, date(YEAR, 3, 2), 10)  # 100 points
    for item in items[:2]:
        ledger.adopt(item, "区政府刊物", date(YEAR, 3, 20))  # +20
    march = row_of(compute_month(B, ledger.books(), YEAR, 3), unit)
    # 5 items missing × −10, 2 adoptions missing × −20
    assert march.scores["政务"].month == 100 + 20 - 50 - 40
    quarter = [q for q in march.quotas if q.quota.period == "quarter"]
    assert [(q.missing, q.deduction) for q in quarter] == [(5, -50), (2, -40)]


def test_quarter_not_yet_over_costs_nothing() -> None:
    ledger, unit = _office("四类信息网点")
    ledger.items_for(unit, date(YEAR, 2, 2), 3)
    february = row_of(compute_month(B, ledger.books(), YEAR, 2), unit)
    assert february.scores["政务"].month == 30
    assert all(q.deduction == 0 for q in february.quotas)


def test_commissioned_piece_on_time_adds_thirty_and_a_missing_one_costs_thirty() -> None:
    ledger, unit = _office()
    ledger.commissions += [
        CommissionRecord(unit_id=unit.id, due_on=date(YEAR, 5, 10), delivered_on=date(YEAR, 5, 9)),
        CommissionRecord(unit_id=unit.id, due_on=date(YEAR, 5, 20), delivered_on=None),
    ]
    assert row_of(compute_month(B, ledger.books(), YEAR, 5), unit).scores["政务"].month == 0


def test_b_has_no_point_targets_so_no_gap() -> None:
    ledger, unit = _office()
    assert row_of(compute_month(B, ledger.books(), YEAR, 1), unit).scores["政务"].gap is None
