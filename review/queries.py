"""Read-only questions the console asks: overview figures, the queue page, health, registry."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import false, func, select
from sqlalchemy.orm import Session, load_only

from baosong.models import (
    AuditEntry,
    Item,
    MailboxCursor,
    OutboxMessage,
    RawMessage,
    SendingAccount,
    Unit,
    User,
)
from baosong.localtime import as_local, day_start_utc, month_bounds, today_bounds
from baosong.search import PAGE_SIZE, queue_size, visible

MAILBOX_ALARM_AFTER = timedelta(hours=1)
OUTBOX_BACKLOG = ("pending", "sending", "retry")
OUTBOX_NEEDS_CLERK = ("failed", "uncertain", "held")

MonthlyMinimum = Callable[[Unit], "int | None"]


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


@dataclass(frozen=True)
class Resubmission:
    earlier: Item | None  # the rejected item this one corrects
    later: Item | None  # the item that corrected this one


def resubmission_links(session: Session, item: Item) -> Resubmission:
    earlier = session.get(Item, item.resubmission_of_id) if item.resubmission_of_id else None
    later = session.scalar(select(Item).where(Item.resubmission_of_id == item.id).order_by(Item.id).limit(1))
    return Resubmission(earlier, later)


def audit_for(session: Session, item_id: int) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.item_id == item_id).order_by(AuditEntry.id)))


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    item: str = ""  # a 收件编号 or an item id
    date_from: date | None = None
    date_to: date | None = None

    def as_query(self) -> dict[str, str]:
        values = {
            "actor": self.actor, "action": self.action, "item": self.item,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
        }
        return {key: value for key, value in values.items() if value}


@dataclass(frozen=True)
class AuditPage:
    """One page of the log, newest first; the log only grows, so it is paged without counting it."""

    entries: list[AuditEntry]
    items: dict[int, Item]  # the items the entries name, for their 收件编号 and title
    page: int
    more: bool


def audit_page(session: Session, filters: AuditFilters, page: int, is_admin: bool) -> AuditPage:
    where = []
    if not is_admin:
        hidden = select(Item.id).where(Item.classified.is_(True))
        where.append((AuditEntry.item_id.is_(None)) | AuditEntry.item_id.not_in(hidden))
    if filters.actor:
        where.append(AuditEntry.actor == filters.actor)
    if filters.action:
        where.append(AuditEntry.action == filters.action)
    if filters.item:
        reference = filters.item.strip()
        by_receipt = select(Item.id).where(Item.receipt == reference.upper())
        where.append(AuditEntry.item_id.in_(by_receipt) | (
            AuditEntry.item_id == int(reference) if reference.isdigit() and len(reference) <= 12 else false()
        ))
    if filters.date_from:
        where.append(AuditEntry.at >= day_start_utc(filters.date_from))
    if filters.date_to:
        where.append(AuditEntry.at < day_start_utc(filters.date_to + timedelta(days=1)))
    page = max(1, page)
    entries = list(session.scalars(
        select(AuditEntry).where(*where).order_by(AuditEntry.id.desc()).limit(PAGE_SIZE + 1)
        .offset((page - 1) * PAGE_SIZE)
    ))
    more = len(entries) > PAGE_SIZE
    entries = entries[:PAGE_SIZE]
    ids = {entry.item_id for entry in entries if entry.item_id}
    items = {item.id: item for item in session.scalars(
        select(Item).where(Item.id.in_(ids)).options(load_only(Item.id, Item.receipt, Item.title, Item.subject))
    )} if ids else {}
    return AuditPage(entries, items, page, more)


def audit_actors(session: Session) -> list[str]:
    """Whom the log can be filtered by: the system and every console account (not a scan of the log)."""
    return ["system", *session.scalars(select(User.name).order_by(User.name))]
