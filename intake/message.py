"""Typed view of one received mail, as produced by intake.mailparse.parse_mail."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime


@dataclass(frozen=True)
class MailAttachment:
    """A non-text leaf part the sender attached (or that a client put inline)."""

    display_name: str  # decoded and sanitised (NFC, no control/bidi chars, truncated); display only
    content_type: str  # as declared, lower-case
    payload: bytes  # decoded bytes
    kind: str  # sniffed from the bytes: docx | doc | wps | image | zip | pdf | tnef | other
    image_format: str | None = None  # JPEG/PNG/... when kind == "image" (sniffed, not verified)
    inline_cid: bool = False  # an image the HTML body shows by cid: (logo, signature) — not a photo
    nested: int = 0  # 0 = the outer mail; 1+ = inside a forwarded message/rfc822 (or winmail.dat)
    origin: str = "part"  # part | rfc822 | tnef | uuencode | zip
    problem: str | None = None  # e.g. "tnef_unreadable", "zip_unreadable:encrypted"

    @property
    def size(self) -> int:
        return len(self.payload)

    @cached_property
    def sha256(self) -> str:  # computed when stored, not for every check
        return hashlib.sha256(self.payload).hexdigest()


@dataclass(frozen=True)
class ParsedMail:
    sender: str  # lower-case address from From (after decoding)
    sender_name: str
    reply_to: str | None
    subject: str
    date: datetime | None
    message_id: str | None
    in_reply_to: str | None
    references: list[str]
    forwarded_from: str | None  # sender of an attached/forwarded original, if any
    auto_submitted: str | None  # the reason when this is automatic mail (bounce, out-of-office, list…)
    text_body: str
    html_body: str
    attachments: list[MailAttachment]
    cloud_links: list[str]  # "large attachment" download links found in the bodies
    defects: list[str] = field(default_factory=list)  # parser defects and limits hit, for evidence
    size: int = 0  # raw bytes
    headers: dict[str, str] = field(default_factory=dict)  # selected decoded headers (lower-case keys)
    authentication_results: tuple[str, ...] = ()  # raw Authentication-Results values, top first (RFC 8601)
