"""The 首报 duplicate index kept in the database, shared by every worker (validators.duplicates)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from baosong.models.base import Base, utcnow


class DuplicateEntry(Base):
    """One row per item ever indexed: its comparable text, or a tombstone once acceptance is revoked.

    Every change gets a new id (AUTOINCREMENT on SQLite too), so workers catch up by reading ids
    above the highest they have seen."""

    __tablename__ = "duplicate_entries"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), unique=True)
    removed: Mapped[bool] = mapped_column(default=False)
    unit_name: Mapped[str] = mapped_column(String(200), default="")
    receipt: Mapped[str | None] = mapped_column(String(50))
    accepted_on: Mapped[date | None] = mapped_column(index=True)
    normalised: Mapped[str] = mapped_column(Text, default="")  # validators.duplicates.normalise
    indexed_at: Mapped[datetime] = mapped_column(default=utcnow)


class DuplicateSnapshot(Base):
    """The built index saved as its arrays (DuplicateIndex.to_bytes), so that a starting worker or
    `baosong check` loads it at once and reads only the entries written after `last_entry_id`
    (and the ids in `gaps`, not yet committed when it was taken)."""

    __tablename__ = "duplicate_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_entry_id: Mapped[int]
    gaps: Mapped[list] = mapped_column(default=list)
    arrays: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
