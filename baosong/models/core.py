"""Core tables: unit registry, mailbox ledger, archived messages, items, findings, audit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from baosong.models.base import Base, BigInt, utcnow


class Unit(Base):
    """A reporting unit (单位) from the registry clerks keep in Excel."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    aliases: Mapped[list] = mapped_column(default=list)
    category: Mapped[str] = mapped_column(String(100), default="")
    emails: Mapped[list] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class MailboxCursor(Base):
    """Where intake stands in one mailbox folder; also the health view's source."""

    __tablename__ = "mailbox_cursors"
    __table_args__ = (UniqueConstraint("mailbox", "folder"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(300))  # user@host
    folder: Mapped[str] = mapped_column(String(300))
    uidvalidity: Mapped[BigInt | None]
    last_uid: Mapped[BigInt] = mapped_column(default=0)
    last_success_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None]


class RawMessage(Base):
    """A message exactly as received, archived under its sha256 before anything else happens."""

    __tablename__ = "raw_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    content_key: Mapped[str] = mapped_column(String(64), index=True)  # Message-ID + content, ignoring trace headers
    path: Mapped[str] = mapped_column(String(500))  # relative to the data folder
    size: Mapped[BigInt]
    declared_size: Mapped[BigInt | None]  # the server's size when only the headers were downloaded (oversized)
    message_id: Mapped[str | None] = mapped_column(String(998))
    source: Mapped[str] = mapped_column(String(20))  # imap | import
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None]
    state: Mapped[str] = mapped_column(String(20), default="archived")  # archived | done | failed | duplicate
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("raw_messages.id"))


class MailboxMessage(Base):
    """One (mailbox, folder, UIDVALIDITY, UID) seen on the server, pointing at its archived bytes."""

    __tablename__ = "mailbox_messages"
    __table_args__ = (UniqueConstraint("mailbox", "folder", "uidvalidity", "uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(300))
    folder: Mapped[str] = mapped_column(String(300))
    uidvalidity: Mapped[BigInt]
    uid: Mapped[BigInt]
    size: Mapped[BigInt | None]
    raw_message_id: Mapped[int | None] = mapped_column(ForeignKey("raw_messages.id"))
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    marked_at: Mapped[datetime | None]  # when the server flag/move was done


class Item(Base):
    """The verdict on one processed message (信息条目)."""

    __tablename__ = "items"
    __table_args__ = (
        Index("ix_items_verdict_received", "verdict", "received_at"),
        Index("ix_items_queue", "verdict", "settled_at", "classified", "received_at", "unit_id"),  # the console's queue
        # finding items (baosong.search): every column a search reads, so a page is read from the index alone
        Index("ix_items_find", "verdict", "classified", "received_at", "id", "unit_id", "settled_at", "receipt", "title"),
        Index("ix_items_classified", "classified"),  # the few items clerks may not see
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    raw_message_id: Mapped[int | None] = mapped_column(ForeignKey("raw_messages.id"), unique=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    verdict: Mapped[str] = mapped_column(String(20), index=True)
    original_verdict: Mapped[str] = mapped_column(String(20))
    receipt: Mapped[str | None] = mapped_column(String(50), unique=True)
    category: Mapped[str] = mapped_column(String(20), default="动态")  # 动态 | 专报 | 参阅 …
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    fields: Mapped[dict] = mapped_column(default=dict)
    document: Mapped[dict] = mapped_column(default=dict)  # paragraphs with parts, for the console
    sender: Mapped[str] = mapped_column(String(300), default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[str | None] = mapped_column(String(998))
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted_at: Mapped[datetime | None]  # when it started to count (automatically or by a clerk)
    classified: Mapped[bool] = mapped_column(default=False)  # visible to administrators only
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    not_duplicate: Mapped[bool] = mapped_column(default=False)
    settled_at: Mapped[datetime | None]  # out of the queue: answered, resubmitted or settled by a clerk
    resubmission_of_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), index=True)  # the rejected one
    note: Mapped[str] = mapped_column(Text, default="")

    unit: Mapped[Unit | None] = relationship()
    findings: Mapped[list[FindingRow]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="FindingRow.id"
    )
    attachments: Mapped[list[AttachmentRow]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="AttachmentRow.id"
    )


class FindingRow(Base):
    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    severity: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text)
    params: Mapped[dict] = mapped_column(default=dict)
    evidence: Mapped[dict] = mapped_column(default=dict)
    location: Mapped[dict | None]

    item: Mapped[Item] = relationship(back_populates="findings")


class AttachmentRow(Base):
    """An attachment stored under its hash; the sender's name is display text only."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    display_name: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    size: Mapped[BigInt]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    path: Mapped[str] = mapped_column(String(500))  # relative to the data folder

    item: Mapped[Item] = relationship(back_populates="attachments")


class ReceiptCounter(Base):
    """Per-prefix, per-year sequence for receipt numbers (CJHB-2026-00042)."""

    __tablename__ = "receipt_counters"
    __table_args__ = (UniqueConstraint("prefix", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    prefix: Mapped[str] = mapped_column(String(40))
    year: Mapped[int]
    last: Mapped[int] = mapped_column(default=0)


class AuditEntry(Base):
    """Who did what, when and why — every clerk action and every automatic decision."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))  # a user name, or "system"
    action: Mapped[str] = mapped_column(String(50))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict] = mapped_column(default=dict)
