"""Bracketed tags such as 【紧急】 or 【专报】 that units put in the subject, file name or title."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from intake.message import MailAttachment, ParsedMail
from validators.case import Case
from validators.submission import Submission

_TAG = re.compile(r"【\s*([^【】]{1,12}?)\s*】")  # [ ] and ［ ］ are read as 【 】


def tags_in(texts: Iterable[str]) -> list[str]:
    """Every bracketed tag, in order of appearance, without repeats."""
    found: list[str] = []
    for text in texts:
        for tag in _TAG.findall(unicodedata.normalize("NFKC", text or "").replace("[", "【").replace("]", "】")):
            if tag not in found:
                found.append(tag)
    return found


def message_tags(mail: ParsedMail | None, docx: MailAttachment | None, submission: Submission | None) -> list[str]:
    """Tags of one message: its subject, then the Word file's name, then the document's title."""
    return tags_in([mail.subject if mail else "", docx.display_name if docx else "", submission.title if submission else ""])


def case_tags(case: Case) -> list[str]:
    return message_tags(case.mail, case.docx, case.submission)
