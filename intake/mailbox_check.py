"""`baosong mailbox test`: try the configured mailbox the way the worker uses it, step by step.

IMAP: connect, log in, identify (ID), select the folder, count its messages, see whether IDLE is
offered. SMTP: connect, log in, offer the configured sender in MAIL FROM (and the null sender when
replies use it), then RSET: nothing is sent. With a test mail: send one to the mailbox itself and
wait, bounded, until it shows up in the folder. Each failure carries the explanation from
`intake.login_answers`.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from enum import StrEnum

from imap_tools import AND, H
from imap_tools.errors import MailboxLoginError
from imap_tools.mailbox import BaseMailBox

from baosong.settings import Settings
from intake.imap_login import capabilities, connect, disconnect
from intake.login_answers import Step, explain

ARRIVAL_CHECK_SECONDS = 2.0


class Level(StrEnum):
    OK = "通过"
    NOTE = "注意"
    FAIL = "失败"


@dataclass(frozen=True)
class Result:
    step: Step
    level: Level
    text: str


Report = Callable[[Result], None]


def login_user(settings: Settings) -> str:
    """The account SMTP logs in as (`[smtp] user`, else the mailbox account)."""
    return settings.smtp.user or settings.mailbox.user


def sender_mismatch(settings: Settings) -> str | None:
    """A warning when replies would go out from an address other than the account that sends them."""
    user, sender = login_user(settings), settings.smtp_sender
    if not settings.smtp.sender or not user or sender.strip().lower() == user.strip().lower():
        return None
    return (
        f"[smtp] sender（{sender}）与发信登录账号（{user}）不同：网易、QQ、新浪等邮箱会以"
        f"“553 Mail from must equal authorized user”拒绝发信。请把 [smtp] sender 留空或改为 {user}。"
    )


class MailboxCheck:
    """One run of the checks; `report` sees each result as soon as it is known."""

    def __init__(self, settings: Settings, report: Report) -> None:
        self.settings = settings
        self._report = report
        self.failed = False

    def _say(self, step: Step, level: Level, text: str) -> None:
        self.failed = self.failed or level is Level.FAIL
        self._report(Result(step, level, text))

    def _fail(self, step: Step, exc: BaseException, host: str, port: int) -> None:
        facts = {"host": host, "port": str(port), "user": self._user(step), "sender": self.settings.smtp_sender,
                 "folder": self.settings.mailbox.folder}
        self._say(step, Level.FAIL, explain(step, exc, **facts))

    def _user(self, step: Step) -> str:
        return self.settings.mailbox.user if step.name.startswith("IMAP") else login_user(self.settings)

    # -- IMAP --

    @contextmanager
    def imap(self) -> Iterator[BaseMailBox | None]:
        """The logged-in mailbox with the folder selected, or None once a failure was reported."""
        mailbox = self.settings.mailbox
        if not mailbox.host or not mailbox.user:
            self._say(Step.IMAP_CONNECT, Level.FAIL, "尚未配置收件邮箱：请在 baosong.toml 的 [mailbox] 中填写 host 和 user，"
                      "授权码用环境变量 BAOSONG_MAILBOX_PASSWORD 提供。")
            yield None
            return
        try:
            box = connect(mailbox)
        except MailboxLoginError as exc:
            self._fail(Step.IMAP_LOGIN, exc, mailbox.host, mailbox.port)
            yield None
            return
        except Exception as exc:  # noqa: BLE001 - every failure is explained from the table
            self._fail(Step.IMAP_CONNECT, exc, mailbox.host, mailbox.port)
            yield None
            return
        try:
            announced = capabilities(box.client)
            identified = "（已用 IMAP ID 标识身份）" if "ID" in announced else ""
            self._say(Step.IMAP_LOGIN, Level.OK, f"已登录 {mailbox.host}:{mailbox.port}，账号 {mailbox.user}{identified}")
            yield self._select(box, announced)
        finally:
            disconnect(box)

    def _select(self, box: BaseMailBox, announced: set[str]) -> BaseMailBox | None:
        mailbox = self.settings.mailbox
        try:
            _, data = box.folder.set(mailbox.folder, readonly=True)
        except Exception as exc:  # noqa: BLE001
            self._fail(Step.IMAP_FOLDER, exc, mailbox.host, mailbox.port)
            return None
        count = int(data[0]) if data and data[0] else 0
        self._say(Step.IMAP_FOLDER, Level.OK, f"文件夹 {mailbox.folder} 中有 {count} 封邮件")
        if "IDLE" in announced:
            self._say(Step.IMAP_FOLDER, Level.OK, "服务器支持 IDLE：新邮件几秒内就会处理")
        else:
            self._say(Step.IMAP_FOLDER, Level.NOTE,
                      f"服务器不支持 IDLE：baosong run 将每 {mailbox.poll_seconds} 秒查一次新邮件（[mailbox] poll_seconds）")
        return box

    # -- SMTP --

    def _smtp_connect(self) -> smtplib.SMTP:
        smtp = self.settings.smtp
        context = ssl.create_default_context()
        if smtp.ssl and not smtp.starttls:
            client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout_seconds, context=context)
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_seconds)
        try:
            client.ehlo()
            if smtp.starttls:
                client.starttls(context=context)
                client.ehlo()
        except BaseException:
            client.close()
            raise
        return client

    @contextmanager
    def smtp(self) -> Iterator[smtplib.SMTP | None]:
        """The logged-in SMTP connection, or None once a failure was reported."""
        smtp = self.settings.smtp
        if not smtp.host:
            self._say(Step.SMTP_CONNECT, Level.FAIL, "尚未配置发信服务器：请在 [smtp] 中填写 host（如 smtp.163.com），"
                      "授权码用环境变量 BAOSONG_SMTP_PASSWORD 提供；否则无法给报送单位回信。")
            yield None
            return
        try:
            client = self._smtp_connect()
        except Exception as exc:  # noqa: BLE001
            self._fail(Step.SMTP_CONNECT, exc, smtp.host, smtp.port)
            yield None
            return
        try:
            if self._smtp_login(client):
                yield client
            else:
                yield None
        finally:
            try:
                client.quit()
            except (OSError, smtplib.SMTPException):
                client.close()

    def _smtp_login(self, client: smtplib.SMTP) -> bool:
        smtp, user = self.settings.smtp, login_user(self.settings)
        password = smtp.password or self.settings.mailbox.password
        if not client.has_extn("auth"):
            self._say(Step.SMTP_LOGIN, Level.NOTE, f"{smtp.host} 不要求登录，直接发信（一般只有单位内部的转发服务器如此）")
            return True
        try:
            client.login(user, password)
        except Exception as exc:  # noqa: BLE001
            self._fail(Step.SMTP_LOGIN, exc, smtp.host, smtp.port)
            return False
        self._say(Step.SMTP_LOGIN, Level.OK, f"已登录 {smtp.host}:{smtp.port}，账号 {user}")
        return True

    def check_sender(self, client: smtplib.SMTP) -> bool:
        """Offer the sender (and the null sender when replies use it) in MAIL FROM, then RSET; False when refused."""
        warning = sender_mismatch(self.settings)
        if warning:
            self._say(Step.SMTP_SENDER, Level.NOTE, warning)
        sender = self.settings.smtp_sender
        code, reply = client.mail(sender)
        client.rset()
        if code != 250:
            self._fail(Step.SMTP_SENDER, smtplib.SMTPSenderRefused(code, reply, sender), self.settings.smtp.host,
                       self.settings.smtp.port)
            return False
        self._say(Step.SMTP_SENDER, Level.OK, f"服务器接受以 {sender} 发信")
        if self.settings.replies.null_sender:
            code, reply = client.mail("")
            client.rset()
            if code != 250:
                said = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
                self._say(Step.SMTP_SENDER, Level.NOTE,
                          f"服务器不接受空信封发件人（{code} {said}）：自动回复会改用 {sender} 发出；"
                          "可在 [replies] 中设置 null_sender = false，省去每封回复先被拒一次。")
        return True

    # -- a test mail to the mailbox itself --

    def send_test(self, client: smtplib.SMTP) -> str | None:
        """Send a test mail to the mailbox; its Message-ID, or None when the server refused it."""
        message = EmailMessage()
        message["From"] = self.settings.smtp_sender
        message["To"] = self.settings.mailbox.user
        message["Subject"] = "baosong 邮箱测试"
        message["Message-ID"] = make_msgid("mailbox-test", self.settings.replies.message_id_domain)
        message["Auto-Submitted"] = "auto-generated"  # intake ignores it and never answers it
        message.set_content("这是 baosong mailbox test 发出的测试邮件，用来确认发信和收信都正常，可以删除。\n")
        try:
            client.send_message(message)
        except Exception as exc:  # noqa: BLE001
            self._fail(Step.SMTP_SEND, exc, self.settings.smtp.host, self.settings.smtp.port)
            return None
        self._say(Step.SMTP_SEND, Level.OK, f"已从 {message['From']} 发出测试邮件给 {message['To']}")
        return message["Message-ID"]

    def skip_test_mail(self) -> None:
        self._say(Step.SMTP_SEND, Level.NOTE, "收信或发信设置未通过，没有发送测试邮件：请先改正上面的问题。")

    def wait_for(self, box: BaseMailBox, message_id: str, seconds: float) -> None:
        """Look for the test mail in the folder until it is there or `seconds` have passed."""
        start = time.monotonic()
        while True:
            box.client.noop()
            if box.uids(AND(header=H("Message-ID", message_id))):
                elapsed = time.monotonic() - start
                self._say(Step.SMTP_SEND, Level.OK, f"测试邮件 {elapsed:.0f} 秒后出现在 {self.settings.mailbox.folder} 中：收发都正常")
                return
            if time.monotonic() - start >= seconds:
                break
            time.sleep(min(ARRIVAL_CHECK_SECONDS, max(0.0, seconds - (time.monotonic() - start))))
        self._say(Step.SMTP_SEND, Level.FAIL,
                  f"等了 {seconds:.0f} 秒，测试邮件仍未出现在 {self.settings.mailbox.folder} 中。请在网页版邮箱查看"
                  "“垃圾邮件”等文件夹，确认 [mailbox] user 与 [smtp] 是同一个邮箱、[mailbox] folder 是收件箱；"
                  "服务器较慢时可用 --wait 等得更久。")


def run_checks(settings: Settings, report: Report, *, send_test: bool = False, wait_seconds: float = 60.0) -> bool:
    """All checks in order; True when none failed."""
    check = MailboxCheck(settings, report)
    with check.imap() as box:
        with check.smtp() as client:
            sender_ok = client is not None and check.check_sender(client)
            if send_test and not (sender_ok and box is not None):
                check.skip_test_mail()
            elif send_test and (message_id := check.send_test(client)) is not None:
                check.wait_for(box, message_id, wait_seconds)
    return not check.failed
