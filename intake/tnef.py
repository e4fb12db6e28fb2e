"""Open an Outlook winmail.dat (TNEF) and list the files inside, never raising.

tnefparse does the decoding. Two guards around it: it copies the rest of the blob for every
object it reads (quadratic on a blob of many tiny objects), so objects are counted first; and it
decodes legacy 8-bit attachment names as UTF-8, so those are decoded here from the raw bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from tnefparse.tnef import TNEF

from intake.charsets import decode_bytes
from intake.sniff import TNEF_MAGIC

MAX_OBJECTS = 2_000
MAX_FILES = 50

_HEADER_BYTES = 6  # signature (4) + key (2)
_OBJECT_OVERHEAD = 11  # level (1) + id (2) + type (2) + length (4) + checksum (2)


@dataclass(frozen=True)
class TnefFile:
    name: str  # decoded, not sanitised
    payload: bytes


class TnefUnreadable(Exception):
    """Not a TNEF blob, or one this module refuses to open."""


def is_tnef(content_type: str, name: str, payload: bytes) -> bool:
    return (
        content_type in {"application/ms-tnef", "application/vnd.ms-tnef"}
        or name.strip().lower() == "winmail.dat"
        or payload.startswith(TNEF_MAGIC)
    )


def unpack_tnef(payload: bytes) -> list[TnefFile]:
    """The attached files (at most MAX_FILES); raises TnefUnreadable when that cannot be done."""
    if not payload.startswith(TNEF_MAGIC):
        raise TnefUnreadable("no TNEF signature")
    if _object_count(payload) > MAX_OBJECTS:
        raise TnefUnreadable("too many objects")
    try:
        tnef = TNEF(payload, do_checksum=False)
        return [TnefFile(_name(a, tnef.codepage), bytes(a.data)) for a in tnef.attachments[:MAX_FILES] if a.data]
    except Exception as exc:  # noqa: BLE001 - the library's failures on hostile bytes are many and untyped
        raise TnefUnreadable(f"{type(exc).__name__}: {exc}") from exc


def _object_count(payload: bytes) -> int:
    count, offset = 0, _HEADER_BYTES
    while offset + _OBJECT_OVERHEAD <= len(payload) and count <= MAX_OBJECTS:
        length = int.from_bytes(payload[offset + 5 : offset + 9], "little")
        offset += _OBJECT_OVERHEAD + length
        count += 1
    return count


def _name(attachment: object, codepage: str | None) -> str:
    try:
        return attachment.long_filename()  # type: ignore[attr-defined]
    except UnicodeDecodeError:
        # attAttachTitle in the sender's ANSI code page (e.g. GBK), which tnefparse reads as UTF-8
        raw = getattr(attachment, "_name", b"")
        raw = raw if isinstance(raw, bytes) else str(raw).encode("utf-8", errors="replace")
        return decode_bytes(raw.rstrip(b"\x00"), codepage).strip()
