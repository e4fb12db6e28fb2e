"""Make a sender-chosen file name safe to show: never used as a path, only as display text.

Files are stored by hash; this text only appears in replies, the console and reports. So: NFC,
no control or bidi characters, no directories, bounded length, Chinese kept. (werkzeug's
secure_filename turns "申报材料_张三.docx" into "docx" — not usable here.)
"""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_CHARS = 120
MAX_EXTENSION_CHARS = 10

_WHITESPACE_CONTROLS = re.compile(r"[\t\n\v\f\r\x1c-\x1f\x85\u2028\u2029]+")
_SPACES = re.compile(r"\s+")
_EXTENSION = re.compile(r"^[0-9A-Za-z]{1,%d}$" % MAX_EXTENSION_CHARS)
_KIND_EXTENSIONS = {"docx": "docx", "doc": "doc", "wps": "wps", "zip": "zip", "pdf": "pdf", "tnef": "dat"}
_IMAGE_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "BMP": "bmp", "WEBP": "webp", "TIFF": "tif"}


def display_name(name: str, *, kind: str, image_format: str | None, index: int) -> str:
    """Sanitised display text for a file name; "附件{index}.{ext}" when nothing is left."""
    text = unicodedata.normalize("NFC", name)
    text = _WHITESPACE_CONTROLS.sub(" ", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co"})
    text = _base_name(text)
    text = _SPACES.sub(" ", text).strip().rstrip(". ")
    if not text:
        return f"附件{index}.{generated_extension(kind, image_format)}"
    return _truncate(text, MAX_NAME_CHARS)


def generated_extension(kind: str, image_format: str | None) -> str:
    if kind == "image" and image_format:
        return _IMAGE_EXTENSIONS.get(image_format, image_format.lower())
    return _KIND_EXTENSIONS.get(kind, "bin")


def _base_name(text: str) -> str:
    """The last path component, after dropping empty, "." and ".." components (/ or \\)."""
    components = [c for c in re.split(r"[/\\]", text) if c.strip() not in {"", ".", ".."}]
    return components[-1] if components else ""


def _truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    stem, dot, extension = text.rpartition(".")
    if dot and stem and _EXTENSION.match(extension):
        return stem[: limit - len(extension) - 1].rstrip() + "." + extension
    return text[:limit].rstrip()
