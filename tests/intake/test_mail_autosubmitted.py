"""Automatic mail (bounces, out-of-office, lists) is recognised by each family of signals."""

from __future__ import annotations

import pytest

from intake.mailparse import parse_mail
from tests.factories.docx import make_docx
from tests.factories.mail import DOCX_TYPE, Attachment, bounce_mail, build_mail, out_of_office_mail


def _auto(**options) -> str | None:
    return parse_mail(build_mail(**options)).auto_submitted


def test_ordinary_submission_is_not_automatic():
    assert _auto(subject="青山县召开安全生产例会") is None


@pytest.mark.parametrize("value", ["auto-replied", "auto-generated", "auto-notified; owner-email=x@y"])
def test_auto_submitted_other_than_no(value):
    assert _auto(headers={"Auto-Submitted": value}) is not None


def test_auto_submitted_no_is_not_automatic():
    assert _auto(headers={"Auto-Submitted": "no"}) is None


@pytest.mark.parametrize("value", ["bulk", "junk", "list", "auto_reply"])
def test_precedence(value):
    assert _auto(headers={"Precedence": value}) is not None


@pytest.mark.parametrize(
    "name, value",
    [("X-Autoreply", "yes"), ("X-Autorespond", "yes"), ("X-Auto-Response-Suppress", "All"),
     ("X-Auto-Response-Suppress", "OOF, AutoReply"), ("X-Loop", "office@example.cn")],
)  # fmt: skip
def test_autoreply_family_headers(name, value):
    assert _auto(headers={name: value}) is not None


@pytest.mark.parametrize("name", ["List-Id", "List-Unsubscribe", "List-Post", "List-Help"])
def test_list_headers(name):
    assert _auto(headers={name: "<mailto:list@lists.example.cn>"}) is not None


def test_empty_return_path():
    assert _auto(headers={"Return-Path": "<>"}) is not None


def test_multipart_report():
    assert parse_mail(bounce_mail(build_mail(), sender="relay@mx.example.cn", return_path=None)).auto_submitted == "multipart/report"


@pytest.mark.parametrize(
    "sender",
    ["MAILER-DAEMON@mx.example.cn", "postmaster@example.cn", "noreply@example.cn", "no-reply@example.cn",
     "donotreply@example.cn", "listserv@example.cn", "majordomo@example.cn", "news-request@example.cn",
     "owner-news@example.cn"],
)  # fmt: skip
def test_robot_senders(sender):
    assert _auto(sender=sender) is not None


@pytest.mark.parametrize("subject", ["自动回复：报送信息", "自动答复: 报送", "【自动回复】您好", "休假中", "Out of Office: report", "Automatic reply: report"])
def test_out_of_office_subjects(subject):
    assert parse_mail(out_of_office_mail(subject, headers={})).auto_submitted is not None


def test_news_item_about_leave_is_not_automatic():
    assert _auto(subject="关于落实职工休假制度的信息") is None


def test_a_holiday_subject_with_a_word_file_is_a_submission_not_an_auto_reply():
    raw = build_mail(
        subject="休假期间值班安排落实情况",
        attachments=[Attachment("奇台县环境保护局休假期间值班安排落实情况.docx", make_docx(), DOCX_TYPE)],
    )
    assert parse_mail(raw).auto_submitted is None
