"""Intake coordination: one lease per mailbox folder, so only one intake reads it at a time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from baosong.models.base import Base


class IntakeLease(Base):
    """Held by the worker reading a mailbox folder until `expires_at`; renewed while it works."""

    __tablename__ = "intake_leases"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(700), unique=True)  # user@host/folder
    holder: Mapped[str] = mapped_column(String(200), default="")
    expires_at: Mapped[datetime]
