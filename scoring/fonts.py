"""A Chinese font for the 通报 charts: without one matplotlib draws every unit name as boxes, silently.

matplotlib lists the system's fonts once and keeps the list in a cache file (`fontlist-v*.json`
under its cache folder); a font installed after that stays invisible to it. `ensure_cjk_font()`
looks in matplotlib's list first; when no Chinese font is there but one of the system's font files
has Chinese glyphs, the list is stale: the files are added and the cache file is written again.
When the system has none either, the caller tells the clerk which package to install.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import matplotlib
from matplotlib import font_manager

log = logging.getLogger(__name__)

# Preferred families, first found wins: Noto/Source Han (Linux), then what Windows and macOS ship.
CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "DengXian", "SimSun", "PingFang SC", "Heiti SC", "Songti SC",
)
PROBE = "报"  # a character every Chinese font has and no Latin one does
INSTALL_HINT = (
    "没有找到中文字体，通报图表里的单位名称和标题会显示成方框。请先安装中文字体再生成通报：\n"
    "  Debian/Ubuntu：sudo apt install fonts-noto-cjk（或 make fonts）\n"
    "  其他 Linux：安装发行版的 Noto Sans CJK（思源黑体）字体包，如 google-noto-sans-cjk-fonts\n"
    "  Windows、macOS：系统自带黑体、微软雅黑或苹方，一般无需安装"
)


def cjk_family(names: Iterable[str]) -> str | None:
    """The preferred Chinese family among the font `names`, else any CJK-named one, else None."""
    installed = set(names)
    preferred = next((family for family in CJK_FAMILIES if family in installed), None)
    return preferred or next((name for name in sorted(installed) if "CJK" in name), None)


def has_chinese_glyphs(path: str) -> bool:
    try:
        return font_manager.get_font(path).get_char_index(ord(PROBE)) != 0
    except (OSError, RuntimeError, ValueError):  # a file FreeType cannot read
        return False


def system_cjk_files(paths: Iterable[str] | None = None) -> list[str]:
    """The font files (of the system's, or of `paths`) that have Chinese glyphs."""
    found = font_manager.findSystemFonts() if paths is None else paths
    return sorted(path for path in found if has_chinese_glyphs(path))


def font_cache_path() -> Path:
    """Where matplotlib keeps its font list (the path its own loader uses)."""
    return Path(matplotlib.get_cachedir(), f"fontlist-v{font_manager.FontManager.__version__}.json")


def ensure_cjk_font(
    manager: font_manager.FontManager | None = None,
    system_files: Iterable[str] | None = None,
    cache: Path | None = None,
) -> str | None:
    """The Chinese family the charts will use, after repairing a stale font cache; None when there is none.

    By default: matplotlib's font list, the system's font files and matplotlib's cache file.
    """
    manager = manager or font_manager.fontManager
    family = cjk_family(font.name for font in manager.ttflist)
    if family is not None:
        return family
    files = system_cjk_files(system_files)
    if not files:
        return None
    for path in files:
        manager.addfont(path)
    cache = cache or font_cache_path()
    font_manager.json_dump(manager, cache)
    log.warning("matplotlib's font cache had no Chinese font; added %d font files and rewrote %s", len(files), cache)
    return cjk_family(font.name for font in manager.ttflist)
