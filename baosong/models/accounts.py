"""Console accounts: clerks and administrators, their log-in sessions and failed log-in counters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
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
    disabled: Mapped[bool] = mapped_column(default=False)
    created: Mapped[datetime] = mapped_column(default=utcnow)
    last_login: Mapped[datetime | None]

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class ConsoleSession(Base):
    """A log-in: the browser's cookie holds a random token, the table only its sha256.

    Logging out, changing the password or disabling the account deletes the rows, so a copied
    cookie stops working; `created` bounds the lifetime however busy the session is.
    """

    __tablename__ = "console_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created: Mapped[datetime] = mapped_column(index=True)
    last_seen: Mapped[datetime]


class LoginFailures(Base):
    """Failed log-ins counted per key (`account:NAME` or `address:IP`) since `window_start`."""

    __tablename__ = "login_failures"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int]
    window_start: Mapped[datetime] = mapped_column(index=True)
