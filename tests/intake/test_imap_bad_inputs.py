"""BAD-INPUTS "Intake" rows not covered elsewhere, against a real pymap server on loopback: a big
message arriving while idling, mail arriving while a cycle is busy (its EXISTS is announced outside
IDLE), one connection kept across IDLE renewals, a server that hangs mid-download, and a server
that announces mail on every command."""

from __future__ import annotations

import imaplib
import random
import socket
import threading
import time
from dataclasses import replace

import pytest

from baosong.app import open_app
from intake.imap import poll_once, watch
from intake.imap_idle import MAX_SHORTCUTS, IdleTracker, idle_wait
from intake.local_imap import LocalImapServer
from tests.factories.mail import DOCX_TYPE, Attachment
from tests.intake.imap_helpers import (  # noqa: F401 - fixtures
    CuttingProxy,
    imap_app,
    imap_server,
    imap_settings,
    item_count,
    pointed_at,
    submission,
    verdicts_by_uid,
    wait_until,
)
from tests.intake.test_imap_idle import Watcher

pytestmark = pytest.mark.timeout(90)


@pytest.mark.timeout(60)
def test_two_megabyte_message_arriving_while_idling_is_recorded(imap_server: LocalImapServer, imap_app) -> None:  # noqa: ANN001
    big = random.Random(2).randbytes(2 * 1024 * 1024)
    with Watcher(imap_app) as watcher:
        time.sleep(0.3)  # the watcher is idling now
        imap_server.append(submission(1, attachments=[Attachment("昌吉市环境保护局+大附件.docx", big, DOCX_TYPE)]))
        recorded = wait_until(lambda: item_count(imap_app) == 1, 20)

    assert recorded and all(report.error is None for report in watcher.cycles)


@pytest.mark.timeout(60)
def test_message_arriving_during_a_cycle_is_taken_in_without_waiting_for_the_idle_renewal(
    imap_server: LocalImapServer, imap_app  # noqa: ANN001
) -> None:
    appended: list[int] = []

    def append_while_busy(_report, _result) -> None:  # noqa: ANN001 - runs inside the cycle, after its listing
        if not appended:
            appended.append(imap_server.append(submission(2)))

    stop = threading.Event()
    worker = threading.Thread(target=watch, args=(imap_app, stop), kwargs={"on_message": append_while_busy})
    imap_server.append(submission(1))
    worker.start()
    try:
        recorded = wait_until(lambda: item_count(imap_app) == 2, 10)  # the IDLE renewal is 30 s away
    finally:
        stop.set()
        worker.join(15)

    assert recorded and not worker.is_alive()


def test_watcher_keeps_one_connection_across_idle_renewals(imap_server: LocalImapServer, imap_settings) -> None:  # noqa: ANN001
    with CuttingProxy(imap_server.port) as proxy:
        settings = pointed_at(imap_settings, "127.0.0.1", proxy.port, imap_server)
        app = open_app(replace(settings, mailbox=replace(settings.mailbox, idle_renew_seconds=1)), seed_units=True)
        with Watcher(app) as watcher:
            renewed = wait_until(lambda: len(watcher.cycles) >= 3, 15)  # a cycle after each 1 s IDLE
            imap_server.append(submission(1))
            recorded = wait_until(lambda: item_count(app) == 1, 10)
        app.close()

    assert renewed and recorded and proxy.connections == 1


def test_server_hanging_mid_download_is_timed_out_and_the_cycle_resumes(imap_server: LocalImapServer, imap_settings) -> None:  # noqa: ANN001
    mails = [submission(n, attachments=[Attachment(f"件{n}.docx", bytes([n]) * 60_000, DOCX_TYPE)]) for n in range(4)]
    for raw in mails:
        imap_server.append(raw)
    with CuttingProxy(imap_server.port, stall_after=200_000) as proxy:
        settings = pointed_at(imap_settings, "127.0.0.1", proxy.port, imap_server)
        app = open_app(replace(settings, mailbox=replace(settings.mailbox, timeout_seconds=2)), seed_units=True)
        started = time.monotonic()
        report = poll_once(app)
        seconds = time.monotonic() - started

    assert (proxy.stalls, report.error) == (1, None) and report.reconnects >= 1
    assert sorted(verdicts_by_uid(app)) == [101, 102, 103, 104] and all(len(v) == 1 for v in verdicts_by_uid(app).values())
    assert seconds < 30  # two 2 s socket timeouts and a reconnect, not a hang
    app.close()


def _chatty_server() -> tuple[int, threading.Thread, list[bytes]]:
    """PREAUTH; answers every NOOP with "* 5 EXISTS" (as if mail kept arriving); IDLE is answered
    and ended normally. Records the commands it saw."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    seen: list[bytes] = []

    def serve() -> None:
        connection, _ = listener.accept()
        with connection, listener:
            lines = connection.makefile("rb")
            connection.sendall(b"* PREAUTH chatty\r\n")
            for _ in range(4 * (MAX_SHORTCUTS + 1)):  # bounded: NOOP, or NOOP and IDLE, per idle_wait call
                line = lines.readline()
                if not line:
                    return
                tag, _, command = line.rstrip(b"\r\n").partition(b" ")
                seen.append(command.upper())
                if command.upper() == b"CAPABILITY":
                    connection.sendall(b"* CAPABILITY IMAP4rev1 IDLE\r\n" + tag + b" OK done\r\n")
                elif command.upper() == b"NOOP":
                    connection.sendall(b"* 5 EXISTS\r\n" + tag + b" OK NOOP done\r\n")
                elif command.upper() == b"IDLE":
                    connection.sendall(b"+ idling\r\n")
                    lines.readline()  # DONE
                    connection.sendall(tag + b" OK IDLE terminated\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return port, thread, seen


@pytest.mark.timeout(30)
def test_server_announcing_mail_on_every_command_cannot_keep_the_watcher_from_idling() -> None:
    port, thread, seen = _chatty_server()
    client = imaplib.IMAP4("127.0.0.1", port, timeout=5)
    tracker = IdleTracker()
    results = [idle_wait(client, seconds=0.2, timeout=5, tracker=tracker) for _ in range(MAX_SHORTCUTS + 2)]
    client.shutdown()
    thread.join(5)

    # the first count on a connection is the baseline; then at most MAX_SHORTCUTS cycles without idling
    assert results == [False] + [True] * MAX_SHORTCUTS + [False] and seen.count(b"IDLE") == 2
