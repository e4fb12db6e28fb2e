"""Open a .zip attachment and list the files inside, never raising past ZipUnreadable.

Units zip their photos (and sometimes the document with them). The zip is judged by the same
directory checks as a .docx (validators.docx_safety: entry count, declared sizes, compression
ratio, encryption) before any member is inflated, with limits sized for photos. Member names
written by Chinese Windows without the UTF-8 flag are GBK bytes that zipfile reads as cp437:
they are decoded again from the bytes.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from intake.charsets import decode_bytes
from validators.docx_safety import MIB, DocxRejected, ZipLimits, check_archive, read_member

MAX_FILES = 50
PHOTO_LIMITS = ZipLimits(max_entries=500, max_member_bytes=50 * MIB, max_total_bytes=150 * MIB)

_UTF8_FLAG = 0x800
_SKIPPED_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}


@dataclass(frozen=True)
class ZipMember:
    name: str  # decoded, without the folders, not sanitised
    payload: bytes


class ZipUnreadable(Exception):
    """The zip cannot be opened safely; `reason` is a validators.docx_safety reason (encrypted, ratio…)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def unpack_zip(payload: bytes) -> list[ZipMember]:
    """The files in the zip, folders and system clutter left out. More than MAX_FILES files make the
    zip unreadable as a whole: judging some of its photos and dropping the rest would be a verdict
    on part of the mail."""
    try:
        archive = check_archive(payload, PHOTO_LIMITS)
        members = [info for info in archive.infolist() if _is_content(info)]
        if len(members) > MAX_FILES:
            raise ZipUnreadable("too_many_entries")
        return [ZipMember(PurePosixPath(_name(info)).name, read_member(archive, info.filename)) for info in members]
    except DocxRejected as rejected:
        raise ZipUnreadable(rejected.reason) from None


def _is_content(info: zipfile.ZipInfo) -> bool:
    """A file a person put there: not a folder, macOS resource fork or Windows thumbnail cache."""
    parts = PurePosixPath(info.filename).parts
    if info.is_dir() or not parts or parts[0] == "__MACOSX":
        return False
    return not parts[-1].startswith("._") and parts[-1].lower() not in _SKIPPED_NAMES


def _name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    return decode_bytes(info.filename.encode("cp437"))
