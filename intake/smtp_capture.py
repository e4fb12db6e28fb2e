"""A real SMTP server on loopback that keeps what it receives: for the demo and the tests.

    with SmtpCapture() as smtp:
        ...  # point settings.smtp at smtp.host / smtp.port (ssl and starttls off)
        smtp.wait_for(1)
        smtp.messages[0].mail_from  # "" for the null sender MAIL FROM:<>

`stop()` and `start()` again keep the same port, to play "the SMTP server was down for a while".
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class CapturedMessage:
    mail_from: str  # the envelope sender as given in MAIL FROM ("" for <>)
    rcpt_tos: tuple[str, ...]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)  # type: ignore[return-value]


class _Recorder:
    def __init__(self, capture: SmtpCapture) -> None:
        self.capture = capture

    async def handle_MAIL(self, server, session, envelope, address, mail_options) -> str:  # noqa: ANN001, N802
        if address in ("", "<>") and self.capture.null_sender_answer != "250 OK":
            return self.capture.null_sender_answer
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:  # noqa: ANN001, N802
        answer = self.capture.rcpt_answer
        if answer.startswith("250"):
            envelope.rcpt_tos.append(address)
        return answer

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802 (aiosmtpd hook)
        answer = self.capture.data_answer
        if answer.startswith("250"):
            self.capture._record(CapturedMessage(envelope.mail_from, tuple(envelope.rcpt_tos), envelope.content))
        if self.capture.answer_delay:
            await asyncio.sleep(self.capture.answer_delay)
        return answer


def free_port(host: str = LOOPBACK) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


class SmtpCapture:
    """Accepts every mail on host:port and records its envelope and bytes."""

    def __init__(self, host: str = LOOPBACK, port: int | None = None) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.data_answer = "250 OK"  # e.g. "451 4.3.0 try later" or "554 DT:SPM …" (a spam verdict)
        self.rcpt_answer = "250 OK"  # e.g. "550 User not found: …"
        self.null_sender_answer = "250 OK"  # e.g. "553 Mail from must equal authorized user" (NetEase)
        self.answer_delay = 0.0  # seconds between taking the data and answering (a slow server)
        self._messages: list[CapturedMessage] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    def start(self) -> SmtpCapture:
        if self._controller is None:
            self._controller = Controller(_Recorder(self), hostname=self.host, port=self.port)
            self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpCapture:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._controller is not None

    @property
    def messages(self) -> list[CapturedMessage]:
        with self._lock:
            return list(self._messages)

    def _record(self, message: CapturedMessage) -> None:
        with self._lock:
            self._messages.append(message)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[CapturedMessage]:
        """The messages once at least `count` arrived; raises TimeoutError after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.messages) >= count:
                return self.messages
            time.sleep(0.02)
        raise TimeoutError(f"expected {count} messages, got {len(self.messages)}")
