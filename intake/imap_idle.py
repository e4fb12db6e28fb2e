"""IMAP IDLE (RFC 2177) with our own buffering.

imap-tools' `idle.poll()` reads lines straight off a non-blocking socket and gives up with
"unterminated line" when a response arrives split across TCP segments (seen during a 2 MB APPEND).
Here every byte read goes into one buffer and only complete lines (literals included) are looked
at, so a split response simply waits for its second half.
"""

from __future__ import annotations

import imaplib
import re
import select
import ssl
import threading
import time
from dataclasses import dataclass

imaplib.Commands.setdefault("IDLE", ("AUTH", "SELECTED"))

READ_SIZE = 65536
STOP_CHECK_SECONDS = 0.5  # how quickly a shutdown request interrupts an IDLE wait
MAX_SHORTCUTS = 10  # cycles in a row started on news announced outside IDLE, before idling anyway
_LITERAL = re.compile(rb"\{(\d+)\+?\}$")


class IdleError(ConnectionError):
    """The server closed the connection or answered IDLE with something unexpected."""


class _Lines:
    """Complete response lines from a socket, whatever the segment boundaries."""

    def __init__(self, client: imaplib.IMAP4) -> None:
        self._file = client.file
        self._sock = client.sock
        self._buffer = b""

    def _read_available(self) -> bytes | None:
        """Whatever is readable now; b"" means the peer closed, None means nothing yet."""
        try:
            chunk = self._file.read1(READ_SIZE)
        except (BlockingIOError, ssl.SSLWantReadError):
            return None
        return chunk

    def _ready(self, wait: float) -> bool:
        pending = getattr(self._sock, "pending", None)  # TLS may hold decrypted bytes select() cannot see
        if pending is not None and pending() > 0:
            return True
        return bool(select.select([self._sock], [], [], wait)[0])

    def _take(self) -> bytes | None:
        """One complete line (with any literals it announces) from the buffer, or None."""
        start = 0
        while True:
            end = self._buffer.find(b"\r\n", start)
            if end < 0:
                return None
            literal = _LITERAL.search(self._buffer[:end])
            if literal is None:
                line, self._buffer = self._buffer[:end], self._buffer[end + 2 :]
                return line
            start = end + 2 + int(literal.group(1))
            if start > len(self._buffer):
                return None

    def next(self, deadline: float, stop: threading.Event | None = None) -> bytes | None:
        """The next line, or None when the deadline passes or `stop` is set first."""
        first = True
        while True:
            line = self._take()
            if line is not None:
                return line
            chunk = self._read_available() if first else None
            first = False
            if chunk:
                self._buffer += chunk
                continue
            remaining = deadline - time.monotonic()
            if remaining <= 0 or (stop is not None and stop.is_set()):
                return None
            if self._ready(min(remaining, STOP_CHECK_SECONDS)):
                chunk = self._read_available()
                if chunk == b"":
                    raise IdleError("IMAP 服务器关闭了连接")
                if chunk:
                    self._buffer += chunk

    @property
    def leftover(self) -> bytes:
        return self._buffer


def _is_news(line: bytes) -> bool:
    """An untagged response that says the folder changed (EXISTS, RECENT, EXPUNGE, FETCH…)."""
    return line.startswith(b"* ") and not line.upper().startswith(b"* OK")


@dataclass
class IdleTracker:
    """What one connection has seen between IDLEs (a new connection starts a new tracker)."""

    idled: bool = False  # before the first IDLE, SELECT's own EXISTS is a baseline, not news
    shortcuts: int = 0  # cycles in a row started on news announced outside IDLE


def _reported_while_busy(client: imaplib.IMAP4, tracker: IdleTracker) -> bool:
    """New mail the server announced since the last IDLE, outside IDLE: then idling would miss it.

    A server tells each session about a new message once. When it arrives during a cycle, its
    EXISTS comes with a FETCH or STORE answer (imaplib files it in `untagged_responses`), and some
    servers (pymap) only report changes made after IDLE began; either way IDLE would wait for the
    next renewal. A NOOP collects what is pending. On a connection that has not idled yet SELECT's
    own EXISTS is no news, only a changed count is. A server that announces EXISTS on every
    command could keep us from ever idling: after MAX_SHORTCUTS in a row, IDLE regardless.
    """
    client.noop()
    counts = client.untagged_responses.pop("EXISTS", [])
    client.untagged_responses.pop("RECENT", None)
    news = bool(counts) if tracker.idled else len(set(counts)) > 1
    tracker.idled = True
    tracker.shortcuts = tracker.shortcuts + 1 if news else 0
    if tracker.shortcuts > MAX_SHORTCUTS:
        tracker.shortcuts, news = 0, False
    return news


def idle_wait(
    client: imaplib.IMAP4,
    *,
    seconds: float,
    timeout: float,
    stop: threading.Event | None = None,
    tracker: IdleTracker | None = None,
) -> bool:
    """IDLE on the selected folder for up to `seconds`; True when the server reported a change
    (during IDLE, or on the commands since the last IDLE: then without idling at all).

    Returns early when `stop` is set. Raises IdleError (or OSError) when the connection breaks,
    so the caller reconnects.
    """
    if _reported_while_busy(client, tracker or IdleTracker()):
        return True
    sock = client.sock
    saved_timeout = sock.gettimeout()
    tag = client._command("IDLE")  # noqa: SLF001 - imaplib has no public IDLE
    lines = _Lines(client)
    sock.settimeout(0)
    try:
        greeting = lines.next(time.monotonic() + timeout)
        if greeting is None or not greeting.startswith(b"+"):
            raise IdleError(f"服务器未接受 IDLE：{greeting!r}")
        news = False
        deadline = time.monotonic() + seconds
        while not news:
            line = lines.next(deadline, stop)
            if line is None:
                break
            if line.upper().startswith(b"* BYE"):
                raise IdleError(f"IMAP 服务器断开：{line!r}")
            news = _is_news(line)
        client.send(b"DONE\r\n")
        finish = time.monotonic() + timeout
        while True:
            line = lines.next(finish)
            if line is None:
                raise IdleError("IDLE 结束时服务器没有应答")
            if line.startswith(tag + b" "):
                if not line[len(tag) + 1 :].upper().startswith(b"OK"):
                    raise IdleError(f"IDLE 失败：{line!r}")
                break
        if lines.leftover:
            raise IdleError("IDLE 结束后收到多余的数据")
        return news
    finally:
        client.tagged_commands.pop(tag, None)
        sock.settimeout(saved_timeout)
