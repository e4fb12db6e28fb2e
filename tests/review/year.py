"""A few items of a clerk's year, each with its 收件编号: two accepted, one rejected still in the queue."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from baosong.settings import Settings
from tests.review.samples import vague_item

ITEMS = (  # receipt, unit, title, verdict, received (UTC)
    ("CJHB-2026-00001", "昌吉市环境保护局", "昌吉市开展春季大气污染防治专项检查", "accepted", datetime(2026, 1, 10, 2, tzinfo=UTC)),
    ("CJHB-2026-00002", "阜康市环境保护局", "阜康市召开生态环境保护工作会议", "accepted", datetime(2026, 2, 20, 2, tzinfo=UTC)),
    ("CJHB-2026-00003", "昌吉市环境保护局", "昌吉市推进农村人居环境整治", "rejected", datetime(2026, 3, 17, 2, tzinfo=UTC)),
)


def add_year(settings: Settings, session: Session, units: dict[str, int]) -> dict[str, int]:
    """The items above; returns their ids by 收件编号."""
    ids = {}
    for receipt, unit, title, verdict, received in ITEMS:
        item = vague_item(settings, session, unit_id=units[unit], title=title, subject=f"{unit}报送：{title}",
                          received_at=received)
        item.receipt, item.verdict = receipt, verdict
        if verdict == "accepted":
            item.accepted_at = received
        ids[receipt] = item.id
    session.flush()
    return ids
