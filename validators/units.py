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
