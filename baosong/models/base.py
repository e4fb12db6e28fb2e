"""Declarative base shared by every table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from sqlalchemy import JSON, BigInteger, DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# IMAP UIDs, UIDVALIDITY and server sizes are unsigned 32-bit (up to 4,294,967,295), and file sizes
# can pass 2 GB: PostgreSQL's INTEGER stops at 2,147,483,647.
BigInt = Annotated[int, mapped_column(BigInteger)]


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict: JSON, list: JSON, datetime: DateTime(timezone=True)}
