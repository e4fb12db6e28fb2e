"""The books clerks keep: adoptions (采用), endorsements (批示), commissioned pieces (约稿), adjustments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from baosong.models.base import Base, utcnow
from baosong.models.core import Item, Unit


class Adoption(Base):
    """An item used by one outlet (刊物/媒体), with the proof of publication the unit sent."""

    __tablename__ = "adoptions"
    __table_args__ = (UniqueConstraint("item_id", "outlet"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    outlet: Mapped[str] = mapped_column(String(200))  # the rule set's outlet name
    adopted_on: Mapped[date] = mapped_column(Date, index=True)
    proof_received_on: Mapped[date | None] = mapped_column(Date)
    proof_file: Mapped[str] = mapped_column(String(500), default="")  # relative to the data folder
    category: Mapped[str] = mapped_column(String(20), default="")  # the item's category when adopted
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(100), default="system")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    item: Mapped[Item] = relationship()


class Endorsement(Base):
    """A leader's written instruction (批示) on an item; one per item and level."""

    __tablename__ = "endorsements"
    __table_args__ = (UniqueConstraint("item_id", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    level: Mapped[str] = mapped_column(String(50))  # the rule set's level name
    leader: Mapped[str] = mapped_column(String(100), default="")
    endorsed_on: Mapped[date] = mapped_column(Date, index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(100), default="system")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    item: Mapped[Item] = relationship()


class Commission(Base):
    """A piece the office commissioned from a unit (约稿), and the item that delivered it."""

    __tablename__ = "commissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    topic: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    delivered_on: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(100), default="system")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship()


class Adjustment(Base):
    """A deduction or bonus for a unit: fixed points, or a percentage of the year's total."""

    __tablename__ = "adjustments"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    dated_on: Mapped[date] = mapped_column(Date, index=True)
    points: Mapped[float | None] = mapped_column(Float)
    percent: Mapped[float | None] = mapped_column(Float)
    score_group: Mapped[str] = mapped_column(String(50), default="")  # empty: default group / all groups
    kind: Mapped[str] = mapped_column(String(100), default="")  # a rule set's adjustment kind, if any
    reason: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(100), default="system")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship()
