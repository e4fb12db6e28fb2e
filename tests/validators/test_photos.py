"""Photo checks on real image bytes: Pillow's bomb guard stays on, and its warning zone is an error too."""

import io
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image, ImageFile

from tests.factories.images import encode_jpeg, make_heic, make_jpeg
from validators.photos import TOO_MANY_PIXELS, _DecodeBudget, image_problem, named_as_image


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


@pytest.mark.timeout(20)
def test_decompression_bomb_png_is_refused_quickly():
    bomb = _png(20_000, 20_000)
    start = time.perf_counter()
    assert image_problem(bomb) == "图片尺寸异常巨大"
    assert time.perf_counter() - start < 5


@pytest.mark.timeout(20)
def test_image_in_pillows_warning_zone_is_refused_without_decoding():
    assert image_problem(_png(10_000, 10_000)) == "图片尺寸异常巨大"


def test_text_named_jpg_is_not_an_image():
    assert image_problem(b"hello, this is text" * 100) == "不是图片文件"


def test_real_jpeg_of_exact_size_is_fine():
    data = make_jpeg(1_048_576)
    assert len(data) == 1_048_576 and image_problem(data) is None


def test_jpeg_named_gif_is_judged_by_its_bytes():
    assert image_problem(make_jpeg(200_000)) is None and named_as_image("现场.gif")


def test_zero_byte_photo_is_not_an_image():
    assert image_problem(b"") == "不是图片文件"


def _progressive(jpeg: bytes) -> bytes:
    buffer = io.BytesIO()
    Image.open(io.BytesIO(jpeg)).save(buffer, "JPEG", progressive=True, quality=90)
    return buffer.getvalue()


def test_jpeg_cut_before_its_end_marker_is_refused_as_truncated():
    whole = encode_jpeg(2400, 1800, seed=3)
    assert image_problem(whole[:-2]) == "图片数据不完整或已损坏"


def test_truncated_progressive_jpeg_is_refused_as_truncated():
    whole = _progressive(encode_jpeg(2400, 1800, seed=3))
    assert image_problem(whole[: int(len(whole) * 0.9)]) == "图片数据不完整或已损坏"


def test_pillow_keeps_refusing_truncated_images():
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


@pytest.mark.parametrize("width, height", [(640, 480), (480, 640)], ids=["landscape", "portrait"])
def test_iphone_heic_is_an_image(width, height):
    assert image_problem(make_heic(width, height)) is None


def test_truncated_heic_is_refused():
    assert image_problem(make_heic()[:200]) is not None


@pytest.mark.timeout(20)
def test_image_over_50_megapixels_is_refused_without_decoding():
    assert image_problem(_png(7_500, 7_500)) == TOO_MANY_PIXELS


@pytest.mark.timeout(20)
def test_image_just_under_the_decode_budget_is_decoded():
    assert image_problem(_png(7_000, 7_000)) is None


def test_decodes_never_hold_more_than_the_budget_at_once():
    budget, lock = _DecodeBudget(100), threading.Lock()
    held, most = [0], [0]

    def decode(amount: int) -> None:
        with budget.hold(amount):
            with lock:
                held[0] += amount
                most[0] = max(most[0], held[0])
            time.sleep(0.001)  # gives the other threads a chance to overlap
            with lock:
                held[0] -= amount

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(decode, [60, 50, 40, 70, 30] * 10))
    assert most[0] <= 100 and held[0] == 0
