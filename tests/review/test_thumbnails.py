"""Thumbnails are re-encoded JPEGs; non-images and decompression bombs get none."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from review.thumbnails import NoThumbnail, cached_thumbnail, render_thumbnail
from tests.factories.images import make_heic
from tests.review.samples import jpeg_bytes


def test_a_photo_becomes_a_small_jpeg(tmp_path):
    source = tmp_path / "photo"
    source.write_bytes(jpeg_bytes((1600, 1200)))
    with Image.open(io.BytesIO(render_thumbnail(source))) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) == 320


def test_a_png_is_re_encoded_as_jpeg(tmp_path):
    source = tmp_path / "picture"
    Image.new("RGBA", (640, 200), (10, 200, 30, 128)).save(source, "PNG")
    with Image.open(io.BytesIO(render_thumbnail(source))) as thumb:
        assert thumb.format == "JPEG" and thumb.size == (320, 100)


def test_a_text_file_named_as_a_photo_has_no_thumbnail(tmp_path):
    source = tmp_path / "fake.jpg"
    source.write_text("<html><script>alert(1)</script></html>")
    with pytest.raises(NoThumbnail):
        render_thumbnail(source)


def test_a_decompression_bomb_has_no_thumbnail(tmp_path):
    source = tmp_path / "bomb.png"
    Image.new("1", (9500, 9500)).save(source, "PNG")  # over Pillow's limit: a warning, turned into an error
    with pytest.raises(NoThumbnail):
        render_thumbnail(source)


def test_a_truncated_jpeg_has_no_thumbnail(tmp_path):
    source = tmp_path / "cut.jpg"
    source.write_bytes(jpeg_bytes()[:5000])
    with pytest.raises(NoThumbnail):
        render_thumbnail(source)


def test_thumbnails_are_cached_under_the_content_hash(tmp_path):
    source = tmp_path / "photo"
    source.write_bytes(jpeg_bytes((800, 600)))
    first = cached_thumbnail(source, tmp_path / "cache", "abc123")
    source.unlink()
    assert cached_thumbnail(source, tmp_path / "cache", "abc123") == first


def test_an_iphone_heic_gets_a_jpeg_thumbnail(tmp_path):
    source = tmp_path / "IMG_0001.HEIC"
    source.write_bytes(make_heic(640, 480))
    with Image.open(io.BytesIO(render_thumbnail(source))) as thumb:
        assert thumb.format == "JPEG" and thumb.size == (320, 240)
