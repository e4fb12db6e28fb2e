"""Gate rules on the mail itself: automatic mail, non-submissions, oversized messages.

When one of these hits, nothing else is judged (the catalogue marks them as gates).
"""

from __future__ import annotations

from collections.abc import Iterator

from intake.autosubmitted import ROBOT_SENDER
from validators.case import Case, Hit, size_text


def auto_submitted(case: Case) -> Iterator[Hit]:
    if case.mail and case.mail.auto_submitted and not _registered_robot_with_word_file(case):
        reason = case.mail.auto_submitted
        yield Hit(params={"reason": _reason_text(reason, case.mail.sender)}, evidence={"reason": reason})


def _reason_text(reason: str, sender: str) -> str:
    """The signal intake/autosubmitted.py found, as a clerk reads it (the raw signal stays in evidence)."""
    kind, _, value = reason.partition(":")
    if reason.startswith(ROBOT_SENDER):
        return f"发件地址 {sender} 是系统自动发信地址"
    if kind == "auto-submitted":
        return "邮件头标明是自动回复或自动发送（Auto-Submitted）"
    if kind == "precedence":
        return "邮件头标明是群发、邮件列表或自动回复邮件（Precedence）"
    if kind == "subject":
        return f"主题以“{value}”开头"
    if kind == "return-path" or reason == "multipart/report":
        return "退信或送达回执"
    if kind.startswith("list-"):
        return "邮件列表发出的邮件"
    return "邮件头标明是自动发送"


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
