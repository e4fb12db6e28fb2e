"""Fixtures and helpers for the IMAP intake tests: a real pymap server on loopback, an opened app
pointed at it, submissions, a TCP proxy that cuts connections, and `baosong` in a subprocess."""

from __future__ import annotations

import os
import re
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select as sql_select

from baosong.app import App, open_app
from baosong.models import Item, MailboxMessage, RawMessage
from baosong.settings import Settings
from intake.local_imap import LocalImapServer
from intake.mailparse import parse_mail
from tests.factories.docx import make_docx
from tests.factories.mail import DOCX_TYPE, Attachment, build_mail
from tests.loopback import LoopbackListener
from validators.judge import judge_mail

UNIT_SENDER = "changji@example.cn"  # registered in config/orgs/A/units.csv
BAOSONG = Path(sys.executable).with_name("baosong")


@pytest.fixture
def imap_server() -> Iterator[LocalImapServer]:
    with LocalImapServer() as server:
        yield server


def pointed_at(settings: Settings, host: str, port: int, server: LocalImapServer, **mailbox) -> Settings:  # noqa: ANN003
    return replace(
        settings,
        mailbox=replace(
            settings.mailbox,
            host=host,
            port=port,
            user=server.user,
            password=server.password,
            ssl=False,
            timeout_seconds=10,
            poll_seconds=1,
            idle_renew_seconds=30,
            **mailbox,
        ),
    )


@pytest.fixture
def imap_settings(settings: Settings, imap_server: LocalImapServer) -> Settings:
    return pointed_at(settings, imap_server.host, imap_server.port, imap_server)


@pytest.fixture
def imap_app(imap_settings: Settings) -> Iterator[App]:
    app = open_app(imap_settings, seed_units=True)
    yield app
    app.close()


def submission(number: int, *, sender: str = UNIT_SENDER, attachments: list[Attachment] | None = None) -> bytes:
    """A distinct submission (its own Message-ID, title and text)."""
    title = f"昌吉市环境保护局2026年3月{number % 28 + 1}日开展第{number}次大气污染防治专项检查"
    paragraphs = [f"2026年3月{number % 28 + 1}日，昌吉市环境保护局组织执法人员对第{number}批重点企业开展专项检查，共检查企业{number + 3}家。"]
    document = make_docx(title=title, paragraphs=paragraphs)
    return build_mail(
        sender=sender,
        subject=title,
        message_id=f"<submission.{number}@changji.example.cn>",
        attachments=attachments if attachments is not None else [Attachment(f"昌吉市环境保护局+{title}.docx", document, DOCX_TYPE)],
    )


def expected_verdict(app: App, raw: bytes) -> str:
    """What the judge (`baosong check`) says about these bytes."""
    return str(judge_mail(parse_mail(raw), app.judge_context(), today=datetime.now().astimezone().date()).verdict)


def item_count(app: App) -> int:
    with app.sessions() as session:
        return session.scalar(sql_select(func.count()).select_from(Item)) or 0


def raw_count(app: App) -> int:
    with app.sessions() as session:
        return session.scalar(sql_select(func.count()).select_from(RawMessage)) or 0


def verdicts_by_uid(app: App) -> dict[int, list[str]]:
    """Per server UID: the verdicts recorded for it (exactly one each when intake is right)."""
    with app.sessions() as session:
        rows = session.execute(
            sql_select(MailboxMessage.uid, Item.verdict)
            .join(Item, Item.raw_message_id == MailboxMessage.raw_message_id)
            .order_by(MailboxMessage.uid)
        ).all()
    found: dict[int, list[str]] = {}
    for uid, verdict in rows:
        found.setdefault(uid, []).append(verdict)
    return found


def flagged_uids(server: LocalImapServer, flag: str = "$Baosong") -> set[int]:
    return {m.uid for m in server.messages() if flag in m.flags}


def wait_until(condition, seconds: float, step: float = 0.05) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def cli_env(settings: Settings, **extra: str) -> dict[str, str]:
    mailbox = settings.mailbox
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAOSONG_")}
    env.update(
        BAOSONG_MAILBOX_HOST=mailbox.host,
        BAOSONG_MAILBOX_PORT=str(mailbox.port),
        BAOSONG_MAILBOX_USER=mailbox.user,
        BAOSONG_MAILBOX_PASSWORD=mailbox.password,
        BAOSONG_MAILBOX_SSL="false",
        BAOSONG_MAILBOX_TIMEOUT_SECONDS="10",
        BAOSONG_PATHS_DATA=settings.paths.data,
        BAOSONG_DATABASE_URL=settings.database_url,
        **extra,
    )
    return env


def run_cli(settings: Settings, *args: str, cwd: Path, timeout: float = 60, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BAOSONG), *args], cwd=cwd, env=cli_env(settings, **extra), capture_output=True, timeout=timeout
    )


class CuttingProxy(LoopbackListener):
    """A loopback TCP proxy in front of the IMAP server that can cut the connection mid-transfer.

    The first connection is closed once `cut_after` bytes went from the server to the client; while
    `refuse` is set (from the cut on, with `refuse_after_cut`), new connections are closed at once:
    the server looks down. With `stall_after`, the first connection instead goes silent after that
    many bytes and stays open (a server that hangs mid-transfer). A download of a UID in
    `refuse_fetch` is answered NO, as servers answer for a message they cannot read from their own
    store. `connections` counts the connections accepted.
    """

    def __init__(
        self, target_port: int, *, cut_after: int | None = None, refuse_after_cut: bool = False,
        refuse_fetch: frozenset[int] = frozenset(), stall_after: int | None = None,
    ) -> None:
        self.target_port = target_port
        self.refuse_fetch = set(refuse_fetch)
        self.refused_fetches = 0
        self.cut_after = cut_after
        self.stall_after = stall_after
        self.stalls = 0
        self.connections = 0
        self.refuse_after_cut = refuse_after_cut
        self.refuse = False
        self.cuts = 0
        super().__init__()

    def on_connection(self, client: socket.socket) -> None:
        if self.refuse:
            client.close()
            return
        self.connections += 1
        upstream = socket.create_connection(("127.0.0.1", self.target_port))
        cut = self.cut_after if self.cuts == 0 else None
        stall = self.stall_after if self.connections == 1 else None
        threading.Thread(target=self._pump, args=(client, upstream, cut, stall), daemon=True).start()

    def _refused_tag(self, command: bytes) -> bytes | None:
        match = re.match(rb"(\S+) UID FETCH (\d+) \((?:INTERNALDATE )?BODY\.PEEK\[\]\)\r\n$", command)
        if match is None or int(match.group(2)) not in self.refuse_fetch:
            return None
        self.refused_fetches += 1
        return match.group(1)

    def _pump(self, client: socket.socket, upstream: socket.socket, cut: int | None, stall: int | None = None) -> None:
        sent = 0
        try:
            while not self.stopped:
                ready, _, _ = select.select([client, upstream], [], [], 0.2)
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    if sock is upstream:
                        if stall is not None and sent + len(data) >= stall:
                            client.sendall(data[: max(0, stall - sent)])
                            self.stalls += 1
                            self._stop.wait()  # silent, connection open, until the proxy closes
                            return
                        if cut is not None and sent + len(data) >= cut:
                            client.sendall(data[: max(0, cut - sent)])
                            self.cuts += 1
                            self.refuse = self.refuse_after_cut
                            return
                        sent += len(data)
                        client.sendall(data)
                    elif (tag := self._refused_tag(data)) is not None:
                        client.sendall(tag + b" NO [UNAVAILABLE] message cannot be read\r\n")
                    else:
                        upstream.sendall(data)
        except OSError:
            return
        finally:
            client.close()
            upstream.close()
