"""Write the monthly 通报 and the annual ranking into a folder, in the formats asked for."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from scoring.chart import render_progress_chart
from scoring.compute import MonthReport, YearReport
from scoring.report_docx import write_month_docx, write_year_docx
from scoring.report_xlsx import write_month_xlsx, write_year_xlsx

FORMATS = ("docx", "xlsx")
UNSAFE_IN_FILE_NAMES = re.compile(r'[\x00-\x1f\\/:*?"<>|\s]+')  # Windows' reserved characters, controls, blanks


def month_basename(report: MonthReport) -> str:
    if len(report.months) > 1:
        return f"{report.ruleset.report_title}-{report.period_label}"
    return f"{report.ruleset.report_title}-{report.year}年{report.month:02d}月"


def year_basename(report: YearReport) -> str:
    return f"{report.ruleset.report_title}-{report.year}年度排名"


def chart_filename(base: str, class_name: str) -> str:
    """`<base>-进度-<class>.png`, the class name made safe for any file system."""
    return f"{base}-进度-{UNSAFE_IN_FILE_NAMES.sub('_', class_name)}.png"


def write_month_reports(
    report: MonthReport, out_dir: Path, formats: tuple[str, ...], issued_on: date, *, issue: str = "", doc_number: str = ""
) -> list[Path]:
    """The files written: .docx with a progress chart per class that has targets, and/or .xlsx.

    `issued_on`, `issue` (期号) and `doc_number` (文号) make the Word file's masthead."""
    base = month_basename(report)
    written: list[Path] = []
    if "docx" in formats:
        charts: dict[str, Path] = {}
        for class_name, rows in report.by_class():
            chart = render_progress_chart(report, class_name, rows, out_dir / chart_filename(base, class_name))
            if chart is not None:
                charts[class_name] = chart
        docx = write_month_docx(report, out_dir / f"{base}.docx", charts, issued_on, issue=issue, doc_number=doc_number)
        written += [*charts.values(), docx]
    if "xlsx" in formats:
        written.append(write_month_xlsx(report, out_dir / f"{base}.xlsx"))
    return written


def write_year_reports(report: YearReport, out_dir: Path, formats: tuple[str, ...], issued_on: date) -> list[Path]:
    base = year_basename(report)
    written: list[Path] = []
    if "docx" in formats:
        written.append(write_year_docx(report, out_dir / f"{base}.docx", issued_on))
    if "xlsx" in formats:
        written.append(write_year_xlsx(report, out_dir / f"{base}.xlsx"))
    return written
