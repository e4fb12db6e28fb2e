"""Column types that must hold what mail servers and disks hand us, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from baosong.models import MailboxCursor, MailboxMessage, RawMessage

LARGEST_IMAP_NUMBER = 4_294_967_295  # UIDVALIDITY and UID are unsigned 32-bit


def test_mailbox_ledger_holds_the_largest_uidvalidity_and_uid(sessions) -> None:  # noqa: ANN001
    with sessions.begin() as session:
        session.add(MailboxCursor(mailbox="u@127.0.0.1", folder="INBOX", uidvalidity=LARGEST_IMAP_NUMBER, last_uid=LARGEST_IMAP_NUMBER))
        session.add(MailboxMessage(mailbox="u@127.0.0.1", folder="INBOX", uidvalidity=LARGEST_IMAP_NUMBER, uid=LARGEST_IMAP_NUMBER, size=3 * 2**30))

    with sessions() as session:
        cursor = session.scalar(select(MailboxCursor))
        seen = session.scalar(select(MailboxMessage))
        assert (cursor.uidvalidity, cursor.last_uid, seen.uid, seen.size) == (LARGEST_IMAP_NUMBER, LARGEST_IMAP_NUMBER, LARGEST_IMAP_NUMBER, 3 * 2**30)


def test_archive_records_a_server_size_above_two_gigabytes(sessions) -> None:  # noqa: ANN001
    with sessions.begin() as session:
        session.add(RawMessage(sha256="0" * 64, content_key="0" * 64, path="raw/0", size=1024, declared_size=5 * 2**30, source="imap"))

    with sessions() as session:
        assert session.scalar(select(RawMessage.declared_size)) == 5 * 2**30
