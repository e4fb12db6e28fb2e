"""Loopback mail servers scripted to answer as the Chinese providers do (NetEase 126/163, QQ…).

`ProviderImapProxy` sits in front of the local pymap server and changes only what a provider's
front end changes: NetEase refuses SELECT/EXAMINE until the client has sent ID (RFC 2971); an older
server announces no ID at all; a provider refuses LOGIN with its own words. Everything else is
pymap's real answer. `ProviderSmtp` is aiosmtpd with AUTH that refuses a wrong password and a
foreign sender in the providers' words and delivers into the pymap mailbox.
"""

from __future__ import annotations

import re
import socket
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from intake.local_imap import LocalImapServer
from intake.smtp_capture import LOOPBACK, free_port
from tests.loopback import LoopbackListener

NETEASE_UNSAFE_LOGIN = b"NO SELECT Unsafe Login. Please contact kefu@188.com for help"
NETEASE_LOGIN_ERROR = b"NO LOGIN Login error user name or password error"
QQ_LOGIN_FAIL = (
    b"NO Login fail. Account is abnormal, service is not open, password is incorrect, login frequency limited, "
    b"or system is busy. More information at https://service.mail.qq.com/detail/0/428"
)

NETEASE_SMTP_AUTH_FAILED = "535 Error: authentication failed"
QQ_SMTP_LOGIN_FAIL = (
    "535 Login fail. Account is abnormal, service is not open, password is incorrect, login frequency limited, "
    "or system is busy. More information at https://service.mail.qq.com/detail/0/53"
)
NETEASE_SENDER_REFUSED = "553 Mail from must equal authorized user"

_LITERAL = re.compile(rb"\{(\d+)\+?\}\r\n$")
_COMMAND = re.compile(rb"(\S+) (?:UID )?([A-Za-z]+)")


class _Units:
    """Complete lines from a socket; a line announcing a literal comes with the literal's bytes."""

    def __init__(self, sock: socket.socket) -> None:
        self._file = sock.makefile("rb")

    def next(self) -> tuple[bytes, bytes]:
        """(line, literal bytes that follow it); an empty line means the peer closed."""
        line = self._file.readline()
        literal = _LITERAL.search(line)
        return line, self._file.read(int(literal.group(1))) if literal else b""


class ProviderImapProxy(LoopbackListener):
    """IMAP on loopback in front of pymap at `target_port`.

    `require_id`: SELECT and EXAMINE answer NetEase's `NO SELECT Unsafe Login…` until ID was sent on
    the connection. `announce_id=False`: ID is taken out of every capability list and answered BAD,
    as by a server that does not know it. `login_answer`: LOGIN is answered with these words (after
    the tag) instead of reaching pymap. `ids` counts the ID commands clients sent.
    """

    def __init__(
        self, target_port: int, *, require_id: bool = False, announce_id: bool = True, login_answer: bytes | None = None
    ) -> None:
        self.target_port = target_port
        self.require_id = require_id
        self.announce_id = announce_id
        self.login_answer = login_answer
        self.ids = 0
        self.refused_selects = 0
        super().__init__()

    def on_connection(self, client: socket.socket) -> None:
        upstream = socket.create_connection(("127.0.0.1", self.target_port))
        session = _Session(self, client, upstream)
        threading.Thread(target=session.from_client, daemon=True).start()
        threading.Thread(target=session.from_server, daemon=True).start()


class _Session:
    def __init__(self, proxy: ProviderImapProxy, client: socket.socket, upstream: socket.socket) -> None:
        self.proxy = proxy
        self.client = client
        self.upstream = upstream
        self.identified = False
        self.lock = threading.Lock()  # both directions write to the client

    def answer(self, data: bytes) -> None:
        with self.lock:
            self.client.sendall(data)

    def close(self) -> None:
        for sock in (self.client, self.upstream):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def from_client(self) -> None:
        units = _Units(self.client)
        try:
            while not self.proxy.stopped:
                line, literal = units.next()
                if not line:
                    return
                answer = self._scripted(line)
                if answer is None:
                    self.upstream.sendall(line + literal)
                else:
                    self.answer(answer)
        except OSError:
            return
        finally:
            self.close()

    def _scripted(self, line: bytes) -> bytes | None:
        """The provider's own answer to a client command, or None to let pymap answer."""
        match = _COMMAND.match(line)
        if match is None:
            return None
        tag, command = match.group(1), match.group(2).upper()
        proxy = self.proxy
        if command == b"ID":
            if not proxy.announce_id:
                return tag + b" BAD Unknown command\r\n"
            proxy.ids += 1
            self.identified = True
        elif command in (b"SELECT", b"EXAMINE") and proxy.require_id and not self.identified:
            proxy.refused_selects += 1
            return tag + b" " + NETEASE_UNSAFE_LOGIN + b"\r\n"
        elif command == b"LOGIN" and proxy.login_answer is not None:
            return tag + b" " + proxy.login_answer + b"\r\n"
        return None

    def from_server(self) -> None:
        units = _Units(self.upstream)
        try:
            while not self.proxy.stopped:
                line, literal = units.next()
                if not line:
                    return
                if not self.proxy.announce_id and b"CAPABILITY " in line:
                    line = line.replace(b" ID ", b" ").replace(b" ID]", b"]").replace(b" ID\r\n", b"\r\n")
                self.answer(line + literal)
        except OSError:
            return
        finally:
            self.close()


class ProviderSmtp:
    """SMTP with AUTH on loopback, as the providers answer: a wrong password gets `login_refusal`, a
    MAIL FROM other than the logged-in account gets NetEase's 553, and accepted mail is delivered
    into the mailbox of `deliver_to`. `null_sender_refusal` answers MAIL FROM:<> (accepted when None)."""

    def __init__(
        self, deliver_to: LocalImapServer, *, login_refusal: str = NETEASE_SMTP_AUTH_FAILED, password: str | None = None,
        null_sender_refusal: str | None = None,
    ) -> None:
        self.host = LOOPBACK
        self.port = free_port()
        self.user = deliver_to.user
        self.password = deliver_to.password if password is None else password
        self.login_refusal = login_refusal
        self.null_sender_refusal = null_sender_refusal
        self.deliver_to = deliver_to
        self.delivered = 0
        self._controller = Controller(
            self, hostname=self.host, port=self.port, authenticator=self._authenticate, auth_require_tls=False
        )

    def __enter__(self) -> ProviderSmtp:
        self._controller.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._controller.stop()

    def _authenticate(self, _server: SMTP, _session: Session, _envelope: Envelope, _mechanism: str,
                      data: LoginPassword) -> AuthResult:
        if (data.login.decode(), data.password.decode()) == (self.user, self.password):
            return AuthResult(success=True, auth_data=data)
        return AuthResult(success=False, handled=False, message=self.login_refusal)

    async def handle_MAIL(self, _server: SMTP, _session: Session, envelope: Envelope, address: str,  # noqa: N802
                          options: list[str]) -> str:
        if address in ("", "<>") and self.null_sender_refusal:
            return self.null_sender_refusal
        if address not in ("", "<>") and address.lower() != self.user.lower():
            return NETEASE_SENDER_REFUSED
        envelope.mail_from, envelope.mail_options = address, list(options)
        return "250 Mail OK"

    async def handle_DATA(self, _server: SMTP, _session: Session, envelope: Envelope) -> str:  # noqa: N802
        self.deliver_to.append(envelope.original_content or envelope.content)
        self.delivered += 1
        return "250 Mail OK queued"
