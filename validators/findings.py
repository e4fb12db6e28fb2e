"""Findings and the severities that decide a verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"  # rejects the item
    WARNING = "warning"  # reported, does not reject
    REVIEW = "review"  # a clerk must decide
    IGNORED = "ignored"  # not a submission: no verdict worth replying to


class Verdict(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    REVIEW = "review"
    IGNORED = "ignored"


@dataclass(frozen=True)
class Location:
    """Where in the document a finding sits (for highlighting and Word comments)."""

    part: str = "body"  # body | table | header | footer | textbox | attachment | mail
    paragraph: int | None = None  # 1-based index among the document's paragraphs (Submission.paragraphs)
    start: int | None = None  # character offsets inside that paragraph's text
    end: int | None = None


@dataclass
class Finding:
    """One problem found. The Chinese message is rendered from config/messages.toml by code."""

    code: str
    severity: Severity
    params: dict[str, Any] = field(default_factory=dict)  # fills the message template
    evidence: dict[str, Any] = field(default_factory=dict)  # shown to clerks and in --json
    location: Location | None = None
    message: str = ""  # rendered text, filled by validators.catalogue.render


def decide(findings: list[Finding]) -> Verdict:
    """One verdict from all findings: ignored beats rejected beats review beats accepted."""
    severities = {f.severity for f in findings}
    if Severity.IGNORED in severities:
        return Verdict.IGNORED
    if Severity.ERROR in severities:
        return Verdict.REJECTED
    if Severity.REVIEW in severities:
        return Verdict.REVIEW
    return Verdict.ACCEPTED
