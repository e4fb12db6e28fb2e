"""Bar chart of each unit's year-to-date points against its annual target (matplotlib, PNG).

One figure per unit class, one panel per group in which the class has targets, units down the
shared vertical axis. A chart of every unit at once would have to shrink to fit a printed page
until the names cannot be read.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.transforms import offset_copy  # noqa: E402

from scoring.compute import MonthReport, UnitMonth  # noqa: E402
from scoring.fonts import ensure_cjk_font  # noqa: E402

ROW_INCHES = 0.22
NAMES_INCHES = 2.6  # left margin for unit names
MARGIN_INCHES = 0.9  # title above, axis labels and legend below
TICK_GAP_POINTS = 7.0  # matplotlib's default tick length (3.5) plus label padding (3.5)


@cache
def cjk_font() -> str | None:
    """The Chinese font family for the labels, once per process (a stale font cache repaired); None: boxes.

    `baosong report` refuses to draw without one (scoring.fonts.INSTALL_HINT says what to install).
    """
    return ensure_cjk_font()


def charted_groups(report: MonthReport, rows: Sequence[UnitMonth]) -> list[str]:
    """Groups with a target for at least one of `rows`: the only ones a progress chart can show."""
    return [g.name for g in report.ruleset.groups if any(row.scores[g.name].target for row in rows)]


def _label_units(axes: Axes, names: list[str]) -> None:
    """Unit names down the left of `axes`, where tick labels would sit, as plain texts.

    Tick labels would take a tick per unit on every panel sharing the axis; building and
    measuring those ticks costs twice as much as the texts and shows only tiny tick marks more.
    """
    axes.set_yticks([])  # for every panel: they share the y axis
    beside = offset_copy(axes.get_yaxis_transform(), fig=axes.get_figure(), x=-TICK_GAP_POINTS, units="points")
    for position, name in enumerate(names):
        axes.text(0, position, name, transform=beside, ha="right", va="center_baseline", fontsize=8)


def render_progress_chart(report: MonthReport, class_name: str, rows: Sequence[UnitMonth], path: Path) -> Path | None:
    """Bars per unit of one class: year-to-date points and the annual target, one panel per charted group.

    Writes nothing and returns None when no unit of the class has a target.
    """
    groups = charted_groups(report, rows)
    if not groups:
        return None
    family = cjk_font()
    style = {"font.family": family} if family else {}
    width, height = NAMES_INCHES + 4.0 * len(groups), max(3.0, ROW_INCHES * len(rows) + MARGIN_INCHES * 2)
    with plt.rc_context({**style, "axes.unicode_minus": False}):
        # Fixed margins instead of tight_layout: measuring every label twice doubles the time.
        figure, panels = plt.subplots(1, len(groups), sharey=True, figsize=(width, height), dpi=110, squeeze=False)
        figure.subplots_adjust(
            left=NAMES_INCHES / width, right=0.97, top=1 - MARGIN_INCHES / height, bottom=MARGIN_INCHES / height, wspace=0.08
        )
        positions = range(len(rows))
        for axes, group in zip(panels[0], groups, strict=True):
            targets = [row.scores[group].target or 0 for row in rows]
            done = [row.scores[group].year_to_date for row in rows]
            # Thick line segments draw like bars but as one artist per series, not one per unit.
            thickness = ROW_INCHES * 72 * 0.4
            axes.hlines([p + 0.2 for p in positions], 0, targets, linewidth=thickness, color="#c9d6e8", label="全年目标分值")
            axes.hlines([p - 0.2 for p in positions], 0, done, linewidth=thickness, color="#b22222", label="全年累计得分")
            # A unit below zero (deductions, quota shortfalls) draws its bar leftwards from the zero line.
            axes.set_xlim(left=min(0.0, *done) * 1.1)
            axes.axvline(0, color="#555555", linewidth=0.6)
            axes.set_title(f"{group}信息", fontsize=10)
            axes.grid(axis="x", linestyle=":", linewidth=0.5)
            axes.tick_params(axis="x", labelsize=8)
        _label_units(panels[0][0], [row.unit.name for row in rows])
        panels[0][0].set_ylim(len(rows) - 0.5, -0.5)  # first unit on top
        handles, labels = panels[0][0].get_legend_handles_labels()
        figure.legend(handles, labels, loc="lower center", ncols=2, fontsize=8, frameon=False)
        figure.suptitle(f"{class_name}全年累计得分与目标（截至{report.year}年{report.month}月）", fontsize=11)
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, pil_kwargs={"compress_level": 3})  # zlib's default level 6 triples the time
        plt.close(figure)
    return path
