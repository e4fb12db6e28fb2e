"""Bar chart of each unit's year-to-date points against its annual target (matplotlib, PNG)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402

from scoring.compute import MonthReport  # noqa: E402

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei")


@cache
def cjk_font() -> str | None:
    """The first installed CJK font family, or None (labels then fall back to the default font)."""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((family for family in CJK_FAMILIES if family in installed), None)


def render_progress_chart(report: MonthReport, group: str, path: Path) -> Path:
    """Grouped bars per unit: year-to-date points and the annual target of `group`."""
    rows = list(report.units)
    names = [row.unit.name for row in rows]
    done = [row.scores[group].year_to_date for row in rows]
    targets = [row.scores[group].target or 0 for row in rows]
    family = cjk_font()
    style = {"font.family": family} if family else {}
    with plt.rc_context({**style, "axes.unicode_minus": False}):
        height = max(3.0, 0.32 * len(rows) + 1.2)
        figure, axes = plt.subplots(figsize=(8.0, height), dpi=150)
        positions = range(len(rows))
        axes.barh([p + 0.2 for p in positions], targets, height=0.4, color="#c9d6e8", label="全年目标分值")
        axes.barh([p - 0.2 for p in positions], done, height=0.4, color="#b22222", label="全年累计得分")
        axes.set_yticks(list(positions), names, fontsize=8)
        axes.invert_yaxis()
        axes.set_xlabel("分值")
        axes.set_title(f"{group}信息全年累计得分与目标（截至{report.year}年{report.month}月）", fontsize=11)
        axes.legend(loc="lower right", fontsize=8)
        axes.grid(axis="x", linestyle=":", linewidth=0.5)
        figure.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path)
        plt.close(figure)
    return path
