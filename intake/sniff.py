"""What a file is, judged from its bytes (the name and declared type only break ties).

kinds: docx | doc | wps | image | zip | archive (RAR, 7z…: not opened) | pdf | tnef | other. Images get a format name as Pillow
spells it (JPEG, PNG…): magic numbers only — whether Pillow can decode the image is the photo
validator's question, not this module's.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
TNEF_MAGIC = b"\x78\x9f\x3e\x22"
# Zip entries listed at most; beyond this the file is not opened further here (the docx reader caps too).
MAX_ZIP_ENTRIES = 5_000
MAX_CONTENT_TYPES_BYTES = 1_000_000

_OTHER_OFFICE_EXTENSIONS = {".xls", ".xlsx", ".xlsm", ".ppt", ".pptx", ".pptm"}
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}
_BMP_HEADER_SIZES = {12, 40, 52, 56, 64, 108, 124}
# archives other than zip, by magic number → the name a unit knows them by
ARCHIVE_MAGICS = {
    b"Rar!\x1a\x07": "RAR",
    b"7z\xbc\xaf\x27\x1c": "7z",
    b"\xfd7zXZ\x00": "xz",
    b"\x1f\x8b": "gzip",
    b"BZh": "bzip2",
}


@dataclass(frozen=True)
class Sniffed:
    kind: str
    image_format: str | None = None


def sniff(payload: bytes, name: str = "", content_type: str = "") -> Sniffed:
    """Classify a payload; `name` and `content_type` help only where the bytes are ambiguous."""
    extension = PurePosixPath(name.lower()).suffix
    image_format = image_format_of(payload)
    if image_format:
        return Sniffed("image", image_format)
    if payload.startswith(ZIP_MAGICS):
        return Sniffed(_zip_kind(payload, extension))
    if payload.startswith(OLE2_MAGIC):
        return Sniffed(_ole2_kind(payload, extension))
    if payload.startswith(b"%PDF-"):
        return Sniffed("pdf")
    if archive_format_of(payload):
        return Sniffed("archive")
    if payload.startswith(TNEF_MAGIC):
        return Sniffed("tnef")
    if payload.startswith(b"{\\rtf") and extension in {".doc", ".dot"}:
        return Sniffed("doc")  # Word-saved RTF under a .doc name: legacy format all the same
    if _meant_as_docx(extension, content_type):
        # Nothing recognisable (or nothing at all: a failed upload) under a .docx name: the
        # document reader reports it corrupt or empty, rather than the mail "having no .docx".
        return Sniffed("docx")
    return Sniffed("other")


def image_format_of(payload: bytes) -> str | None:
    head = payload[:32]
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "WEBP"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "TIFF"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _HEIF_BRANDS:
            return "HEIF"
        if brand in {b"avif", b"avis"}:
            return "AVIF"
    if head.startswith(b"BM") and len(head) >= 18 and int.from_bytes(head[14:18], "little") in _BMP_HEADER_SIZES:
        return "BMP"
    return None


def archive_format_of(payload: bytes) -> str | None:
    """RAR, 7z…: an archive that is not a zip, or None."""
    return next((name for magic, name in ARCHIVE_MAGICS.items() if payload.startswith(magic)), None)


def _zip_kind(payload: bytes, extension: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                return "docx" if extension == ".docx" else "zip"
            names = {entry.filename for entry in entries}
            if "word/document.xml" in names:
                return "docx"
            content_types = next((e for e in entries if e.filename == "[Content_Types].xml"), None)
            if content_types and content_types.file_size <= MAX_CONTENT_TYPES_BYTES:
                if b"wordprocessingml" in archive.read(content_types):
                    return "docx"
    except Exception:  # noqa: BLE001 - any malformed archive: judged by name below
        # A truncated .docx still starts like a zip: the document reader reports it corrupt.
        return "docx" if extension in {".docx", ".docm"} else "zip"
    return "zip"


def _ole2_kind(payload: bytes, extension: str) -> str:
    if extension not in _OTHER_OFFICE_EXTENSIONS and "EncryptedPackage".encode("utf-16-le") in payload:
        return "docx"  # a password-protected Office 2007+ file; the document reader says "encrypted"
    if extension == ".wps":
        return "wps"
    if extension in {".doc", ".dot"} or "WordDocument".encode("utf-16-le") in payload:
        return "doc"
    return "other"


def _meant_as_docx(extension: str, content_type: str) -> bool:
    return extension == ".docx" or "wordprocessingml" in content_type
