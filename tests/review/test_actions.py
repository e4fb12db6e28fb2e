"""The clerk actions as service functions (the console and the CLI call exactly these)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from baosong.db import transaction
from baosong.models import Adoption, AuditEntry, DuplicateEntry, Item, OutboxMessage, RawMessage
from baosong import actions
from review.queries import accepted_this_month, queue_size
from tests.review.samples import NOW, PREFIX, vague_item


def audit_actions(sessions, item_id):
    with sessions() as session:
        return [(e.actor, e.action, e.reason) for e in session.scalars(select(AuditEntry).where(AuditEntry.item_id == item_id))]


def test_accept_sets_verdict_receipt_and_time(sessions, item_id):
    with transaction(sessions) as session:
        actions.accept(session, item_id, "wang", "已电话核实日期", receipt_prefix=PREFIX)
    with sessions() as session:
        item = session.get(Item, item_id)
        assert (item.verdict, item.original_verdict) == ("accepted", "rejected")
        assert item.receipt.startswith(f"{PREFIX}-") and item.receipt.endswith("-00001")
        assert item.accepted_at is not None


def test_accept_is_audited_with_actor_and_reason(sessions, item_id):
    with transaction(sessions) as session:
        actions.accept(session, item_id, "wang", "已电话核实日期", receipt_prefix=PREFIX)
    assert audit_actions(sessions, item_id) == [("wang", "accept", "已电话核实日期")]


def test_accepted_item_counts_for_its_unit_and_leaves_the_queue(sessions, item_id, units):
    with transaction(sessions) as session:
        actions.accept(session, item_id, "wang", "核实无误", receipt_prefix=PREFIX)
    with sessions() as session:
        assert accepted_this_month(session, NOW)[units["昌吉市环境保护局"]] == 1
        assert queue_size(session, is_admin=True) == 0


def test_accept_without_reason_is_refused(sessions, item_id):
    with pytest.raises(actions.ActionError, match="理由"), transaction(sessions) as session:
        actions.accept(session, item_id, "wang", "  ", receipt_prefix=PREFIX)


def test_accept_without_unit_is_refused(sessions, settings):
    with transaction(sessions) as session:
        orphan = vague_item(settings, session, unit_id=None).id
    with pytest.raises(actions.ActionError, match="单位"), transaction(sessions) as session:
        actions.accept(session, orphan, "wang", "核实无误", receipt_prefix=PREFIX)


def test_accept_keeps_an_existing_receipt(sessions, item_id):
    with transaction(sessions) as session:
        session.get(Item, item_id).receipt = "CJHB-2026-00007"
    with transaction(sessions) as session:
        item = actions.accept(session, item_id, "wang", "核实无误", receipt_prefix=PREFIX)
    assert item.receipt == "CJHB-2026-00007"


def test_accepting_twice_is_refused(sessions, item_id):
    with transaction(sessions) as session:
        actions.accept(session, item_id, "wang", "核实无误", receipt_prefix=PREFIX)
    with pytest.raises(actions.ActionError, match="已接收"), transaction(sessions) as session:
        actions.accept(session, item_id, "wang", "再次", receipt_prefix=PREFIX)


def test_reject_turns_a_review_item_into_rejected(sessions, item_id):
    with transaction(sessions) as session:
        session.get(Item, item_id).verdict = "review"
    with transaction(sessions) as session:
        actions.reject(session, item_id, "wang", "确属重复")
    with sessions() as session:
        assert session.get(Item, item_id).verdict == "rejected"
    assert audit_actions(sessions, item_id) == [("wang", "reject", "确属重复")]


def test_revoking_an_acceptance_needs_a_reason(sessions, item_id):
    with transaction(sessions) as session:
        actions.accept(session, item_id, "wang", "核实无误", receipt_prefix=PREFIX)
    with pytest.raises(actions.ActionError, match="撤销接收须填写理由"), transaction(sessions) as session:
        actions.reject(session, item_id, "wang")


def test_revoked_acceptance_stops_counting_and_leaves_the_duplicate_index(sessions, item_id):
    with transaction(sessions) as session:
        actions.accept(session, item_id, "wang", "核实无误", receipt_prefix=PREFIX)
    with transaction(sessions) as session:
        actions.reject(session, item_id, "li", "误点接收，与州局已采用信息重复")
    with sessions() as session:
        item = session.get(Item, item_id)
        entry = session.scalars(select(DuplicateEntry).where(DuplicateEntry.item_id == item_id)).one()
        assert (item.verdict, item.accepted_at, entry.removed) == ("rejected", None, True)
        assert accepted_this_month(session, NOW) == {}
    assert audit_actions(sessions, item_id)[-1] == ("li", "revoke", "误点接收，与州局已采用信息重复")


def test_acceptance_with_an_adoption_on_the_books_cannot_be_revoked(sessions, item_id):
    with transaction(sessions) as session:
        actions.accept(session, item_id, "wang", "核实无误", receipt_prefix=PREFIX)
        session.add(Adoption(item_id=item_id, outlet="州局微信平台", adopted_on=NOW.date(), category="动态", recorded_by="wang"))
    with pytest.raises(actions.ActionError, match="已登记了采用或批示"), transaction(sessions) as session:
        actions.reject(session, item_id, "wang", "误点接收")


def test_mark_duplicate_of_a_receipt_links_and_rejects(sessions, settings, units, item_id):
    with transaction(sessions) as session:
        first = vague_item(settings, session, unit_id=units["昌吉市环境保护局"], subject="首报")
        first.verdict, first.receipt = "accepted", "CJHB-2026-00001"
        first_id = first.id
        session.get(Item, item_id).verdict = "review"
    with transaction(sessions) as session:
        actions.mark_duplicate_of(session, item_id, "wang", "CJHB-2026-00001", "内容相同")
    with sessions() as session:
        item = session.get(Item, item_id)
        assert (item.duplicate_of_id, item.verdict) == (first_id, "rejected")


def test_mark_duplicate_of_an_unknown_receipt_is_refused(sessions, item_id):
    with pytest.raises(actions.ActionError, match="找不到"), transaction(sessions) as session:
        actions.mark_duplicate_of(session, item_id, "wang", "CJHB-1999-99999")


def test_mark_not_duplicate_clears_the_link(sessions, settings, units, item_id):
    with transaction(sessions) as session:
        first_id = vague_item(settings, session, unit_id=None, subject="首报").id
        session.get(Item, item_id).duplicate_of_id = first_id
    with transaction(sessions) as session:
        actions.mark_not_duplicate(session, item_id, "wang", "事件不同")
    with sessions() as session:
        item = session.get(Item, item_id)
        assert (item.duplicate_of_id, item.not_duplicate) == (None, True)


def test_set_unit_assigns_the_unit(sessions, units, item_id):
    with transaction(sessions) as session:
        actions.set_unit(session, item_id, "wang", units["阜康市环境保护局"])
    with sessions() as session:
        assert session.get(Item, item_id).unit_id == units["阜康市环境保护局"]
    assert audit_actions(sessions, item_id)[0][1] == "set_unit"


def test_notes_are_appended_with_author(sessions, item_id):
    with transaction(sessions) as session:
        actions.add_note(session, item_id, "wang", "已电话联系")
        actions.add_note(session, item_id, "li", "等待补充照片")
    with sessions() as session:
        lines = session.get(Item, item_id).note.splitlines()
    assert len(lines) == 2 and "wang] 已电话联系" in lines[0] and "li] 等待补充照片" in lines[1]


def test_retry_puts_a_failed_message_back_in_line(sessions, item_id):
    with transaction(sessions) as session:
        raw = session.scalars(select(RawMessage)).first()
        raw.state, raw.last_error = "failed", "KeyError: 'x'"
        raw_id = raw.id
    with transaction(sessions) as session:
        actions.retry_message(session, raw_id, "wang")
    with sessions() as session:
        assert session.get(RawMessage, raw_id).state == "archived"
        assert session.scalars(select(AuditEntry.action)).all() == ["retry_message"]


def test_retry_of_a_message_that_did_not_fail_is_refused(sessions, item_id):
    with sessions() as session:
        raw_id = session.scalars(select(RawMessage.id)).first()
    with pytest.raises(actions.ActionError), transaction(sessions) as session:
        actions.retry_message(session, raw_id, "wang")


def test_accept_with_reply_queues_a_followup_in_the_outbox(sessions, item_id):
    with transaction(sessions) as session:
        actions.accept(session, item_id, "wang", "核实无误", receipt_prefix=PREFIX, reply=True)
    with sessions() as session:
        row = session.scalars(select(OutboxMessage)).one()
    assert (row.item_id, row.kind, row.recipient, row.actor) == (item_id, "accepted_by_clerk", "changji@example.cn", "wang")


def test_an_accepted_item_enters_the_duplicate_index_under_its_unit(sessions, item_id):
    with transaction(sessions) as session:
        actions.accept(session, item_id, "wang", "核实无误", receipt_prefix=PREFIX)
    with sessions() as session:
        entry = session.scalars(select(DuplicateEntry).where(DuplicateEntry.item_id == item_id)).one()
    assert (entry.unit_name, entry.receipt, entry.removed) == ("昌吉市环境保护局", "CJHB-2026-00001", False)


def test_unit_set_on_an_accepted_item_is_what_the_duplicate_index_names(sessions, units, item_id):
    with transaction(sessions) as session:
        actions.accept(session, item_id, "wang", "核实无误", receipt_prefix=PREFIX)
    other = next(unit_id for name, unit_id in units.items() if name != "昌吉市环境保护局")
    with transaction(sessions) as session:
        actions.set_unit(session, item_id, "wang", other, "报送单位填错")
    with sessions() as session:
        entry = session.scalars(select(DuplicateEntry).where(DuplicateEntry.item_id == item_id, DuplicateEntry.removed.is_(False))).one()
        assert entry.unit_name == next(name for name, unit_id in units.items() if unit_id == other)
