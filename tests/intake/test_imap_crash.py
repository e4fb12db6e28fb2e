"""Crash tests: `baosong poll --once` really SIGKILLed at each step, then run again."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from baosong.app import open_app
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
