"""Load one year of the books from the database into the plain records scoring.compute reads."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from baosong.models import Adjustment, Adoption, Commission, Endorsement, Item, Unit
from scoring.compute import (
    AdjustmentRecord,
    AdoptionRecord,
    Books,
    CommissionRecord,
    EndorsementRecord,
    ItemRecord,
    UnitRecord,
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
    """Units, the year's items (plus older items adopted or endorsed this year) and ledger rows."""
    zone = ZoneInfo(ruleset.timezone)
    first, after = date(year, 1, 1), date(year + 1, 1, 1)
    start, end = _year_bounds(year, zone)

    units = tuple(
        UnitRecord(id=u.id, name=u.name, class_name=ruleset.class_of(u.name, u.category or ""))
        for u in session.execute(select(Unit.id, Unit.name, Unit.category).order_by(Unit.name))
    )
    adopted_ids = select(Adoption.item_id).where(Adoption.adopted_on >= first, Adoption.adopted_on < after)
    endorsed_ids = select(Endorsement.item_id).where(Endorsement.endorsed_on >= first, Endorsement.endorsed_on < after)
    in_year = or_(
        Item.accepted_at.is_not(None) & (Item.accepted_at >= start) & (Item.accepted_at < end),
        Item.accepted_at.is_(None) & (Item.received_at >= start) & (Item.received_at < end),
    )
    rows = session.execute(
        select(Item.id, Item.unit_id, Item.verdict, Item.category, Item.title, Item.received_at, Item.accepted_at).where(
            Item.verdict.in_(COUNTED_VERDICTS),
            or_(in_year, Item.id.in_(adopted_ids), Item.id.in_(endorsed_ids)),
        )
    )
    items = tuple(
        ItemRecord(
            id=row.id,
            unit_id=row.unit_id,
            on=local_date(row.accepted_at or row.received_at, zone),
            accepted=row.verdict == "accepted",
            category=row.category or "",
            title=row.title or "",
        )
        for row in rows
    )
    adoptions = tuple(
        AdoptionRecord(item_id=a.item_id, outlet=a.outlet, on=a.adopted_on, proof_on=a.proof_received_on)
        for a in session.execute(
            select(Adoption.item_id, Adoption.outlet, Adoption.adopted_on, Adoption.proof_received_on).where(
                Adoption.adopted_on >= first, Adoption.adopted_on < after
            )
        )
    )
    endorsements = tuple(
        EndorsementRecord(item_id=e.item_id, level=e.level, on=e.endorsed_on)
        for e in session.execute(
            select(Endorsement.item_id, Endorsement.level, Endorsement.endorsed_on).where(
                Endorsement.endorsed_on >= first, Endorsement.endorsed_on < after
            )
        )
    )
    commissions = tuple(
        CommissionRecord(unit_id=c.unit_id, due_on=c.due_on, delivered_on=c.delivered_on)
        for c in session.execute(
            select(Commission.unit_id, Commission.due_on, Commission.delivered_on).where(
                Commission.due_on >= first, Commission.due_on < after
            )
        )
    )
    adjustments = tuple(
        AdjustmentRecord(
            unit_id=a.unit_id,
            on=a.dated_on,
            group=a.score_group or None,
            points=a.points,
            percent=a.percent,
            reason=a.reason,
        )
        for a in session.scalars(select(Adjustment).where(Adjustment.dated_on >= first, Adjustment.dated_on < after))
    )
    return Books(units, items, adoptions, endorsements, commissions, adjustments)
