"""Read-only views of the books for the console: what is recorded for an item, adjustments, 约稿."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from baosong.models import Adjustment, Adoption, Commission, Endorsement, Item
from scoring.compute import AdoptionRecord, adoption_counts, item_points
from scoring.ruleset import RuleSet


@dataclass(frozen=True)
class AdoptionView:
    row: Adoption
    counts: bool  # False: proof of publication came after the rule set's deadline


@dataclass(frozen=True)
class ItemBooks:
    adoptions: list[AdoptionView]
    endorsements: list[Endorsement]
    commissions: list[Commission]  # commissioned pieces this item delivered
    points: dict[str, float]  # per group, as the rule set scores this item's adoptions and endorsements


@dataclass(frozen=True)
class CommissionView:
    row: Commission
    state: str  # open | overdue | on_time | late

    @property
    def label(self) -> str:
        return {"open": "未交稿", "overdue": "已过期限，未交稿", "on_time": "按时交稿", "late": "逾期交稿"}[self.state]


def item_books(session: Session, ruleset: RuleSet, item: Item) -> ItemBooks:
    adoptions = list(session.scalars(select(Adoption).where(Adoption.item_id == item.id).order_by(Adoption.adopted_on)))
    endorsements = list(
        session.scalars(select(Endorsement).where(Endorsement.item_id == item.id).order_by(Endorsement.endorsed_on))
    )
    commissions = list(session.scalars(select(Commission).where(Commission.item_id == item.id).order_by(Commission.id)))
    views = [AdoptionView(a, adoption_counts(_record(a), ruleset)) for a in adoptions]
    counted = [view.row.outlet for view in views if view.counts]
    points = item_points(ruleset, item.category, counted, [e.level for e in endorsements])
    return ItemBooks(views, endorsements, commissions, points)


def _record(adoption: Adoption) -> AdoptionRecord:
    return AdoptionRecord(adoption.item_id, adoption.outlet, adoption.adopted_on, adoption.proof_received_on)


def adjustments_of_year(session: Session, year: int) -> list[Adjustment]:
    query = (
        select(Adjustment)
        .where(Adjustment.dated_on >= date(year, 1, 1), Adjustment.dated_on < date(year + 1, 1, 1))
        .options(selectinload(Adjustment.unit))
        .order_by(Adjustment.dated_on.desc(), Adjustment.id.desc())
    )
    return list(session.scalars(query))


def commissions(session: Session, today: date) -> list[CommissionView]:
    """Every open piece (soonest due first), then this year's delivered ones (most recent first)."""
    wanted = or_(Commission.delivered_on.is_(None), Commission.due_on >= date(today.year, 1, 1))
    rows = session.scalars(select(Commission).where(wanted).options(selectinload(Commission.unit)))
    views = [CommissionView(row, _commission_state(row, today)) for row in rows]
    waiting = sorted((v for v in views if v.row.delivered_on is None), key=lambda v: (v.row.due_on, v.row.id))
    done = sorted((v for v in views if v.row.delivered_on is not None), key=lambda v: (v.row.delivered_on, v.row.id))
    return waiting + done[::-1]


def _commission_state(row: Commission, today: date) -> str:
    if row.delivered_on is None:
        return "overdue" if today > row.due_on else "open"
    return "on_time" if row.delivered_on <= row.due_on else "late"
