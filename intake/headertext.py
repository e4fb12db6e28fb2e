"""Decode one header value (subject, display name, file name) to text.

The value arrives as the parser left it: ASCII with RFC 2047 encoded words, and raw 8-bit bytes
smuggled through as surrogate escapes. A single linear pass: unfold, turn raw bytes into text
(strict UTF-8, the message's charsets, gb18030), then decode encoded words. Whitespace between
two encoded words is dropped (RFC 2047 §6.2); whitespace next to plain text is kept.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable

from intake.charsets import codec_for, decode_bytes, repair_latin1_mojibake

# Longest header value decoded; a subject of 100k encoded words is cut before any work is done.
MAX_HEADER_CHARS = 16_384

_FOLD = re.compile(r"\r?\n(?=[ \t])|\r?\n$")
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=")
_Q_ESCAPE = re.compile(rb"=([0-9A-Fa-f]{2})")


def header_bytes(value: str) -> bytes:
    """The original bytes of a value the stdlib parser decoded as ASCII with surrogate escapes."""
    return value.encode("utf-8", errors="surrogateescape")


def decode_header_text(value: str | bytes, fallbacks: Iterable[str] = ()) -> str:
    """Decoded, unfolded text of a header value; never raises."""
    raw = value if isinstance(value, bytes) else header_bytes(value)
    raw = raw[:MAX_HEADER_CHARS]
    fallbacks = tuple(fallbacks)
    text = _FOLD.sub("", decode_bytes(raw, None, fallbacks))
    if "=?" in text:
        text = _decode_encoded_words(text, fallbacks)
    return repair_latin1_mojibake(text)


def _decode_encoded_words(text: str, fallbacks: tuple[str, ...]) -> str:
    pieces: list[str] = []
    pending: list[bytes] = []  # adjacent words of one charset, joined so split characters survive
    pending_charset: str | None = None
    position = 0

    def flush() -> None:
        nonlocal pending, pending_charset
        if pending:
            pieces.append(decode_bytes(b"".join(pending), pending_charset, fallbacks))
        pending, pending_charset = [], None

    for match in _ENCODED_WORD.finditer(text):
        gap = text[position : match.start()]
        if gap and not (pending and gap.isspace()):
            flush()
            pieces.append(gap)
        charset = match.group(1).split("*", 1)[0]  # RFC 2231 adds *lang to the charset
        if pending and codec_for(charset) != codec_for(pending_charset):
            flush()
        pending.append(_word_bytes(match.group(2), match.group(3)))
        pending_charset = charset
        position = match.end()
    flush()
    pieces.append(text[position:])
    return "".join(pieces)


def _word_bytes(encoding: str, payload: str) -> bytes:
    data = payload.encode("ascii", errors="ignore")
    if encoding in "Bb":
        data = data.rstrip(b"=")
        if len(data) % 4 == 1:  # a stray character: no valid base64 ends like this
            data = data[:-1]
        data += b"=" * (-len(data) % 4)
        try:
            return base64.b64decode(data)
        except (binascii.Error, ValueError):
            return b""
    return _Q_ESCAPE.sub(lambda m: bytes.fromhex(m.group(1).decode()), data.replace(b"_", b" "))
