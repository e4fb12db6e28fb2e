"""Settling items by hand and in bulk: one reason, every item audited, all or nothing; the console's forms."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from baosong import actions
from baosong.db import transaction
from baosong.models import AuditEntry, Item
from baosong.search import queue_size
from tests.review.conftest import token_of
from tests.review.samples import PREFIX
from tests.review.year import add_year


@pytest.fixture
def year(settings, sessions, units) -> dict[str, int]:
    with transaction(sessions) as session:
        return add_year(settings, session, units)


@pytest.fixture
def waiting(settings, sessions, units) -> list[int]:
    """Three rejected items nobody has settled."""
    from tests.review.samples import vague_item

    with transaction(sessions) as session:
        return [vague_item(settings, session, unit_id=units["昌吉市环境保护局"], title=f"昌吉市第{n}条信息",
                           subject=f"报送第{n}条").id for n in range(3)]


def test_settling_needs_a_reason(sessions, item_id):
    with transaction(sessions) as session, pytest.raises(actions.ActionError, match="请填写了结的理由"):
        actions.settle(session, item_id, "wang", " ")


def test_a_settled_item_leaves_the_queue_and_the_log_says_why(sessions, item_id):
    with transaction(sessions) as session:
        actions.settle(session, item_id, "wang", "已电话告知单位")
    with sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "settle")).one()
        assert entry.item_id == item_id and entry.reason == "已电话告知单位" and queue_size(session, True) == 0


def test_a_rejection_mailed_by_a_clerk_is_settled(sessions, item_id):
    with transaction(sessions) as session:
        actions.reject(session, item_id, "wang", "请补充具体日期", reply=True)
    with sessions() as session:
        assert session.get(Item, item_id).settled_at is not None


def test_marking_a_duplicate_settles_it(sessions, year):
    with transaction(sessions) as session:
        actions.mark_duplicate_of(session, year["CJHB-2026-00003"], "wang", "CJHB-2026-00001", "同一事项")
    with sessions() as session:
        assert session.get(Item, year["CJHB-2026-00003"]).settled_at is not None


def test_bulk_settling_audits_every_item_with_the_one_reason(sessions, waiting):
    with transaction(sessions) as session:
        actions.bulk(session, waiting, "settle", "wang", "单位已重新报送", receipt_prefix=PREFIX)
    with sessions() as session:
        reasons = session.scalars(select(AuditEntry.reason).where(AuditEntry.action == "settle")).all()
        assert reasons == ["单位已重新报送"] * 3 and queue_size(session, True) == 0


def test_bulk_changes_nothing_when_one_item_is_refused(sessions, waiting, year):
    with sessions() as session, pytest.raises(actions.ActionError, match="没有做任何改动"):
        actions.bulk(session, [*waiting, year["CJHB-2026-00001"]], "settle", "wang", "批量", receipt_prefix=PREFIX)
        session.commit()
    with sessions() as session:
        assert queue_size(session, True) == 4


def test_the_queue_bulk_form_accepts_several_and_answers_303(clerk, sessions, waiting):
    response = clerk.post("/queue/bulk", data={
        "csrf_token": token_of(clerk, "/queue"), "ids": waiting[:2], "action": "accept", "reason": "经电话核实",
    }, follow_redirects=False)
    assert response.status_code == 303
    with sessions() as session:
        assert [session.get(Item, i).verdict for i in waiting] == ["accepted", "accepted", "rejected"]


def test_the_queue_bulk_form_without_a_reason_shows_the_error_beside_it(clerk, sessions, waiting):
    response = clerk.post("/queue/bulk", data={
        "csrf_token": token_of(clerk, "/queue"), "ids": waiting, "action": "settle", "reason": "",
    })
    assert response.status_code == 422 and "批量处理须填写理由" in response.text and 'checked' in response.text
    with sessions() as session:
        assert queue_size(session, True) == 3


def test_the_settled_filter_lists_what_left_the_queue(clerk, sessions, waiting):
    with transaction(sessions) as session:
        actions.settle(session, waiting[0], "wang", "已电话告知")
    settled = clerk.get("/queue", params={"verdict": "settled"}).text
    queue = clerk.get("/queue").text
    assert "昌吉市第0条信息" in settled and "昌吉市第1条信息" not in settled
    assert "昌吉市第0条信息" not in queue and "昌吉市第1条信息" in queue


def test_the_item_page_settles_with_a_reason(clerk, sessions, item_id):
    response = clerk.post(f"/items/{item_id}/settle", data={
        "csrf_token": token_of(clerk, f"/items/{item_id}"), "reason": "单位已来电说明"}, follow_redirects=False)
    assert response.status_code == 303
    assert "已了结" in clerk.get(f"/items/{item_id}").text


def test_the_item_pages_link_a_resubmission_both_ways(clerk, sessions, year):
    with transaction(sessions) as session:
        session.get(Item, year["CJHB-2026-00001"]).resubmission_of_id = year["CJHB-2026-00003"]
    old = clerk.get(f"/items/{year['CJHB-2026-00003']}").text
    new = clerk.get(f"/items/{year['CJHB-2026-00001']}").text
    assert "已重新报送" in old and "CJHB-2026-00001" in old
    assert "重新报送自" in new and "CJHB-2026-00003" in new


def test_an_item_without_a_unit_offers_please_choose(clerk, settings, sessions, units):
    from tests.review.samples import vague_item

    with transaction(sessions) as session:
        orphan = vague_item(settings, session, unit_id=None, subject="无法确定单位的信息").id
    page = clerk.get(f"/items/{orphan}").text
    assert '<option value="" selected>请选择</option>' in page
