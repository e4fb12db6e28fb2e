"""The outbox against a loopback SMTP server (aiosmtpd) that answers as NetEase and QQ Mail do:
spam verdicts and unknown users end a reply, frequency limits wait, a daily limit pauses sending."""

from __future__ import annotations

import socket
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from baosong.localtime import OFFICE_TZ
from baosong.models import OutboxMessage, OutboxState, SendingAccount
from baosong.settings import RepliesSettings, Settings, SmtpSettings
from intake.outbox import queue_reply, send_pending
from intake.smtp_capture import SmtpCapture
from tests.factories.replies import judgement, stored_item
from tests.loopback import LoopbackListener
from validators.findings import Verdict

pytestmark = pytest.mark.timeout(60)

NETEASE_SPAM = "554 DT:SPM 163 smtp10,DsCowADHhCh1Y2ZlYg3ZBA--.48135S2 1764830000,please see http://mail.163.com/help/help_spam_16.htm?ip=203.0.113.7"
NETEASE_DAILY_LIMIT = "550 RP:TRC 163 smtp10,DsCowADHhCh1Y2ZlYg3ZBA--.48135S2 1764830000"
UNKNOWN_USER = "550 User not found: qsx@example.cn"
QQ_RECIPIENT_FLOODED = "550 Mailbox unavailable or access denied [MJxWmWqGBr5pJJkyW5+8n9p7mDlx1bZNOu8f6VRb] "
# 15:00 in the office (Asia/Shanghai); sending resumes at the office's next midnight
AFTERNOON = datetime(2026, 12, 4, 15, 0, tzinfo=OFFICE_TZ)
NEXT_MIDNIGHT = datetime(2026, 12, 5, 0, 0, tzinfo=OFFICE_TZ)


@pytest.fixture
def mail_settings(settings: Settings, smtp: SmtpCapture) -> Settings:
    return replace(
        settings,
        smtp=replace(SmtpSettings(), host=smtp.host, port=smtp.port, ssl=False, sender="xinxi@163.com",
                     user="xinxi@163.com", timeout_seconds=5),
        replies=replace(RepliesSettings(), message_id_domain="reply.cjhb.example.cn", refusals_before_pause=3),
    )


def queue_rejections(sessions, settings: Settings, count: int = 1, first: int = 1) -> list[int]:  # noqa: ANN001
    ids = []
    for number in range(first, first + count):
        with sessions() as session, session.begin():
            item = stored_item(session, Verdict.REJECTED, number=number)
            ids.append(queue_reply(session, item=item, judgement=judgement(), settings=settings,
                                   organisation_name="昌吉州生态环境局").id)
    return ids


def rows(sessions, ids: list[int]) -> list[OutboxMessage]:  # noqa: ANN001
    with sessions() as session:
        return [session.get(OutboxMessage, row_id) for row_id in ids]


def test_netease_spam_verdict_fails_the_reply_without_retry(sessions, mail_settings, smtp):
    [row_id] = queue_rejections(sessions, mail_settings)
    smtp.data_answer = NETEASE_SPAM
    send_pending(sessions, mail_settings, now=AFTERNOON)
    smtp.data_answer = "250 OK"
    later = send_pending(sessions, mail_settings, now=AFTERNOON + timedelta(days=2))
    [row] = rows(sessions, [row_id])
    assert (row.state, row.attempts, later.sent, len(smtp.messages)) == (OutboxState.FAILED, 1, 0, 0)


def test_failed_reply_keeps_the_providers_words_and_a_chinese_explanation(sessions, mail_settings, smtp):
    [row_id] = queue_rejections(sessions, mail_settings)
    smtp.data_answer = NETEASE_SPAM
    report = send_pending(sessions, mail_settings, now=AFTERNOON)
    [row] = rows(sessions, [row_id])
    assert row.last_error.startswith("网易邮箱：这封回复被判定为垃圾邮件") and "554 DT:SPM 163 smtp10" in row.last_error
    assert [(f.outbox_id, f.text) for f in report.failures] == [(row_id, row.last_error)]


def test_unknown_recipient_fails_the_reply_and_says_to_check_the_registry(sessions, mail_settings, smtp):
    [row_id] = queue_rejections(sessions, mail_settings)
    smtp.rcpt_answer = UNKNOWN_USER
    send_pending(sessions, mail_settings, now=AFTERNOON)
    [row] = rows(sessions, [row_id])
    assert (row.state, "单位名录" in row.last_error, "User not found" in row.last_error) == (OutboxState.FAILED, True, True)


def test_qq_refusal_for_a_flooded_recipient_is_retried_later(sessions, mail_settings, smtp):
    [row_id] = queue_rejections(sessions, mail_settings)
    smtp.rcpt_answer = QQ_RECIPIENT_FLOODED
    first = send_pending(sessions, mail_settings, now=AFTERNOON)
    smtp.rcpt_answer = "250 OK"
    later = send_pending(sessions, mail_settings, now=AFTERNOON + timedelta(minutes=5))
    assert (first.retry, later.sent, len(smtp.messages)) == (1, 1, 1)


def test_daily_limit_pauses_sending_until_the_next_office_day(sessions, mail_settings, smtp):
    queue_rejections(sessions, mail_settings, count=2)
    smtp.data_answer = NETEASE_DAILY_LIMIT
    report = send_pending(sessions, mail_settings, now=AFTERNOON)
    assert (report.paused_until, report.held, report.failed) == (NEXT_MIDNIGHT, 2, 0)


def test_paused_sending_tries_nothing_before_the_next_day(sessions, mail_settings, smtp):
    queue_rejections(sessions, mail_settings, count=2)
    smtp.data_answer = NETEASE_DAILY_LIMIT
    send_pending(sessions, mail_settings, now=AFTERNOON)
    smtp.data_answer = "250 OK"
    evening = send_pending(sessions, mail_settings, now=AFTERNOON + timedelta(hours=8, minutes=59))
    assert (evening.sent, evening.held, len(smtp.messages)) == (0, 2, 0)


def test_replies_held_by_a_daily_limit_go_out_once_the_next_day(sessions, mail_settings, smtp):
    ids = queue_rejections(sessions, mail_settings, count=2)
    smtp.data_answer = NETEASE_DAILY_LIMIT
    send_pending(sessions, mail_settings, now=AFTERNOON)
    smtp.data_answer = "250 OK"
    send_pending(sessions, mail_settings, now=NEXT_MIDNIGHT)
    send_pending(sessions, mail_settings, now=NEXT_MIDNIGHT + timedelta(hours=1))
    sent = rows(sessions, ids)
    assert sorted(m.message["Message-ID"] for m in smtp.messages) == sorted(row.message_id for row in sent)
    assert [row.state for row in sent] == [OutboxState.SENT, OutboxState.SENT]


def test_refusals_in_a_row_pause_sending_and_keep_the_refused_replies_for_tomorrow(sessions, mail_settings, smtp):
    ids = queue_rejections(sessions, mail_settings, count=4)
    smtp.data_answer = "554 5.7.1 Service unavailable"
    report = send_pending(sessions, mail_settings, now=AFTERNOON)
    states = [(row.state, row.next_attempt_at is not None) for row in rows(sessions, ids)]
    assert (report.paused_until, report.failed, report.held) == (NEXT_MIDNIGHT, 0, 4)
    assert states == [(OutboxState.RETRY, True)] * 3 + [(OutboxState.PENDING, False)]


def test_refusals_naming_the_recipient_do_not_pause_sending(sessions, mail_settings, smtp):
    queue_rejections(sessions, mail_settings, count=4)
    smtp.rcpt_answer = UNKNOWN_USER
    report = send_pending(sessions, mail_settings, now=AFTERNOON)
    assert (report.failed, report.paused_until) == (4, None)


def test_a_delivered_reply_ends_the_run_of_refusals(sessions, mail_settings, smtp):
    queue_rejections(sessions, mail_settings, count=2)
    smtp.data_answer = NETEASE_SPAM
    send_pending(sessions, mail_settings, now=AFTERNOON)
    with sessions() as session:
        refused = session.scalars(select(SendingAccount.refused_ids)).one()
    queue_rejections(sessions, mail_settings, count=1, first=3)
    smtp.data_answer = "250 OK"
    send_pending(sessions, mail_settings, now=AFTERNOON)
    with sessions() as session:
        assert (len(refused), session.scalars(select(SendingAccount.refused_ids)).one()) == (2, [])


class SilentSmtp(LoopbackListener):
    """Takes the connection and never greets: the client's timeout ends the attempt."""

    def __init__(self) -> None:
        self.held: list[socket.socket] = []
        super().__init__()

    def on_connection(self, connection: socket.socket) -> None:
        self.held.append(connection)


def test_a_server_that_times_out_is_retried_and_pauses_nothing(sessions, mail_settings):
    [row_id] = queue_rejections(sessions, mail_settings)
    with SilentSmtp() as silent:
        settings = replace(mail_settings, smtp=replace(mail_settings.smtp, port=silent.port, timeout_seconds=1))
        report = send_pending(sessions, settings, now=AFTERNOON)
        for connection in silent.held:
            connection.close()
    [row] = rows(sessions, [row_id])
    assert (row.state, report.retry, report.paused_until) == (OutboxState.RETRY, 1, None)


def test_reply_refused_from_the_null_sender_goes_from_the_account_instead(sessions, mail_settings, smtp):
    [row_id] = queue_rejections(sessions, mail_settings)
    smtp.null_sender_answer = "553 Mail from must equal authorized user"

    report = send_pending(sessions, mail_settings, now=AFTERNOON)

    [row] = rows(sessions, [row_id])
    assert (row.state, report.sent) == (OutboxState.SENT, 1)
    assert [m.mail_from for m in smtp.messages] == ["xinxi@163.com"]
