"""Database rows for ledger, loading and CLI tests: units and items as intake would leave them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from baosong.db import transaction
from baosong.models import Item, Unit


@pytest.fixture
def add_unit(sessions: sessionmaker[Session]) -> Callable[..., int]:
    def add(name: str, category: str, aliases: tuple[str, ...] = ()) -> int:
        with transaction(sessions) as session:
            unit = Unit(name=name, category=category, aliases=list(aliases), emails=[])
            session.add(unit)
            session.flush()
            return unit.id

    return add


@pytest.fixture
def add_item(sessions: sessionmaker[Session]) -> Callable[..., int]:
    counter = iter(range(1, 100_000))

    def add(unit_id: int, accepted_at: datetime, verdict: str = "accepted", category: str = "动态", title: str = "信息") -> int:
        with transaction(sessions) as session:
            item = Item(
                unit_id=unit_id,
                verdict=verdict,
                original_verdict=verdict,
                receipt=f"T-{next(counter):05d}",
                category=category,
                title=title,
                received_at=accepted_at,
                accepted_at=accepted_at if verdict == "accepted" else None,
            )
            session.add(item)
            session.flush()
            return item.id

    return add


def utc(year: int, month: int, day: int, hour: int = 2) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)
