"""A posted console form read into typed values, with the first Chinese error beside each field.

What the clerk typed is kept as given, so an invalid form comes back filled in (422) and only
the wrong fields need retyping.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

FORM_ERROR = "_form"  # the key of an error about the whole form (e.g. refused by the ledger)
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
FIRST_YEAR, LAST_YEAR = 2000, 2099  # a typed 2206 is a typo, not a date to keep books for
_MINUS = str.maketrans({"−": "-", "－": "-", "—": "-"})


def clean_text(value: str, limit: int, *, multiline: bool = False) -> str:
    """Typed text as stored: NFC, no control or bidi characters (newlines kept where asked), bounded."""
    kept = []
    for ch in unicodedata.normalize("NFC", value):
        category = unicodedata.category(ch)
        if multiline and ch == "\n":
            kept.append(ch)
        elif category == "Cc":
            kept.append(" ")
        elif category not in ("Cf", "Zl", "Zp"):
            kept.append(ch)
    text = "".join(kept).strip()
    return text[:limit]


@dataclass
class Posted:
    """One submitted form: `name` tells which form on the page it was, for re-rendering."""

    name: str
    values: Mapping[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def value(self, key: str) -> str:
        return self.values.get(key, "") or ""

    def refuse(self, message: str, key: str = FORM_ERROR) -> None:
        self.errors.setdefault(key, message)

    def text(self, key: str, label: str, *, limit: int, required: bool = False, multiline: bool = False) -> str:
        text = clean_text(self.value(key), limit, multiline=multiline)
        if required and not text:
            self.refuse(f"请填写{label}", key)
        return text

    def day(self, key: str, label: str, *, required: bool = True) -> date | None:
        raw = unicodedata.normalize("NFKC", self.value(key)).strip()
        if not raw:
            if required:
                self.refuse(f"请填写{label}", key)
            return None
        parsed = _date(raw)
        if parsed is None:
            self.refuse(f"{label}“{raw[:20]}”不是有效日期，请写成 2026-03-16 的格式", key)
        return parsed

    def number(self, key: str, label: str, *, bound: float) -> float | None:
        """An optional number within ±bound; full-width digits and a typographic minus are accepted."""
        raw = unicodedata.normalize("NFKC", self.value(key)).translate(_MINUS).strip()
        if not raw:
            return None
        try:
            number = float(raw)
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or abs(number) > bound:
            self.refuse(f"{label}应是 -{bound:g} 到 {bound:g} 之间的数字，如 -30 或 50", key)
            return None
        return number

    def choice(self, key: str, label: str, choices: Mapping[str, object], *, required: bool = True) -> str:
        chosen = self.value(key).strip()
        if not chosen:
            if required:
                self.refuse(f"请选择{label}", key)
            return ""
        if chosen not in choices:
            self.refuse(f"请从列表中选择{label}", key)
            return ""
        return chosen


def _date(text: str) -> date | None:
    found = _DATE.fullmatch(text)
    if not found or not FIRST_YEAR <= int(found.group(1)) <= LAST_YEAR:
        return None
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        return None


def month_text(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def parse_month(value: str) -> tuple[int, int] | None:
    """YYYY-MM (also 2026年3月, 2026/3) → (year, month), or None."""
    found = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?", unicodedata.normalize("NFKC", value).strip())
    if not found or not 1 <= int(found.group(2)) <= 12 or not FIRST_YEAR <= int(found.group(1)) <= LAST_YEAR:
        return None
    return int(found.group(1)), int(found.group(2))


def for_form(posted: Posted | None, name: str) -> tuple[Mapping[str, str], dict[str, str]]:
    """What a page needs to refill form `name`: the typed values and the errors, or nothing."""
    if posted is not None and posted.name == name:
        return posted.values, posted.errors
    return {}, {}
