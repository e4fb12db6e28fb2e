"""Loading the books from the database: dates in the organisation's time zone, the year's rows only."""

from __future__ import annotations

from datetime import date

from baosong.db import transaction
from baosong.models import Item
from scoring.compute import compute_month, compute_year
from scoring.data import load_books
from scoring.ledger import record_adoption
from tests.scoring.builders import ruleset
from tests.scoring.conftest import utc

A = ruleset("A")


def test_item_accepted_late_on_the_last_utc_day_counts_in_the_next_beijing_month(sessions, add_unit, add_item) -> None:  # noqa: ANN001
    unit = add_unit("昌吉州生态环境局法规科", "局机关科室")
    add_item(unit, utc(2026, 1, 31, hour=20))  # 04:00 on 1 February in Beijing
    with sessions() as session:
        books = load_books(session, A, 2026)
    assert [item.on for item in books.items] == [date(2026, 2, 1)]


def test_units_take_their_class_from_the_registry_category(sessions, add_unit) -> None:  # noqa: ANN001
    add_unit("昌吉州环境监测站", "直属单位")
    with sessions() as session:
        assert load_books(session, A, 2026).units[0].class_name == "直属单位"


def test_ignored_mail_and_other_years_are_left_out(sessions, add_unit, add_item) -> None:  # noqa: ANN001
    unit = add_unit("昌吉州生态环境局法规科", "局机关科室")
    add_item(unit, utc(2026, 3, 1), verdict="ignored")
    add_item(unit, utc(2025, 6, 1))
    kept = add_item(unit, utc(2026, 3, 1), verdict="review")
    with sessions() as session:
        assert [item.id for item in load_books(session, A, 2026).items] == [kept]


def test_last_years_item_adopted_this_year_scores_this_year(sessions, add_unit, add_item) -> None:  # noqa: ANN001
    unit = add_unit("昌吉州生态环境局法规科", "局机关科室")
    item_id = add_item(unit, utc(2025, 12, 28))
    with transaction(sessions) as session:
        record_adoption(session, A, session.get(Item, item_id), "州党委政府信息刊物", date(2026, 1, 6))
    with sessions() as session:
        books = load_books(session, A, 2026)
    row = compute_month(A, books, 2026, 1).units[0]
    assert (row.submitted, row.scores["政务"].month) == (0, 15)


B = ruleset("B")  # "每季度须达到全年任务量的四分之一，未达到的报送信息每条扣10分、采用信息每条扣20分"


def test_without_a_start_date_no_quarter_before_the_first_item_is_charged(sessions, add_unit, add_item) -> None:  # noqa: ANN001
    unit = add_unit("发改委", "一类信息网点")
    add_item(unit, utc(2026, 3, 10))  # the office's first item: its books begin in the first quarter
    with sessions() as session:
        year = compute_year(B, load_books(session, B, 2026), 2026, as_of=date(2026, 12, 4))

    assert sorted({status.period for status in year.units[0].shortfalls}) == ["2026年第2季度", "2026年第3季度"]


def test_books_with_no_item_yet_charge_no_quarter(sessions, add_unit) -> None:  # noqa: ANN001
    add_unit("发改委", "一类信息网点")
    with sessions() as session:
        year = compute_year(B, load_books(session, B, 2026), 2026, as_of=date(2026, 12, 4))

    assert year.units[0].shortfalls == () and year.units[0].total >= 0
