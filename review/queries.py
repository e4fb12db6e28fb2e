"""Read-only questions the console asks: overview figures, the queue page, health, registry."""

from __future__ import annotations

import email
import email.policy
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, func, select, true
from sqlalchemy.orm import Session, defer, selectinload

from baosong.models import (
    AuditEntry,
    FindingRow,
    Item,
    MailboxCursor,
    OutboxMessage,
    RawMessage,
    SendingAccount,
    Unit,
)
from baosong.localtime import as_local, day_start_utc, month_bounds, today_bounds

QUEUE_VERDICTS = ("rejected", "review")
PAGE_SIZE = 50
MAILBOX_ALARM_AFTER = timedelta(hours=1)
OUTBOX_BACKLOG = ("pending", "sending", "retry")
OUTBOX_NEEDS_CLERK = ("failed", "uncertain", "held")

MonthlyMinimum = Callable[[Unit], "int | None"]


@dataclass(frozen=True)
class QueueFilters:
    verdict: str = ""  # rejected | review | "" for both
    unit_id: int | None = None
    code: str = ""
    date_from: date | None = None  # office-local days, inclusive
    date_to: date | None = None

    def as_query(self) -> dict[str, str]:
        values = {
            "verdict": self.verdict,
            "unit": str(self.unit_id or ""),
            "code": self.code,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
        }
        return {key: value for key, value in values.items() if value}


@dataclass(frozen=True)
class QueueRow:
    item: Item
    codes: list[str]


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class UnitMonth:
    unit: Unit
    accepted: int
    minimum: int | None

    @property
    def short_by(self) -> int:
        return max(0, self.minimum - self.accepted) if self.minimum is not None else 0


@dataclass(frozen=True)
class Overview:
    today: dict[str, int]  # verdict → count of items received today
    queue_size: int
    month_label: str
    units: list[UnitMonth]
    unassigned_this_month: int


@dataclass(frozen=True)
class Health:
    cursors: list[MailboxCursor]
    last_success: datetime | None
    alarm: bool
    failed_messages: list[RawMessage]
    waiting_messages: int
    outbox_backlog: int
    failed_sends: list[OutboxMessage]
    sending_paused: list[SendingAccount]  # accounts the provider stopped for the day, and until when


@dataclass(frozen=True)
class ReplyView:
    row: OutboxMessage
    text: str  # the plain-text body of the mail as composed, "" until it is composed


def visible(is_admin: bool):
    """Items held for CLASSIFIED_MARKING are for administrators only."""
    return true() if is_admin else Item.classified.is_(False)


def queue_page(session: Session, filters: QueueFilters, page: int, is_admin: bool) -> QueuePage:
    conditions = [visible(is_admin)]
    verdicts = (filters.verdict,) if filters.verdict in QUEUE_VERDICTS else QUEUE_VERDICTS
    conditions.append(Item.verdict.in_(verdicts))
    if filters.unit_id:
        conditions.append(Item.unit_id == filters.unit_id)
    if filters.code:
        conditions.append(exists().where(and_(FindingRow.item_id == Item.id, FindingRow.code == filters.code)))
    if filters.date_from:
        conditions.append(Item.received_at >= day_start_utc(filters.date_from))
    if filters.date_to:
        conditions.append(Item.received_at < day_start_utc(filters.date_to + timedelta(days=1)))
    total = session.scalar(select(func.count(Item.id)).where(*conditions)) or 0
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(1, page), pages)
    # Page through ids first: sorting narrow index entries, not whole rows with their document text.
    ids = list(
        session.scalars(
            select(Item.id)
            .where(*conditions)
            .order_by(Item.received_at.desc(), Item.id.desc())
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        )
    )
    loaded = {item.id: item for item in session.scalars(
        select(Item).where(Item.id.in_(ids)).options(selectinload(Item.unit), defer(Item.text), defer(Item.document))
    )}
    items = [loaded[item_id] for item_id in ids]
    codes = _codes_by_item(session, [item.id for item in items])
    return QueuePage([QueueRow(item, codes.get(item.id, [])) for item in items], total, page, pages)


def _codes_by_item(session: Session, item_ids: list[int]) -> dict[int, list[str]]:
    codes: dict[int, list[str]] = {}
    if not item_ids:
        return codes
    rows = session.execute(
        select(FindingRow.item_id, FindingRow.code)
        .where(FindingRow.item_id.in_(item_ids), FindingRow.severity != "warning")
        .order_by(FindingRow.id)
    )
    for item_id, code in rows:
        if code not in codes.setdefault(item_id, []):
            codes[item_id].append(code)
    return codes


def finding_codes(session: Session) -> list[str]:
    return list(session.scalars(select(FindingRow.code).distinct().order_by(FindingRow.code)))


def queue_size(session: Session, is_admin: bool) -> int:
    query = select(func.count(Item.id)).where(Item.verdict.in_(QUEUE_VERDICTS), visible(is_admin))
    return session.scalar(query) or 0


def accepted_this_month(session: Session, now: datetime) -> dict[int | None, int]:
    """Accepted items received this month, by unit: what counts toward the monthly minimum."""
    start, end = month_bounds(now)
    rows = session.execute(
        select(Item.unit_id, func.count(Item.id))
        .where(Item.verdict == "accepted", Item.received_at >= start, Item.received_at < end)
        .group_by(Item.unit_id)
    )
    return {unit_id: count for unit_id, count in rows}


def overview(session: Session, now: datetime, is_admin: bool, monthly_minimum: MonthlyMinimum) -> Overview:
    start, end = today_bounds(now)
    today = dict(
        session.execute(
            select(Item.verdict, func.count(Item.id))
            .where(Item.received_at >= start, Item.received_at < end, visible(is_admin))
            .group_by(Item.verdict)
        ).all()
    )
    counts = accepted_this_month(session, now)
    units = [UnitMonth(unit, counts.get(unit.id, 0), monthly_minimum(unit)) for unit in all_units(session)]
    units.sort(key=lambda row: (-row.short_by, row.unit.name))
    local = as_local(now)
    return Overview(today, queue_size(session, is_admin), f"{local.year}年{local.month}月", units, counts.get(None, 0))


def all_units(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).order_by(Unit.category, Unit.name)))


def health(session: Session, now: datetime) -> Health:
    cursors = list(session.scalars(select(MailboxCursor).order_by(MailboxCursor.mailbox, MailboxCursor.folder)))
    successes = [as_local(c.last_success_at) for c in cursors if c.last_success_at]
    last_success = max(successes) if successes else None
    alarm = last_success is None or as_local(now) - last_success > MAILBOX_ALARM_AFTER
    failed = list(
        session.scalars(select(RawMessage).where(RawMessage.state == "failed").order_by(RawMessage.received_at.desc()))
    )
    waiting = session.scalar(select(func.count(RawMessage.id)).where(RawMessage.state == "archived")) or 0
    backlog = session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.state.in_(OUTBOX_BACKLOG))) or 0
    failed_sends = list(
        session.scalars(
            select(OutboxMessage).where(OutboxMessage.state.in_(OUTBOX_NEEDS_CLERK)).order_by(OutboxMessage.id.desc())
        )
    )
    paused = list(
        session.scalars(select(SendingAccount).where(SendingAccount.paused_until > now).order_by(SendingAccount.account))
    )
    return Health(cursors, last_success, alarm, failed, waiting, backlog, failed_sends, paused)


def replies_for(session: Session, item_id: int) -> list[ReplyView]:
    rows = session.scalars(select(OutboxMessage).where(OutboxMessage.item_id == item_id).order_by(OutboxMessage.id))
    return [ReplyView(row, _plain_text(row.eml)) for row in rows]


def _plain_text(eml: bytes | None) -> str:
    if not eml:
        return ""
    message = email.message_from_bytes(eml, policy=email.policy.default)
    body = message.get_body(preferencelist=("plain",))
    try:
        return body.get_content() if body is not None else ""
    except (LookupError, ValueError):
        return ""


def audit_for(session: Session, item_id: int) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.item_id == item_id).order_by(AuditEntry.id)))


def recent_audit(session: Session, is_admin: bool, limit: int = 200) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if not is_admin:
        hidden = select(Item.id).where(Item.classified.is_(True))
        query = query.where((AuditEntry.item_id.is_(None)) | AuditEntry.item_id.not_in(hidden))
    return list(session.scalars(query))

