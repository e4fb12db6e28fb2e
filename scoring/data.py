"""Load one year of the books from the database into the plain records scoring.compute reads."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from baosong.models import Adjustment, Adoption, Commission, Endorsement, Item, Unit
from scoring.compute import (
    AdjustmentRecord,
    AdoptionRecord,
    Books,
    CommissionRecord,
    EndorsementRecord,
    ItemRecord,
    MonthReport,
    UnitRecord,
    compute_month,
)
from scoring.ruleset import RuleSet

COUNTED_VERDICTS = ("accepted", "rejected", "review")  # "ignored" mail is not a unit's item


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    """The calendar date of `moment` in the organisation's zone (naive values are UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone).date()


def _year_bounds(year: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(date(year, 1, 1), time(), zone).astimezone(UTC)
    end = datetime.combine(date(year + 1, 1, 1), time(), zone).astimezone(UTC)
    return start, end


def load_books(session: Session, ruleset: RuleSet, year: int) -> Books:
    """Units, the year's items (plus older items adopted or endorsed this year) and ledger rows.

    Rows are read as plain tuples and unpacked by position: a named attribute on a SQLAlchemy
    row costs more than building the record itself, and a year holds tens of thousands of items.
    """
    zone = ZoneInfo(ruleset.timezone)
    first, after = date(year, 1, 1), date(year + 1, 1, 1)
    start, end = _year_bounds(year, zone)

    units = tuple(
        UnitRecord(id=unit_id, name=name, class_name=ruleset.class_of(name, category or ""))
        for unit_id, name, category in session.execute(select(Unit.id, Unit.name, Unit.category).order_by(Unit.name))
    )
    adopted_ids = select(Adoption.item_id).where(Adoption.adopted_on >= first, Adoption.adopted_on < after)
    endorsed_ids = select(Endorsement.item_id).where(Endorsement.endorsed_on >= first, Endorsement.endorsed_on < after)
    in_year = or_(
        Item.accepted_at.is_not(None) & (Item.accepted_at >= start) & (Item.accepted_at < end),
        Item.accepted_at.is_(None) & (Item.received_at >= start) & (Item.received_at < end),
    )
    counted_on = func.coalesce(Item.accepted_at, Item.received_at)
    items = tuple(
        ItemRecord(
            id=item_id,
            unit_id=unit_id,
            on=local_date(moment, zone),
            accepted=verdict == "accepted",
            category=category or "",
            title=title or "",
            author=str((fields or {}).get("author") or "").strip(),
        )
        for item_id, unit_id, verdict, category, title, moment, fields in session.execute(
            select(Item.id, Item.unit_id, Item.verdict, Item.category, Item.title, counted_on, Item.fields).where(
                Item.verdict.in_(COUNTED_VERDICTS),
                or_(in_year, Item.id.in_(adopted_ids), Item.id.in_(endorsed_ids)),
            )
        )
    )
    adoptions = tuple(
        AdoptionRecord(item_id=item_id, outlet=outlet, on=adopted_on, proof_on=proof_on)
        for item_id, outlet, adopted_on, proof_on in session.execute(
            select(Adoption.item_id, Adoption.outlet, Adoption.adopted_on, Adoption.proof_received_on).where(
                Adoption.adopted_on >= first, Adoption.adopted_on < after
            )
        )
    )
    endorsements = tuple(
        EndorsementRecord(item_id=item_id, level=level, on=endorsed_on)
        for item_id, level, endorsed_on in session.execute(
            select(Endorsement.item_id, Endorsement.level, Endorsement.endorsed_on).where(
                Endorsement.endorsed_on >= first, Endorsement.endorsed_on < after
            )
        )
    )
    commissions = tuple(
        CommissionRecord(unit_id=unit_id, due_on=due_on, delivered_on=delivered_on)
        for unit_id, due_on, delivered_on in session.execute(
            select(Commission.unit_id, Commission.due_on, Commission.delivered_on).where(
                Commission.due_on >= first, Commission.due_on < after
            )
        )
    )
    adjustments = tuple(
        AdjustmentRecord(unit_id=unit_id, on=dated_on, group=group or None, points=points, percent=percent, reason=reason)
        for unit_id, dated_on, group, points, percent, reason in session.execute(
            select(
                Adjustment.unit_id,
                Adjustment.dated_on,
                Adjustment.score_group,
                Adjustment.points,
                Adjustment.percent,
                Adjustment.reason,
            ).where(Adjustment.dated_on >= first, Adjustment.dated_on < after)
        )
    )
    first_item = session.scalar(select(func.min(Item.received_at)))
    started_on = local_date(first_item, zone) if first_item else datetime.now(zone).date()
    return Books(units, items, adoptions, endorsements, commissions, adjustments, started_on)


def quarter_report(session: Session, ruleset: RuleSet, year: int, quarter: int, as_of: date) -> MonthReport:
    """The quarterly 通报 as of `as_of`: the quarter's three months added up, each unit compared
    with the same quarter a year before (the CLI's `report --quarter` and the console share it)."""
    first, last = quarter * 3 - 2, quarter * 3
    now = compute_month(ruleset, load_books(session, ruleset, year), year, last, as_of=as_of, first_month=first)
    before = compute_month(ruleset, load_books(session, ruleset, year - 1), year - 1, last, as_of=as_of, first_month=first)
    return now.with_last_year(before)
