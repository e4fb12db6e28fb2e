"""Gate rules on the mail itself: automatic mail, non-submissions, oversized messages.

When one of these hits, nothing else is judged (the catalogue marks them as gates).
"""

from __future__ import annotations

from collections.abc import Iterator

from intake.autosubmitted import ROBOT_SENDER
from validators.case import Case, Hit, size_text


def auto_submitted(case: Case) -> Iterator[Hit]:
    if case.mail and case.mail.auto_submitted and not _registered_robot_with_word_file(case):
        yield Hit(params={"reason": case.mail.auto_submitted}, evidence={"reason": case.mail.auto_submitted})


def _registered_robot_with_word_file(case: Case) -> bool:
    """OA systems send a unit's real submission from no-reply@…: a registered address carrying a
    Word file is judged whatever its local part (it still gets no automatic reply)."""
    mail = case.mail
    if mail is None or not (mail.auto_submitted or "").startswith(ROBOT_SENDER):
        return False
    registered = case.unit is not None and mail.sender in case.unit.emails
    return registered and bool(case.word_files or case.legacy_files)


def not_a_submission(case: Case) -> Iterator[Hit]:
    if case.mail is None or case.unit_source in {"sender", "original_sender"}:
        return
    if not case.word_files and not case.legacy_files:
        yield Hit(evidence={"sender": case.mail.sender, "attachments": len(case.mail.attachments)})


def oversized_message(case: Case) -> Iterator[Hit]:
    limit = case.rules.max_message_bytes
    if case.mail and case.mail.size > limit:
        yield Hit(
            params={"size_text": size_text(case.mail.size), "limit_text": size_text(limit)},
            evidence={"bytes": case.mail.size, "limit": limit},
        )
