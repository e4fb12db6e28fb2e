"""Rules on photo attachments: size, being a real image, and a descriptive name."""

from __future__ import annotations

import io
import os
import threading
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import PurePosixPath

from PIL import Image, UnidentifiedImageError
from pillow_heif import register_heif_opener

from intake.sniff import archive_format_of
from validators.case import Case, Hit, size_text

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".heic", ".heif", ".webp", ".tif", ".tiff", ".jfif"}

# Pillow's decompression-bomb limit stays on; its warning zone becomes an error too.
Image.MAX_IMAGE_PIXELS = 89_478_485
register_heif_opener()  # iPhone photos (HEIC/HEIF) are images

# Photos are decoded side by side: Pillow releases the GIL while decoding, and a full decode is
# most of a check's time. Two at a time, and within one budget of decoded pixels held at once:
# Pillow keeps 4 bytes a pixel (RGB too), so two PNGs just under its pixel limit held 700 MB.
# A photo that needs more than the whole budget (over 50 MP; a JPEG decodes at 1/8 scale) is not
# decoded at all.
_DECODERS = ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1), thread_name_prefix="photo-decode")
DECODE_BUDGET_BYTES = 200 * 1024 * 1024
_BYTES_PER_PIXEL = 4
TOO_MANY_PIXELS = "图片像素过多，超过 5000 万像素"


class _DecodeBudget:
    """Bytes of decoded pixels the decoding threads may hold at once, process-wide."""

    def __init__(self, total: int) -> None:
        self._free = total
        self._changed = threading.Condition()

    @contextmanager
    def hold(self, amount: int) -> Iterator[None]:
        with self._changed:
            self._changed.wait_for(lambda: self._free >= amount)  # every holder finishes its decode
            self._free -= amount
        try:
            yield
        finally:
            with self._changed:
                self._free += amount
                self._changed.notify_all()


_BUDGET = _DecodeBudget(DECODE_BUDGET_BYTES)
# Pillow allocates pixels in blocks (16 MB by default), under glibc's largest mmap threshold (32 MB):
# freed blocks then stay in the decoding thread's malloc arena, and the next large photo decoded on
# the other thread takes as much again (two 49 MP photos in turn held 380 MB). Blocks above the
# threshold are mapped and unmapped, so what a decode frees goes back to the system.
Image.core.set_block_size(64 * 1024 * 1024)  # what PILLOW_BLOCK_SIZE=64m sets


def named_as_image(name: str) -> bool:
    return PurePosixPath(name.lower()).suffix in IMAGE_EXTENSIONS


def image_problem(payload: bytes) -> str | None:
    """Why the bytes are not a usable image, or None. Identify, verify, then fully decode."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(payload)) as probe:
                probe.verify()
            with Image.open(io.BytesIO(payload)) as image:
                if image.format == "JPEG":
                    # Decoding at 1/8 scale still reads every scan, so truncation is caught.
                    image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
                needed = image.width * image.height * _BYTES_PER_PIXEL
                if needed > DECODE_BUDGET_BYTES:
                    return TOO_MANY_PIXELS
                with _BUDGET.hold(needed):
                    image.load()
    except UnidentifiedImageError:
        return "不是图片文件"
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return "图片尺寸异常巨大"
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        return "图片数据不完整或已损坏" if "truncated" in str(exc).lower() else f"图片数据损坏（{type(exc).__name__}）"
    return None


def photo_too_small(case: Case) -> Iterator[Hit]:
    limit = case.rules.photo_min_bytes
    for photo in case.photos:
        if photo.size < limit:
            yield Hit(
                params={"name": photo.display_name, "size_text": size_text(photo.size), "limit_text": size_text(limit)},
                evidence={"name": photo.display_name, "bytes": photo.size, "limit": limit},
            )


def photo_not_image(case: Case) -> Iterator[Hit]:
    problems = _DECODERS.map(lambda photo: "不是图片文件" if photo.kind != "image" else image_problem(photo.payload), case.photos)
    for photo, problem in zip(case.photos, problems):
        if problem:
            yield Hit(
                params={"name": photo.display_name, "reason_text": problem},
                evidence={"name": photo.display_name, "bytes": photo.size, "declared_type": photo.content_type},
            )


# why a .zip could not be opened (intake.ziparchive, reasons of validators.docx_safety)
_ZIP_PROBLEMS = {
    "encrypted": "设置了密码的压缩包",
    "too_large": "解压后体积异常巨大的压缩包",
    "ratio": "压缩比例异常的压缩包",
    "too_many_entries": "文件过多的压缩包",
}


def photo_archive(case: Case) -> Iterator[Hit]:
    """Photos packed in an archive the intake does not open (RAR, 7z…), or in an unreadable .zip."""
    if case.mail is None:
        return
    for attachment in case.mail.attachments:
        archive = archive_format_of(attachment.payload) if attachment.kind == "archive" else None
        problem = (attachment.problem or "").removeprefix("zip_unreadable:")
        if archive:
            what = f"{archive} 压缩包"
        elif attachment.problem and attachment.problem.startswith("zip_unreadable"):
            what = _ZIP_PROBLEMS.get(problem, "无法打开的压缩包")
        else:
            continue
        yield Hit(
            params={"name": attachment.display_name, "what": what},
            evidence={"name": attachment.display_name, "bytes": attachment.size, "format": archive or "ZIP", "problem": problem or None},
        )


def photo_name_undescribed(case: Case) -> Iterator[Hit]:
    for photo in case.photos:
        stem = PurePosixPath(photo.display_name).stem
        if any(pattern.search(stem) for pattern in case.rules.undescribed_name_patterns):
            suffix = PurePosixPath(photo.display_name).suffix or ".jpg"
            example = f"{case.unit.name if case.unit else '某单位'}开展环境执法检查现场{suffix}"
            yield Hit(params={"name": photo.display_name, "example": example}, evidence={"name": photo.display_name})
