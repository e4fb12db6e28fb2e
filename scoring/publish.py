"""Write the monthly 通报 and the annual ranking into a folder, in the formats asked for."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from scoring.chart import charted_groups, render_progress_chart
from scoring.compute import MonthReport, YearReport
from scoring.report_docx import write_month_docx, write_year_docx
from scoring.report_xlsx import write_month_xlsx, write_year_xlsx

FORMATS = ("docx", "xlsx")


def month_basename(report: MonthReport) -> str:
    return f"{report.ruleset.report_title}-{report.year}年{report.month:02d}月"


def write_month_reports(report: MonthReport, out_dir: Path, formats: tuple[str, ...], issued_on: date) -> list[Path]:
    """The files written: .docx (with its progress chart when any unit has a target) and/or .xlsx."""
    base = month_basename(report)
    written: list[Path] = []
    if "docx" in formats:
        chart = render_progress_chart(report, out_dir / f"{base}-进度.png") if charted_groups(report) else None
        written += [*([chart] if chart else []), write_month_docx(report, out_dir / f"{base}.docx", chart, issued_on)]
    if "xlsx" in formats:
        written.append(write_month_xlsx(report, out_dir / f"{base}.xlsx"))
    return written


def write_year_reports(report: YearReport, out_dir: Path, formats: tuple[str, ...], issued_on: date) -> list[Path]:
    base = f"{report.ruleset.report_title}-{report.year}年度排名"
    written: list[Path] = []
    if "docx" in formats:
        written.append(write_year_docx(report, out_dir / f"{base}.docx", issued_on))
    if "xlsx" in formats:
        written.append(write_year_xlsx(report, out_dir / f"{base}.xlsx"))
    return written
