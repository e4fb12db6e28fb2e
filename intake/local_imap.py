"""A real IMAP server (pymap, in-memory "dict" backend) on loopback, for the demo and the tests.

The server runs in a background thread with its own asyncio loop. It advertises IDLE and MOVE,
keeps messages in memory, and `reset()` starts it afresh on the same port: every folder is
recreated empty with a new UIDVALIDITY and UIDs start again at 101, which is what a real server
does when a mailbox is rebuilt.
"""

from __future__ import annotations

import asyncio
import imaplib
import re
import threading
from argparse import Namespace
from collections.abc import Iterable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import datetime

from imap_tools.imap_utf7 import utf7_encode
from pymap.backend.dict import DictBackend
from pymap.backend.dict.mailbox import MailboxData
from pymap.imap import IMAPService
from pymap.parsing.specials.flag import Flag, get_system_flags
from pysasl.hashing import BuiltinHash

from intake.smtp_capture import free_port

LOOPBACK = "127.0.0.1"
START_TIMEOUT = 10.0

# pymap's in-memory mailboxes accept only the system flags; real servers (Dovecot, Exchange,
# Coremail) also keep keywords such as "$Baosong". Allowing the keyword wildcard makes the local
# server behave like them.
MailboxData.permanent_flags = property(lambda self: get_system_flags() | {Flag(b"\\*")})  # type: ignore[assignment]


def _quoted(folder: str) -> str:
    """A folder name as IMAP wants it: modified UTF-7 (RFC 3501 §5.1.3), quoted."""
    return '"' + utf7_encode(folder).decode("ascii") + '"'


@dataclass(frozen=True)
class ServerMessage:
    uid: int
    size: int
    flags: frozenset[str]


def _pymap_args(port: int, user: str, password: str) -> Namespace:
    return Namespace(
        host=LOOPBACK,
        port=str(port),
        debug=False,
        cert=None,
        key=None,
        tls=False,
        passlib_cfg=None,
        proxy_protocol=None,
        inherited_sockets=None,
        demo_data=False,
        demo_user=user,
        demo_password=password,
    )


class LocalImapServer:
    """`with LocalImapServer() as server:` — host, port, user and password to point baosong at."""

    def __init__(self, *, user: str = "xinxi@localhost", password: str = "local-pass", port: int = 0) -> None:
        self.host = LOOPBACK
        self.port = port or free_port()
        self.user = user
        self.password = password
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopped: asyncio.Event | None = None

    def __enter__(self) -> LocalImapServer:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def start(self) -> None:
        ready = threading.Event()
        failure: list[BaseException] = []
        self._thread = threading.Thread(target=self._serve, args=(ready, failure), name="local-imap", daemon=True)
        self._thread.start()
        if not ready.wait(START_TIMEOUT):
            raise RuntimeError("本地 IMAP 服务器未能启动")
        if failure:
            raise RuntimeError(f"本地 IMAP 服务器未能启动：{failure[0]}") from failure[0]

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        self._loop.call_soon_threadsafe(self._stopped.set)
        self._thread.join(START_TIMEOUT)
        self._thread = self._loop = self._stopped = None

    def reset(self) -> None:
        """Drop every connection and start empty on the same port: a new UIDVALIDITY everywhere."""
        self.stop()
        self.start()

    def _serve(self, ready: threading.Event, failure: list[BaseException]) -> None:
        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._stopped = asyncio.Event()
            try:
                backend, config = await DictBackend.init(
                    _pymap_args(self.port, self.user, self.password),
                    reject_dnsbl=False,
                    invalid_user_sleep=0.0,
                    hash_context=BuiltinHash(rounds=1000),  # loopback only: a cheap hash keeps LOGIN fast
                )
                config.apply_context()
                async with AsyncExitStack() as stack:
                    await backend.start(stack)
                    await IMAPService(backend, config).start(stack)
                    ready.set()
                    await self._stopped.wait()
            except BaseException as exc:  # noqa: BLE001 - reported to the thread that called start()
                failure.append(exc)
                ready.set()

        asyncio.run(main())

    # -- client helpers (plain imaplib, so the tests never go through the code under test) --

    def client(self) -> imaplib.IMAP4:
        connection = imaplib.IMAP4(self.host, self.port, timeout=30)
        connection.login(self.user, self.password)
        return connection

    def append(
        self, raw: bytes, *, folder: str = "INBOX", flags: Iterable[str] = (), internal_date: datetime | None = None
    ) -> int:
        """APPEND one message (arrived at `internal_date`, default now); returns its UID."""
        with Appender(self) as appender:
            return appender.append(raw, folder=folder, flags=flags, internal_date=internal_date)

    def create_folder(self, folder: str) -> None:
        connection = self.client()
        try:
            connection.create(_quoted(folder))
        finally:
            connection.logout()

    def messages(self, folder: str = "INBOX") -> list[ServerMessage]:
        connection = self.client()
        try:
            connection.select(_quoted(folder), readonly=True)
            status, data = connection.uid("FETCH", "1:*", "(UID RFC822.SIZE FLAGS)")
        finally:
            connection.logout()
        found = []
        for line in data if status == "OK" else []:
            if not isinstance(line, bytes):
                continue
            uid = re.search(rb"UID (\d+)", line)
            size = re.search(rb"RFC822\.SIZE (\d+)", line)
            flags = re.search(rb"FLAGS \(([^)]*)\)", line)
            if uid and size:
                names = flags.group(1).decode().split() if flags else []
                found.append(ServerMessage(int(uid.group(1)), int(size.group(1)), frozenset(names)))
        return found

    def uidvalidity(self, folder: str = "INBOX") -> int:
        connection = self.client()
        try:
            status, data = connection.status(_quoted(folder), "(UIDVALIDITY)")
        finally:
            connection.logout()
        return int(re.search(rb"UIDVALIDITY (\d+)", data[0]).group(1))


class Appender:
    """One open connection for many APPENDs (filling a backlog quickly)."""

    def __init__(self, server: LocalImapServer) -> None:
        self._server = server
        self._connection: imaplib.IMAP4 | None = None

    def __enter__(self) -> Appender:
        self._connection = self._server.client()
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._connection is not None:
            self._connection.logout()

    def append(
        self, raw: bytes, *, folder: str = "INBOX", flags: Iterable[str] = (), internal_date: datetime | None = None
    ) -> int:
        flag_list = f"({' '.join(flags)})" if flags else None
        stamp = imaplib.Time2Internaldate(internal_date) if internal_date else None
        status, data = self._connection.append(_quoted(folder), flag_list, stamp, raw)
        if status != "OK":
            raise RuntimeError(f"APPEND failed: {data!r}")
        found = re.search(rb"APPENDUID \d+ (\d+)", data[0] or b"")
        if found:
            return int(found.group(1))
        return max(m.uid for m in self._server.messages(folder))
