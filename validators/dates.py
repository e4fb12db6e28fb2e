"""Rules on dates: the body should name an exact date, and the event should be recent."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime, time

from baosong.localtime import OFFICE_TZ
from validators.case import Case, Hit
from validators.numerals import arabic_numerals
from validators.tags import case_tags
from validators.template import BODY_PLACEHOLDERS

_DATES = (
    # (YYYY年)M月D日: 11月4日, 2026年11月4日 (and so 十一月四日 once its numerals are Arabic)
    re.compile(r"(?:(?P<year>\d{4})\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号]"),
    # 2026.11.4, 2026-11-04, 2026/11/4 (a four-digit year keeps decimals and codes out)
    re.compile(r"(?<![\d.\-/])(?P<year>(?:19|20)\d{2})(?P<sep>[.\-/])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?![\d.\-/]*\d)"),
)


# a time of day right after a date: 11月20日8时30分, 11月20日下午3点, 2026-11-20 08:30
_TIME = re.compile(r"\s*(?P<half>上午|早上|凌晨|中午|下午|晚上|傍晚)?\s*(?P<hour>\d{1,2})\s*[时点:：]\s*(?:(?P<minute>\d{1,2})\s*分?)?")
_AFTERNOON = {"下午", "晚上", "傍晚"}


def _time_after(text: str, end: int) -> time | None:
    found = _TIME.match(text, end)
    if found is None:
        return None
    hour, minute = int(found["hour"]), int(found["minute"] or 0)
    if found["half"] in _AFTERNOON and hour < 12:
        hour += 12
    return time(hour, minute) if hour < 24 and minute < 60 else None


def event_moments(text: str, today: date) -> list[tuple[date, time | None]]:
    """Explicit dates in the text, in order, each with the time of day written right after it (or None);
    a missing year is the one that keeps the date not in the future."""
    normalised = arabic_numerals(unicodedata.normalize("NFKC", text))
    matches = sorted((m for pattern in _DATES for m in pattern.finditer(normalised)), key=lambda m: m.start())
    found = []
    for match in matches:
        try:
            month, day = int(match["month"]), int(match["day"])
            if match["year"]:
                found.append((date(int(match["year"]), month, day), _time_after(normalised, match.end())))
                continue
            guess = date(today.year, month, day)
            on = guess if guess <= today else date(today.year - 1, month, day)
            found.append((on, _time_after(normalised, match.end())))
        except ValueError:
            continue
    return found


def explicit_dates(text: str, today: date) -> list[date]:
    """Explicit dates in the text, in order; a missing year is the one that keeps the date not in the future."""
    return [on for on, _ in event_moments(text, today)]


def no_explicit_date(case: Case) -> Iterator[Hit]:
    if case.submission is None or not case.rules.require_explicit_date or not case.submission.body:
        return
    if any(p.text.strip() in BODY_PLACEHOLDERS for p in case.submission.body):
        return  # the template's own body text: TEMPLATE_NOT_FILLED asks for the whole body
    if not explicit_dates(case.submission.body_text, case.today):
        yield Hit(params={"example": f"{case.today.month}月{case.today.day}日"})


MINUTES_PER_DAY = 1440


def _limit_text(minutes: int) -> str:
    if minutes == 0:
        return "当天"
    if minutes % MINUTES_PER_DAY == 0 and minutes > MINUTES_PER_DAY:
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


def _elapsed_text(minutes: int) -> str:
    days, rest = divmod(minutes, MINUTES_PER_DAY)
    hours, rest = divmod(rest, 60)
    return "".join(f"{n}{unit}" for n, unit in ((days, "天"), (hours, "小时"), (rest, "分钟")) if n) or "0分钟"


def stale_event(case: Case) -> Iterator[Hit]:
    """The latest event against the time limit of the item's class. With a time of day after the
    latest date and the mail's own send time, judged to the minute (Beijing time); else by day, so
    a limit under a day means the same day."""
    limit = time_limit(case)
    if case.submission is None or limit is None:
        return
    moments = event_moments(case.submission.body_text, case.today)
    if not moments:
        return
    latest = max(on for on, _ in moments)
    days = (case.today - latest).days
    hours = [at for on, at in moments if on == latest and at is not None]
    sent = case.mail.date if case.mail is not None else None
    if hours and sent is not None and sent.tzinfo is not None:
        event = datetime.combine(latest, max(hours), OFFICE_TZ)
        elapsed = int((sent - event).total_seconds() // 60)
        shown = f"{latest.year}年{latest.month}月{latest.day}日{event.hour}时{event.minute:02d}分"
    else:
        elapsed, shown = days * MINUTES_PER_DAY, f"{latest.year}年{latest.month}月{latest.day}日"
    urgency, minutes = limit
    if elapsed > minutes:
        yield Hit(
            params={
                "latest": shown,
                "days": days,
                "elapsed": _elapsed_text(elapsed),
                "limit_text": f"{urgency}信息{_limit_text(minutes)}",
            },
            evidence={"latest": shown, "received": case.today.isoformat(), "days": days, "minutes": elapsed, "urgency": urgency},
        )
