"""A corrected resubmission: a unit sends again what was rejected, and the rejected item is settled.

The new item is linked to the rejected one (same unit, a similar title, received within
RESUBMISSION_DAYS), the rejected one leaves the queue, and the log says which item replaced it.
"""

from __future__ import annotations

from datetime import timedelta

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session, load_only

from baosong.models import AuditEntry, Item, utcnow

RESUBMISSION_DAYS = 60
TITLE_SIMILARITY = 80  # rapidfuzz ratio of the two titles, 0-100
CANDIDATES = 50


def link_resubmission(session: Session, item: Item) -> Item | None:
    """Link `item` to the rejected item of its unit it corrects, if any, and settle that one."""
    if item.unit_id is None or not item.title.strip() or item.verdict == "ignored":
        return None
    replaced = select(Item.resubmission_of_id).where(Item.resubmission_of_id.is_not(None))
    since = item.received_at - timedelta(days=RESUBMISSION_DAYS)
    candidates = session.scalars(
        select(Item)
        .where(
            Item.unit_id == item.unit_id, Item.verdict == "rejected", Item.id != item.id,
            Item.received_at >= since, Item.received_at <= item.received_at, Item.id.not_in(replaced),
        )
        .options(load_only(Item.id, Item.title, Item.receipt, Item.settled_at, Item.received_at))
        .order_by(Item.received_at.desc())
        .limit(CANDIDATES)
    )
    scored = [(fuzz.ratio(item.title, old.title), old) for old in candidates if old.title]
    best = max(scored, key=lambda pair: pair[0], default=None)
    if best is None or best[0] < TITLE_SIMILARITY:
        return None
    old = best[1]
    item.resubmission_of_id = old.id
    if old.settled_at is None:
        old.settled_at = utcnow()
    session.add(AuditEntry(
        actor="system", action="resubmitted", item_id=old.id, reason="",
        details={"by_item": item.id, "by_receipt": item.receipt, "similarity": round(best[0])},
    ))
    return old
