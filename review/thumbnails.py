"""Re-encoded JPEG thumbnails of photo attachments: the console never shows an original inline.

Pillow's decompression-bomb limit stays on and its warning is turned into an error; a file
that is not a decodable image yields no thumbnail.
"""

from __future__ import annotations

import io
import os
import tempfile
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

THUMBNAIL_EDGE = 320
register_heif_opener()  # iPhone photos (HEIC/HEIF) get thumbnails like any other


class NoThumbnail(Exception):
    """The attachment cannot be shown as a picture."""


def render_thumbnail(source: Path, edge: int = THUMBNAIL_EDGE) -> bytes:
    """A JPEG at most `edge` pixels on its longer side, decoded and re-encoded from scratch."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                image.draft("RGB", (edge, edge))  # JPEG: decode at reduced scale, much faster
                image = ImageOps.exif_transpose(image)
                image.thumbnail((edge, edge))
                buffer = io.BytesIO()
                image.convert("RGB").save(buffer, "JPEG", quality=80)
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        raise NoThumbnail(str(exc)) from exc
    return buffer.getvalue()


def cached_thumbnail(source: Path, cache_dir: Path, key: str) -> bytes:
    """The thumbnail for a stored file, rendered once and kept under its content hash."""
    cached = cache_dir / f"{key}.jpg"
    if cached.is_file():
        return cached.read_bytes()
    data = render_thumbnail(source)
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=cache_dir, delete=False, suffix=".tmp") as handle:
        handle.write(data)
    os.replace(handle.name, cached)
    return data
