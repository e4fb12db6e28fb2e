"""Gate rules on the mail itself: automatic mail, non-submissions, oversized messages.

When one of these hits, nothing else is judged (the catalogue marks them as gates).
"""

from __future__ import annotations

from collections.abc import Iterator

from validators.case import Case, Hit, size_text


def auto_submitted(case: Case) -> Iterator[Hit]:
    if case.mail and case.mail.auto_submitted:
        yield Hit(params={"reason": case.mail.auto_submitted}, evidence={"reason": case.mail.auto_submitted})


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
