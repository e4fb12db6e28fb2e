"""What every rule receives (a Case) and returns (Hits), and how a rule is declared."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from baosong.organisation import CheckRules
from intake.message import MailAttachment, ParsedMail
from validators.findings import Location, Severity
from validators.judgement import UnitRef
from validators.submission import Paragraph, Submission
from validators.registry import Registry


class DuplicateFinder(Protocol):
    def find(
        self, text: str, *, unit_names: Iterable[str] = (), exclude_item_id: int | None = None, on: date | None = None
    ) -> list[Any]: ...


@dataclass
class Case:
    """One message (or a bare .docx) with everything read from it, ready for the rules."""

    rules: CheckRules
    registry: Registry
    today: date  # the day the message arrived (dates in the text are judged against it)
    mail: ParsedMail | None
    docx: MailAttachment | None = None
    word_files: list[MailAttachment] = field(default_factory=list)  # .docx candidates
    legacy_files: list[MailAttachment] = field(default_factory=list)  # .doc / .wps
    photos: list[MailAttachment] = field(default_factory=list)
    submission: Submission | None = None
    docx_problem: tuple[str, dict[str, Any]] | None = None  # (reason, detail) when unreadable
    unit: UnitRef | None = None
    unit_source: str | None = None
    duplicates: DuplicateFinder | None = None
    exclude_item_id: int | None = None
    trusted_authserv: tuple[str, ...] = ()  # authserv-ids whose Authentication-Results count
    memo: dict[str, Any] = field(default_factory=dict)  # lookups shared by several rules


@dataclass(frozen=True)
class Hit:
    """One occurrence a rule found; the catalogue turns it into a Finding with the rule's code."""

    params: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, Any] = field(default_factory=dict)
    location: Location | None = None
    severity: Severity | None = None  # overrides the configured severity for this occurrence


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity  # the default (SPEC §4); organisations override it in checks.toml
    summary: str  # one line, English, for the generated rules page
    check: Callable[[Case], Iterable[Hit]]


PART_NAMES = {"body": "正文", "table": "表格", "header": "页眉", "footer": "页脚", "textbox": "文本框"}


def where(paragraph: Paragraph) -> str:
    """A place a 信息员 can find in Word: 第3段, 页眉第12段…"""
    if paragraph.part in {"body", "table"}:
        return f"第{paragraph.index}段"
    return f"{PART_NAMES.get(paragraph.part, paragraph.part)}（第{paragraph.index}段）"


def snippet(text: str, start: int, end: int, width: int = 12) -> str:
    """The match with a little context on each side, for quoting in messages."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} 字节"
