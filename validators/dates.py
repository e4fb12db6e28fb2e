"""Rules on dates: the body should name an exact date, and the event should be recent."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date

from validators.case import Case, Hit
from validators.numerals import arabic_numerals
from validators.tags import case_tags

_DATES = (
    # (YYYY年)M月D日: 11月4日, 2026年11月4日 (and so 十一月四日 once its numerals are Arabic)
    re.compile(r"(?:(?P<year>\d{4})\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号]"),
    # 2026.11.4, 2026-11-04, 2026/11/4 (a four-digit year keeps decimals and codes out)
    re.compile(r"(?<![\d.\-/])(?P<year>(?:19|20)\d{2})(?P<sep>[.\-/])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?![\d.\-/]*\d)"),
)


def explicit_dates(text: str, today: date) -> list[date]:
    """Explicit dates in the text, in order; a missing year is the one that keeps the date not in the future."""
    normalised = arabic_numerals(unicodedata.normalize("NFKC", text))
    matches = sorted((m for pattern in _DATES for m in pattern.finditer(normalised)), key=lambda m: m.start())
    found = []
    for match in matches:
        try:
            month, day = int(match["month"]), int(match["day"])
            if match["year"]:
                found.append(date(int(match["year"]), month, day))
                continue
            guess = date(today.year, month, day)
            found.append(guess if guess <= today else date(today.year - 1, month, day))
        except ValueError:
            continue
    return found


def no_explicit_date(case: Case) -> Iterator[Hit]:
    if case.submission is None or not case.rules.require_explicit_date or not case.submission.body:
        return
    if not explicit_dates(case.submission.body_text, case.today):
        yield Hit(params={"example": f"{case.today.month}月{case.today.day}日"})


MINUTES_PER_DAY = 1440


def _limit_text(minutes: int) -> str:
    if minutes == 0:
        return "当天"
    if minutes % MINUTES_PER_DAY == 0:
        return f"{minutes // MINUTES_PER_DAY}天内"
    if minutes % 60 == 0:
        return f"{minutes // 60}小时内"
    return f"{minutes}分钟内"


def time_limit(case: Case) -> tuple[str, int] | None:
    """(class, minutes) from the first urgency tag (【紧急】…), else the routine limit; None: no limit."""
    urgency = case.rules.urgency_minutes
    tag = next((tag for tag in case_tags(case) if tag in urgency), None)
    if tag is not None:
        return tag, urgency[tag]
    days = case.rules.stale_after_days
    return ("一般", days * MINUTES_PER_DAY) if days > 0 else None


def stale_event(case: Case) -> Iterator[Hit]:
    """Judged by day: the dates in the text carry no hour, so a limit under a day means the same day."""
    limit = time_limit(case)
    if case.submission is None or limit is None:
        return
    dates = explicit_dates(case.submission.body_text, case.today)
    if not dates:
        return
    latest = max(dates)
    days = (case.today - latest).days
    urgency, minutes = limit
    if days * MINUTES_PER_DAY > minutes:
        yield Hit(
            params={
                "latest": f"{latest.year}年{latest.month}月{latest.day}日",
                "days": days,
                "limit_text": f"{urgency}信息{_limit_text(minutes)}",
            },
            evidence={"latest": latest.isoformat(), "received": case.today.isoformat(), "days": days, "urgency": urgency},
        )
