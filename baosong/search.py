"""Finding items: by 收件编号, title words, unit, received dates and state; the console and the CLI share it.

States: the queue (待处理: rejected or held items nobody has settled yet), each verdict, the settled
ones, or everything. Pages are read as ids first (narrow index entries), then the rows of one page.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, exists, func, or_, select, true
from sqlalchemy.orm import Session, defer, selectinload

from baosong.localtime import day_start_utc
from baosong.models import FindingRow, Item

RECEIPT = re.compile(r"[A-Za-z]{1,20}-\d{4}-\d{1,10}")  # CJHB-2026-00042
QUEUE_VERDICTS = ("rejected", "review")
VERDICTS = ("accepted", "rejected", "review", "ignored")
PAGE_SIZE = 50
FEW = 1000
MAX_WORDS = 5
# state → what the clerk sees in the filter; "" is the queue itself
STATES = {
    "": "待处理",
    "rejected": "已退回（待处理）",
    "review": "待人工审核",
    "settled": "已了结",
    "accepted": "已接收",
    "ignored": "已忽略（非报送邮件）",
    "all": "全部",
}


@dataclass(frozen=True)
class ItemFilters:
    verdict: str = ""  # a key of STATES
    text: str = ""  # a 收件编号, or words of the title
    unit_id: int | None = None
    code: str = ""
    date_from: date | None = None  # office-local days, inclusive
    date_to: date | None = None

    def as_query(self) -> dict[str, str]:
        values = {
            "verdict": self.verdict,
            "q": self.text,
            "unit": str(self.unit_id or ""),
            "code": self.code,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
        }
        return {key: value for key, value in values.items() if value}


@dataclass(frozen=True)
class Row:
    item: Item
    codes: list[str]


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    total: int
    page: int
    pages: int


def visible(is_admin: bool):
    """Items held for CLASSIFIED_MARKING are for administrators only."""
    return true() if is_admin else Item.classified.is_(False)


def in_queue():
    """Still waiting for a clerk: rejected or held, and not settled."""
    return and_(Item.verdict.in_(QUEUE_VERDICTS), Item.settled_at.is_(None))


def state_of(item: Item) -> str:
    """The key of STATES whose list holds `item` ("": the queue itself)."""
    if item.verdict in QUEUE_VERDICTS:
        return "settled" if item.settled_at is not None else ""
    return item.verdict


def _state(verdict: str):
    if verdict == "":
        return in_queue()
    if verdict in QUEUE_VERDICTS:
        return and_(Item.verdict == verdict, Item.settled_at.is_(None))
    if verdict == "settled":
        return and_(Item.verdict.in_(QUEUE_VERDICTS), Item.settled_at.is_not(None))
    if verdict in ("accepted", "ignored"):
        return Item.verdict == verdict
    return Item.verdict.in_(VERDICTS)  # every item; naming them lets the search read ix_items_find alone


def _words(text: str):
    """A whole 收件编号 finds its item; otherwise each word must appear in the title or the 收件编号
    (a clerk who remembers only "00042" finds CJHB-2026-00042)."""
    if RECEIPT.fullmatch(text.strip()):
        return [Item.receipt == text.strip().upper()]
    conditions = []
    for word in text.split()[:MAX_WORDS]:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(or_(Item.title.like(pattern, escape="\\"), Item.receipt.like(pattern.upper(), escape="\\")))
    return conditions


def conditions(filters: ItemFilters, is_admin: bool) -> list:
    found = [visible(is_admin), _state(filters.verdict), *_words(filters.text)]
    if filters.unit_id:
        found.append(Item.unit_id == filters.unit_id)
    if filters.code:
        found.append(exists().where(and_(FindingRow.item_id == Item.id, FindingRow.code == filters.code)))
    if filters.date_from:
        found.append(Item.received_at >= day_start_utc(filters.date_from))
    if filters.date_to:
        found.append(Item.received_at < day_start_utc(filters.date_to + timedelta(days=1)))
    return found


def search(session: Session, filters: ItemFilters, page: int, is_admin: bool, page_size: int = PAGE_SIZE) -> Page:
    where = conditions(filters, is_admin)
    newest_first = select(Item.id).where(*where).order_by(Item.received_at.desc(), Item.id.desc())
    # The first FEW ids in one pass: a search that finds fewer is counted by it, not by a second scan.
    first = list(session.scalars(newest_first.limit(FEW + 1)))
    total = len(first) if len(first) <= FEW else session.scalar(select(func.count(Item.id)).where(*where)) or 0
    pages = max(1, math.ceil(total / page_size))
    page = min(max(1, page), pages)
    start = (page - 1) * page_size
    if start + page_size <= len(first):
        ids = first[start:start + page_size]
    else:
        ids = list(session.scalars(newest_first.limit(page_size).offset(start)))
    loaded = {item.id: item for item in session.scalars(
        select(Item).where(Item.id.in_(ids)).options(selectinload(Item.unit), defer(Item.text), defer(Item.document))
    )}
    items = [loaded[item_id] for item_id in ids]
    codes = _codes_by_item(session, [item.id for item in items])
    return Page([Row(item, codes.get(item.id, [])) for item in items], total, page, pages)


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


def queue_size(session: Session, is_admin: bool) -> int:
    return session.scalar(select(func.count(Item.id)).where(in_queue(), visible(is_admin))) or 0
