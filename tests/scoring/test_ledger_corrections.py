"""Correcting and deleting entries on the books: a reason is required, the log keeps what it was, the 通报 follows."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from baosong.db import transaction
from baosong.models import Adjustment, AuditEntry, Item, Unit
from scoring.compute import compute_month
from scoring.data import load_books
from scoring.ledger import (
    LedgerError,
    NeedsConfirmation,
    correct_entry,
    delete_entry,
    record_adjustment,
    record_adoption,
    record_commission,
    record_endorsement,
)
from tests.scoring.builders import ruleset
from tests.scoring.conftest import utc

A = ruleset("A")


@pytest.fixture
def county(add_unit) -> int:  # noqa: ANN001
    return add_unit("奇台县环境保护局", "县市环保局")


@pytest.fixture
def adopted(sessions, county, add_item) -> int:  # noqa: ANN001
    """An item adopted by the prefecture publication (15 points in March)."""
    item_id = add_item(county, utc(2026, 3, 2))
    with transaction(sessions) as session:
        return record_adoption(session, A, session.get(Item, item_id), "州党委政府信息刊物", date(2026, 3, 5)).id


def _march_points(sessions, county: int) -> float:  # noqa: ANN001
    with sessions() as session:
        report = compute_month(A, load_books(session, A, 2026), 2026, 3)
    return next(row for row in report.units if row.unit.id == county).scores["政务"].month


def test_deleting_an_adoption_takes_its_points_out_of_the_month(sessions, county, adopted):
    before = _march_points(sessions, county)
    with transaction(sessions) as session:
        delete_entry(session, "adoption", adopted, reason="登记错了条目", actor="wang")
    assert before == 15 and _march_points(sessions, county) == 0


def test_a_deletion_is_audited_with_what_the_entry_was(sessions, adopted):
    with transaction(sessions) as session:
        delete_entry(session, "adoption", adopted, reason="登记错了条目", actor="wang")
    with sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "delete_adoption")).one()
        assert entry.reason == "登记错了条目" and entry.details["before"]["outlet"] == "州党委政府信息刊物"


def test_correcting_an_adoption_changes_its_points(sessions, county, adopted):
    with transaction(sessions) as session:
        correct_entry(session, A, "adoption", adopted, {"outlet": "州局微信平台"}, reason="刊物登记错误", actor="wang")
    assert _march_points(sessions, county) == 5


def test_a_correction_is_audited_with_before_and_after(sessions, adopted):
    with transaction(sessions) as session:
        correct_entry(session, A, "adoption", adopted, {"adopted_on": date(2026, 3, 9)}, reason="日期录错", actor="wang")
    with sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "correct_adoption")).one()
        assert entry.details["changed"] == {"adopted_on": ["2026-03-05", "2026-03-09"]}


def test_a_correction_needs_a_reason(sessions, adopted):
    with transaction(sessions) as session, pytest.raises(LedgerError, match="须写明理由"):
        correct_entry(session, A, "adoption", adopted, {"adopted_on": date(2026, 3, 9)}, reason=" ")


def test_a_correction_dating_an_adoption_before_its_item_is_refused(sessions, adopted):
    with transaction(sessions) as session, pytest.raises(LedgerError, match="早于信息"):
        correct_entry(session, A, "adoption", adopted, {"adopted_on": date(2026, 2, 1)}, reason="日期")


def test_an_endorsement_can_be_deleted(sessions, county, add_item):  # noqa: ANN001
    item_id = add_item(county, utc(2026, 3, 2))
    with transaction(sessions) as session:
        endorsement = record_endorsement(session, A, session.get(Item, item_id), "州", date(2026, 3, 6))
        delete_entry(session, "endorsement", endorsement.id, reason="批示登记重复")
    with sessions() as session:
        assert session.scalars(select(AuditEntry.action).where(AuditEntry.action == "delete_endorsement")).one()


def test_correcting_an_adjustment_changes_the_month(sessions, county):
    with transaction(sessions) as session:
        unit = session.get(Unit, county)
        adjustment = record_adjustment(session, A, unit, dated_on=date(2026, 3, 10), reason="迟报", points=-30)
    before = _march_points(sessions, county)
    with transaction(sessions) as session:
        correct_entry(session, A, "adjustment", adjustment.id, {"points": -10.0}, reason="分值按新规定", actor="wang")
    assert (before, _march_points(sessions, county)) == (-30, -10)


def test_a_commission_can_be_corrected(sessions, county):
    with transaction(sessions) as session:
        commission = record_commission(session, session.get(Unit, county), "秋季大气污染防治", date(2026, 3, 20))
        correct_entry(session, A, "commission", commission.id, {"due_on": date(2026, 3, 25)}, reason="延期")
    with sessions() as session:
        assert session.scalars(select(AuditEntry.reason).where(AuditEntry.action == "correct_commission")).one() == "延期"


def test_the_same_adjustment_twice_on_one_day_asks_for_confirmation(sessions, county):
    with transaction(sessions) as session:
        record_adjustment(session, A, session.get(Unit, county), dated_on=date(2026, 3, 10), reason="迟报", points=-30)
    with transaction(sessions) as session, pytest.raises(NeedsConfirmation, match="已给奇台县环境保护局登记过一笔相同的加减分"):
        record_adjustment(session, A, session.get(Unit, county), dated_on=date(2026, 3, 10), reason="迟报", points=-30)


def test_a_confirmed_second_adjustment_is_recorded(sessions, county):
    for _ in range(2):
        with transaction(sessions) as session:
            record_adjustment(session, A, session.get(Unit, county), dated_on=date(2026, 3, 10), reason="迟报",
                              points=-30, confirmed=True)
    with sessions() as session:
        assert len(session.scalars(select(Adjustment)).all()) == 2


def test_an_unknown_entry_is_refused_in_chinese(sessions):
    with transaction(sessions) as session, pytest.raises(LedgerError, match="找不到编号为 99 的采用记录"):
        delete_entry(session, "adoption", 99, reason="误登")


def test_a_rejected_item_is_named_by_its_state_in_chinese(sessions, county, add_item):  # noqa: ANN001
    item_id = add_item(county, utc(2026, 3, 2), verdict="rejected")
    with transaction(sessions) as session, pytest.raises(LedgerError, match="当前状态：已退回"):
        record_adoption(session, A, session.get(Item, item_id), "州局微信平台", date(2026, 3, 5))
