"""Chinese fonts for the 通报 charts: found, repaired when matplotlib's font list is stale, or missing.

The restricted font lists below are copies of matplotlib's own list with the Chinese fonts taken
out, as a list cached before the fonts were installed would be. Under CI=true the system must have
a Chinese font (fonts-noto-cjk); elsewhere the tests that need one are skipped.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
from pathlib import Path

import pytest
from matplotlib import font_manager

from scoring.fonts import cjk_family, ensure_cjk_font, font_cache_path, has_chinese_glyphs, system_cjk_files
from tests.intake.imap_helpers import BAOSONG


@pytest.fixture(scope="module")
def chinese_font_files() -> list[str]:
    files = system_cjk_files()
    if not files:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI 环境必须安装中文字体（fonts-noto-cjk）", pytrace=False)
        pytest.skip("no Chinese font installed (fonts-noto-cjk)")
    return files


def without_chinese(manager: font_manager.FontManager) -> font_manager.FontManager:
    """A copy of `manager` whose font list has no Chinese font, as if cached before they were installed."""
    stale = copy.copy(manager)
    stale.ttflist = [font for font in manager.ttflist if not has_chinese_glyphs(font.fname)]
    return stale


def latin_files() -> list[str]:
    return sorted({font.fname for font in font_manager.fontManager.ttflist if not has_chinese_glyphs(font.fname)})


def test_simplified_chinese_family_is_preferred():
    assert cjk_family(["DejaVu Sans", "Noto Sans CJK JP", "Noto Sans CJK SC"]) == "Noto Sans CJK SC"


def test_a_font_list_without_chinese_has_no_family():
    assert cjk_family(["DejaVu Sans", "Liberation Serif"]) is None


def test_no_chinese_font_in_the_list_or_on_the_system_gives_none(tmp_path: Path):
    stale = without_chinese(font_manager.fontManager)
    assert ensure_cjk_font(stale, system_files=latin_files(), cache=tmp_path / "fontlist.json") is None


def test_stale_font_list_is_repaired_from_the_system_fonts(chinese_font_files: list[str], tmp_path: Path):
    stale = without_chinese(font_manager.fontManager)
    family = ensure_cjk_font(stale, system_files=chinese_font_files, cache=tmp_path / "fontlist.json")
    assert family is not None and family in {font.name for font in stale.ttflist}


def test_repaired_font_list_is_written_to_the_cache(chinese_font_files: list[str], tmp_path: Path):
    stale = without_chinese(font_manager.fontManager)
    family = ensure_cjk_font(stale, system_files=chinese_font_files, cache=tmp_path / "fontlist.json")
    cached = json.loads((tmp_path / "fontlist.json").read_text(encoding="utf-8"))
    assert family in {font["name"] for font in cached["ttflist"]}


def test_report_command_rebuilds_a_stale_font_cache(chinese_font_files: list[str], settings, tmp_path: Path):  # noqa: ANN001
    """`baosong report` run with a matplotlib cache folder whose font list predates the Chinese fonts."""
    config_dir = tmp_path / "mpl"
    config_dir.mkdir()
    stale_cache = config_dir / font_cache_path().name
    font_manager.json_dump(without_chinese(font_manager.fontManager), stale_cache)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAOSONG_")}
    env.update(MPLCONFIGDIR=str(config_dir), BAOSONG_PATHS_DATA=settings.paths.data,
               BAOSONG_DATABASE_URL=settings.database_url)

    done = subprocess.run([str(BAOSONG), "report", "--month", "2026-03", "--out", str(tmp_path / "out")],
                          cwd=tmp_path, env=env, capture_output=True, timeout=120)

    cached = json.loads(stale_cache.read_text(encoding="utf-8"))
    assert done.returncode == 0, done.stderr.decode()
    assert cjk_family(font["name"] for font in cached["ttflist"]) is not None
