"""Crash tests: `baosong poll --once` really SIGKILLed at each step, then run again."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from sqlalchemy import select

from baosong.app import open_app
from baosong.db import transaction
from baosong.models import MailboxMessage, RawMessage
from baosong.pipeline import INTERRUPTED, MAX_ATTEMPTS
from baosong import actions
from intake.local_imap import LocalImapServer
from tests.intake.imap_helpers import (  # noqa: F401 - fixtures
    expected_verdict,
    flagged_uids,
    imap_server,
    imap_settings,
    raw_count,
    run_cli,
    submission,
    verdicts_by_uid,
)


@pytest.mark.parametrize("point", ["after_archive", "after_commit", "after_flag"])
def test_killed_poll_then_rerun_ends_with_one_verdict_per_message(
    point: str, imap_server: LocalImapServer, imap_settings, tmp_path: Path  # noqa: ANN001
) -> None:
    app = open_app(imap_settings, seed_units=True)
    mails = [submission(n) for n in range(3)]
    expected = {imap_server.append(raw): [expected_verdict(app, raw)] for raw in mails}

    crashed = run_cli(imap_settings, "poll", "--once", cwd=tmp_path, BAOSONG_TEST_CRASH_AT=point)
    rerun = run_cli(imap_settings, "poll", "--once", cwd=tmp_path)

    assert crashed.returncode == -signal.SIGKILL, crashed.stderr.decode()
    assert rerun.returncode == 0, rerun.stderr.decode()
    assert verdicts_by_uid(app) == expected and raw_count(app) == 3
    assert flagged_uids(imap_server) == set(expected)
    app.close()


def test_message_killing_the_worker_while_judged_stops_being_retried_and_waits_for_a_clerk(
    imap_server: LocalImapServer, imap_settings, tmp_path: Path  # noqa: ANN001
) -> None:
    app = open_app(imap_settings, seed_units=True)
    poison = imap_server.append(submission(1))

    crashes = [run_cli(imap_settings, "poll", "--once", cwd=tmp_path, BAOSONG_TEST_CRASH_AT="while_judging") for _ in range(MAX_ATTEMPTS)]
    later = imap_server.append(submission(2))
    after = run_cli(imap_settings, "poll", "--once", cwd=tmp_path)

    assert [c.returncode for c in crashes] == [-signal.SIGKILL] * MAX_ATTEMPTS
    assert after.returncode == 0, after.stderr.decode()
    assert list(verdicts_by_uid(app)) == [later]  # the intake went on past the poison message
    with app.sessions() as session:
        stuck = session.scalar(select(RawMessage).join(MailboxMessage).where(MailboxMessage.uid == poison))
        assert (stuck.state, stuck.last_error) == ("failed", INTERRUPTED)
    app.close()


def test_fresh_mail_behind_a_message_that_keeps_killing_the_worker_is_judged_in_the_next_cycle(
    imap_server: LocalImapServer, imap_settings, tmp_path: Path  # noqa: ANN001
) -> None:
    app = open_app(imap_settings, seed_units=True)
    poison = imap_server.append(submission(1))
    first = run_cli(imap_settings, "poll", "--once", cwd=tmp_path, BAOSONG_TEST_CRASH_AT="while_judging")
    with app.sessions() as session:
        poison_raw = session.scalar(select(MailboxMessage.raw_message_id).where(MailboxMessage.uid == poison))
    fresh = imap_server.append(submission(2))

    second = run_cli(
        imap_settings, "poll", "--once", cwd=tmp_path,
        BAOSONG_TEST_CRASH_AT="while_judging", BAOSONG_TEST_CRASH_ONLY=str(poison_raw),
    )

    assert [first.returncode, second.returncode] == [-signal.SIGKILL] * 2  # the poison killed both cycles
    assert list(verdicts_by_uid(app)) == [fresh] and fresh in flagged_uids(imap_server)
    app.close()


def test_clerk_retry_gives_a_message_that_crashed_the_worker_a_fresh_set_of_attempts(
    imap_server: LocalImapServer, imap_settings, tmp_path: Path  # noqa: ANN001
) -> None:
    app = open_app(imap_settings, seed_units=True)
    uid = imap_server.append(submission(1))
    for _ in range(MAX_ATTEMPTS):
        run_cli(imap_settings, "poll", "--once", cwd=tmp_path, BAOSONG_TEST_CRASH_AT="while_judging")
    run_cli(imap_settings, "poll", "--once", cwd=tmp_path)
    with transaction(app.sessions) as session:
        raw_id = session.scalar(select(MailboxMessage.raw_message_id).where(MailboxMessage.uid == uid))
        actions.retry_message(session, raw_id, "wang")

    rerun = run_cli(imap_settings, "poll", "--once", cwd=tmp_path)

    assert rerun.returncode == 0, rerun.stderr.decode()
    assert list(verdicts_by_uid(app)) == [uid] and uid in flagged_uids(imap_server)
    app.close()
