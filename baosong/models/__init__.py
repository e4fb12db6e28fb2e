"""All tables, imported explicitly so metadata and migrations see every one."""

from baosong.models.accounts import ConsoleSession, LoginFailures, User
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
from baosong.models.duplicates import DuplicateEntry
from baosong.models.intake import IntakeLease
from baosong.models.ledger import Adjustment, Adoption, Commission, Endorsement
from baosong.models.outbox import OutboxMessage, OutboxState, SendingAccount

__all__ = [
    "Adjustment",
    "Adoption",
    "Commission",
    "ConsoleSession",
    "DuplicateEntry",
    "Endorsement",
    "AttachmentRow",
    "AuditEntry",
    "Base",
    "FindingRow",
    "IntakeLease",
    "Item",
    "LoginFailures",
    "MailboxCursor",
    "MailboxMessage",
    "OutboxMessage",
    "OutboxState",
    "RawMessage",
    "ReceiptCounter",
    "SendingAccount",
    "Unit",
    "User",
    "utcnow",
]
