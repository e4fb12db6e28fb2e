"""The monthly 通报 rendered as a reader sees it: LibreOffice turns the .docx into pages, and the
pages carry the tables and the progress charts (not blank, not cut off).

Under CI=true LibreOffice and pdftoppm must be installed (`.ci/run` installs them); elsewhere
the test is skipped when they are missing.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageStat

from scripts.render_report_sample import can_render, render_pages, sample_report

if not can_render():
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("CI 环境必须安装 LibreOffice 和 poppler-utils（soffice、pdftoppm）", pytrace=False)
    pytest.skip("未安装 LibreOffice 或 pdftoppm，跳过通报渲染测试", allow_module_level=True)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("render")
    return render_pages(sample_report(out), out)


@pytest.mark.timeout(300)
def test_report_renders_to_landscape_pages_with_content(pages: list[Path]) -> None:
    assert len(pages) >= 2
    for page in pages:
        with Image.open(page) as image:
            assert image.width > image.height  # the tables are laid out on landscape pages
            assert ImageStat.Stat(image.convert("L")).extrema[0][0] < 100  # some dark ink: not blank


@pytest.mark.timeout(300)
def test_report_pages_carry_the_red_title_and_the_red_progress_bars(pages: list[Path]) -> None:
    def red_pixels(page: Path) -> int:
        with Image.open(page) as image:
            r, g, b = np.asarray(image.convert("RGB"), dtype=np.int16).transpose(2, 0, 1)
        return int(((r > 150) & (g < 80) & (b < 80)).sum())

    counts = [red_pixels(page) for page in pages]
    assert counts[0] > 0  # the red masthead on the first page
    assert sum(1 for count in counts if count > 0) >= 2  # and the year-to-date bars on the chart pages
