"""The monthly 通报 and the annual ranking, re-opened and checked cell by cell against the computation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from scoring.chart import charted_groups, cjk_font, render_progress_chart
from scoring.compute import MonthReport, compute_month, compute_year
from scoring.publish import chart_filename, month_basename, write_month_reports, write_year_reports
from scoring.report_docx import format_points, row_values, summary_paragraphs, table_columns, total_values
from scoring.ruleset import UNCLASSED
from tests.scoring.builders import YEAR, Ledger, ruleset

ISSUED = date(YEAR, 4, 3)
BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"


@pytest.fixture(scope="module")
def a_report() -> MonthReport:
    rules = ruleset("A")
    ledger = Ledger()
    county = ledger.unit("昌吉市环境保护局", "县市环保局")
    quiet = ledger.unit("阜康市环境保护局", "县市环保局")
    publicity = ledger.unit("昌吉州生态环境局宣教科（组织人事科）", "局机关科室")
    ledger.unit("昌吉州环境监测站", "直属单位")
    for month, how_many in ((2, 8), (3, 9)):
        items = ledger.items_for(county, date(YEAR, month, 4), how_many)
        ledger.adopt(items[0], "州党委政府信息刊物", date(YEAR, month, 10))
        ledger.adopt(items[1], "自治区级新闻媒体", date(YEAR, month, 12))
    ledger.items_for(quiet, date(YEAR, 2, 4), 3)
    special = ledger.item(publicity, date(YEAR, 3, 1), title="民族团结一家亲活动")
    ledger.adopt(special, "生态环境部政务信息刊物", date(YEAR, 3, 8))
    ledger.endorse(special, "国家", date(YEAR, 3, 20))
    return compute_month(rules, ledger.books(), YEAR, 3)


@pytest.fixture(scope="module")
def written(a_report: MonthReport, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("report")
    files = write_month_reports(a_report, out, ("docx", "xlsx"), ISSUED)
    return {path.suffix: path for path in files if path.suffix != ".png"} | {"charts": out}


def test_word_report_has_title_issue_and_date(written: dict[str, Path]) -> None:
    texts = [p.text for p in Document(str(written[".docx"])).paragraphs]
    assert texts[:2] == ["昌吉州生态环境系统信息工作通报", f"（{YEAR}年第3期）"]
    assert texts[2].startswith("昌吉州生态环境局办公室") and texts[2].endswith(f"{YEAR}年4月3日")


def test_word_report_is_a4_landscape(written: dict[str, Path]) -> None:
    section = Document(str(written[".docx"])).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)


def test_word_title_uses_an_east_asian_font(written: dict[str, Path]) -> None:
    title_run = Document(str(written[".docx"])).paragraphs[0].runs[0]
    fonts = title_run._element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "方正小标宋简体"


def test_word_summary_names_totals_and_units_that_sent_nothing(written: dict[str, Path]) -> None:
    text = "\n".join(p.text for p in Document(str(written[".docx"])).paragraphs)
    assert "4个单位中有2个单位报送信息，共10条，被各级刊物和媒体采用3条" in text
    assert "本月未报送信息的单位（2个）：阜康市环境保护局、昌吉州环境监测站。" in text
    assert "每月25日前报送，逾期不予计分" in text


def test_the_summary_counts_only_units_with_an_accepted_item_as_submitting() -> None:
    ledger = Ledger()
    sender = ledger.unit("昌吉市环境保护局", "县市环保局")
    rejected_only = ledger.unit("阜康市环境保护局", "县市环保局")
    ledger.unit("昌吉州环境监测站", "直属单位")
    ledger.items_for(sender, date(YEAR, 3, 4), 2)
    ledger.item(rejected_only, date(YEAR, 3, 5), accepted=False)
    [first, *_] = summary_paragraphs(compute_month(ruleset("A"), ledger.books(), YEAR, 3))
    assert first.startswith(f"{YEAR}年3月，3个单位中有1个单位报送信息，共2条，")


def test_word_tables_match_the_computation_cell_by_cell(a_report: MonthReport, written: dict[str, Path]) -> None:
    tables = Document(str(written[".docx"])).tables
    classes = a_report.by_class()
    assert len(tables) == len(classes) + 1  # and the 信息采用条目 table
    for table, (_name, rows) in zip(tables, classes, strict=False):
        assert [c.text for c in table.rows[1].cells] == table_columns(a_report)
        for line, row in zip(table.rows[2:-1], rows, strict=True):
            assert [c.text for c in line.cells] == row_values(a_report, row)
        assert [c.text for c in table.rows[-1].cells] == total_values(a_report, rows)


def test_word_row_of_the_county_reads_as_hand_computed(written: dict[str, Path]) -> None:
    county_row = [c.text for c in Document(str(written[".docx"])).tables[0].rows[2].cells]
    # outlets: 州级刊物 1 (政务), 自治区级媒体 1 (新闻); 9 政务 items, 0 新闻; no 批示, no 加减分;
    # 政务 15 / 30 / 270; 新闻 30 / 60 / 40
    assert county_row == ["1", "昌吉市环境保护局", "0", "0", "0", "1", "0", "0", "0", "1", "0",
                          "9/0", "0", "0", "15", "30", "270", "30", "60", "40"]


def test_word_header_groups_outlets_under_each_group(written: dict[str, Path]) -> None:
    top = [c.text for c in Document(str(written[".docx"])).tables[0].rows[0].cells]
    assert "政务信息采用情况（篇次）" in top and "新闻信息采用情况（篇次）" in top and "报送数量（政务/新闻）" in top


def test_excel_has_one_sheet_per_group_with_frozen_header(written: dict[str, Path]) -> None:
    workbook = load_workbook(written[".xlsx"])
    assert workbook.sheetnames == ["政务信息", "新闻信息", "信息采用条目", "表扬与批评"]
    assert workbook["政务信息"].freeze_panes == "D2"


def test_excel_cells_match_the_computation(a_report: MonthReport, written: dict[str, Path]) -> None:
    workbook = load_workbook(written[".xlsx"])
    for group in a_report.ruleset.groups:
        sheet = workbook[f"{group.name}信息"]
        outlets = a_report.ruleset.outlets_of(group.name)
        lines = list(sheet.iter_rows(min_row=2, max_row=sheet.max_row - 1, values_only=True))  # the last is 合计
        expected = [
            (name, row.rank, row.unit.name, *(row.outlet_counts.get(o.name, 0) for o in outlets),
             row.submitted_by_group[group.name],  # A counts 政务 and 新闻 submissions apart
             row.scores[group.name].endorsed, row.scores[group.name].adjusted, row.scores[group.name].adoption,
             row.scores[group.name].year_to_date, row.scores[group.name].target, row.scores[group.name].gap)
            for name, rows in a_report.by_class()
            for row in rows
        ]
        assert lines == expected


def test_excel_sheet_carries_a_native_bar_chart(written: dict[str, Path]) -> None:
    sheet = load_workbook(written[".xlsx"])["政务信息"]
    assert len(sheet._charts) == 1 and sheet._charts[0].tagname == "barChart"


def tables_and_charts(docx: Path) -> list[str]:
    """Tables and pictures down the Word body: "table", or the name of the PNG (next to `docx`) a picture came from."""
    document = Document(str(docx))
    pngs = {path.read_bytes(): path.name for path in docx.parent.glob("*.png")}
    sequence = []
    for element in document.element.body:
        if element.tag.endswith("}tbl"):
            sequence.append("table")
        for blip in element.iter(BLIP):
            sequence.append(pngs[document.part.related_parts[blip.get(EMBED)].blob])
    return sequence


def test_each_class_gets_its_progress_chart_right_after_its_table(a_report: MonthReport, written: dict[str, Path]) -> None:
    base = month_basename(a_report)
    classes = [name for name, _rows in a_report.by_class()]
    assert classes == ["县市环保局", "局机关科室", "直属单位"]
    assert sorted(p.name for p in written["charts"].glob("*.png")) == sorted(chart_filename(base, c) for c in classes)
    assert len(Document(str(written[".docx"])).inline_shapes) == 3
    assert tables_and_charts(written[".docx"]) == [
        "table", f"{base}-进度-县市环保局.png",
        "table", f"{base}-进度-局机关科室.png",
        "table", f"{base}-进度-直属单位.png",
        "table",  # 信息采用条目
    ]


def test_a_class_without_targets_gets_no_chart(tmp_path: Path) -> None:
    ledger = Ledger()
    county = ledger.unit("昌吉市环境保护局", "县市环保局")
    ledger.unit("昌吉州环境监测站", "直属单位")
    guest = ledger.unit("州外协作单位", UNCLASSED)
    ledger.items_for(county, date(YEAR, 3, 2), 2)
    ledger.items_for(guest, date(YEAR, 3, 2), 2)
    report = compute_month(ruleset("A"), ledger.books(), YEAR, 3)
    assert [name for name, _rows in report.by_class()] == ["县市环保局", "直属单位", UNCLASSED]
    base = month_basename(report)
    written = write_month_reports(report, tmp_path, ("docx",), ISSUED)
    charts = [tmp_path / f"{base}-进度-县市环保局.png", tmp_path / f"{base}-进度-直属单位.png"]
    assert written == [*charts, tmp_path / f"{base}.docx"]
    assert all(chart.stat().st_size > 0 for chart in charts)
    assert sorted(tmp_path.glob("*.png")) == sorted(charts)
    assert len(Document(str(written[-1])).inline_shapes) == 2
    assert tables_and_charts(written[-1]) == ["table", charts[0].name, "table", charts[1].name, "table"]


def test_chart_is_not_drawn_for_units_without_targets(tmp_path: Path) -> None:
    ledger = Ledger()
    ledger.unit("州外协作单位", UNCLASSED)
    report = compute_month(ruleset("A"), ledger.books(), YEAR, 3)
    assert charted_groups(report, report.units) == []
    assert render_progress_chart(report, UNCLASSED, report.units, tmp_path / "c.png") is None
    assert not (tmp_path / "c.png").exists()


def test_chart_file_names_carry_the_class_made_safe_for_file_systems() -> None:
    assert chart_filename("通报-2026年03月", "县市环保局") == "通报-2026年03月-进度-县市环保局.png"
    assert chart_filename("通报-2026年03月", 'A/B:C*"D" 科\\室') == "通报-2026年03月-进度-A_B_C_D_科_室.png"


def test_chart_has_a_panel_for_each_group_with_targets(a_report: MonthReport) -> None:
    assert charted_groups(a_report, a_report.units) == ["政务", "新闻"]


def test_chart_uses_a_cjk_font_when_one_is_installed(a_report: MonthReport, tmp_path: Path) -> None:
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    if not any("CJK" in name for name in installed):
        pytest.skip("no CJK font installed (fonts-noto-cjk)")
    assert "CJK" in cjk_font()
    name, rows = a_report.by_class()[0]
    chart = render_progress_chart(a_report, name, rows, tmp_path / "c.png")
    assert chart is not None and chart.stat().st_size > 10_000


def _chart_red_pixels(tmp_path: Path, points: float) -> int:
    """Red (#b22222, 全年累计得分) pixels in the chart of one county whose year so far is `points`."""
    import numpy as np
    from PIL import Image

    from scoring.compute import AdjustmentRecord

    ledger = Ledger()
    county = ledger.unit("昌吉市环境保护局", "县市环保局")
    if points:
        ledger.adjustments.append(AdjustmentRecord(county.id, date(YEAR, 3, 9), None, points, None, "信息严重失实"))
    report = compute_month(ruleset("A"), ledger.books(), YEAR, 3)
    chart = render_progress_chart(report, "县市环保局", report.units, tmp_path / f"chart{points}.png")
    with Image.open(chart) as image:
        r, g, b = np.asarray(image.convert("RGB"), dtype=np.int16).transpose(2, 0, 1)
    return int(((r > 150) & (g < 70) & (b < 70)).sum())


def test_chart_draws_a_negative_year_to_date_leftwards_of_zero(tmp_path: Path) -> None:
    # −30 (信息严重失实) and nothing else: the bar runs from 0 to −30; at 0 only the legend's sample is red
    assert _chart_red_pixels(tmp_path, -30.0) > 2 * _chart_red_pixels(tmp_path, 0.0)


def test_points_are_written_as_clerks_write_them() -> None:
    assert [format_points(v) for v in (35.0, 12.5, -0.0, None)] == ["35", "12.5", "0", ""]


def test_annual_excel_and_word_list_ranking_and_rewards(tmp_path: Path) -> None:
    rules = ruleset("C")
    ledger = Ledger()
    county = ledger.unit("示例县", "县市")
    item = ledger.item(county, date(YEAR, 3, 1))
    ledger.adopt(item, "国务院政务信息刊物", date(YEAR, 3, 9))
    report = compute_year(rules, ledger.books(), YEAR)
    docx_path, xlsx_path = write_year_reports(report, tmp_path, ("docx", "xlsx"), ISSUED)
    workbook = load_workbook(xlsx_path)
    assert list(workbook[f"{YEAR}年排名"].iter_rows(min_row=2, values_only=True)) == [
        ("县市", 1, "示例县", 1, 1, 10, 10, "每月报送信息12个月未达标")
    ]
    assert list(workbook["奖励"].iter_rows(min_row=2, values_only=True)) == [
        ("县市", "示例县", "县市第1名", 2000),
        ("县市", "示例县", "信息被上级刊物采用 1 篇次", 1000),
    ]
    reward_table = Document(str(docx_path)).tables[-1]
    assert [c.text for c in reward_table.rows[2].cells] == ["示例县", "县市", "信息被上级刊物采用 1 篇次", "1000"]
