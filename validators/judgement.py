"""The outcome of judging one message: verdict, findings and what was read."""

from __future__ import annotations

from dataclasses import dataclass, field

from intake.message import MailAttachment, ParsedMail
from validators.findings import Finding, Verdict
from validators.submission import Submission


@dataclass(frozen=True)
class UnitRef:
    """A registry unit as the validators see it (no database objects here)."""

    id: int | None
    name: str
    aliases: tuple[str, ...] = ()
    category: str = ""
    emails: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class Judgement:
    verdict: Verdict
    findings: list[Finding]
    unit: UnitRef | None
    unit_source: str | None  # sender | original_sender | filename | document | None
    mail: ParsedMail | None
    submission: Submission | None
    docx: MailAttachment | None  # the one Word attachment judged, if any
    photos: list[MailAttachment] = field(default_factory=list)

    @property
    def fields(self) -> dict[str, str | None]:
        values: dict[str, str | None] = {"title": self.submission.title if self.submission else None}
        for name in ("reviewer", "author", "phone"):
            found = self.submission.fields.get(name) if self.submission else None
            values[name] = found.value if found else None
        return values

    def has(self, code: str) -> bool:
        return any(f.code == code for f in self.findings)
