"""Real images for tests: Pillow-encoded, and for JPEG padded to an exact byte count.

    make_jpeg(1_048_576)  # a decodable JPEG of exactly 1,048,576 bytes (what Windows shows as 1 MB)
    make_jpeg(1_000_000)  # exactly 1,000,000 bytes: "1 MB" in decimal, still under the rule
    make_jpeg(2_500_000, width=4000, height=3000)  # photo-sized pixels, for timing the decoder

A smooth random picture is encoded by Pillow, then comment (COM) segments are inserted after the
start-of-image marker to reach the size. Decoders skip COM segments: the picture is unchanged.
"""

from __future__ import annotations

import functools
import io
import random

import pillow_heif
from PIL import Image

_SEGMENT_MAX = 2 + 65535  # marker (2) + a length field that counts itself and up to 65,533 data bytes
_SEGMENT_MIN = 4  # marker + length, no data
_MAX_ATTEMPTS = 24


def make_jpeg(target_bytes: int, *, width: int = 640, height: int = 480, seed: int = 0, quality: int = 85) -> bytes:
    """A JPEG of exactly `target_bytes` bytes (a smaller picture is used when it would not fit)."""
    for _attempt in range(_MAX_ATTEMPTS):
        encoded = encode_jpeg(width, height, seed=seed, quality=quality)
        padding = target_bytes - len(encoded)
        if padding == 0 or padding >= _SEGMENT_MIN:
            return encoded[:2] + _comment_segments(padding) + encoded[2:]
        if padding < 0:  # too big already: a smaller picture, at the end the lowest quality
            if (width, height, quality) == (8, 8, 1):
                break
            if (width, height) == (8, 8):
                quality = 1
            width, height = max(8, width // 2), max(8, height // 2)
        else:
            quality -= 1  # 1–3 bytes short: another encoding, then pad again
    raise ValueError(f"cannot make a JPEG of exactly {target_bytes} bytes")


def encode_jpeg(width: int, height: int, *, seed: int = 0, quality: int = 85) -> bytes:
    """A Pillow-encoded JPEG of a smooth random picture (compresses like a photo, not like noise)."""
    return _encode(_picture(width, height, seed), "JPEG", quality=quality)


def make_png(width: int = 64, height: int = 48, *, seed: int = 0) -> bytes:
    return _encode(_picture(width, height, seed), "PNG")


def make_gif(width: int = 32, height: int = 24, *, seed: int = 0) -> bytes:
    return _encode(_picture(width, height, seed).convert("P"), "GIF")


@functools.lru_cache(maxsize=4)
def make_heic(width: int = 640, height: int = 480, *, seed: int = 0) -> bytes:
    """An HEIC as an iPhone writes it (HEVC in a HEIF container), encoded by libheif (slow: about
    a second for 640×480, so each picture is encoded once per run)."""
    out = io.BytesIO()
    pillow_heif.from_pillow(_picture(width, height, seed)).save(out, quality=80)
    return out.getvalue()


def _picture(width: int, height: int, seed: int) -> Image.Image:
    rng = random.Random(seed)
    small = (max(1, width // 16), max(1, height // 16))
    noise = Image.frombytes("RGB", small, rng.randbytes(small[0] * small[1] * 3))
    return noise.resize((width, height), Image.Resampling.BILINEAR)


def _encode(image: Image.Image, image_format: str, **options: int) -> bytes:
    out = io.BytesIO()
    image.save(out, image_format, **options)
    return out.getvalue()


def _comment_segments(padding: int) -> bytes:
    segments = []
    while padding > 0:
        size = min(padding, _SEGMENT_MAX)
        if 0 < padding - size < _SEGMENT_MIN:
            size = padding - _SEGMENT_MIN  # leave a remainder that still makes one segment
        data_length = size - 4
        segments.append(b"\xff\xfe" + (data_length + 2).to_bytes(2, "big") + b" " * data_length)
        padding -= size
    return b"".join(segments)
