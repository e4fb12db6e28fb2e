"""Rules on the sign-off fields: reviewing leader, author, and the author's mobile number."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from validators.case import Case, Hit
from validators.findings import Location

FIELD_LABELS = {"reviewer": "审核领导", "author": "撰稿人", "phone": "手机号"}

_SEP = r"[\s\-—–－]*"
_MOBILE = re.compile(rf"(?<!\d)(?:(?:\+|00)?86{_SEP})?(1{_SEP}[3-9](?:{_SEP}\d){{9}})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}\d{7,8}(?!\d)|(?<!\d)\d{7,8}(?!\d)")
_NOISE = re.compile(r"[\s\-—–－()（）.·]")


def mobile_in(value: str) -> str | None:
    """The mainland mobile number in a field value; spaces, dashes and +86 are tolerated."""
    found = _MOBILE.search(unicodedata.normalize("NFKC", value))
    return re.sub(r"\D", "", found.group(1)) if found else None


def _named(case: Case, field: str) -> dict[str, str]:
    """The organisation's name for a field, and (for the phone) what to write there."""
    name = case.rules.field_names[field]
    if field != "phone":
        return {"name": name}
    if case.rules.mobile_required:
        return {"name": name, "what": f"撰稿人{name}", "example": "11位手机号码"}
    return {"name": name, "what": name, "example": "联系电话（座机或手机）"}


def _missing(field: str):  # noqa: ANN202 - a rule factory
    def check(case: Case) -> Iterator[Hit]:
        if case.submission is None or field not in case.rules.required_fields:
            return
        found = case.submission.fields.get(field)
        if found is None:
            yield Hit(
                params={"problem": "文档中没有写明", **_named(case, field)},
                evidence={"field": FIELD_LABELS[field], "label_found": False},
            )
        elif not found.value.strip():
            yield Hit(
                params={"problem": f"“{found.label}”后面是空的，缺少", **_named(case, field)},
                evidence={"field": FIELD_LABELS[field], "label": found.label, "label_found": True},
                location=Location(paragraph=found.paragraph),
            )

    check.__name__ = f"missing_{field}"
    return check


missing_reviewer = _missing("reviewer")
missing_author = _missing("author")
missing_phone = _missing("phone")


def invalid_phone(case: Case) -> Iterator[Hit]:
    if case.submission is None:
        return
    found = case.submission.fields.get("phone")
    if found is None or not found.value.strip() or mobile_in(found.value):
        return
    compact = _NOISE.sub("", unicodedata.normalize("NFKC", found.value))
    landline = bool(_LANDLINE.search(compact))
    if landline and not case.rules.mobile_required:
        return
    if case.rules.mobile_required:
        problem = "是座机号码，须填写撰稿人的手机号" if landline else "不是有效的11位手机号码"
        hint = "撰稿人的11位手机号码，如“13912345678”"
    else:
        problem, hint = "不是有效的电话号码", "座机或手机号码，如“0994-2345678”或“13912345678”"
    yield Hit(
        params={"value": found.value, "problem": problem, "hint": hint},
        evidence={"value": found.value, "label": found.label, "landline": landline},
        location=Location(paragraph=found.paragraph),
    )
