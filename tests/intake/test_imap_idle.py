"""IMAP IDLE: new mail is taken in within seconds; split responses, renewals and broken
connections never stop the worker."""

from __future__ import annotations

import imaplib
import socket
import threading
import time

from baosong.app import App
from intake.imap import CycleReport, connect, select_folder, watch
from intake.imap_idle import idle_wait
from intake.local_imap import LocalImapServer
from tests.intake.imap_helpers import (  # noqa: F401 - fixtures
    imap_app,
    imap_server,
    imap_settings,
    item_count,
    submission,
    wait_until,
)


class Watcher:
    """`watch()` in a thread, stopped and joined on exit."""

    def __init__(self, app: App) -> None:
        self.stop = threading.Event()
        self.cycles: list[CycleReport] = []
        self.thread = threading.Thread(target=watch, args=(app, self.stop), kwargs={"on_cycle": self.cycles.append})

    def __enter__(self) -> "Watcher":
        self.thread.start()
        assert wait_until(lambda: self.cycles, 10)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join(15)
        assert not self.thread.is_alive()


def test_mail_appended_while_idling_is_recorded_within_seconds(imap_server: LocalImapServer, imap_app: App) -> None:
    with Watcher(imap_app):
        time.sleep(0.3)  # the watcher is idling now
        appended = time.monotonic()
        imap_server.append(submission(1))
        recorded = wait_until(lambda: item_count(imap_app) == 1, 10)
        latency = time.monotonic() - appended

    assert recorded and latency < 3.0


def test_watcher_survives_the_server_going_away_while_idling(imap_server: LocalImapServer, imap_app: App) -> None:
    with Watcher(imap_app):
        time.sleep(0.3)
        imap_server.reset()  # every connection dropped; the mailbox comes back empty
        imap_server.append(submission(1))
        recorded = wait_until(lambda: item_count(imap_app) == 1, 15)

    assert recorded


def test_stop_ends_an_idle_wait_promptly(imap_server: LocalImapServer, imap_settings) -> None:  # noqa: ANN001
    box = connect(imap_settings.mailbox)
    select_folder(box, "INBOX")
    stop = threading.Event()
    threading.Timer(0.2, stop.set).start()
    started = time.monotonic()

    news = idle_wait(box.client, seconds=30, timeout=5, stop=stop)

    assert news is False and time.monotonic() - started < 2.0
    box.logout()


def test_quiet_idle_period_ends_with_the_connection_still_usable(imap_server: LocalImapServer, imap_settings) -> None:  # noqa: ANN001
    box = connect(imap_settings.mailbox)
    select_folder(box, "INBOX")

    news = idle_wait(box.client, seconds=0.3, timeout=5)

    assert news is False and box.client.noop()[0] == "OK"
    box.logout()


def _scripted_server(chunks: list[bytes]) -> tuple[int, threading.Thread]:
    """A loopback server that greets PREAUTH, answers NOOP, then sends `chunks` with pauses between them after IDLE."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        connection, _ = listener.accept()
        with connection, listener:
            connection.sendall(b"* PREAUTH scripted\r\n")
            capability = connection.recv(1024).split(b" ")[0]
            connection.sendall(b"* CAPABILITY IMAP4rev1 IDLE\r\n" + capability + b" OK done\r\n")
            command = connection.recv(1024)
            if b" NOOP" in command:  # the client first collects what is pending
                connection.sendall(command.split(b" ")[0] + b" OK NOOP done\r\n")
                command = connection.recv(1024)
            tag = command.split(b" ")[0]
            for chunk in chunks:
                connection.sendall(chunk.replace(b"TAG", tag))
                time.sleep(0.15)
            connection.recv(1024)  # DONE
            connection.sendall(tag + b" OK IDLE terminated\r\n")
            connection.recv(1024)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return port, thread


def test_idle_reads_a_response_split_across_tcp_segments() -> None:
    port, thread = _scripted_server([b"+ idling\r\n* 4 EXI", b"STS\r", b"\n"])
    client = imaplib.IMAP4("127.0.0.1", port, timeout=5)

    news = idle_wait(client, seconds=5, timeout=5)

    assert news is True and client.tagged_commands == {}
    client.shutdown()
    thread.join(5)


def test_idle_keepalive_lines_are_not_news() -> None:
    port, thread = _scripted_server([b"+ idling\r\n", b"* OK Still here\r\n"])
    client = imaplib.IMAP4("127.0.0.1", port, timeout=5)

    news = idle_wait(client, seconds=0.6, timeout=5)

    assert news is False
    client.shutdown()
    thread.join(5)
