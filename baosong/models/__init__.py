"""All tables, imported explicitly so metadata and migrations see every one."""

from baosong.models.base import Base, utcnow
from baosong.models.core import (
    AttachmentRow,
    AuditEntry,
    FindingRow,
    Item,
    MailboxCursor,
    MailboxMessage,
    RawMessage,
    ReceiptCounter,
    Unit,
)

__all__ = [
    "AttachmentRow",
    "AuditEntry",
    "Base",
    "FindingRow",
    "Item",
    "MailboxCursor",
    "MailboxMessage",
    "RawMessage",
    "ReceiptCounter",
    "Unit",
    "utcnow",
]
