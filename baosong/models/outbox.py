"""The outbox: every reply to a unit, from queueing to delivery (or to a clerk's desk)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from baosong.models.base import Base, utcnow
from baosong.models.core import Item


class OutboxState(StrEnum):
    PENDING = "pending"  # due for delivery at next_attempt_at (or now)
    SENDING = "sending"  # an attempt was recorded and the SMTP transaction may be under way
    RETRY = "retry"  # the last attempt failed before the server took the mail; tried again later
    SENT = "sent"  # the server accepted the mail
    FAILED = "failed"  # refused for good (5xx) or too many attempts
    UNCERTAIN = "uncertain"  # an attempt was cut off after the data went out: a clerk decides
    HELD = "held"  # over the recipient's daily cap: a clerk decides


OUTBOX_STATE_LABELS = {  # Chinese, as clerks see them
    "pending": "待发送",
    "sending": "发送中",
    "retry": "等待重试",
    "sent": "已发送",
    "failed": "发送失败",
    "uncertain": "不确定是否已发出",
    "held": "超过当日上限，暂缓发送",
}


class OutboxMessage(Base):
    """One reply. Its Message-ID is fixed before the first attempt, so a resend is recognisable."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_state_due", "state", "next_attempt_at"),
        Index("ix_outbox_recipient_created", "recipient", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), index=True)
    raw_message_id: Mapped[int | None] = mapped_column(ForeignKey("raw_messages.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # accepted | rejected | review | classified | duplicate …
    automatic: Mapped[bool] = mapped_column(default=True)  # False for a clerk's follow-up
    recipient: Mapped[str] = mapped_column(String(320))  # lower-case address
    message_id: Mapped[str | None] = mapped_column(String(998), unique=True)  # None until composed
    subject: Mapped[str] = mapped_column(Text, default="")
    eml: Mapped[bytes | None] = mapped_column(LargeBinary)  # the exact bytes sent; None until composed
    context: Mapped[dict] = mapped_column(default=dict)  # what a late composition needs (clerk, note…)
    state: Mapped[str] = mapped_column(String(20), default=OutboxState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(100), default="system")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sending_at: Mapped[datetime | None]  # when the current/last attempt started
    sent_at: Mapped[datetime | None]

    item: Mapped[Item | None] = relationship()


class SendingAccount(Base):
    """The sending account's standing with its provider, shared by every worker.

    Permanent refusals in a row that do not name the recipient (`refused_ids`, the outbox rows
    refused so far in this run) and a daily-limit refusal pause all sending until `paused_until`,
    the start of the next office-local day.
    """

    __tablename__ = "sending_accounts"

    account: Mapped[str] = mapped_column(String(320), primary_key=True)
    refused_ids: Mapped[list] = mapped_column(default=list)
    paused_until: Mapped[datetime | None]
    pause_reason: Mapped[str | None] = mapped_column(Text)
