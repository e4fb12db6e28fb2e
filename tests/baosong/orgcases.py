"""Judging a real mail under one reference organisation's own checks (tests/baosong/test_org_*.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from email import message_from_bytes
from email.policy import default
from email.utils import format_datetime
from functools import cache

from baosong import BUNDLED_CONFIG
from baosong.demo.samples import mail
from baosong.organisation import load_organisation
from baosong.registry import refs_from_sheet
from intake.mailparse import parse_mail
from tests.factories.docx import make_docx
from tests.factories.images import make_jpeg
from validators.catalogue import load_messages
from validators.judge import JudgeContext, judge_mail
from validators.judgement import Judgement
from validators.registry import Registry

TODAY = date(2026, 11, 20)
SMALL_PHOTO = 500 * 1024  # what a phone sends after "compress": under A's 1 MB


@cache
def context(key: str) -> JudgeContext:
    organisation = load_organisation(BUNDLED_CONFIG, key)
    registry = Registry.of(refs_from_sheet(organisation.units_csv))
    return JudgeContext(organisation.checks, registry, load_messages(BUNDLED_CONFIG))


@cache
def photo_of(size: int) -> bytes:
    return make_jpeg(size)


@dataclass(frozen=True)
class Sent:
    """One submission as a unit's 信息员 sends it: the mail, its .docx and its photos."""

    sender: str
    unit: str
    title: str
    body: tuple[str, ...]
    fields: dict[str, str] = field(default_factory=dict)  # label → value, in the document's order
    subject: str = ""  # default: the title
    filename: str = ""  # default: 单位+信息标题.docx
    photos: tuple[tuple[str, int], ...] = ()  # (file name, bytes)
    sent_at: datetime | None = None  # the mail's Date header (default: 10:30 on the day judged)

    def judge(self, key: str, today: date = TODAY) -> Judgement:
        document = make_docx(title=self.title, paragraphs=self.body, fields=self.fields or None)
        raw = mail(
            self.sender,
            self.subject or self.title,
            today,
            docs=[(self.filename or f"{self.unit}{self.title}.docx", document)],
            photos=[(name, photo_of(size)) for name, size in self.photos],
        )
        if self.sent_at is not None:
            message = message_from_bytes(raw, policy=default)
            message.replace_header("Date", format_datetime(self.sent_at))
            raw = message.as_bytes()
        return judge_mail(parse_mail(raw), context(key), today=today)


def codes(judgement: Judgement) -> set[str]:
    return {finding.code for finding in judgement.findings}


def errors(judgement: Judgement) -> set[str]:
    return {finding.code for finding in judgement.findings if str(finding.severity) == "error"}
