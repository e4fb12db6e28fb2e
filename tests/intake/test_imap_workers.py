"""Only one intake per mailbox at a time; with PostgreSQL, two workers never take one message twice."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from baosong.app import App, open_app
from intake import lease
from intake.imap import ImapIntake, lease_name, poll_once
from intake.local_imap import Appender, LocalImapServer
from tests.conftest import POSTGRES_URL
from tests.intake.imap_helpers import (  # noqa: F401 - fixtures
    flagged_uids,
    imap_app,
    imap_server,
    imap_settings,
    item_count,
    raw_count,
    submission,
    verdicts_by_uid,
)


def test_poll_is_skipped_while_another_worker_holds_the_mailbox(imap_server: LocalImapServer, imap_app: App) -> None:
    imap_server.append(submission(1))
    other = ImapIntake(imap_app)
    assert other.take_lease()

    report = poll_once(imap_app)

    assert report.busy and item_count(imap_app) == 0


def test_lease_left_by_a_killed_process_is_taken_over_at_once(imap_app: App) -> None:
    name = lease_name(imap_app.settings.mailbox)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    holder = lease.new_holder().split(":")[0] + f":{dead.stdout.strip()}:crashed"
    assert lease.acquire(imap_app.sessions, name, holder, 600)

    assert lease.acquire(imap_app.sessions, name, lease.new_holder(), 600)


def test_lease_of_a_live_worker_is_not_taken(imap_app: App) -> None:
    name = lease_name(imap_app.settings.mailbox)
    assert lease.acquire(imap_app.sessions, name, lease.new_holder(), 600)

    assert not lease.acquire(imap_app.sessions, name, lease.new_holder(), 600)


@pytest.mark.skipif(not POSTGRES_URL, reason="needs PostgreSQL (`make test` starts one; CI always has it)")
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite serves one worker per mailbox
def test_two_workers_never_process_one_message_twice(imap_server: LocalImapServer, imap_settings) -> None:  # noqa: ANN001
    apps = [open_app(imap_settings, seed_units=True), open_app(imap_settings)]  # separate engines, as two processes
    with Appender(imap_server) as appender:
        uids = [appender.append(submission(n)) for n in range(12)]
    barrier = threading.Barrier(2)

    def work(app: App) -> None:
        intake = ImapIntake(app)  # no lease: both read the folder at the same time, as if a lease expired
        barrier.wait()
        for _ in range(3):
            intake.cycle()
        intake.close_connection()

    threads = [threading.Thread(target=work, args=(app,)) for app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert {uid: len(v) for uid, v in verdicts_by_uid(apps[0]).items()} == {uid: 1 for uid in uids}
    assert (item_count(apps[0]), raw_count(apps[0]), flagged_uids(imap_server)) == (12, 12, set(uids))
    for app in apps:
        app.close()
