"""Which unit sent an item: sender address, else the "单位+标题" file name, else the document."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from validators.case import Case, Hit
from validators.judgement import UnitRef


def identify_unit(case: Case) -> tuple[UnitRef | None, str | None]:
    """The unit and how it was recognised: sender, original_sender (inside a forward), filename, document or nothing."""
    registry, mail = case.registry, case.mail
    if mail is not None:
        unit = registry.by_email(mail.sender)
        if unit is not None:
            return unit, "sender"
        unit = registry.by_email(mail.forwarded_from)
        if unit is not None:
            return unit, "original_sender"
    if case.docx is not None:
        unit = registry.by_prefix(PurePosixPath(case.docx.display_name).stem.strip())
        if unit is not None:
            return unit, "filename"
    if case.submission is not None:
        unit = registry.mentioned_in("\n".join(p.text for p in case.submission.paragraphs))
        if unit is not None:
            return unit, "document"
    return None, None


def unknown_unit(case: Case) -> Iterator[Hit]:
    if case.unit is None and (case.word_files or case.legacy_files):
        sender = case.mail.sender if case.mail else None
        yield Hit(evidence={"sender": sender, "file": case.docx.display_name if case.docx else None})


def sender_not_registered(case: Case) -> Iterator[Hit]:
    """The unit was found, but not from a registered sender: anyone can name a unit in a file name,
    a document or a forwarded header, so a clerk confirms before the item counts or takes the 首报 slot."""
    if case.mail is not None and case.unit is not None and case.unit_source != "sender":
        yield Hit(
            params={"sender": case.mail.sender, "unit": case.unit.name},
            evidence={"sender": case.mail.sender, "unit": case.unit.name, "found_by": case.unit_source},
        )
