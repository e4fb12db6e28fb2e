"""The envelope of a parsed mail: who sent it, when, its ids and the headers kept as evidence."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import parseaddr, parsedate_to_datetime

from intake.charsets import decode_bytes
from intake.headertext import decode_header_text, header_bytes

# Always present in ParsedMail.headers ("" when the mail has none); the others only when present.
CORE_HEADERS = ("from", "to", "subject", "date", "message-id", "return-path", "auto-submitted", "precedence")
EXTRA_HEADERS = (
    "cc", "reply-to", "in-reply-to", "references", "content-type", "x-mailer", "user-agent",
    "list-id", "x-auto-response-suppress", "x-autoreply", "delivered-to", "x-baosong-reply",
)  # fmt: skip
MAX_ID_CHARS = 998
# Longest address header read: a real From/Reply-To is far shorter; the address regex and the
# stdlib's address parser are both slow on long hostile values.
MAX_ADDRESS_CHARS = 1_000
MAX_REFERENCES = 100
EARLIEST_PLAUSIBLE_YEAR = 1980
MAX_AUTH_RESULTS, MAX_AUTH_RESULT_CHARS = 20, 4000  # far more than any relay chain writes
HEADER_BLOCK_PEEK = 65536

_ADDRESS = re.compile(r"[^\s<>\"'@,;:()\[\]]+@[^\s<>\"'@,;:()\[\]]+")
_FOLD = re.compile(r"\r?\n")


@dataclass(frozen=True)
class Envelope:
    sender: str
    sender_name: str
    reply_to: str | None
    subject: str
    date: datetime | None
    message_id: str | None
    in_reply_to: str | None
    references: list[str]
    headers: dict[str, str]
    raw_headers: dict[str, str]  # every header, lower-case name → first raw value (for robot checks)
    authentication_results: tuple[str, ...] = ()  # every Authentication-Results value, top first


def first_headers(message: Message) -> dict[str, str]:
    """Lower-case name → first value, unfolded, raw bytes still as surrogate escapes."""
    return {name.strip().lower(): _FOLD.sub("", value) for name, value in reversed(list(message.raw_items()))}


def read_envelope(message: Message, fallbacks: Iterable[str], defects: list[str]) -> Envelope:
    fallbacks = tuple(fallbacks)
    raw = first_headers(message)
    sender, sender_name = mailbox(raw.get("from", ""), fallbacks)
    reply_to = mailbox(raw["reply-to"], fallbacks)[0] if "reply-to" in raw else ""
    date = parse_date(raw["date"]) if "date" in raw else None
    if "date" in raw and date is None:
        defects.append("bad_date")
    decoded = {name: decode_header_text(raw.get(name, ""), fallbacks) for name in CORE_HEADERS}
    decoded |= {name: decode_header_text(raw[name], fallbacks) for name in EXTRA_HEADERS if name in raw}
    return Envelope(
        sender=sender,
        sender_name=sender_name,
        reply_to=reply_to or None,
        subject=decoded["subject"].strip(),
        date=date,
        message_id=_message_id(raw.get("message-id", "")),
        in_reply_to=_message_id(raw.get("in-reply-to", "")),
        references=_ascii(raw.get("references", "")).split()[:MAX_REFERENCES],
        headers=decoded,
        raw_headers=raw,
        authentication_results=tuple(
            _ascii(_FOLD.sub("", value))[:MAX_AUTH_RESULT_CHARS]
            for name, value in message.raw_items()
            if name.strip().lower() == "authentication-results"
        )[:MAX_AUTH_RESULTS],
    )


def mailbox(value: str, fallbacks: Iterable[str] = ()) -> tuple[str, str]:
    """(lower-case address, decoded display name) of the first mailbox in an address header."""
    fallbacks = tuple(fallbacks)
    text = decode_bytes(header_bytes(value)[:MAX_ADDRESS_CHARS], None, fallbacks)
    try:
        name, address = parseaddr(text)
    except RecursionError:  # "((((…": the stdlib recurses once per nested comment
        name, address = "", ""
    if "@" not in address:
        found = _ADDRESS.search(text)
        address, name = (found.group(0), "") if found else ("", name)
    return address.strip().lower(), decode_header_text(name, fallbacks).strip().strip('"')


def parse_date(value: str) -> datetime | None:
    """Aware datetime (UTC when the mail gives no zone), or None when unparseable or implausible."""
    try:
        parsed = parsedate_to_datetime(_ascii(value).strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None or parsed.year < EARLIEST_PLAUSIBLE_YEAR:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def arrival_time(raw: bytes, *, now: datetime) -> datetime | None:
    """When a saved message reached its mailbox: the newest `Received` stamp, else its `Date`.

    A time after `now` is not an arrival (a sender's clock or a forged header), so it is ignored.
    """
    headers = BytesHeaderParser(policy=compat32).parsebytes(raw[:HEADER_BLOCK_PEEK])
    stamps = [str(value).rpartition(";")[2] for value in (headers.get_all("Received") or [])[:1]]
    stamps.append(str(headers.get("Date") or ""))
    for stamp in stamps:
        moment = parse_date(stamp)
        if moment is not None and moment <= now:
            return moment
    return None


def _message_id(value: str) -> str | None:
    cleaned = _ascii(value).strip()[:MAX_ID_CHARS]
    return cleaned or None


def _ascii(value: str) -> str:
    return header_bytes(value).decode("ascii", errors="ignore")
