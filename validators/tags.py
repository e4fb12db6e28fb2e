"""Bracketed tags such as 【紧急】 or 【专报】 that units put in the subject, file name or title."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from validators.case import Case

_TAG = re.compile(r"【\s*([^【】]{1,12}?)\s*】")  # [ ] and ［ ］ are read as 【 】


def tags_in(texts: Iterable[str]) -> list[str]:
    """Every bracketed tag, in order of appearance, without repeats."""
    found: list[str] = []
    for text in texts:
        for tag in _TAG.findall(unicodedata.normalize("NFKC", text or "").replace("[", "【").replace("]", "】")):
            if tag not in found:
                found.append(tag)
    return found


def case_tags(case: Case) -> list[str]:
    """Tags of one message: its subject, then the Word file's name, then the document's title."""
    texts = [
        case.mail.subject if case.mail else "",
        case.docx.display_name if case.docx else "",
        case.submission.title if case.submission else "",
    ]
    return tags_in(texts)
