"""Console accounts: clerks and administrators."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from baosong.models.base import Base, utcnow

ROLES = ("clerk", "admin")


class User(Base):
    """A person who logs in to the clerk console; only the argon2 hash of the password is kept."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))  # clerk | admin
    password_hash: Mapped[str] = mapped_column(String(200))
    created: Mapped[datetime] = mapped_column(default=utcnow)
    last_login: Mapped[datetime | None]

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"
