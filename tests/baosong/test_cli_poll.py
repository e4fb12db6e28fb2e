"""`baosong poll --once` as cron runs it: one whole cycle, mail in (pymap) and due replies out (aiosmtpd)."""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from baosong.app import open_app
from baosong.models import OutboxMessage
from intake.local_imap import LocalImapServer
from intake.smtp_capture import SmtpCapture
from tests.intake.imap_helpers import (  # noqa: F401 - fixtures
    BAOSONG,
    UNIT_SENDER,
    cli_env,
    imap_server,
    imap_settings,
    run_cli,
    submission,
    wait_until,
)

pytestmark = pytest.mark.timeout(120)


def smtp_env(smtp: SmtpCapture) -> dict[str, str]:
    return {
        "BAOSONG_SMTP_HOST": smtp.host, "BAOSONG_SMTP_PORT": str(smtp.port), "BAOSONG_SMTP_SSL": "false",
        "BAOSONG_SMTP_SENDER": "xinxi@cjhb.example.cn", "BAOSONG_SMTP_TIMEOUT_SECONDS": "10",
    }


def poll(settings, smtp: SmtpCapture, cwd: Path, *args: str):  # noqa: ANN001, ANN201
    return run_cli(settings, "poll", "--once", *args, cwd=cwd, **smtp_env(smtp))


def outbox_states(settings) -> list[str]:  # noqa: ANN001
    app = open_app(settings)
    try:
        with app.sessions() as session:
            return list(session.scalars(select(OutboxMessage.state).order_by(OutboxMessage.id)))
    finally:
        app.close()


def test_poll_once_delivers_the_reply_to_the_unit(imap_server: LocalImapServer, imap_settings, smtp, tmp_path: Path) -> None:  # noqa: ANN001
    imap_server.append(submission(1))

    done = poll(imap_settings, smtp, tmp_path)

    assert done.returncode == 0, done.stderr.decode()
    assert [m.rcpt_tos for m in smtp.messages] == [(UNIT_SENDER,)]
    assert smtp.messages[0].message["In-Reply-To"] == "<submission.1@changji.example.cn>"


def test_poll_once_summary_counts_the_replies_sent(imap_server: LocalImapServer, imap_settings, smtp, tmp_path: Path) -> None:  # noqa: ANN001
    imap_server.append(submission(1))

    done = poll(imap_settings, smtp, tmp_path)

    assert "回复：本轮发出 1 封，暂缓 0 封，发送失败 0 封，稍后自动重试 0 封。" in done.stdout.decode()


def test_poll_once_no_send_leaves_the_reply_pending(imap_server: LocalImapServer, imap_settings, smtp, tmp_path: Path) -> None:  # noqa: ANN001
    imap_server.append(submission(1))

    done = poll(imap_settings, smtp, tmp_path, "--no-send")

    assert (done.returncode, smtp.messages, outbox_states(imap_settings)) == (0, [], ["pending"])


def test_poll_once_json_ends_with_the_reply_counts(imap_server: LocalImapServer, imap_settings, smtp, tmp_path: Path) -> None:  # noqa: ANN001
    imap_server.append(submission(1))
    imap_server.append(submission(2))

    done = poll(imap_settings, smtp, tmp_path, "--json")

    *messages, last = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(messages) == 2 and all("message_id" in line for line in messages)
    assert {k: last["replies"][k] for k in ("sent", "held", "failed", "retry")} == {"sent": 2, "held": 0, "failed": 0, "retry": 0}


def test_poll_once_explains_a_refused_reply(imap_server: LocalImapServer, imap_settings, smtp, tmp_path: Path) -> None:  # noqa: ANN001
    imap_server.append(submission(1))
    smtp.data_answer = "554 DT:SPM 163 smtp10,DsCowADHhCh1Y2ZlYg3ZBA--.48135S2 1764830000"

    done = poll(imap_settings, smtp, tmp_path, "--json")

    last = json.loads(done.stdout.decode().splitlines()[-1])
    assert (last["replies"]["failed"], outbox_states(imap_settings)) == (1, ["failed"])
    assert "网易邮箱：这封回复被判定为垃圾邮件" in done.stderr.decode() and "554 DT:SPM" in done.stderr.decode()


def test_poll_once_says_when_paused_sending_resumes(imap_server: LocalImapServer, imap_settings, smtp, tmp_path: Path) -> None:  # noqa: ANN001
    imap_server.append(submission(1))
    smtp.data_answer = "550 RP:TRC 163 smtp10,DsCowADHhCh1Y2ZlYg3ZBA--.48135S2 1764830000"

    done = poll(imap_settings, smtp, tmp_path)

    assert "暂缓 1 封" in done.stdout.decode() and "发信已暂停" in done.stderr.decode()
    assert outbox_states(imap_settings) == ["retry"]


def test_poll_without_once_sends_the_replies_of_every_cycle(imap_server: LocalImapServer, imap_settings, smtp, tmp_path: Path) -> None:  # noqa: ANN001
    poller = subprocess.Popen(
        [str(BAOSONG), "poll"], cwd=tmp_path,
        env=cli_env(imap_settings, BAOSONG_MAILBOX_POLL_SECONDS="1", **smtp_env(smtp)),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        imap_server.append(submission(1))
        first = wait_until(lambda: len(smtp.messages) == 1, 30)
        imap_server.append(submission(2))
        second = wait_until(lambda: len(smtp.messages) == 2, 30)
    finally:
        poller.send_signal(signal.SIGINT)
        try:
            poller.wait(20)
        except subprocess.TimeoutExpired:
            poller.kill()
    assert (first, second) == (True, True)
