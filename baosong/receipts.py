"""Receipt numbers: a configurable prefix and a per-year sequence, e.g. CJHB-2026-00042."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from baosong.models import ReceiptCounter


def next_receipt(session: Session, prefix: str, year: int) -> str:
    """Allocate the next number inside the caller's transaction (row-locked on PostgreSQL)."""
    query = select(ReceiptCounter).where(ReceiptCounter.prefix == prefix, ReceiptCounter.year == year)
    counter = session.scalars(query.with_for_update()).one_or_none()
    if counter is None:
        try:
            with session.begin_nested():
                counter = ReceiptCounter(prefix=prefix, year=year, last=0)
                session.add(counter)
        except IntegrityError:
            counter = session.scalars(query.with_for_update()).one()
    counter.last += 1
    session.flush()
    return f"{prefix}-{year}-{counter.last:05d}"
