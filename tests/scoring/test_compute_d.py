"""Organisation D (counts per section, best outlet only, two items a month)."""

from __future__ import annotations

from datetime import date

from scoring.compute import AdjustmentRecord, compute_month, compute_year
from tests.scoring.builders import YEAR, Ledger, row_of, ruleset

D = ruleset("D")


def _section() -> tuple[Ledger, object]:
    ledger = Ledger()
    return ledger, ledger.unit("县自然资源局耕地保护股", "股室")


def test_item_on_county_website_and_regional_media_scores_the_regional_three_only() -> None:
    ledger, unit = _section()
    item = ledger.item(unit, date(YEAR, 7, 1))
    ledger.adopt(item, "县人民政府网站", date(YEAR, 7, 2))
    ledger.adopt(item, "自治区级刊物和媒体", date(YEAR, 7, 9))
    row = row_of(compute_month(D, ledger.books(), YEAR, 7), unit)
    assert (row.scores["政务"].month, row.adopted, sum(row.outlet_counts.values())) == (3, 1, 2)


def test_county_leader_endorsement_adds_two() -> None:
    ledger, unit = _section()
    item = ledger.item(unit, date(YEAR, 7, 1))
    ledger.adopt(item, "县人民政府网站", date(YEAR, 7, 2))
    ledger.endorse(item, "县", date(YEAR, 7, 3))
    assert row_of(compute_month(D, ledger.books(), YEAR, 7), unit).scores["政务"].month == 3


def test_section_with_one_item_is_one_short_of_the_monthly_two() -> None:
    ledger, unit = _section()
    ledger.item(unit, date(YEAR, 7, 1))
    quota = row_of(compute_month(D, ledger.books(), YEAR, 7), unit).quotas[0]
    assert (quota.actual, quota.required, quota.missing) == (1, 2, 1)


def test_rejected_item_is_not_counted_as_submitted() -> None:
    ledger, unit = _section()
    ledger.item(unit, date(YEAR, 7, 1), accepted=False)
    row = row_of(compute_month(D, ledger.books(), YEAR, 7), unit)
    assert (row.received, row.submitted) == (1, 0)


def test_percentage_deduction_applies_to_the_year_total() -> None:
    ledger, unit = _section()
    for item in ledger.items_for(unit, date(YEAR, 3, 1), 4):
        ledger.adopt(item, "银川市级刊物和媒体", date(YEAR, 3, 5))  # 8
    ledger.adjustments.append(
        AdjustmentRecord(unit_id=unit.id, on=date(YEAR, 12, 20), group=None, points=None, percent=-50, reason="信息失实")
    )
    assert compute_year(D, ledger.books(), YEAR).units[0].total == 4
