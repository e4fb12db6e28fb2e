"""Delivering the outbox through a real SMTP server on loopback: once, with retries, never twice."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import timedelta

import docx
import pytest
from sqlalchemy import select

from baosong import SOURCE_ROOT
from baosong.models import OutboxMessage, OutboxState, utcnow
from baosong.settings import RepliesSettings, Settings, SmtpSettings
from intake.outbox import queue_reply, release, send_pending, stale_after
from intake.smtp_capture import SmtpCapture
from tests.factories.replies import judgement, problem_findings, stored_item
from validators.findings import Verdict

SENDER = "xinxi@cjhb.example.cn"
DOMAIN = "reply.cjhb.example.cn"


@pytest.fixture
def mail_settings(settings: Settings, smtp: SmtpCapture) -> Settings:
    return replace(
        settings,
        smtp=replace(SmtpSettings(), host=smtp.host, port=smtp.port, ssl=False, sender=SENDER, timeout_seconds=5),
        replies=replace(RepliesSettings(), message_id_domain=DOMAIN),
    )


def queue_rejection(sessions, settings: Settings, number: int = 1) -> int:  # noqa: ANN001
    with sessions() as session, session.begin():
        item = stored_item(session, Verdict.REJECTED, number=number)
        row = queue_reply(session, item=item, judgement=judgement(), settings=settings, organisation_name="昌吉州生态环境局")
        return row.id


def outbox_row(sessions, row_id: int) -> OutboxMessage:  # noqa: ANN001
    with sessions() as session:
        return session.get(OutboxMessage, row_id)


def test_rejected_mail_gets_exactly_one_reply(sessions, mail_settings, smtp):
    queue_rejection(sessions, mail_settings)
    send_pending(sessions, mail_settings)
    send_pending(sessions, mail_settings)
    assert len(smtp.messages) == 1


def test_reply_lists_every_problem_with_its_evidence(sessions, mail_settings, smtp):
    queue_rejection(sessions, mail_settings)
    send_pending(sessions, mail_settings)
    text = smtp.messages[0].message.get_body(("plain",)).get_content()
    for number, finding in enumerate(f for f in problem_findings() if f.severity == "error"):
        assert f"{number + 1}. {finding.message}" in text
    assert "原文：“近日，我局在三楼会" in text


def test_reply_carries_the_annotated_docx_with_one_comment_per_problem(sessions, mail_settings, smtp):
    queue_rejection(sessions, mail_settings)
    send_pending(sessions, mail_settings)
    attached = next(smtp.messages[0].message.iter_attachments())
    document = docx.Document(io.BytesIO(attached.get_content()))
    assert len(document.comments) == len(problem_findings())


def test_reply_threads_under_the_original(sessions, mail_settings, smtp):
    queue_rejection(sessions, mail_settings)
    send_pending(sessions, mail_settings)
    message = smtp.messages[0].message
    assert (message["In-Reply-To"], message["References"]) == (
        "<unit-0001@example.cn>",
        "<older-0000@example.cn> <unit-0001@example.cn>",
    )


def test_reply_uses_the_null_envelope_sender(sessions, mail_settings, smtp):
    queue_rejection(sessions, mail_settings)
    send_pending(sessions, mail_settings)
    assert (smtp.messages[0].mail_from, smtp.messages[0].rcpt_tos) == ("<>", ("qsx@example.cn",))


def test_sent_reply_is_recorded_with_its_message_id(sessions, mail_settings, smtp):
    row_id = queue_rejection(sessions, mail_settings)
    send_pending(sessions, mail_settings)
    row = outbox_row(sessions, row_id)
    assert (row.state, smtp.messages[0].message["Message-ID"]) == (OutboxState.SENT, row.message_id)


def test_reply_arrives_once_smtp_comes_back(sessions, mail_settings, smtp):
    row_id = queue_rejection(sessions, mail_settings)
    smtp.stop()
    start = utcnow()
    first = send_pending(sessions, mail_settings, now=start)
    smtp.start()
    too_early = send_pending(sessions, mail_settings, now=start + timedelta(seconds=10))
    later = send_pending(sessions, mail_settings, now=start + timedelta(minutes=2))
    assert (first.retry, too_early.sent, later.sent, len(smtp.messages)) == (1, 0, 1, 1)
    assert outbox_row(sessions, row_id).attempts == 2


def test_temporary_refusal_is_retried_later(sessions, mail_settings, smtp):
    row_id = queue_rejection(sessions, mail_settings)
    smtp.data_answer = "451 4.3.0 try again later"
    send_pending(sessions, mail_settings)
    row = outbox_row(sessions, row_id)
    assert (row.state, "end of DATA 服务器答复：451 4.3.0 try again later" in row.last_error) == (OutboxState.RETRY, True)


def test_permanent_refusal_fails_without_retry(sessions, mail_settings, smtp):
    row_id = queue_rejection(sessions, mail_settings)
    smtp.data_answer = "550 5.1.1 mailbox unavailable"
    send_pending(sessions, mail_settings)
    assert outbox_row(sessions, row_id).state == OutboxState.FAILED


def test_a_rejection_whose_reply_failed_goes_back_in_the_queue(sessions, mail_settings, smtp):
    row_id = queue_rejection(sessions, mail_settings)
    with sessions() as session, session.begin():
        session.get(OutboxMessage, row_id).item.settled_at = utcnow()  # as the pipeline settles an answered rejection
    smtp.data_answer = "550 5.1.1 mailbox unavailable"
    send_pending(sessions, mail_settings)
    with sessions() as session:
        assert session.get(OutboxMessage, row_id).item.settled_at is None


def test_too_many_attempts_end_in_failed(sessions, mail_settings, smtp):
    settings = replace(mail_settings, replies=replace(mail_settings.replies, max_attempts=2))
    row_id = queue_rejection(sessions, settings)
    smtp.stop()
    start = utcnow()
    send_pending(sessions, settings, now=start)
    send_pending(sessions, settings, now=start + timedelta(hours=2))
    assert outbox_row(sessions, row_id).state == OutboxState.FAILED


KILLED_WORKER = """
from pathlib import Path
from baosong.db import make_engine, session_factory
from baosong.settings import load_settings
from intake.outbox import send_pending
settings = load_settings(Path("/nonexistent/baosong.toml"))
send_pending(session_factory(make_engine(settings.database_url)), settings)
"""


def run_worker_until_data_is_sent(settings: Settings, smtp: SmtpCapture) -> None:
    """A worker process that is killed after the server took the data, before it records anything."""
    env = dict(
        os.environ,
        BAOSONG_DATABASE_URL=settings.database_url,
        BAOSONG_PATHS_DATA=str(settings.data_dir),
        BAOSONG_SMTP_HOST=smtp.host,
        BAOSONG_SMTP_PORT=str(smtp.port),
        BAOSONG_SMTP_SSL="false",
        BAOSONG_SMTP_SENDER=SENDER,
        BAOSONG_SMTP_TIMEOUT_SECONDS="60",
    )
    smtp.answer_delay = 60.0
    worker = subprocess.Popen([sys.executable, "-c", KILLED_WORKER], env=env, cwd=SOURCE_ROOT)
    try:
        smtp.wait_for(1, timeout=30)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    smtp.answer_delay = 0.0


def test_kill_between_send_and_record_never_sends_twice(sessions, mail_settings, smtp):
    row_id = queue_rejection(sessions, mail_settings)
    run_worker_until_data_is_sent(mail_settings, smtp)
    report = send_pending(sessions, mail_settings, now=utcnow() + stale_after(mail_settings) * 2)
    time.sleep(0.2)  # nothing may arrive late either
    assert (len(smtp.messages), report.uncertain, outbox_row(sessions, row_id).state) == (1, 1, OutboxState.UNCERTAIN)


def test_interrupted_reply_found_in_sent_folder_is_recorded_as_sent(sessions, mail_settings, smtp):
    row_id = queue_rejection(sessions, mail_settings)
    run_worker_until_data_is_sent(mail_settings, smtp)
    delivered = {smtp.messages[0].message["Message-ID"]}
    send_pending(sessions, mail_settings, now=utcnow() + stale_after(mail_settings) * 2, sent_lookup=delivered.__contains__)
    assert (len(smtp.messages), outbox_row(sessions, row_id).state) == (1, OutboxState.SENT)


def test_attempt_in_progress_is_left_alone(sessions, mail_settings, smtp):
    row_id = queue_rejection(sessions, mail_settings)
    with sessions() as session, session.begin():
        session.get(OutboxMessage, row_id).state = OutboxState.SENDING
        session.get(OutboxMessage, row_id).sending_at = utcnow()
    send_pending(sessions, mail_settings)
    assert (len(smtp.messages), outbox_row(sessions, row_id).state) == (0, OutboxState.SENDING)


def test_clerk_release_sends_an_uncertain_reply(sessions, mail_settings, smtp):
    row_id = queue_rejection(sessions, mail_settings)
    with sessions() as session, session.begin():
        session.get(OutboxMessage, row_id).state = OutboxState.UNCERTAIN
    with sessions() as session, session.begin():
        release(session, row_id, actor="clerk1", reason="对方说没收到")
    send_pending(sessions, mail_settings)
    assert (len(smtp.messages), outbox_row(sessions, row_id).state) == (1, OutboxState.SENT)


def test_no_smtp_host_leaves_replies_pending(sessions, mail_settings, smtp):
    settings = replace(mail_settings, smtp=replace(mail_settings.smtp, host=""))
    row_id = queue_rejection(sessions, settings)
    report = send_pending(sessions, settings)
    assert (outbox_row(sessions, row_id).state, len(report.errors)) == (OutboxState.PENDING, 1)


def test_every_due_reply_goes_out_in_one_pass(sessions, mail_settings, smtp):
    for number in (1, 2, 3):
        queue_rejection(sessions, mail_settings, number=number)
    send_pending(sessions, mail_settings)
    with sessions() as session:
        states = set(session.scalars(select(OutboxMessage.state)))
    assert (len(smtp.messages), states) == (3, {OutboxState.SENT})


def test_reply_queued_before_the_sender_was_set_goes_out_from_the_current_sender(sessions, mail_settings, smtp):
    unset = replace(mail_settings, smtp=replace(mail_settings.smtp, sender=""))  # `baosong init`, no [smtp] yet
    row_id = queue_rejection(sessions, unset)
    queued = outbox_row(sessions, row_id)
    send_pending(sessions, mail_settings)
    sent = smtp.messages[0].message
    assert b"baosong@reply.cjhb.example.cn" in queued.eml
    assert (sent["From"].addresses[0].addr_spec, sent["Message-ID"]) == (SENDER, queued.message_id)
