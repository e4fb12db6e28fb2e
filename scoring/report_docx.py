"""The monthly (or quarterly) 通报 as a Word document, laid out as information offices publish it.

A4 landscape; red title, issue number (期号) and 文号; issuer and date; 一、总体情况; 二、通报表扬;
三、通报批评 (quota shortfalls, late proof); 四、one table per unit class (one column per outlet with
counts, 报送数量, 批示得分, 加减分, then 本月采用得分 / 全年累计得分 / 与总任务差额分值 for each group,
and a 合计 row), each followed by that class's progress chart when it has one; 五、信息采用条目
(unit, title, outlet, points); for a quarter, 六、与去年同期比较.
"""

from __future__ import annotations

from collections.abc import Mapping
from copy import deepcopy
from datetime import date
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from PIL import Image
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from scoring.compute import MonthReport, UnitMonth, YearReport

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
TABLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
RED = RGBColor(0xC0, 0x00, 0x00)
UNIT_LABELS = ("批示得分", "加减分")  # this period's 批示 points and 加减分, all groups together
ITEM_COLUMNS = ("序号", "单位", "信息标题", "采用刊物（媒体）", "批示", "得分")
CHINESE_NUMERALS = "一二三四五六七八九十"


def format_points(value: float | None) -> str:
    """Points as clerks write them: 35, 12.5; blank when there is no target."""
    if value is None:
        return ""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def _style_run(run, font: str, size: float, bold: bool = False, color: RGBColor | None = None) -> None:  # noqa: ANN001
    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)


def _paragraph(container, text: str, font: str = BODY_FONT, size: float = 14, **options) -> Paragraph:  # noqa: ANN001, ANN003
    paragraph = container.add_paragraph()
    paragraph.alignment = options.pop("align", None)
    paragraph.paragraph_format.first_line_indent = options.pop("indent", None)
    paragraph.paragraph_format.space_after = Pt(options.pop("space_after", 4))
    _style_run(paragraph.add_run(text), font, size, **options)
    return paragraph


def _red_rule(paragraph: Paragraph) -> None:
    """The red line under a 通报's masthead (a paragraph bottom border)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"w:val": "single", "w:sz": "18", "w:space": "1", "w:color": "C00000"}.items():
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _set_cell(cell: _Cell, text: str, bold: bool = False, size: float = 9) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    _style_run(paragraph.add_run(text), TABLE_FONT, size, bold=bold)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _repeat_as_header(table: Table, rows: int) -> None:
    for row in table.rows[:rows]:
        marker = OxmlElement("w:tblHeader")
        marker.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(marker)


def submitted_label(report: MonthReport) -> str:
    """报送数量, or 报送数量（政务/新闻） where the rule set counts the groups' submissions apart."""
    if not report.ruleset.splits_submissions:
        return "报送数量"
    return f"报送数量（{'/'.join(g.name for g in report.ruleset.groups)}）"


def score_labels(report: MonthReport) -> tuple[str, str, str]:
    """Each group's score columns: 本月采用得分 (本期… for a quarter), 全年累计得分, 与总任务差额分值."""
    this = "本月" if len(report.months) == 1 else "本期"
    return (f"{this}采用得分", "全年累计得分", "与总任务差额分值")


def table_columns(report: MonthReport) -> list[str]:
    """The second header row, left to right: what each column of a class table holds."""
    columns = ["名次", "单位"]
    for group in report.ruleset.groups:
        columns += [o.short for o in report.ruleset.outlets_of(group.name)]
    columns.append(submitted_label(report))
    columns += UNIT_LABELS
    for _group in report.ruleset.groups:
        columns += score_labels(report)
    return columns


def row_values(report: MonthReport, row: UnitMonth) -> list[str]:
    """One unit's cells, in table_columns order."""
    values = [str(row.rank), row.unit.name]
    for group in report.ruleset.groups:
        values += [str(row.outlet_counts.get(o.name, 0)) for o in report.ruleset.outlets_of(group.name)]
    split = report.ruleset.splits_submissions
    values.append("/".join(str(n) for n in row.submitted_by_group.values()) if split else str(row.submitted))
    values += [format_points(row.endorsed), format_points(row.adjusted)]
    for group in report.ruleset.groups:
        score = row.scores[group.name]
        values += [format_points(score.adoption), format_points(score.year_to_date), format_points(score.gap)]
    return values


def total_values(report: MonthReport, rows: list[UnitMonth]) -> list[str]:
    """The 合计 row under a class table: counts and points added up; no rank, no gap."""
    values = ["", "合计"]
    for group in report.ruleset.groups:
        values += [str(sum(r.outlet_counts.get(o.name, 0) for r in rows)) for o in report.ruleset.outlets_of(group.name)]
    if report.ruleset.splits_submissions:
        values.append("/".join(str(sum(r.submitted_by_group[g.name] for r in rows)) for g in report.ruleset.groups))
    else:
        values.append(str(sum(r.submitted for r in rows)))
    values += [format_points(sum(r.endorsed for r in rows)), format_points(sum(r.adjusted for r in rows))]
    for group in report.ruleset.groups:
        values += [
            format_points(sum(r.scores[group.name].adoption for r in rows)),
            format_points(sum(r.scores[group.name].year_to_date for r in rows)),
            "",
        ]
    return values


def adopted_item_values(report: MonthReport) -> list[list[str]]:
    """信息采用条目, one line per item adopted or endorsed in the period, in ITEM_COLUMNS order."""
    return [
        [str(number), entry.unit.name, entry.title, "、".join(entry.outlets), "、".join(entry.endorsements),
         format_points(entry.points)]
        for number, entry in enumerate(report.adopted_items, start=1)
    ]


def _column_widths(table: Table, leading: list, rest_total) -> None:  # noqa: ANN001
    """Fixed widths: the leading columns as given, the rest sharing `rest_total` evenly."""
    table.autofit = False
    others = len(table.columns) - len(leading)
    widths = [*leading, *([int(rest_total / others)] * others)]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows[1:]:  # the first row holds horizontally merged cells
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _fill_rows(table: CT_Tbl, values: list[list[str]]) -> None:
    """Clone the styled last row once per line of values, then drop it.

    Styling every cell through python-docx costs milliseconds per cell; a copied row costs
    microseconds, which keeps a 100-unit report well under a second.
    """
    prototype = table.tr_lst[-1]
    for line in values:
        clone = deepcopy(prototype)
        for text_element, value in zip(clone.iter(qn("w:t")), line, strict=True):
            text_element.text = value
        prototype.addprevious(clone)
    prototype.getparent().remove(prototype)


def _class_table_template(document: DocumentObject, report: MonthReport) -> CT_Tbl:
    """A class table with its two header rows and one styled placeholder row, detached from `document`.

    Every class table is a copy of it: the header (merged, styled cells) is the same for all
    classes and takes longer to build through python-docx than a table's hundred rows.
    """
    columns = table_columns(report)
    table = document.add_table(rows=3, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    top, second = table.rows[0].cells, table.rows[1].cells
    for index, label in enumerate(columns):
        _set_cell(second[index], label, bold=True, size=8)
    spans: list[tuple[int, int, str]] = [(0, 0, "名次"), (1, 1, "单位")]
    position = 2
    for group in report.ruleset.groups:
        width = len(report.ruleset.outlets_of(group.name))
        if width:
            spans.append((position, position + width - 1, f"{group.name}信息采用情况（篇次）"))
        position += width
    spans.append((position, position, submitted_label(report)))
    position += 1
    for label in UNIT_LABELS:
        spans.append((position, position, label))
        position += 1
    for group in report.ruleset.groups:
        spans.append((position, position + 2, f"{group.name}信息"))
        position += 3
    for first, last, label in spans:
        if first == last and label == columns[first]:
            merged = top[first].merge(second[first])
        else:
            merged = top[first].merge(top[last]) if last > first else top[first]
        _set_cell(merged, label, bold=True, size=8)
    for cell in table.rows[2].cells:
        _set_cell(cell, "-")  # a placeholder, so every cell has the text element _fill_rows sets
    _column_widths(table, [Cm(1.0), Cm(4.6)], Cm(25.7 - 5.6))
    _repeat_as_header(table, 2)
    template = table._tbl
    template.getparent().remove(template)
    return template


def summary_paragraphs(report: MonthReport) -> list[str]:
    """一、总体情况: totals, the units that sent nothing, the rules reminder."""
    ruleset = report.ruleset
    this = "本月" if len(report.months) == 1 else "本期"
    scores = "，".join(
        f"{g.name}信息{this}得分{format_points(sum(r.scores[g.name].month for r in report.units))}分" for g in ruleset.groups
    )
    paragraphs = [
        f"{report.period_label}，{len(report.units)}个单位中有{report.submitting_units}个单位报送信息，共{report.submitted}条，"
        f"被各级刊物和媒体采用{report.adopted}条，{scores}。"
    ]
    silent = report.silent_units()
    if silent:
        paragraphs.append(f"{this}未报送信息的单位（{len(silent)}个）：{'、'.join(r.unit.name for r in silent)}。")
    else:
        paragraphs.append(f"{this}各单位均有信息报送。")
    reminder = ruleset.reminder
    if ruleset.proof_deadline_day:
        reminder += f"刊发证明（截图、照片、用稿通知单）须在每月{ruleset.proof_deadline_day}日前报送，逾期不予计分。"
    if reminder:
        paragraphs.append(reminder)
    return paragraphs


def praise_entries(report: MonthReport) -> list[tuple[str, str]]:
    """二、通报表扬, as (unit, reason): the best-scoring units, then the items a leader endorsed."""
    this = "本月" if len(report.months) == 1 else "本期"
    entries = [
        (row.unit.name, f"{this}得分{format_points(row.month_total)}分，居各单位前列")
        for row in report.best_units()
    ]
    entries += [
        (entry.unit.name, f"信息《{entry.title}》获{'、'.join(entry.endorsements)}")
        for entry in report.adopted_items
        if entry.endorsements
    ]
    return entries


def criticism_entries(report: MonthReport) -> list[tuple[str, str]]:
    """三、通报批评, as (unit, reason): monthly minimums and quarterly or annual quotas missed, late proof."""
    entries = []
    for row, quota in report.shortfalls():
        reason = f"{quota.quota.label}（{quota.period}）{quota.actual}条，应不少于{quota.required}条，差{quota.missing}条"
        if quota.deduction:
            reason += f"，扣{format_points(-quota.deduction)}分"
        entries.append((row.unit.name, reason))
    entries += [
        (late.unit.name,
         f"信息《{late.title}》{_day(late.adopted_on)}被{late.outlet}采用，刊发证明{_day(late.proof_on)}才报送"
         f"（应于{_day(late.deadline)}前报送），不予计分")
        for late in report.late_proofs
    ]
    return entries


def _day(day: date) -> str:
    return f"{day.month}月{day.day}日"


def issue_label(report: MonthReport, issue: str = "") -> str:
    """（2026年第3期）: the issue number given, else the month's; a quarter without one: （2026年第1季度）."""
    if issue:
        return f"（{report.year}年第{issue}期）"
    if len(report.months) > 1:
        return f"（{report.period_label}）"
    return f"（{report.year}年第{report.month}期）"


def _add_chart(document: DocumentObject, chart: Path) -> None:
    """The chart PNG, centred, as wide as the landscape text or narrower so it fits one page."""
    with Image.open(chart) as image:
        aspect = image.height / image.width
    document.add_picture(str(chart), width=Cm(min(24.0, 16.0 / aspect)))
    paragraph = document.paragraphs[-1]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(6)  # clear of the table's bottom border


def _table(document: DocumentObject, columns: tuple[str, ...], lines: list[list[str]], widths: tuple = ()) -> Table:
    """A plain table: a bold header row, then `lines` as copies of one styled row (a month's hundreds of
    adopted items would take seconds styled, or even sized, cell by cell). `widths`: fixed column widths."""
    table = document.add_table(rows=2, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, label in zip(table.rows[0].cells, columns, strict=True):
        _set_cell(cell, label, bold=True)
    for cell in table.rows[1].cells:
        _set_cell(cell, "-")
    if widths:
        table.autofit = False
        for index, width in enumerate(widths):
            table.columns[index].width = width
            for row in table.rows:
                row.cells[index].width = width
    _repeat_as_header(table, 1)
    _fill_rows(table._tbl, lines)
    return table


def _entries(document: DocumentObject, lead: str, entries: list[tuple[str, str]], none: str) -> None:
    if not entries:
        _paragraph(document, none, indent=Pt(28))
        return
    _paragraph(document, lead, indent=Pt(28))
    for number, (unit, reason) in enumerate(entries, start=1):
        _paragraph(document, f"{number}. {unit}：{reason}。", indent=Pt(28))


def comparison_values(report: MonthReport) -> list[list[str]]:
    """与去年同期比较: each unit's submissions, adoptions and points now and a year before, and the change."""
    lines = []
    for row in report.units:
        before = report.last_year.get(row.unit.id)
        then = before.month_total if before else 0.0
        lines.append([
            row.unit.name, str(row.submitted), str(before.submitted if before else 0), str(row.adopted),
            str(before.adopted if before else 0), format_points(row.month_total), format_points(then),
            format_points(row.month_total - then),
        ])
    return lines


COMPARISON_COLUMNS = ("单位", "报送数量", "去年同期报送", "采用数量", "去年同期采用", "得分", "去年同期得分", "增减")


def write_month_docx(
    report: MonthReport, path: Path, charts: Mapping[str, Path], issued_on: date, *, issue: str = "", doc_number: str = ""
) -> Path:
    """Write the monthly (or quarterly) 通报 to `path`, each class's progress chart PNG (by class name) after its table.

    `issued_on` is the masthead date; `issue` the 期号 (default: the month's number); `doc_number` a 文号 printed
    under the issue line (e.g. 昌环办〔2026〕12号)."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin = section.bottom_margin = Cm(1.8)

    ruleset = report.ruleset
    _paragraph(document, ruleset.report_title, TITLE_FONT, 26, bold=True, color=RED, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, issue_label(report, issue), "楷体_GB2312", 16, align=WD_ALIGN_PARAGRAPH.CENTER)
    if doc_number:
        _paragraph(document, doc_number, BODY_FONT, 14, align=WD_ALIGN_PARAGRAPH.CENTER)
    masthead = _paragraph(
        document,
        f"{ruleset.issuer}　　　　　　　　　　{issued_on.year}年{issued_on.month}月{issued_on.day}日",
        BODY_FONT,
        14,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _red_rule(masthead)

    this = "本月" if len(report.months) == 1 else "本期"
    _paragraph(document, "一、总体情况", HEADING_FONT, 16)
    for text in summary_paragraphs(report):
        _paragraph(document, text, indent=Pt(28))
    _paragraph(document, "二、通报表扬", HEADING_FONT, 16)
    _entries(document, "对以下单位和信息予以通报表扬：", praise_entries(report), f"{this}无通报表扬事项。")
    _paragraph(document, "三、通报批评", HEADING_FONT, 16)
    _entries(document, "以下单位未完成报送任务或刊发证明逾期，予以通报批评：", criticism_entries(report), f"{this}无通报批评事项。")

    _paragraph(document, "四、各单位信息报送采用情况", HEADING_FONT, 16)
    template = _class_table_template(document, report)
    for index, (class_name, rows) in enumerate(report.by_class()):
        numeral = CHINESE_NUMERALS[index] if index < len(CHINESE_NUMERALS) else str(index + 1)
        heading = _paragraph(document, f"（{numeral}）{class_name}", "楷体_GB2312", 14, bold=True)
        table = deepcopy(template)
        heading._p.addnext(table)
        _fill_rows(table, [*(row_values(report, row) for row in rows), total_values(report, rows)])
        if class_name in charts:
            _add_chart(document, charts[class_name])
        _paragraph(document, "", size=6)

    _paragraph(document, "五、信息采用条目", HEADING_FONT, 16)
    if report.adopted_items:
        _table(document, ITEM_COLUMNS, adopted_item_values(report), (Cm(1.2), Cm(4.6), Cm(10.4), Cm(5.0), Cm(3.0), Cm(1.5)))
    else:
        _paragraph(document, f"{this}无信息被采用。", indent=Pt(28))
    if report.last_year:
        _paragraph(document, "六、与去年同期比较", HEADING_FONT, 16)
        _table(document, COMPARISON_COLUMNS, comparison_values(report))

    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def _authors_table(document: DocumentObject, report: YearReport) -> None:
    """三、撰稿人: each author's items, adoptions, points and money (优秀信息员; per-article rewards)."""
    named = [author for author in report.authors if author.author]
    if not named:
        return
    _paragraph(document, "三、撰稿人", HEADING_FONT, 16)
    columns = ("单位", "撰稿人", "报送数量", "采用数量", "得分", "奖金（元）")
    table = document.add_table(rows=1 + len(named), cols=len(columns))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, columns, strict=True):
        _set_cell(cell, label, bold=True)
    for line, author in zip(table.rows[1:], named, strict=True):
        values = (author.unit.name, author.author, str(author.submitted), str(author.adopted),
                  format_points(author.points), format_points(author.yuan))
        for cell, value in zip(line.cells, values, strict=True):
            _set_cell(cell, value)
    _repeat_as_header(table, 1)


def write_year_docx(report: YearReport, path: Path, issued_on: date) -> Path:
    """The annual ranking per class and the reward list."""
    document = Document()
    section = document.sections[0]
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.2)
    ruleset = report.ruleset
    _paragraph(document, ruleset.report_title, TITLE_FONT, 26, bold=True, color=RED, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, f"（{report.year}年度排名）", "楷体_GB2312", 16, align=WD_ALIGN_PARAGRAPH.CENTER)
    masthead = _paragraph(
        document, f"{ruleset.issuer}　　　　{issued_on.year}年{issued_on.month}月{issued_on.day}日", align=WD_ALIGN_PARAGRAPH.CENTER
    )
    _red_rule(masthead)
    _paragraph(document, "一、年度积分排名", HEADING_FONT, 16)
    groups = [g.name for g in ruleset.groups]
    targeted = report.targeted_groups
    columns = ["名次", "单位", "报送数量", "采用数量", *(f"{g}得分" for g in groups), "合计"]
    columns += [f"{g}{label}" for g in targeted for label in ("目标", "差额")]
    for index, (class_name, rows) in enumerate(report.by_class()):
        numeral = CHINESE_NUMERALS[index] if index < len(CHINESE_NUMERALS) else str(index + 1)
        _paragraph(document, f"（{numeral}）{class_name}", "楷体_GB2312", 14, bold=True)
        table = document.add_table(rows=1 + len(rows), cols=len(columns))
        table.style = "Table Grid"
        for cell, label in zip(table.rows[0].cells, columns, strict=True):
            _set_cell(cell, label, bold=True)
        for line, row in zip(table.rows[1:], rows, strict=True):
            values = [str(row.rank), row.unit.name, str(row.submitted), str(row.adopted)]
            values += [format_points(row.scores[g].year_to_date) for g in groups] + [format_points(row.total)]
            values += [format_points(value) for g in targeted for value in (row.scores[g].target, row.scores[g].gap)]
            for cell, value in zip(line.cells, values, strict=True):
                _set_cell(cell, value)
        _repeat_as_header(table, 1)
    _paragraph(document, "二、奖励", HEADING_FONT, 16)
    if not report.rewards:
        _paragraph(document, "本年度无奖励事项。", indent=Pt(28))
    else:
        table = document.add_table(rows=1 + len(report.rewards), cols=4)
        table.style = "Table Grid"
        for cell, label in zip(table.rows[0].cells, ("单位", "类别", "事由", "金额（元）"), strict=True):
            _set_cell(cell, label, bold=True)
        for line, reward in zip(table.rows[1:], report.rewards, strict=True):
            values = (reward.unit.name, reward.unit.class_name, reward.reason, format_points(reward.yuan))
            for cell, value in zip(line.cells, values, strict=True):
                _set_cell(cell, value)
        _paragraph(document, f"奖励合计 {format_points(report.reward_total)} 元。", indent=Pt(28))
    _authors_table(document, report)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path
