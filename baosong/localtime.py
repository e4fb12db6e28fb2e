"""Office-local time (China Standard Time) for day and month boundaries and for display."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

OFFICE_TZ = ZoneInfo("Asia/Shanghai")


def as_local(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(OFFICE_TZ)


def day_start_utc(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=OFFICE_TZ).astimezone(UTC)


def today_bounds(now: datetime) -> tuple[datetime, datetime]:
    today = as_local(now).date()
    return day_start_utc(today), day_start_utc(today + timedelta(days=1))


def month_bounds(now: datetime) -> tuple[datetime, datetime]:
    local = as_local(now).date()
    first = local.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return day_start_utc(first), day_start_utc(following)


def show(moment: datetime | None) -> str:
    return as_local(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"
