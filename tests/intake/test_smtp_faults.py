"""BAD-INPUTS "Replies": the SMTP connection lost mid-transaction (RFC 1047), spoofed senders, loops.

A scripted SMTP server on loopback speaks just enough ESMTP and hangs up at a chosen step, the way
a relay that crashes or a broken network does; the outbox decides from where it was cut whether a
retry is safe.
"""

from __future__ import annotations

import socket
from dataclasses import replace
from datetime import date, timedelta

import pytest

from baosong import BUNDLED_CONFIG
from baosong.models import OutboxMessage, OutboxState, utcnow
from baosong.organisation import load_organisation
from baosong.registry import refs_from_sheet
from baosong.settings import RepliesSettings, Settings, SmtpSettings
from intake.mailparse import parse_mail
from intake.outbox import queue_reply, send_pending
from tests.factories.mail import build_mail
from tests.factories.replies import judgement, stored_item
from tests.loopback import LoopbackListener
from validators.catalogue import load_messages
from validators.findings import Verdict
from validators.judge import JudgeContext, judge_mail
from validators.registry import Registry

pytestmark = pytest.mark.timeout(60)


class HangingSmtp(LoopbackListener):
    """ESMTP on loopback that closes the connection at `hang_up` ("after_rcpt": before DATA;
    "after_data": once the message data ended, before answering it; None: delivers normally)."""

    def __init__(self, hang_up: str | None) -> None:
        self.hang_up = hang_up
        self.data_received = 0  # messages whose data arrived in full (the server may have delivered them)
        self.delivered = 0  # messages answered 250 after their data
        super().__init__()

    def on_connection(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(10)
            try:
                self._session(connection, connection.makefile("rb"))
            except OSError:
                pass

    def _session(self, connection: socket.socket, lines) -> None:  # noqa: ANN001
        connection.sendall(b"220 hanging.example ESMTP\r\n")
        for _ in range(20):  # a reply is a handful of commands
            line = lines.readline()
            verb = line[:4].upper()
            if not line:
                return
            if verb in (b"EHLO", b"HELO"):
                connection.sendall(b"250 hanging.example\r\n")
            elif verb in (b"MAIL", b"RSET", b"NOOP"):
                connection.sendall(b"250 OK\r\n")
            elif verb == b"RCPT":
                if self.hang_up == "after_rcpt":
                    return
                connection.sendall(b"250 OK\r\n")
            elif verb == b"DATA":
                connection.sendall(b"354 go ahead\r\n")
                while lines.readline() not in (b".\r\n", b""):
                    continue
                self.data_received += 1
                if self.hang_up == "after_data":
                    return
                self.delivered += 1
                connection.sendall(b"250 queued\r\n")
            elif verb == b"QUIT":
                connection.sendall(b"221 bye\r\n")
                return
            else:
                connection.sendall(b"502 unknown\r\n")


def smtp_settings(settings: Settings, port: int) -> Settings:
    return replace(
        settings,
        smtp=replace(SmtpSettings(), host="127.0.0.1", port=port, ssl=False, sender="xinxi@cjhb.example.cn", timeout_seconds=5),
        replies=replace(RepliesSettings(), message_id_domain="reply.cjhb.example.cn"),
    )


def queue_rejection(sessions, settings: Settings) -> int:  # noqa: ANN001
    with sessions() as session, session.begin():
        item = stored_item(session, Verdict.REJECTED)
        return queue_reply(session, item=item, judgement=judgement(), settings=settings, organisation_name="昌吉州生态环境局").id


def state_of(sessions, row_id: int) -> OutboxState:  # noqa: ANN001
    with sessions() as session:
        return session.get(OutboxMessage, row_id).state


def test_connection_lost_after_the_data_leaves_the_reply_uncertain_and_never_resends(sessions, settings):
    with HangingSmtp("after_data") as server:
        mail_settings = smtp_settings(settings, server.port)
        row_id = queue_rejection(sessions, mail_settings)
        first = send_pending(sessions, mail_settings)
        later = send_pending(sessions, mail_settings, now=utcnow() + timedelta(days=1))

    assert (first.uncertain, later.sent + later.retry, server.data_received) == (1, 0, 1)
    assert state_of(sessions, row_id) == OutboxState.UNCERTAIN


def test_connection_lost_before_the_data_is_retried_and_delivered_once(sessions, settings):
    with HangingSmtp("after_rcpt") as server:
        mail_settings = smtp_settings(settings, server.port)
        row_id = queue_rejection(sessions, mail_settings)
        start = utcnow()
        first = send_pending(sessions, mail_settings, now=start)
        server.hang_up = None
        second = send_pending(sessions, mail_settings, now=start + timedelta(minutes=2))
        third = send_pending(sessions, mail_settings, now=start + timedelta(minutes=10))

    assert (first.retry, second.sent, third.sent, server.delivered) == (1, 1, 0, 1)
    assert state_of(sessions, row_id) == OutboxState.SENT


# --- spoofed senders: automatic replies only to units or to mail that carries a submission --------


@pytest.fixture(scope="module")
def judge_context() -> JudgeContext:
    organisation = load_organisation(BUNDLED_CONFIG, "A")
    registry = Registry.of(refs_from_sheet(organisation.units_csv))
    return JudgeContext(organisation.checks, registry, load_messages(BUNDLED_CONFIG))


def test_mail_from_an_unregistered_address_without_a_word_file_gets_no_reply(sessions, settings, judge_context):
    spoofed = build_mail("victim@innocent.example.org", subject="您好", body="请回复我。")
    verdict = judge_mail(parse_mail(spoofed), judge_context, today=date(2026, 11, 20))
    with sessions() as session, session.begin():
        item = stored_item(session, verdict.verdict)
        queued = queue_reply(session, item=item, judgement=verdict, settings=smtp_settings(settings, 25), organisation_name="")

    assert [f.code for f in verdict.findings] == ["NOT_A_SUBMISSION"] and queued is None


def test_mail_from_our_own_address_gets_no_reply(sessions, settings):
    mail_settings = smtp_settings(settings, 25)
    looped = judgement(sender=mail_settings.smtp.sender)
    with sessions() as session, session.begin():
        item = stored_item(session, looped.verdict)
        assert queue_reply(session, item=item, judgement=looped, settings=mail_settings, organisation_name="") is None
