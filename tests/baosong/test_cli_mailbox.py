"""`baosong mailbox test` against loopback servers that answer as NetEase and QQ Mail do."""

from __future__ import annotations

import socket
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from baosong.cli import main
from intake.local_imap import LocalImapServer
from intake.smtp_capture import free_port
from tests.intake.imap_helpers import imap_server  # noqa: F401 - fixture
from tests.loopback import LoopbackListener
from tests.providers import (
    NETEASE_LOGIN_ERROR,
    QQ_LOGIN_FAIL,
    QQ_SMTP_LOGIN_FAIL,
    ProviderImapProxy,
    ProviderSmtp,
)

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def netease(imap_server: LocalImapServer) -> Iterator[ProviderImapProxy]:  # noqa: F811
    with ProviderImapProxy(imap_server.port, require_id=True) as proxy:
        yield proxy


@pytest.fixture
def smtp(imap_server: LocalImapServer) -> Iterator[ProviderSmtp]:  # noqa: F811
    with ProviderSmtp(imap_server) as server:
        yield server


def _env(tmp_path: Path, imap_port: int, server: LocalImapServer, smtp: ProviderSmtp | None, **extra: str) -> dict:
    env = {
        "BAOSONG_PATHS_DATA": str(tmp_path / "data"),
        "BAOSONG_MAILBOX_HOST": "127.0.0.1",
        "BAOSONG_MAILBOX_PORT": str(imap_port),
        "BAOSONG_MAILBOX_USER": server.user,
        "BAOSONG_MAILBOX_PASSWORD": server.password,
        "BAOSONG_MAILBOX_SSL": "false",
        "BAOSONG_MAILBOX_TIMEOUT_SECONDS": "5",
        "BAOSONG_SMTP_HOST": smtp.host if smtp else "",
        "BAOSONG_SMTP_PORT": str(smtp.port if smtp else 0),
        "BAOSONG_SMTP_SSL": "false",
        "BAOSONG_SMTP_TIMEOUT_SECONDS": "5",
    }
    return {**env, **extra}


def _run(tmp_path: Path, env: dict, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(tmp_path / "baosong.toml"), "mailbox", "test", *args], env=env)


def test_a_netease_like_mailbox_passes_with_its_message_count_and_idle(
    tmp_path: Path, imap_server: LocalImapServer, netease: ProviderImapProxy, smtp: ProviderSmtp  # noqa: F811
) -> None:
    imap_server.append(b"From: a@example.cn\r\nSubject: x\r\n\r\nhello\r\n")

    result = _run(tmp_path, _env(tmp_path, netease.port, imap_server, smtp))

    assert result.exit_code == 0, result.output
    assert "文件夹 INBOX 中有 1 封邮件" in result.output and "服务器支持 IDLE" in result.output
    assert (netease.ids, netease.refused_selects) == (1, 0)


def test_send_test_mails_the_mailbox_itself_and_sees_it_arrive(
    tmp_path: Path, imap_server: LocalImapServer, netease: ProviderImapProxy, smtp: ProviderSmtp  # noqa: F811
) -> None:
    result = _run(tmp_path, _env(tmp_path, netease.port, imap_server, smtp), "--send-test", "--wait", "30")

    assert result.exit_code == 0, result.output
    assert "收发都正常" in result.output and smtp.delivered == 1 and len(imap_server.messages()) == 1


@pytest.mark.parametrize(
    ("refusal", "explained"),
    [(NETEASE_LOGIN_ERROR, "设置 → POP3/SMTP/IMAP"), (QQ_LOGIN_FAIL, "设置 → 账号")],
    ids=["netease", "qq"],
)
def test_an_imap_login_refusal_explains_service_switch_and_authorisation_code(
    tmp_path: Path, imap_server: LocalImapServer, smtp: ProviderSmtp, refusal: bytes, explained: str  # noqa: F811
) -> None:
    with ProviderImapProxy(imap_server.port, login_answer=refusal) as provider:
        result = _run(tmp_path, _env(tmp_path, provider.port, imap_server, smtp))

    assert result.exit_code == 1
    assert "[失败] IMAP 登录" in result.output and explained in result.output and "授权码" in result.output


@pytest.mark.parametrize(
    ("refusal", "explained"),
    [("535 Error: authentication failed", "设置 → POP3/SMTP/IMAP"), (QQ_SMTP_LOGIN_FAIL, "设置 → 账号")],
    ids=["netease", "qq"],
)
def test_an_smtp_login_refusal_explains_the_authorisation_code(
    tmp_path: Path, imap_server: LocalImapServer, netease: ProviderImapProxy, refusal: str, explained: str  # noqa: F811
) -> None:
    with ProviderSmtp(imap_server, login_refusal=refusal, password="the-real-code") as smtp:
        result = _run(tmp_path, _env(tmp_path, netease.port, imap_server, smtp))

    assert result.exit_code == 1
    assert "[失败] SMTP 登录" in result.output and explained in result.output and refusal[:20] in result.output


def test_a_sender_other_than_the_account_is_named_and_the_553_explained(
    tmp_path: Path, imap_server: LocalImapServer, netease: ProviderImapProxy, smtp: ProviderSmtp  # noqa: F811
) -> None:
    env = _env(tmp_path, netease.port, imap_server, smtp, BAOSONG_SMTP_SENDER="xinxike@example.cn")

    result = _run(tmp_path, env)

    assert result.exit_code == 1
    assert "[注意] 发件地址：[smtp] sender（xinxike@example.cn）与发信登录账号（xinxi@localhost）不同" in result.output
    assert "[失败] 发件地址" in result.output and "553 Mail from must equal authorized user" in result.output


def test_no_test_mail_is_sent_when_the_sender_is_refused(
    tmp_path: Path, imap_server: LocalImapServer, netease: ProviderImapProxy, smtp: ProviderSmtp  # noqa: F811
) -> None:
    env = _env(tmp_path, netease.port, imap_server, smtp, BAOSONG_SMTP_SENDER="xinxike@example.cn")

    result = _run(tmp_path, env, "--send-test", "--wait", "5")

    assert result.exit_code == 1 and "没有发送测试邮件" in result.output and smtp.delivered == 0


def test_ssl_to_a_plaintext_port_is_explained_as_a_port_and_ssl_mismatch(
    tmp_path: Path, imap_server: LocalImapServer, smtp: ProviderSmtp  # noqa: F811
) -> None:
    env = _env(tmp_path, imap_server.port, imap_server, smtp, BAOSONG_MAILBOX_SSL="true")

    result = _run(tmp_path, env)

    assert result.exit_code == 1 and "[失败] IMAP 连接" in result.output and "SSL 握手失败" in result.output


def test_an_unknown_host_is_explained_as_a_name_lookup_failure(
    tmp_path: Path, imap_server: LocalImapServer, smtp: ProviderSmtp  # noqa: F811
) -> None:
    env = _env(tmp_path, 993, imap_server, smtp, BAOSONG_MAILBOX_HOST="imap.baosong-test.invalid")

    result = _run(tmp_path, env)

    assert result.exit_code == 1 and "找不到服务器 imap.baosong-test.invalid" in result.output


def test_a_refused_connection_is_explained_as_a_wrong_port(
    tmp_path: Path, imap_server: LocalImapServer, smtp: ProviderSmtp  # noqa: F811
) -> None:
    port = free_port()

    result = _run(tmp_path, _env(tmp_path, port, imap_server, smtp))

    assert result.exit_code == 1 and f"127.0.0.1 的 {port} 端口拒绝连接" in result.output


class SilentServer(LoopbackListener):
    """Accepts connections and never says a word, as a TLS port does to a plaintext client."""

    def __init__(self) -> None:
        self.held: list[socket.socket] = []
        super().__init__()

    def on_connection(self, connection: socket.socket) -> None:
        self.held.append(connection)


def test_a_silent_server_is_explained_as_a_timeout_with_the_port_and_ssl_hint(
    tmp_path: Path, imap_server: LocalImapServer, smtp: ProviderSmtp  # noqa: F811
) -> None:
    with SilentServer() as silent:
        env = _env(tmp_path, silent.port, imap_server, smtp, BAOSONG_MAILBOX_TIMEOUT_SECONDS="1")
        result = _run(tmp_path, env)

    assert result.exit_code == 1 and "超时" in result.output and "ssl = true" in result.output


class SelfSignedImap(LoopbackListener):
    """An IMAP greeting over TLS with a self-signed certificate: what an interception device presents."""

    def __init__(self, directory: Path) -> None:
        key, cert = directory / "key.pem", directory / "cert.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-days", "1",
             "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True, timeout=60,
        )
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(cert, key)
        super().__init__()

    def on_connection(self, connection: socket.socket) -> None:
        connection.settimeout(5)
        try:
            with self.context.wrap_socket(connection, server_side=True) as tls:
                tls.sendall(b"* OK IMAP4 ready\r\n")
        except OSError:
            connection.close()  # the client gave up on the certificate, as it should


def test_an_untrusted_certificate_stops_the_connection_before_login(
    tmp_path: Path, imap_server: LocalImapServer, smtp: ProviderSmtp  # noqa: F811
) -> None:
    with SelfSignedImap(tmp_path) as untrusted:
        env = _env(tmp_path, untrusted.port, imap_server, smtp, BAOSONG_MAILBOX_SSL="true")
        result = _run(tmp_path, env)

    assert result.exit_code == 1 and "证书验证失败" in result.output


def test_a_server_refusing_the_null_sender_is_told_to_turn_null_sender_off(
    tmp_path: Path, imap_server: LocalImapServer, netease: ProviderImapProxy  # noqa: F811
) -> None:
    with ProviderSmtp(imap_server, null_sender_refusal="553 NULL sender is not allowed") as smtp:
        result = _run(tmp_path, _env(tmp_path, netease.port, imap_server, smtp))

    assert result.exit_code == 0 and "[注意] 发件地址：服务器不接受空信封发件人" in result.output
    assert "null_sender = false" in result.output


def test_plaintext_to_an_ssl_port_is_explained_as_a_port_and_ssl_mismatch(
    tmp_path: Path, imap_server: LocalImapServer, smtp: ProviderSmtp  # noqa: F811
) -> None:
    with SelfSignedImap(tmp_path) as ssl_port:
        env = _env(tmp_path, ssl_port.port, imap_server, smtp, BAOSONG_MAILBOX_TIMEOUT_SECONDS="1")
        result = _run(tmp_path, env)

    assert result.exit_code == 1 and "[失败] IMAP 连接" in result.output and "端口与 SSL 设置不匹配" in result.output
