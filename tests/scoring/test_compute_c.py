"""Organisation C (cumulative, monthly volume-and-rate bonus, money rewards)."""

from __future__ import annotations

from datetime import date

from scoring.compute import compute_month, compute_year
from tests.scoring.builders import YEAR, Ledger, row_of, ruleset

C = ruleset("C")


def test_reference_analysis_in_the_internal_edition_accumulates_with_other_outlets() -> None:
    ledger = Ledger()
    unit = ledger.unit("州示例局", "州直重点部门")
    item = ledger.item(unit, date(YEAR, 4, 1), category="参阅")
    ledger.adopt(item, "昌吉信息（内刊）", date(YEAR, 4, 3))  # 40
    ledger.adopt(item, "昌吉信息（普刊）", date(YEAR, 4, 4))  # 10
    ledger.adopt(item, "新疆要情", date(YEAR, 4, 8))  # +10 adopted upward
    assert row_of(compute_month(C, ledger.books(), YEAR, 4), unit).scores["政务"].month == 60


def test_state_council_leader_endorsement_adds_fifty() -> None:
    ledger = Ledger()
    unit = ledger.unit("州示例局", "州直重点部门")
    item = ledger.item(unit, date(YEAR, 4, 1))
    ledger.adopt(item, "昌吉信息（普刊）", date(YEAR, 4, 3))  # 10
    ledger.endorse(item, "国务院", date(YEAR, 4, 9))  # +50
    assert row_of(compute_month(C, ledger.books(), YEAR, 4), unit).scores["政务"].month == 60


def _county_month(submitted: int, adopted: int) -> tuple[Ledger, object]:
    ledger = Ledger()
    county = ledger.unit("示例县", "县市")
    items = ledger.items_for(county, date(YEAR, 6, 5), submitted)
    for item in items[:adopted]:
        ledger.adopt(item, "昌吉信息（普刊）", date(YEAR, 6, 20))
    return ledger, county


def test_county_meeting_volume_and_five_percent_rate_earns_twenty() -> None:
    ledger, county = _county_month(submitted=100, adopted=5)
    row = row_of(compute_month(C, ledger.books(), YEAR, 6), county)
    assert (row.bonus_earned, row.scores["政务"].month) == (True, 5 * 10 + 20)


def test_county_below_five_percent_earns_no_bonus() -> None:
    ledger, county = _county_month(submitted=100, adopted=4)
    row = row_of(compute_month(C, ledger.books(), YEAR, 6), county)
    assert (row.bonus_earned, row.scores["政务"].month) == (False, 40)


def test_county_below_the_monthly_minimum_earns_no_bonus_whatever_the_rate() -> None:
    ledger, county = _county_month(submitted=99, adopted=20)
    assert row_of(compute_month(C, ledger.books(), YEAR, 6), county).bonus_earned is False


def test_park_needs_ten_percent() -> None:
    ledger = Ledger()
    park = ledger.unit("示例园区", "园区")
    items = ledger.items_for(park, date(YEAR, 6, 5), 30)
    for item in items[:3]:
        ledger.adopt(item, "昌吉信息（普刊）", date(YEAR, 6, 20))
    assert row_of(compute_month(C, ledger.books(), YEAR, 6), park).bonus_earned is True


def test_annual_reward_list_names_top_units_and_adds_up_adoption_money() -> None:
    ledger = Ledger()
    counties = [ledger.unit(f"示例县{n}", "县市") for n in "甲乙丙丁"]
    park = ledger.unit("示例园区", "园区")
    for points, county in zip((4, 3, 2, 1), counties, strict=True):
        for item in ledger.items_for(county, date(YEAR, 3, 1), points):
            ledger.adopt(item, "昌吉信息（普刊）", date(YEAR, 3, 9))
    climbing = ledger.item(park, date(YEAR, 5, 1))
    ledger.adopt(climbing, "昌吉信息（内刊）", date(YEAR, 5, 3))
    ledger.adopt(climbing, "新疆要情", date(YEAR, 5, 10))  # 500 yuan
    ledger.adopt(climbing, "国务院政务信息刊物", date(YEAR, 6, 1))  # +1000 yuan
    report = compute_year(C, ledger.books(), YEAR)
    assert [(r.unit.name, r.reason, r.yuan) for r in report.rewards] == [
        ("示例县甲", "县市第1名", 2000),
        ("示例县乙", "县市第2名", 2000),
        ("示例县丙", "县市第3名", 2000),
        ("示例园区", "园区第1名", 2000),
        ("示例园区", "信息被上级刊物采用 2 篇次", 1500),
    ]
    assert report.reward_total == 9500
