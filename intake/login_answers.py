"""Why connecting or logging in to a mailbox failed, as the providers word it: one declarative table.

`baosong mailbox test` shows these explanations to the administrator setting baosong up. A failure
is first sorted by what went wrong on the wire (DNS, refused, timeout, certificate, TLS, a dropped
connection) or, when the server answered, matched on its own words: NetEase answers a login
password or an account without IMAP with `NO LOGIN Login error user name or password error` (IMAP)
or `535 Error: authentication failed` (SMTP); QQ Mail answers both with `Login fail. Account is
abnormal, service is not open, password is incorrect…`; NetEase refuses a sender other than the
account with `553 Mail from must equal authorized user`. The first matching row decides.
"""

from __future__ import annotations

import imaplib
import re
import smtplib
import socket
import ssl
from dataclasses import dataclass
from enum import StrEnum

from imap_tools.errors import UnexpectedCommandStatusError


class Step(StrEnum):
    IMAP_CONNECT = "IMAP 连接"
    IMAP_LOGIN = "IMAP 登录"
    IMAP_FOLDER = "打开文件夹"
    SMTP_CONNECT = "SMTP 连接"
    SMTP_LOGIN = "SMTP 登录"
    SMTP_SENDER = "发件地址"
    SMTP_SEND = "发送测试邮件"


class Failure(StrEnum):
    DNS = "dns"
    REFUSED = "refused"
    TIMEOUT = "timeout"
    CERTIFICATE = "certificate"
    TLS = "tls"
    DROPPED = "dropped"  # the server closed the connection or spoke no mail protocol
    ANSWER = "answer"  # the server answered with a refusal: matched on its words


# What went wrong on the wire, by exception type; the first match wins (subclasses first).
KINDS: tuple[tuple[type[BaseException], Failure], ...] = (
    (socket.gaierror, Failure.DNS),
    (ssl.SSLCertVerificationError, Failure.CERTIFICATE),
    (ssl.SSLError, Failure.TLS),
    (ConnectionRefusedError, Failure.REFUSED),
    (TimeoutError, Failure.TIMEOUT),
    (smtplib.SMTPResponseException, Failure.ANSWER),
    (smtplib.SMTPRecipientsRefused, Failure.ANSWER),
    (UnexpectedCommandStatusError, Failure.ANSWER),
    (imaplib.IMAP4.abort, Failure.DROPPED),
    (smtplib.SMTPServerDisconnected, Failure.DROPPED),
    (EOFError, Failure.DROPPED),
    (ConnectionError, Failure.DROPPED),
    (imaplib.IMAP4.error, Failure.ANSWER),
)

_PORTS = "IMAP 用 993 端口加 ssl = true（或 143 端口加 ssl = false），SMTP 用 465 端口加 ssl = true（或 587 端口加 starttls = true）"
_NETEASE_CODE = (
    "网易邮箱（126/163/yeah.net）登录被拒绝。请登录网页版邮箱，在“设置 → POP3/SMTP/IMAP”中开启 IMAP/SMTP 服务，"
    "按提示用手机验证后得到授权码；baosong 里填写的密码必须是这个授权码，不是网页登录密码"
    "（BAOSONG_MAILBOX_PASSWORD 和 BAOSONG_SMTP_PASSWORD）。已开启的请核对账号 {user} 是否写全（含 @126.com 等后缀）。"
)
_QQ_CODE = (
    "QQ 邮箱（或腾讯企业邮）拒绝登录。常见原因依次是：① 没有开启服务：QQ 邮箱网页版“设置 → 账号”中开启 "
    "IMAP/SMTP 服务（企业邮在“设置 → 客户端设置”中开启 IMAP/SMTP 服务并生成客户端专用密码）；② 填写的是 QQ 密码，"
    "不是开启服务时生成的授权码；③ 短时间内登录失败太多次被暂时限制，改正后过半小时再试。"
)


@dataclass(frozen=True)
class Answer:
    steps: tuple[Step, ...]  # the steps this row applies to; () for every step
    failure: Failure
    pattern: str  # a regular expression searched (case-insensitive) in the server's words; "" matches any
    explanation: str  # Chinese: what happened and what to do; {host} {port} {user} {sender} {folder} are filled in


ANSWERS: tuple[Answer, ...] = (
    # ---- on the wire
    Answer((), Failure.DNS, "",
           "找不到服务器 {host}：请检查服务器地址是否写错（如 imap.163.com、smtp.163.com），"
           "以及这台电脑能否上网、能否解析域名。"),
    Answer((), Failure.REFUSED, "",
           "{host} 的 {port} 端口拒绝连接：端口多半填错了（" + _PORTS + "），或者防火墙挡住了这个端口。"),
    Answer((), Failure.TIMEOUT, "",
           "连接 {host}:{port} 超时，服务器一直没有应答。常见原因：端口与 SSL 设置不匹配（" + _PORTS + "）；"
           "或者单位网络、防火墙不允许访问这个端口。"),
    Answer((), Failure.CERTIFICATE, "",
           "服务器 {host} 的证书验证失败，为保护密码没有继续连接。请确认服务器地址是服务商公布的域名"
           "（不要填 IP 地址或别名）、本机日期时间正确；单位网络有 HTTPS 审计设备时，需要把它的根证书装到本机。"),
    Answer((), Failure.TLS, "",
           "与 {host}:{port} 的 SSL 握手失败：这个端口多半不是 SSL 端口，端口与 SSL 设置不匹配。" + _PORTS + "。"),
    Answer((), Failure.DROPPED, "",
           "{host}:{port} 没有按邮件协议应答就断开了连接：多半是端口与 SSL 设置不匹配（" + _PORTS + "），"
           "或者填的不是邮件服务器的地址。"),
    # ---- the providers' own words
    Answer((Step.IMAP_FOLDER,), Failure.ANSWER, r"Unsafe Login",
           "网易邮箱以“不安全登录”拒绝打开文件夹。baosong 已向服务器标识身份（IMAP ID），仍被拒绝时，"
           "请登录网页版邮箱查看安全提醒并解除限制，或联系邮箱服务商。"),
    Answer((Step.IMAP_LOGIN, Step.SMTP_LOGIN), Failure.ANSWER, r"Login fail|service is not open|Account is abnormal",
           _QQ_CODE),
    Answer((Step.IMAP_LOGIN, Step.SMTP_LOGIN), Failure.ANSWER,
           r"Login error|user name or password error|password error|535 Error: authentication failed",
           _NETEASE_CODE),
    Answer((Step.SMTP_SENDER, Step.SMTP_SEND), Failure.ANSWER, r"Mail from must equal authori[sz]ed user",
           "发信服务器要求发件地址与登录账号一致：[smtp] sender 是 {sender}，登录账号是 {user}。"
           "请把 [smtp] sender 留空或改为 {user}。"),
    Answer((Step.IMAP_LOGIN, Step.SMTP_LOGIN), Failure.ANSWER, r"",
           "账号或密码不正确，服务器拒绝登录：请核对账号 {user}；很多邮箱（网易、QQ、新浪、腾讯企业邮）要求先在网页版"
           "设置里开启 IMAP/SMTP 服务，程序里填写开启时生成的授权码，而不是网页登录密码。"),
    Answer((Step.IMAP_FOLDER,), Failure.ANSWER, r"",
           "无法打开文件夹 {folder}：请把 [mailbox] folder 设为服务器上实际存在的文件夹（收件箱一般是 INBOX）。"),
    Answer((), Failure.ANSWER, r"",
           "服务器拒绝了这一步，请按服务器的答复检查设置。"),
)

_COMPILED = tuple((re.compile(answer.pattern, re.IGNORECASE), answer) for answer in ANSWERS)


def failure_of(exc: BaseException) -> Failure:
    for kind, failure in KINDS:
        if isinstance(exc, kind):
            return failure
    return Failure.DROPPED if isinstance(exc, OSError) else Failure.ANSWER


def server_words(exc: BaseException) -> str:
    """The server's own answer (or the system's error text), on one line."""
    if isinstance(exc, smtplib.SMTPResponseException):
        error = exc.smtp_error
        text = f"{exc.smtp_code} {error.decode('utf-8', 'replace') if isinstance(error, bytes) else error}"
    elif isinstance(exc, smtplib.SMTPRecipientsRefused):
        text = " ".join(f"{code} {reply.decode('utf-8', 'replace')}" for code, reply in exc.recipients.values())
    elif isinstance(exc, UnexpectedCommandStatusError):
        data = exc.command_result[1] or []
        text = " ".join(part.decode("utf-8", "replace") if isinstance(part, bytes) else str(part) for part in data)
    else:
        text = str(exc) or type(exc).__name__
    return " ".join(text.split())


def explain(step: Step, exc: BaseException, **facts: str) -> str:
    """The Chinese explanation of `exc` at `step`, followed by the server's own words.

    `facts` fills the placeholders: host, port, user, sender, folder.
    """
    failure = failure_of(exc)
    words = server_words(exc)
    for pattern, answer in _COMPILED:
        if answer.failure is failure and (not answer.steps or step in answer.steps) and pattern.search(words):
            return f"{answer.explanation.format_map(_Facts(facts))}（{words}）"
    raise AssertionError("the last row matches every answer")


class _Facts(dict):
    def __missing__(self, key: str) -> str:
        return "（未设置）"
