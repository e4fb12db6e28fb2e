"""The monthly 通报 for the console: the computed month, and its Word/Excel files in the data folder.

A download names only a month, a period (the month, its quarter or its year's ranking) and a
format from fixed lists; the file name is built here from the rule set's report title, never
taken from the request.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from scoring.chart import cjk_font
from scoring.compute import MonthReport, UnitMonth, YearReport, compute_month, compute_year
from scoring.data import load_books, quarter_report
from scoring.fonts import INSTALL_HINT
from scoring.publish import month_basename, write_month_reports, write_year_reports, year_basename
from scoring.report_docx import (
    adopted_item_values,
    criticism_entries,
    format_points,
    praise_entries,
    summary_paragraphs,
)
from scoring.ruleset import RuleSet

REPORTS_FOLDER = "reports"  # under the data folder, where `baosong report` writes too
FILE_TYPES = {
    "docx": ("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@dataclass(frozen=True)
class GroupCells:
    month: str  # 本月采用得分 (without 批示 and 加减分)
    year_to_date: str  # 全年累计得分
    gap: str  # 与总任务差额分值 ("" when the unit has no target in this group)


@dataclass(frozen=True)
class ReportRow:
    rank: int | str  # "" on the 合计 row
    unit: str
    submitted: list[int]  # 报送数量: one per group where the rule set counts them apart (政务, 新闻), else one
    endorsed: str  # 批示得分
    adjusted: str  # 加减分
    groups: list[GroupCells]


@dataclass(frozen=True)
class MonthView:
    year: int
    month: int
    groups: list[str]
    submitted_groups: list[str]  # the groups 报送数量 is split into (empty: one column)
    classes: list[tuple[str, list[ReportRow], ReportRow]]  # each class's rows and its 合计 row
    summary: list[str]
    praise: list[str]  # 通报表扬: "unit：reason"
    criticism: list[str]  # 通报批评
    items: list[list[str]]  # 信息采用条目: 序号, 单位, 信息标题, 采用刊物（媒体）, 批示, 得分


def month_report(session: Session, ruleset: RuleSet, year: int, month: int, as_of: date) -> MonthReport:
    """The month as of `as_of` (today): a period still running or a commission not yet due costs nothing."""
    return compute_month(ruleset, load_books(session, ruleset, year), year, month, as_of=as_of)


def period_choices(year: int, month: int) -> dict[str, str]:
    """What the download form offers for the month on the page: the month, its quarter, its year."""
    quarter = (month + 2) // 3
    return {
        "month": f"月度通报（{year}年{month}月）",
        "quarter": f"季度通报（{year}年第{quarter}季度，与去年同期比较）",
        "year": f"年度排名与奖励（{year}年）",
    }


def period_report(
    session: Session, ruleset: RuleSet, year: int, month: int, period: str, as_of: date
) -> MonthReport | YearReport:
    """The 通报 a download asks for (a key of period_choices), as `baosong report` makes it."""
    if period == "quarter":
        return quarter_report(session, ruleset, year, (month + 2) // 3, as_of)
    if period == "year":
        return compute_year(ruleset, load_books(session, ruleset, year), year, as_of=as_of)
    return month_report(session, ruleset, year, month, as_of)


def font_hint() -> str:
    """What to install when the charts would draw boxes for want of a Chinese font, else ""."""
    return INSTALL_HINT if cjk_font() is None else ""


def month_view(report: MonthReport) -> MonthView:
    groups = [group.name for group in report.ruleset.groups]
    split = groups if report.ruleset.splits_submissions else []
    classes = [(name, [_row(row, groups, split) for row in rows], _total(rows, groups, split))
               for name, rows in report.by_class()]
    return MonthView(
        report.year, report.month, groups, split, classes, summary_paragraphs(report),
        praise=[f"{unit}：{reason}" for unit, reason in praise_entries(report)],
        criticism=[f"{unit}：{reason}" for unit, reason in criticism_entries(report)],
        items=adopted_item_values(report),
    )


def _submitted(row: UnitMonth, split: list[str]) -> list[int]:
    return [row.submitted_by_group.get(name, 0) for name in split] if split else [row.submitted]


def _row(row: UnitMonth, groups: list[str], split: list[str]) -> ReportRow:
    cells = []
    for name in groups:
        score = row.scores.get(name)
        if score is None:
            cells.append(GroupCells("0", "0", ""))
        else:
            cells.append(GroupCells(format_points(score.adoption), format_points(score.year_to_date), format_points(score.gap)))
    return ReportRow(row.rank, row.unit.name, _submitted(row, split), format_points(row.endorsed),
                     format_points(row.adjusted), cells)


def _total(rows: list[UnitMonth], groups: list[str], split: list[str]) -> ReportRow:
    cells = [
        GroupCells(format_points(sum(r.scores[name].adoption for r in rows)),
                   format_points(sum(r.scores[name].year_to_date for r in rows)), "")
        for name in groups
    ]
    submitted = [sum(counts) for counts in zip(*(_submitted(r, split) for r in rows), strict=True)]
    return ReportRow("", "合计", submitted, format_points(sum(r.endorsed for r in rows)),
                     format_points(sum(r.adjusted for r in rows)), cells)


def masthead_day(text: str) -> date | None:
    """The 落款日期 typed on the report page (2026-04-03), or None when empty or not a date."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def masthead_text(text: str, limit: int) -> str:
    """期号 or 文号 as typed, printable characters only, at most `limit` of them."""
    return "".join(ch for ch in text if ch.isprintable()).strip()[:limit]


def write_report_file(
    report: MonthReport | YearReport, data_dir: Path, file_type: str, issued_on: date, *, issue: str = "",
    doc_number: str = "",
) -> Path:
    """Write one format of the 通报 (or the annual ranking) into <data>/reports/ and return its path;
    `issued_on`, `issue` (期号) and `doc_number` (文号) make the Word file's masthead.

    Files are written into a private folder first and moved into place whole, so a download
    running at the same moment reads either the old file or the new one, never half of one.
    """
    if file_type not in FILE_TYPES:
        raise ValueError(file_type)
    folder = data_dir / REPORTS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".writing-") as scratch:
        if isinstance(report, YearReport):
            wanted = f"{year_basename(report)}.{file_type}"
            files = write_year_reports(report, Path(scratch), (file_type,), issued_on)
        else:
            wanted = f"{month_basename(report)}.{file_type}"
            files = write_month_reports(report, Path(scratch), (file_type,), issued_on, issue=issue, doc_number=doc_number)
        for written in files:
            os.replace(written, folder / written.name)
    return folder / wanted
