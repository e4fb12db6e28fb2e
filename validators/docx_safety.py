"""Pre-checks on .docx bytes before any XML parser sees them: zip limits, hostile XML, macros.

Anyone can mail us a file, so the zip directory is judged first (entry count, declared sizes,
compression ratio): zipfile never inflates a member past its declared size, which makes the
declared sizes a sound bound. Every XML-looking member is then refused if its prolog carries a
DTD (Word never writes one), which rules out entity expansion and external entities whatever
parser comes later: a DOCTYPE may only stand before the root element, anywhere else it is a syntax
error to every parser. Checking the prolog alone leaves big parts nobody reads (styles) unread.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

MIB = 1024 * 1024
OLE2_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_SIGNATURE = b"PK\x03\x04"
EMPTY_ZIP_SIGNATURE = b"PK\x05\x06"
ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
ZIP64_END_SIGNATURE = b"PK\x06\x06"
_END_RECORD_REACH = 22 + 0xFFFF  # the end record plus the longest comment
_READ_CHUNK = 1 * MIB  # zipfile inflates a whole read() call before cutting at the declared size
_PROLOG_CHUNK = 1024
_WIDE_XML_STARTS = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")

REASONS = frozenset(
    {
        "empty",  # zero bytes
        "not_zip",  # neither a zip nor an OLE file
        "truncated",  # starts like a zip but its directory is missing or broken
        "damaged",  # a member fails to inflate: bad CRC, bad deflate data, size lies, unknown method
        "encrypted",  # password-protected Word file (OLE + EncryptedPackage) or an encrypted zip member
        "legacy_word",  # an OLE Word 97-2003 .doc renamed .docx
        "too_many_entries",
        "too_large",  # a member or the total above the declared-size caps
        "ratio",  # a member that inflates suspiciously far
        "hostile_xml",  # DOCTYPE or ENTITY declaration in an XML part
        "xml_error",  # an XML part that does not parse (excessive depth, broken markup)
        "not_word",  # a zip that is not a Word document
        "document_too_large",  # XML parts to parse past what a submission can be (validators.document)
        "text_too_long",  # more text than a submission can be (validators.document)
    }
)

_XML_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
_MACRO_NAMES = ("vbaproject.bin", "vbadata.xml")


class DocxRejected(Exception):
    """The bytes cannot be read safely as a Word document; `reason` is one of REASONS."""

    def __init__(self, reason: str, detail: Mapping[str, Any] | None = None) -> None:
        self.reason = reason
        self.detail = dict(detail or {})
        super().__init__(f"{reason}: {self.detail}" if self.detail else reason)


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int = 1000
    max_member_bytes: int = 20 * MIB
    max_total_bytes: int = 100 * MIB
    max_ratio: float = 200.0
    ratio_floor_bytes: int = 1 * MIB  # smaller members may compress as well as they like
    max_directory_bytes_per_entry: int = 1024  # a docx's central directory entry is ~100 bytes


@dataclass(frozen=True)
class CheckedPackage:
    """A zip whose directory and XML prologs passed the checks; members are read on demand."""

    archive: zipfile.ZipFile
    member_names: frozenset[str]
    has_macros: bool

    def read(self, name: str) -> bytes:
        return read_member(self.archive, name)


def check_package(data: bytes, limits: ZipLimits = ZipLimits()) -> CheckedPackage:
    """Judge the zip structure and XML prologs of `data`; raise DocxRejected when unsafe."""
    archive = _open_zip(data, limits)
    members = archive.infolist()
    _check_directory(members, limits)
    for info in members:
        if not info.is_dir():
            _check_prolog(archive, info)
    names = frozenset(info.filename for info in members)
    content_types = read_member(archive, "[Content_Types].xml") if "[Content_Types].xml" in names else b""
    return CheckedPackage(archive, names, _has_macros(names, content_types))


def check_archive(data: bytes, limits: ZipLimits) -> zipfile.ZipFile:
    """A zip whose directory passed the entry, size, ratio and encryption checks, for files sent
    packed in a .zip; its members are read with read_member. Raises DocxRejected."""
    archive = _open_zip(data, limits)
    _check_directory(archive.infolist(), limits)
    return archive


def read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """A member's bytes, inflated in bounded steps up to its (already capped) declared size."""
    with _reading(name), archive.open(name) as member:
        return b"".join(iter(lambda: member.read(_READ_CHUNK), b""))


def _open_zip(data: bytes, limits: ZipLimits) -> zipfile.ZipFile:
    if not data:
        raise DocxRejected("empty")
    if data.startswith(OLE2_SIGNATURE):
        raise _ole_rejection(data)
    if not data.startswith((ZIP_SIGNATURE, EMPTY_ZIP_SIGNATURE)):
        raise DocxRejected("not_zip", {"bytes": len(data), "head": data[:8].hex()})
    _check_declared_directory(data, limits)
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError) as error:
        raise DocxRejected("truncated", {"bytes": len(data), "error": str(error)[:200]}) from None


def _check_declared_directory(data: bytes, limits: ZipLimits) -> None:
    """Refuse huge directories from the end record alone: zipfile builds an object per entry.

    zipfile walks the directory by its byte size, not by the entry count, so both are capped.
    """
    end = data.rfind(EMPTY_ZIP_SIGNATURE, max(0, len(data) - _END_RECORD_REACH))
    if end < 0 or end + 22 > len(data):
        return  # no end record: zipfile reports the damage
    entries, directory_bytes = struct.unpack_from("<HI", data, end + 10)
    locator = end - 20
    if locator >= 0 and data.startswith(ZIP64_LOCATOR_SIGNATURE, locator):
        (zip64_end,) = struct.unpack_from("<Q", data, locator + 8)
        if data.startswith(ZIP64_END_SIGNATURE, zip64_end) and zip64_end + 56 <= len(data):
            entries, directory_bytes = struct.unpack_from("<QQ", data, zip64_end + 32)
    max_directory_bytes = limits.max_entries * limits.max_directory_bytes_per_entry
    if entries > limits.max_entries or directory_bytes > max_directory_bytes:
        raise DocxRejected(
            "too_many_entries",
            {"entries": entries, "directory_bytes": directory_bytes, "limit": limits.max_entries},
        )


def _ole_rejection(data: bytes) -> DocxRejected:
    """An OLE compound file is either an encrypted OOXML package or a legacy binary document.

    Stream names are stored as UTF-16LE in the directory sectors, so a byte search finds them.
    """
    if "EncryptedPackage".encode("utf-16-le") in data:
        return DocxRejected("encrypted", {"bytes": len(data)})
    if "WordDocument".encode("utf-16-le") in data:
        return DocxRejected("legacy_word", {"bytes": len(data)})
    return DocxRejected("not_word", {"bytes": len(data), "container": "ole2"})


def _check_directory(members: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    if len(members) > limits.max_entries:
        raise DocxRejected("too_many_entries", {"entries": len(members), "limit": limits.max_entries})
    total = 0
    for info in members:
        if info.flag_bits & 0x1:
            raise DocxRejected("encrypted", {"member": info.filename})
        if info.file_size > limits.max_member_bytes:
            raise DocxRejected(
                "too_large",
                {"member": info.filename, "declared_bytes": info.file_size, "limit": limits.max_member_bytes},
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor_bytes and ratio > limits.max_ratio:
            raise DocxRejected(
                "ratio",
                {
                    "member": info.filename,
                    "declared_bytes": info.file_size,
                    "compressed_bytes": info.compress_size,
                    "ratio": round(ratio, 1),
                    "limit": limits.max_ratio,
                },
            )
        total += info.file_size
    if total > limits.max_total_bytes:
        raise DocxRejected("too_large", {"declared_total_bytes": total, "limit": limits.max_total_bytes})


@contextmanager
def _reading(name: str) -> Iterator[None]:
    try:
        yield
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError) as error:
        raise DocxRejected("damaged", {"member": name, "error": str(error)[:200]}) from None


def _check_prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a DOCTYPE or ENTITY declaration before the root element of an XML-looking member."""
    with _reading(info.filename), archive.open(info) as member:
        text = member.read(_PROLOG_CHUNK)
        if not _looks_like_xml(text):
            return
        if text.startswith(_WIDE_XML_STARTS):  # UTF-16: rare enough to scan whole
            text += b"".join(iter(lambda: member.read(_READ_CHUNK), b""))
            marker = next((m for m in _XML_MARKERS if m in text), None)
        else:
            while (marker := _prolog_declaration(text)) is None and (more := member.read(_READ_CHUNK)):
                text += more
    if marker:
        raise DocxRejected("hostile_xml", {"member": info.filename, "marker": _marker_name(marker)})


def _prolog_declaration(text: bytes) -> bytes | None:
    """b"" when the root element starts cleanly, the declaration found before it, None: read on."""
    position = 0
    while True:
        start = text.find(b"<", position)
        if start < 0 or start + 4 > len(text):
            return None
        if text.startswith(b"<!--", start):
            end, skip = text.find(b"-->", start + 4), 3
        elif text.startswith(b"<?", start):
            end, skip = text.find(b"?>", start + 2), 2
        elif text.startswith(b"<!", start):
            return text[start : start + 9]
        else:
            return b""
        if end < 0:
            return None
        position = end + skip


def _looks_like_xml(head: bytes) -> bool:
    if head.startswith(_WIDE_XML_STARTS):
        return True
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")


def _marker_name(marker: bytes) -> str:
    return marker.decode("latin-1").replace("\x00", "").split("[")[0].strip()


def _has_macros(names: frozenset[str], content_types: bytes) -> bool:
    lowered = [name.lower() for name in names]
    return (
        any(name.rsplit("/", 1)[-1] in _MACRO_NAMES or name.startswith("word/activex/") for name in lowered)
        or b"macroEnabled" in content_types
    )
