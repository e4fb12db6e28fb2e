"""One SMTP delivery attempt, and what it means for the outbox: sent, retry, failed or uncertain.

The SMTP transaction is driven step by step (MAIL, RCPT, DATA) instead of `sendmail()`, to know
whether a lost connection happened before the message data went out (safe to retry) or after it
(RFC 1047: the server may have delivered it; retrying could send a second reply).
"""

from __future__ import annotations

import re
import smtplib
import ssl
from dataclasses import dataclass
from enum import StrEnum

from baosong.settings import Settings
from intake.smtp_answers import Refusal, classify


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # nothing was delivered; try again later
    FAILED = "failed"  # the server refused for good (a permanent refusal, intake.smtp_answers)
    UNCERTAIN = "uncertain"  # cut off after the data went out: it may have been delivered


@dataclass(frozen=True)
class Attempt:
    outcome: Outcome
    detail: str = ""
    refusal: Refusal | None = None  # the server answered with a refusal (not a lost connection)


def _answer(code: int, reply: bytes | str, step: str) -> Attempt:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    refusal = classify(code, " ".join(text.split()))
    detail = f"{refusal.explanation}（{step} 服务器答复：{refusal.text}）"
    return Attempt(Outcome.FAILED if refusal.permanent else Outcome.RETRY, detail, refusal)


def _dot_stuffed(message: bytes) -> bytes:
    """RFC 5321 §4.5.2 transparency, with the terminating line."""
    body = re.sub(rb"(?m)^\.", b"..", message)
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    return body + b".\r\n"


def _connect(settings: Settings) -> smtplib.SMTP:
    smtp = settings.smtp
    timeout = smtp.timeout_seconds
    if smtp.ssl and not smtp.starttls:
        client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=timeout, context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=timeout)
    try:
        client.ehlo_or_helo_if_needed()
        if smtp.starttls:
            client.starttls(context=ssl.create_default_context())
            client.ehlo()
        user = smtp.user or settings.mailbox.user
        password = smtp.password or settings.mailbox.password
        if user and password and client.has_extn("auth"):
            client.login(user, password)
    except BaseException:
        client.close()
        raise
    return client


def _mail_from(client: smtplib.SMTP, envelope_sender: str, account_sender: str) -> Attempt | None:
    """MAIL FROM; None when accepted. Many providers' submission servers (NetEase's among them)
    refuse the null sender RFC 3834 asks for; the reply then goes from the account instead."""
    code, reply = client.mail(envelope_sender)
    if code != 250 and envelope_sender == "" and 500 <= code < 600 and account_sender:
        client.rset()
        code, reply = client.mail(account_sender)
    return None if code == 250 else _answer(code, reply, "MAIL FROM")


def _transaction(client: smtplib.SMTP, message: bytes, envelope_sender: str, recipient: str, account_sender: str) -> Attempt:
    refused = _mail_from(client, envelope_sender, account_sender)
    if refused is not None:
        return refused
    code, reply = client.rcpt(recipient)
    if code not in (250, 251):
        return _answer(code, reply, "RCPT TO")
    code, reply = client.docmd("DATA")
    if code != 354:
        return _answer(code, reply, "DATA")
    try:
        client.send(_dot_stuffed(message))
        code, reply = client.getreply()
    except (OSError, smtplib.SMTPServerDisconnected) as exc:
        return Attempt(Outcome.UNCERTAIN, f"连接在发送邮件内容后中断：{exc}")
    return Attempt(Outcome.SENT, f"{code}") if code == 250 else _answer(code, reply, "end of DATA")


def deliver(message: bytes, *, envelope_sender: str, recipient: str, settings: Settings) -> Attempt:
    """Try once to hand `message` to the configured SMTP server. `envelope_sender` "" is MAIL FROM:<>."""
    try:
        client = _connect(settings)
    except (OSError, smtplib.SMTPException) as exc:  # our server or account: never the unit's fault
        return Attempt(Outcome.RETRY, f"无法连接发信服务器 {settings.smtp.host}:{settings.smtp.port}：{exc}")
    try:
        return _transaction(client, message, envelope_sender, recipient, settings.smtp_sender)
    except smtplib.SMTPResponseException as exc:
        return _answer(exc.smtp_code, exc.smtp_error, "SMTP")
    except (OSError, smtplib.SMTPException) as exc:
        return Attempt(Outcome.RETRY, f"发信连接中断（邮件内容尚未发出）：{exc}")
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()
