"""The monthly 通报 and the annual ranking as Excel workbooks (openpyxl, native charts).

Monthly (or quarterly): one sheet per group (政务信息, 新闻信息…), frozen header, one row per unit grouped
by class with its 批示得分 and 加减分 apart from 本月采用得分, a 合计 row, and a bar chart of year-to-date
points against the target; then 信息采用条目 (unit, title, outlet, points), 表扬与批评, and for a quarter
与去年同期比较. Annual: the ranking sheet and the reward list.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from scoring.compute import MonthReport, UnitYear, YearReport
from scoring.report_docx import COMPARISON_COLUMNS, ITEM_COLUMNS, criticism_entries, praise_entries, score_labels

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def month_sheet_columns(report: MonthReport, group: str) -> list[str]:
    outlets = [o.short for o in report.ruleset.outlets_of(group)]
    submitted = f"{group}信息报送数量" if report.ruleset.splits_submissions else "报送数量"
    adoption, year_to_date, gap = score_labels(report)
    return ["类别", "名次", "单位", *outlets, submitted, "批示得分", "加减分", adoption, year_to_date, "全年目标分值", gap]


def _header(sheet: Worksheet, columns: list[str]) -> None:
    sheet.append(columns)
    for index, _ in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
        sheet.column_dimensions[get_column_letter(index)].width = 30 if columns[index - 1] == "单位" else 12
    sheet.freeze_panes = "D2"


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def _month_sheet(workbook: Workbook, report: MonthReport, group: str) -> Worksheet:
    sheet = workbook.create_sheet(f"{group}信息")
    columns = month_sheet_columns(report, group)
    _header(sheet, columns)
    outlets = report.ruleset.outlets_of(group)
    for class_name, rows in report.by_class():
        for row in rows:
            score = row.scores[group]
            sheet.append(
                [
                    class_name,
                    row.rank,
                    row.unit.name,
                    *(row.outlet_counts.get(o.name, 0) for o in outlets),
                    row.submitted_by_group[group] if report.ruleset.splits_submissions else row.submitted,
                    _number(score.endorsed),
                    _number(score.adjusted),
                    _number(score.adoption),
                    _number(score.year_to_date),
                    _number(score.target),
                    _number(score.gap),
                ]
            )
    units = report.units
    sheet.append(
        [
            None,
            None,
            "合计",
            *(sum(r.outlet_counts.get(o.name, 0) for r in units) for o in outlets),
            sum(r.submitted_by_group[group] if report.ruleset.splits_submissions else r.submitted for r in units),
            _number(sum(r.scores[group].endorsed for r in units)),
            _number(sum(r.scores[group].adjusted for r in units)),
            _number(sum(r.scores[group].adoption for r in units)),
            _number(sum(r.scores[group].year_to_date for r in units)),
            None,
            None,
        ]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.border = BORDER
    _progress_chart(sheet, report, group, len(columns), len(report.units))
    return sheet


def _progress_chart(sheet: Worksheet, report: MonthReport, group: str, width: int, count: int) -> None:
    if count == 0:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.title = f"{group}信息全年累计得分与目标（截至{report.month}月）"
    chart.y_axis.title = "分值"
    chart.height = max(8.0, 0.5 * count + 3)
    chart.width = 18
    ytd_column = width - 2  # 全年累计得分, 全年目标分值 sit before the gap column
    data = Reference(sheet, min_col=ytd_column, max_col=ytd_column + 1, min_row=1, max_row=count + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=3, min_row=2, max_row=count + 1))
    sheet.add_chart(chart, f"{get_column_letter(width + 2)}2")


def _list_sheet(workbook: Workbook, title: str, columns: tuple[str, ...] | list[str], lines: list[list]) -> Worksheet:
    sheet = workbook.create_sheet(title)
    _header(sheet, list(columns))
    sheet.freeze_panes = "A2"
    for line in lines:
        sheet.append(line)
    return sheet


def write_month_xlsx(report: MonthReport, path: Path) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for group in report.ruleset.groups:
        _month_sheet(workbook, report, group.name)
    items = [
        [number, entry.unit.name, entry.title, "、".join(entry.outlets), "、".join(entry.endorsements), _number(entry.points)]
        for number, entry in enumerate(report.adopted_items, start=1)
    ]
    _list_sheet(workbook, "信息采用条目", ITEM_COLUMNS, items).column_dimensions["C"].width = 50
    notices = [["表扬", unit, reason] for unit, reason in praise_entries(report)]
    notices += [["批评", unit, reason] for unit, reason in criticism_entries(report)]
    _list_sheet(workbook, "表扬与批评", ("类型", "单位", "事由"), notices).column_dimensions["C"].width = 70
    if report.last_year:
        lines = []
        for row in report.units:
            before = report.last_year.get(row.unit.id)
            then = before.month_total if before else 0.0
            lines.append([row.unit.name, row.submitted, before.submitted if before else 0, row.adopted,
                          before.adopted if before else 0, _number(row.month_total), _number(then),
                          _number(row.month_total - then)])
        _list_sheet(workbook, "与去年同期比较", COMPARISON_COLUMNS, lines)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def year_sheet_columns(report: YearReport) -> list[str]:
    groups = [f"{g.name}全年得分" for g in report.ruleset.groups]
    targets = [f"{g}{label}" for g in report.targeted_groups for label in ("目标", "差额")]
    return ["类别", "名次", "单位", "报送数量", "采用数量", *groups, "合计", *targets, "未完成任务"]


def _target_and_gap(row: UnitYear, group: str) -> tuple[float | None, float | None]:
    score = row.scores[group]
    return (None, None) if score.target is None else (_number(score.target), _number(score.gap))


def shortfall_text(row: UnitYear) -> str:
    """Quota periods that ended short: months counted per quota, quarters and years spelt out."""
    months: Counter[str] = Counter(s.quota.label for s in row.shortfalls if s.quota.period == "month")
    parts = [f"{label}{count}个月未达标" for label, count in months.items()]
    parts += [f"{s.period}{s.quota.label}差{s.missing}条" for s in row.shortfalls if s.quota.period != "month"]
    return "；".join(parts)


def write_year_xlsx(report: YearReport, path: Path) -> Path:
    workbook = Workbook()
    ranking = workbook.active
    ranking.title = f"{report.year}年排名"
    _header(ranking, year_sheet_columns(report))
    for class_name, rows in report.by_class():
        for row in rows:
            shortfalls = shortfall_text(row)
            ranking.append(
                [
                    class_name,
                    row.rank,
                    row.unit.name,
                    row.submitted,
                    row.adopted,
                    *(_number(row.scores[g.name].year_to_date) for g in report.ruleset.groups),
                    _number(row.total),
                    *(value for g in report.targeted_groups for value in _target_and_gap(row, g)),
                    shortfalls,
                ]
            )
    rewards = workbook.create_sheet("奖励")
    _header(rewards, ["类别", "单位", "事由", "金额（元）"])
    rewards.freeze_panes = "A2"
    for reward in report.rewards:
        rewards.append([reward.unit.class_name, reward.unit.name, reward.reason, _number(reward.yuan)])
    authors = workbook.create_sheet("撰稿人")
    _header(authors, ["单位", "撰稿人", "报送数量", "采用数量", "得分", "奖金（元）"])
    authors.freeze_panes = "A2"
    for author in report.authors:
        authors.append(
            [author.unit.name, author.author or "（未写明）", author.submitted, author.adopted,
             _number(author.points), _number(author.yuan)]
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path
