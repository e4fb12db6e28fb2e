"""Rules on dates: the body should name an exact date, and the event should be recent."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date

from validators.case import Case, Hit

_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")


def explicit_dates(text: str, today: date) -> list[date]:
    """Dates written as (YYYY年)M月D日; a missing year is the one that keeps the date not in the future."""
    found = []
    for year, month, day in _DATE.findall(unicodedata.normalize("NFKC", text)):
        try:
            if year:
                found.append(date(int(year), int(month), int(day)))
                continue
            guess = date(today.year, int(month), int(day))
            found.append(guess if guess <= today else date(today.year - 1, int(month), int(day)))
        except ValueError:
            continue
    return found


def no_explicit_date(case: Case) -> Iterator[Hit]:
    if case.submission is None or not case.rules.require_explicit_date or not case.submission.body:
        return
    if not explicit_dates(case.submission.body_text, case.today):
        yield Hit(params={"example": f"{case.today.month}月{case.today.day}日"})


def stale_event(case: Case) -> Iterator[Hit]:
    limit = case.rules.stale_after_days
    if case.submission is None or limit <= 0:
        return
    dates = explicit_dates(case.submission.body_text, case.today)
    if not dates:
        return
    latest = max(dates)
    days = (case.today - latest).days
    if days > limit:
        yield Hit(
            params={"latest": f"{latest.year}年{latest.month}月{latest.day}日", "days": days, "limit": limit},
            evidence={"latest": latest.isoformat(), "received": case.today.isoformat(), "days": days},
        )
