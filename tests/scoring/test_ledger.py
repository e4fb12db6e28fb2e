"""Recording the books: each entry is checked, stored and audited; refusals say why in Chinese."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, select

from baosong.db import transaction
from baosong.models import Adjustment, Adoption, AuditEntry, Commission, Item
from scoring.ledger import (
    LedgerError,
    deliver_commission,
    find_item,
    find_unit,
    record_adjustment,
    record_adoption,
    record_commission,
    record_endorsement,
)
from tests.scoring.builders import ruleset
from tests.scoring.conftest import utc

A = ruleset("A")
B = ruleset("B")


@pytest.fixture
def section(add_unit) -> int:  # noqa: ANN001
    return add_unit("昌吉州生态环境局法规科", "局机关科室", ("州局法规科",))


def test_adoption_is_stored_under_the_canonical_outlet_name_and_audited(sessions, section, add_item) -> None:  # noqa: ANN001
    item_id = add_item(section, utc(2026, 3, 2))
    with transaction(sessions) as session:
        record_adoption(session, A, session.get(Item, item_id), "昌吉日报", date(2026, 3, 5), actor="wang")
    with sessions() as session:
        adoption = session.scalar(select(Adoption))
        audit = session.scalar(select(AuditEntry).where(AuditEntry.action == "adopt"))
        assert (adoption.outlet, adoption.category) == ("州级新闻媒体", "动态")
        assert (audit.actor, audit.item_id, audit.details["outlet"]) == ("wang", item_id, "州级新闻媒体")


def test_unknown_outlet_is_refused_with_the_choices(sessions, section, add_item) -> None:  # noqa: ANN001
    item_id = add_item(section, utc(2026, 3, 2))
    with transaction(sessions) as session, pytest.raises(LedgerError, match="可选：生态环境部政务信息刊物"):
        record_adoption(session, A, session.get(Item, item_id), "人民日报海外版", date(2026, 3, 5))


def test_rejected_item_cannot_be_adopted(sessions, section, add_item) -> None:  # noqa: ANN001
    item_id = add_item(section, utc(2026, 3, 2), verdict="rejected")
    with transaction(sessions) as session, pytest.raises(LedgerError, match="未被接收"):
        record_adoption(session, A, session.get(Item, item_id), "州局微信平台", date(2026, 3, 5))


def test_same_outlet_twice_is_refused(sessions, section, add_item) -> None:  # noqa: ANN001
    item_id = add_item(section, utc(2026, 3, 2))
    with transaction(sessions) as session:
        record_adoption(session, A, session.get(Item, item_id), "州局微信平台", date(2026, 3, 5))
    with transaction(sessions) as session, pytest.raises(LedgerError, match="已登记过"):
        record_adoption(session, A, session.get(Item, item_id), "微信平台", date(2026, 3, 6))


def test_same_adoption_recorded_by_two_clerks_at_once_is_refused_with_a_message(sessions, engine, section, add_item) -> None:  # noqa: ANN001
    item_id = add_item(section, utc(2026, 3, 2))
    first, second = sessions(), sessions()
    record_adoption(first, A, first.get(Item, item_id), "州局微信平台", date(2026, 3, 5))  # flushed, not yet committed

    def first_commits_just_before_the_second_insert(conn, cursor, statement, *args) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith("INSERT INTO ADOPTIONS") and first.in_transaction():
            first.commit()

    event.listen(engine, "before_cursor_execute", first_commits_just_before_the_second_insert)
    with pytest.raises(LedgerError, match="刚刚已登记过"):
        record_adoption(second, A, second.get(Item, item_id), "州局微信平台", date(2026, 3, 5))
    event.remove(engine, "before_cursor_execute", first_commits_just_before_the_second_insert)
    first.close(), second.close()

    with sessions() as session:
        assert len(session.scalars(select(Adoption)).all()) == 1


def test_proof_dated_before_publication_is_refused(sessions, section, add_item) -> None:  # noqa: ANN001
    item_id = add_item(section, utc(2026, 3, 2))
    with transaction(sessions) as session, pytest.raises(LedgerError, match="早于采用日期"):
        record_adoption(
            session, A, session.get(Item, item_id), "州局微信平台", date(2026, 3, 5), proof_received_on=date(2026, 3, 1)
        )


def test_adoption_dated_before_the_item_arrived_is_refused(sessions, section, add_item) -> None:  # noqa: ANN001
    item_id = add_item(section, utc(2026, 3, 2))  # 10:00 in Asia/Shanghai: the item arrived on 2 March
    with transaction(sessions) as session, pytest.raises(LedgerError, match=r"采用日期（2026-03-01）早于信息 T-\d+ 的收到日期（2026-03-02）"):
        record_adoption(session, A, session.get(Item, item_id), "州局微信平台", date(2026, 3, 1))


def test_endorsement_dated_before_the_item_arrived_is_refused(sessions, section, add_item) -> None:  # noqa: ANN001
    item_id = add_item(section, utc(2026, 3, 1, hour=17))  # 01:00 on 2 March in Asia/Shanghai
    with transaction(sessions) as session, pytest.raises(LedgerError, match="批示日期（2026-03-01）早于"):
        record_endorsement(session, A, session.get(Item, item_id), "州", date(2026, 3, 1))


def test_endorsement_at_unknown_level_is_refused(sessions, section, add_item) -> None:  # noqa: ANN001
    item_id = add_item(section, utc(2026, 3, 2))
    with transaction(sessions) as session, pytest.raises(LedgerError, match="批示级别"):
        record_endorsement(session, A, session.get(Item, item_id), "乡镇", date(2026, 3, 5))


def test_endorsement_is_found_by_its_label_and_audited(sessions, section, add_item) -> None:  # noqa: ANN001
    item_id = add_item(section, utc(2026, 3, 2))
    with transaction(sessions) as session:
        endorsement = record_endorsement(session, A, session.get(Item, item_id), "州领导批示", date(2026, 3, 5), leader="李某")
        assert endorsement.level == "州"
    with sessions() as session:
        assert session.scalar(select(AuditEntry.details).where(AuditEntry.action == "endorse"))["leader"] == "李某"


def test_item_is_found_by_receipt_number(sessions, section, add_item) -> None:  # noqa: ANN001
    item_id = add_item(section, utc(2026, 3, 2))
    with sessions() as session:
        receipt = session.get(Item, item_id).receipt
        assert find_item(session, receipt).id == item_id


def test_unit_is_found_by_alias(sessions, section) -> None:  # noqa: ANN001
    with sessions() as session:
        assert find_unit(session, "州局法规科").id == section


def test_unknown_unit_is_refused(sessions, section) -> None:  # noqa: ANN001
    with sessions() as session, pytest.raises(LedgerError, match="单位名录中没有"):
        find_unit(session, "州局不存在科")


def test_adjustment_kind_supplies_its_percentage(sessions, add_unit) -> None:  # noqa: ANN001
    unit_id = add_unit("区示例局", "一类信息网点")
    with transaction(sessions) as session:
        unit = find_unit(session, "区示例局")
        record_adjustment(session, B, unit, dated_on=date(2026, 6, 1), reason="", kind="未按考评办法实施或工作失误造成不良影响")
    with sessions() as session:
        row = session.scalar(select(Adjustment))
        assert (row.unit_id, row.percent, row.points, row.reason) == (unit_id, -20, None, "未按考评办法实施或工作失误造成不良影响")


def test_adjustment_without_points_or_percent_is_refused(sessions, section) -> None:  # noqa: ANN001
    with transaction(sessions) as session, pytest.raises(LedgerError, match="二者选一"):
        record_adjustment(session, A, find_unit(session, "州局法规科"), dated_on=date(2026, 6, 1), reason="扣分")


def test_adjustment_without_reason_is_refused(sessions, section) -> None:  # noqa: ANN001
    with transaction(sessions) as session, pytest.raises(LedgerError, match="原因"):
        record_adjustment(session, A, find_unit(session, "州局法规科"), dated_on=date(2026, 6, 1), reason=" ", points=-30)


def test_commission_is_delivered_by_an_item_of_the_same_unit(sessions, section, add_item) -> None:  # noqa: ANN001
    item_id = add_item(section, utc(2026, 3, 2))
    with transaction(sessions) as session:
        commission = record_commission(session, find_unit(session, "州局法规科"), "大气污染防治进展", date(2026, 3, 10))
        deliver_commission(session, commission.id, session.get(Item, item_id), date(2026, 3, 9))
    with sessions() as session:
        stored = session.scalar(select(Commission))
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert (stored.item_id, stored.delivered_on) == (item_id, date(2026, 3, 9))
        assert actions == ["commission", "commission_delivered"]


def test_commission_cannot_be_delivered_by_another_units_item(sessions, section, add_unit, add_item) -> None:  # noqa: ANN001
    other = add_unit("昌吉州生态环境局生态科", "局机关科室")
    item_id = add_item(other, utc(2026, 3, 2))
    with transaction(sessions) as session:
        commission = record_commission(session, find_unit(session, "州局法规科"), "题目", date(2026, 3, 10))
        with pytest.raises(LedgerError, match="不是约稿单位"):
            deliver_commission(session, commission.id, session.get(Item, item_id), date(2026, 3, 9))
