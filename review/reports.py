"""The monthly 通报 for the console: the computed month, and its Word/Excel files in the data folder.

A download names only a month and a format from a fixed list; the file name is built here from
the rule set's report title, never taken from the request.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from scoring.chart import cjk_font
from scoring.compute import MonthReport, UnitMonth, compute_month
from scoring.data import load_books
from scoring.fonts import INSTALL_HINT
from scoring.publish import month_basename, write_month_reports
from scoring.report_docx import format_points, summary_paragraphs
from scoring.ruleset import RuleSet

REPORTS_FOLDER = "reports"  # under the data folder, where `baosong report` writes too
FILE_TYPES = {
    "docx": ("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@dataclass(frozen=True)
class GroupCells:
    month: str  # 本月采用得分
    year_to_date: str  # 全年累计得分
    gap: str  # 与总任务差额分值 ("" when the unit has no target in this group)


@dataclass(frozen=True)
class ReportRow:
    rank: int
    unit: str
    submitted: int
    groups: list[GroupCells]


@dataclass(frozen=True)
class MonthView:
    year: int
    month: int
    groups: list[str]
    classes: list[tuple[str, list[ReportRow]]]
    summary: list[str]


def month_report(session: Session, ruleset: RuleSet, year: int, month: int, as_of: date) -> MonthReport:
    """The month as of `as_of` (today): a period still running or a commission not yet due costs nothing."""
    return compute_month(ruleset, load_books(session, ruleset, year), year, month, as_of=as_of)


def font_hint() -> str:
    """What to install when the charts would draw boxes for want of a Chinese font, else ""."""
    return INSTALL_HINT if cjk_font() is None else ""


def month_view(report: MonthReport) -> MonthView:
    groups = [group.name for group in report.ruleset.groups]
    classes = [(name, [_row(row, groups) for row in rows]) for name, rows in report.by_class()]
    return MonthView(report.year, report.month, groups, classes, summary_paragraphs(report))


def _row(row: UnitMonth, groups: list[str]) -> ReportRow:
    cells = []
    for name in groups:
        score = row.scores.get(name)
        if score is None:
            cells.append(GroupCells("0", "0", ""))
        else:
            cells.append(GroupCells(format_points(score.month), format_points(score.year_to_date), format_points(score.gap)))
    return ReportRow(row.rank, row.unit.name, row.submitted, cells)


def write_report_file(report: MonthReport, data_dir: Path, file_type: str, issued_on: date) -> Path:
    """Write one format of the month's 通报 into <data>/reports/ and return its path.

    Files are written into a private folder first and moved into place whole, so a download
    running at the same moment reads either the old file or the new one, never half of one.
    """
    if file_type not in FILE_TYPES:
        raise ValueError(file_type)
    folder = data_dir / REPORTS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    wanted = f"{month_basename(report)}.{file_type}"
    with tempfile.TemporaryDirectory(dir=folder, prefix=".writing-") as scratch:
        for written in write_month_reports(report, Path(scratch), (file_type,), issued_on):
            os.replace(written, folder / written.name)
    return folder / wanted
