"""Console accounts: argon2 password hashes, log-in checks and a per-address log-in rate limit."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from baosong.models import User, utcnow
from baosong.models.accounts import ROLES

_hasher = PasswordHasher()
# Verified against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("baosong-no-such-user")

MIN_PASSWORD_LENGTH = 8


class AccountError(Exception):
    """An account that cannot be created as asked; the message is Chinese."""


def add_user(session: Session, name: str, role: str, password: str) -> User:
    name = name.strip()
    if not name:
        raise AccountError("用户名不能为空")
    if role not in ROLES:
        raise AccountError(f"角色只能是 {' 或 '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"密码至少 {MIN_PASSWORD_LENGTH} 个字符")
    if session.scalars(select(User).where(User.name == name)).first() is not None:
        raise AccountError(f"用户“{name}”已存在")
    user = User(name=name, role=role, password_hash=_hasher.hash(password))
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, name: str, password: str) -> User | None:
    """The user when name and password match (last log-in recorded), else None."""
    user = session.scalars(select(User).where(User.name == name.strip())).first()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login = utcnow()
    return user


@dataclass
class LoginThrottle:
    """At most `max_failures` failed log-ins per client address within `window_seconds`."""

    max_failures: int = 5
    window_seconds: float = 300.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, deque[float]] = field(default_factory=dict)

    def blocked(self, address: str) -> bool:
        return len(self._recent(address)) >= self.max_failures

    def seconds_left(self, address: str) -> int:
        recent = self._recent(address)
        return int(recent[0] + self.window_seconds - self.clock()) + 1 if recent else 0

    def record_failure(self, address: str) -> None:
        self._recent(address).append(self.clock())

    def reset(self, address: str) -> None:
        self._failures.pop(address, None)

    def _recent(self, address: str) -> deque[float]:
        stamps = self._failures.setdefault(address, deque())
        while stamps and stamps[0] <= self.clock() - self.window_seconds:
            stamps.popleft()
        return stamps
