"""A lease row per mailbox folder: only one intake reads a folder at a time, on any database.

Taking the lease is one conditional UPDATE (free, expired, already ours, or held by a process on
this host that no longer exists), so two workers racing for it never both win — on SQLite and on
PostgreSQL alike. A holder that dies without releasing is replaced when its lease expires, or at
once by a process on the same host.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from baosong.db import transaction
from baosong.models import IntakeLease, utcnow


def new_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def holder_is_dead(holder: str) -> bool:
    """True when the holder ran on this host and its process is gone (it crashed or was killed)."""
    host, _, rest = holder.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _ensure_row(sessions: sessionmaker[Session], name: str) -> None:
    try:
        with transaction(sessions) as session:
            if session.scalar(select(IntakeLease.id).where(IntakeLease.name == name)) is None:
                session.add(IntakeLease(name=name, holder="", expires_at=utcnow()))
    except IntegrityError:
        pass  # another worker created it a moment ago


def _take(sessions: sessionmaker[Session], name: str, holder: str, seconds: float, condition) -> bool:  # noqa: ANN001
    with transaction(sessions) as session:
        result = session.execute(
            update(IntakeLease)
            .where(IntakeLease.name == name, condition)
            .values(holder=holder, expires_at=utcnow() + timedelta(seconds=seconds))
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1


def acquire(sessions: sessionmaker[Session], name: str, holder: str, seconds: float) -> bool:
    """Take or renew the lease for `seconds`; False when another live worker holds it."""
    _ensure_row(sessions, name)
    free = or_(IntakeLease.expires_at < utcnow(), IntakeLease.holder == holder, IntakeLease.holder == "")
    if _take(sessions, name, holder, seconds, free):
        return True
    with sessions() as session:
        current = session.scalar(select(IntakeLease.holder).where(IntakeLease.name == name))
    if current and holder_is_dead(current):
        return _take(sessions, name, holder, seconds, IntakeLease.holder == current)
    return False


def release(sessions: sessionmaker[Session], name: str, holder: str) -> None:
    with transaction(sessions) as session:
        session.execute(
            update(IntakeLease)
            .where(IntakeLease.name == name, IntakeLease.holder == holder)
            .values(holder="", expires_at=utcnow())
            .execution_options(synchronize_session=False)
        )
