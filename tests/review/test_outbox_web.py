"""The health page's outbox: what counts as backlog, what needs a clerk, and sending a reply again."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from baosong.db import transaction
from baosong.localtime import OFFICE_TZ
from baosong.models import AuditEntry, OutboxMessage, SendingAccount
from baosong import actions
from intake.smtp_answers import classify
from tests.review.conftest import token_of


def reply(sessions, item_id, state, **fields) -> int:
    with transaction(sessions) as session:
        row = OutboxMessage(item_id=item_id, kind="rejected", recipient="changji@example.cn", state=state,
                            subject=f"退回通知（{state}）", **fields)
        session.add(row)
        session.flush()
        return row.id


def test_the_backlog_counts_pending_sending_and_retry_replies(clerk, sessions, item_id):
    for state in ("pending", "sending", "retry", "sent", "failed"):
        reply(sessions, item_id, state)
    assert "待发送：<strong>3</strong>" in clerk.get("/health").text


@pytest.mark.parametrize("state", ["held", "uncertain", "failed"])
def test_a_reply_that_needs_a_clerk_is_listed_with_a_resend_button(clerk, sessions, item_id, state):
    outbox_id = reply(sessions, item_id, state)
    html = clerk.get("/health").text
    assert f"退回通知（{state}）" in html and f'action="/health/outbox/{outbox_id}/release"' in html


@pytest.mark.parametrize("state", ["pending", "sending", "retry", "sent"])
def test_a_reply_that_needs_no_clerk_has_no_resend_button(clerk, sessions, item_id, state):
    outbox_id = reply(sessions, item_id, state)
    assert f"/health/outbox/{outbox_id}/release" not in clerk.get("/health").text


def test_an_uncertain_reply_warns_that_it_may_already_have_gone_out(clerk, sessions, item_id):
    reply(sessions, item_id, "uncertain")
    assert "这封回复可能已经发出" in clerk.get("/health").text


def test_resending_puts_the_reply_back_in_the_queue(clerk, sessions, item_id):
    outbox_id = reply(sessions, item_id, "held")
    response = clerk.post(f"/health/outbox/{outbox_id}/release",
                          data={"csrf_token": token_of(clerk, "/health"), "reason": "已与单位核实地址"},
                          follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/health")
    with sessions() as session:
        row = session.get(OutboxMessage, outbox_id)
        assert (row.state, row.actor) == ("pending", "wang")


def test_resending_is_audited_with_the_clerk_and_the_reason(clerk, sessions, item_id):
    outbox_id = reply(sessions, item_id, "failed")
    clerk.post(f"/health/outbox/{outbox_id}/release", data={"csrf_token": token_of(clerk, "/health"), "reason": "已修复"})
    with sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "reply_release")).one()
        assert (entry.actor, entry.reason, entry.details["from_state"]) == ("wang", "已修复", "failed")
    assert "重新发送回复" in clerk.get("/audit").text


def test_resending_a_sent_reply_is_refused_in_chinese(clerk, sessions, item_id):
    outbox_id = reply(sessions, item_id, "sent")
    html = clerk.post(f"/health/outbox/{outbox_id}/release", data={"csrf_token": token_of(clerk, "/health")}).text
    assert "这封回复当前状态为“已发送”，无需重新发送" in html
    with sessions() as session:
        assert session.get(OutboxMessage, outbox_id).state == "sent"


def test_release_reply_of_an_unknown_reply_raises_an_action_error(sessions):
    with sessions() as session, pytest.raises(actions.ActionError, match="找不到编号为 404 的回复邮件"):
        actions.release_reply(session, 404, "wang")


def test_health_page_says_when_paused_sending_resumes(clerk, sessions):
    with transaction(sessions) as session:
        session.add(SendingAccount(account="xinxi@163.com", paused_until=datetime(2099, 12, 5, tzinfo=OFFICE_TZ).astimezone(UTC),
                                   pause_reason="网易邮箱：发信账号今天累计的收件人数已达上限（550 RP:TRC）"))
    html = clerk.get("/health").text
    assert "xinxi@163.com 将于 2099-12-05 00:00 恢复发信" in html and "550 RP:TRC" in html


def test_health_page_shows_no_pause_once_sending_resumed(clerk, sessions):
    with transaction(sessions) as session:
        session.add(SendingAccount(account="xinxi@163.com", paused_until=datetime(2020, 1, 1, tzinfo=UTC)))
    assert "发信已暂停" not in clerk.get("/health").text


def test_a_refused_reply_shows_the_providers_words_and_what_to_do(clerk, sessions, item_id):
    refusal = classify(554, "DT:SPM 163 smtp10,DsCowADHhCh1Y2ZlYg3ZBA--.48135S2 1764830000")
    reply(sessions, item_id, "failed", last_error=f"{refusal.explanation}（end of DATA 服务器答复：{refusal.text}）")
    html = clerk.get("/health").text
    assert "网易邮箱：这封回复被判定为垃圾邮件" in html and "554 DT:SPM 163 smtp10" in html
