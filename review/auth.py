"""Console accounts: argon2 password hashes, log-in checks, server-side sessions and the log-in limit."""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from baosong.models import ConsoleSession, LoginFailures, User, utcnow
from baosong.models.accounts import ROLES

_hasher = PasswordHasher()
# Verified against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("baosong-no-such-user")

MIN_PASSWORD_LENGTH = 8
# A session's last activity is written at most this often, not on every page.
_SEEN_EVERY = timedelta(minutes=1)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class AccountError(Exception):
    """An account that cannot be created or changed as asked; the message is Chinese."""


def add_user(session: Session, name: str, role: str, password: str) -> User:
    name = name.strip()
    if not name:
        raise AccountError("用户名不能为空")
    if role not in ROLES:
        raise AccountError(f"角色只能是 {' 或 '.join(ROLES)}")
    _check_password(password)
    if session.scalars(select(User).where(User.name == name)).first() is not None:
        raise AccountError(f"用户“{name}”已存在")
    user = User(name=name, role=role, password_hash=_hasher.hash(password))
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, name: str) -> User:
    user = session.scalars(select(User).where(User.name == name.strip())).first()
    if user is None:
        raise AccountError(f"没有名为“{name.strip()}”的账号")
    return user


def all_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))


def set_password(session: Session, user: User, password: str) -> None:
    """A new password; every session of the account ends (a copied cookie stops working)."""
    _check_password(password)
    user.password_hash = _hasher.hash(password)
    end_sessions(session, user)


def set_disabled(session: Session, user: User, disabled: bool) -> None:
    """Disable (every session ends, log-in refused) or enable an account."""
    user.disabled = disabled
    if disabled:
        end_sessions(session, user)


def password_matches(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(session: Session, name: str, password: str) -> User | None:
    """The user when name and password match an enabled account (last log-in recorded), else None."""
    user = session.scalars(select(User).where(User.name == name.strip())).first()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or user.disabled:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login = utcnow()
    return user


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"密码至少 {MIN_PASSWORD_LENGTH} 个字符")


@dataclass(frozen=True)
class SessionPolicy:
    """How long a log-in lasts: `lifetime` from the log-in whatever happens, `idle` without activity."""

    lifetime: timedelta = timedelta(hours=12)
    idle: timedelta = timedelta(hours=2)


def open_session(session: Session, user: User, now: datetime, policy: SessionPolicy) -> str:
    """A new log-in for `user`; returns the token for the cookie (the table keeps only its hash)."""
    session.execute(
        delete(ConsoleSession).where(
            (ConsoleSession.created <= now - policy.lifetime) | (ConsoleSession.last_seen <= now - policy.idle)
        )
    )
    token = secrets.token_urlsafe(32)
    session.add(ConsoleSession(token_hash=_token_hash(token), user_id=user.id, created=now, last_seen=now))
    session.flush()
    return token


def session_user(session: Session, token: str, now: datetime, policy: SessionPolicy) -> User | None:
    """The enabled account of a live session (its activity noted), or None when it ended or expired."""
    digest = _token_hash(token)
    user = session.scalars(
        select(User)
        .join(ConsoleSession, ConsoleSession.user_id == User.id)
        .where(
            ConsoleSession.token_hash == digest,
            ConsoleSession.created > now - policy.lifetime,
            ConsoleSession.last_seen > now - policy.idle,
            User.disabled.is_(False),
        )
    ).first()
    if user is not None:
        session.execute(
            update(ConsoleSession)
            .where(ConsoleSession.token_hash == digest, ConsoleSession.last_seen <= now - _SEEN_EVERY)
            .values(last_seen=now)
        )
    return user


def end_session(session: Session, token: str) -> None:
    session.execute(delete(ConsoleSession).where(ConsoleSession.token_hash == _token_hash(token)))


def end_sessions(session: Session, user: User) -> None:
    session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user.id))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


@dataclass(frozen=True)
class LoginThrottle:
    """At most `per_account` failed log-ins per account name and `per_address` per client address
    within `window`, counted in the database so that parallel requests and several workers share it.

    Each attempt takes its place (counted as a failure) before the password is checked, with one
    conditional upsert per key; a successful log-in gives it back.
    """

    per_account: int = 5
    per_address: int = 20
    window: timedelta = timedelta(minutes=15)

    def take(self, sessions: sessionmaker[Session], name: str, address: str, now: datetime) -> int:
        """0 when the attempt may go ahead; else the seconds until the account or address is free."""
        cutoff = now - self.window
        with sessions() as db:
            db.execute(delete(LoginFailures).where(LoginFailures.window_start <= cutoff))
            for key, limit in ((_account_key(name), self.per_account), (_address_key(address), self.per_address)):
                if not _take_one(db, key, limit, now, cutoff):
                    since = db.scalar(select(LoginFailures.window_start).where(LoginFailures.key == key))
                    db.rollback()
                    return max(1, int((_aware(since) + self.window - now).total_seconds()) + 1)
            db.commit()
        return 0

    def succeeded(self, sessions: sessionmaker[Session], name: str, address: str) -> None:
        """The account's failures are forgotten; the address gets back the place this attempt took."""
        with sessions() as db:
            db.execute(delete(LoginFailures).where(LoginFailures.key == _account_key(name)))
            db.execute(
                update(LoginFailures)
                .where(LoginFailures.key == _address_key(address), LoginFailures.failures > 0)
                .values(failures=LoginFailures.failures - 1)
            )
            db.commit()


def _take_one(db: Session, key: str, limit: int, now: datetime, cutoff: datetime) -> bool:
    """Count one attempt against `key` unless it reached `limit` within the window (one statement)."""
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    expired = LoginFailures.window_start <= cutoff
    statement = (
        dialect.insert(LoginFailures)
        .values(key=key, failures=1, window_start=now)
        .on_conflict_do_update(
            index_elements=[LoginFailures.key],
            set_={
                "failures": case((expired, 1), else_=LoginFailures.failures + 1),
                "window_start": case((expired, now), else_=LoginFailures.window_start),
            },
            where=(LoginFailures.failures < limit) | expired,
        )
        .returning(LoginFailures.failures)
    )
    return db.execute(statement).first() is not None


def _account_key(name: str) -> str:
    return "account:" + name.strip().casefold()[:100]


def _address_key(address: str) -> str:
    return "address:" + address[:64]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def proxy_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """The `[web] trusted_proxies` setting as networks; a wrong entry is refused in Chinese."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ValueError(f"[web] trusted_proxies 中的“{entry}”不是 IP 地址或网段") from None
    return tuple(networks)


def client_address(peer: str | None, forwarded_for: str | None, proxies: tuple[Network, ...]) -> str:
    """Where a request came from: the connecting peer, unless it is a trusted proxy; then the
    right-most `X-Forwarded-For` hop that is not itself a trusted proxy (hops further left are
    whatever the client claimed)."""
    address = peer or "unknown"
    if not forwarded_for or not _is_proxy(address, proxies):
        return address
    for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
        address = hop
        if not _is_proxy(hop, proxies):
            break
    return address


def _is_proxy(address: str, proxies: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)
