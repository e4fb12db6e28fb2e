"""The table of provider answers: every explanation renders, every kind of failure is explained."""

from __future__ import annotations

import smtplib
import socket

from intake.login_answers import ANSWERS, Failure, Step, explain

FACTS = {"host": "imap.126.com", "port": "993", "user": "ynlyj452@126.com", "sender": "x@126.com", "folder": "INBOX"}


def test_every_explanation_renders_with_the_known_facts() -> None:
    rendered = [answer.explanation.format_map(FACTS) for answer in ANSWERS]
    assert all(text and "{" not in text for text in rendered)


def test_every_kind_of_failure_has_a_row_for_every_step() -> None:
    covered = {answer.failure for answer in ANSWERS if not answer.steps and not answer.pattern}
    assert covered == set(Failure)


def test_a_netease_smtp_535_names_the_web_setting_and_keeps_the_server_words() -> None:
    refusal = smtplib.SMTPAuthenticationError(535, b"Error: authentication failed")
    text = explain(Step.SMTP_LOGIN, refusal, **FACTS)
    assert "设置 → POP3/SMTP/IMAP" in text and text.endswith("（535 Error: authentication failed）")


def test_an_unknown_host_names_the_host() -> None:
    text = explain(Step.IMAP_CONNECT, socket.gaierror(-2, "Name or service not known"), **FACTS)
    assert text.startswith("找不到服务器 imap.126.com")
