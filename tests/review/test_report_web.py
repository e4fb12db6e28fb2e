"""The 月度通报 page: the month's table from scoring.compute, and the Word/Excel downloads."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date
from urllib.parse import quote

import pytest
from docx import Document
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from baosong.db import transaction
from baosong.models import Adjustment, Adoption, Endorsement, Item, Unit
from review.web import create_console
from tests.review.conftest import log_in
from tests.review.samples import NOW, PREFIX

REPORT_NAME = "昌吉州生态环境系统信息工作通报-2026年03月"


@pytest.fixture
def adopted(sessions, accepted_item) -> int:
    """The accepted sample item, adopted by the ministry's publication (30 points under rule set A)."""
    with transaction(sessions) as session:
        session.add(Adoption(item_id=accepted_item, outlet="生态环境部政务信息刊物", adopted_on=date(2026, 3, 16),
                             proof_received_on=date(2026, 3, 17)))
    return accepted_item


def row_of(html: str, unit: str) -> str:
    start = html.index(f"<td>{unit}</td>")
    return html[html.rindex("<tr>", 0, start):html.index("</tr>", start)]


def test_the_report_page_defaults_to_the_current_month(clerk, units):
    html = clerk.get("/report").text
    assert "2026年3月" in html and 'value="2026-03"' in html


def test_the_report_table_has_the_columns_of_the_notification(clerk, units):
    html = clerk.get("/report?month=2026-03").text
    for heading in ("报送数量", "政务信息", "新闻信息", "本月采用得分", "全年累计得分", "与总任务差额分值", "排名"):
        assert heading in html
    assert "<h2>县市环保局</h2>" in html


def test_an_adoption_scores_in_its_month_with_the_gap_to_the_annual_target(clerk, adopted):
    row = row_of(clerk.get("/report?month=2026-03").text, "昌吉市环境保护局")
    cells = [cell.split(">")[-1] for cell in row.split("</td>")[:-1]]
    # rank, unit, submitted 政务 / 新闻, 批示, 加减分, 政务 month / year / gap (target 300), 新闻 month / year / gap (target 100)
    assert cells == ["1", "昌吉市环境保护局", "1", "0", "0", "0", "30", "30", "270", "0", "0", "100"]


def test_endorsement_and_adjustment_have_their_own_columns_and_the_class_a_total_row(clerk, sessions, units, adopted):
    with transaction(sessions) as session:
        session.add(Endorsement(item_id=adopted, level="州", endorsed_on=date(2026, 3, 18)))  # 州领导批示 +15
        session.add(Adjustment(unit_id=units["阜康市环境保护局"], dated_on=date(2026, 3, 9), points=-30, reason="迟报"))
    html = clerk.get("/report?month=2026-03").text
    cells = lambda row: [cell.split(">")[-1] for cell in row.split("</td>")[:-1]]  # noqa: E731
    assert cells(row_of(html, "昌吉市环境保护局"))[4:10] == ["15", "0", "30", "45", "255", "0"]
    assert cells(row_of(html, "阜康市环境保护局"))[4:10] == ["0", "-30", "0", "-30", "330", "0"]
    start = html.index('<tr class="total">')
    total = html[start:html.index("</tr>", start)]
    assert cells(total)[:10] == ["", "合计", "1", "0", "15", "-30", "30", "15", "", "0"]  # 45 − 30 = 15 for the year


def test_submissions_are_counted_apart_for_news_items_under_a_rule_set_that_splits_them(clerk, sessions, adopted):
    with transaction(sessions) as session:
        session.get(Item, adopted).category = "新闻"
    html = clerk.get("/report?month=2026-03").text
    assert '<th colspan="2" class="group">报送数量</th>' in html and '<th class="num">政务</th><th class="num">新闻</th>' in html
    row = row_of(html, "昌吉市环境保护局")
    assert [cell.split(">")[-1] for cell in row.split("</td>")[:-1]][2:4] == ["0", "1"]


def test_submissions_are_one_column_under_a_rule_set_that_does_not_split_them(settings, sessions, accounts, throttle, units):
    d_settings = replace(settings, rules=replace(settings.rules, organisation="D"))
    console = create_console(d_settings, sessions, receipt_prefix=PREFIX, throttle=throttle, clock=lambda: NOW)
    with TestClient(console) as client:
        assert log_in(client, "wang").status_code == 303
        html = client.get("/report?month=2026-03").text
    assert '<th rowspan="2" class="num">报送数量</th>' in html and '<th class="num">政务</th>' not in html


def test_the_page_lists_praise_criticism_and_the_adopted_items(clerk, adopted):
    html = clerk.get("/report?month=2026-03").text
    assert "<li>昌吉市环境保护局：本月得分30分，居各单位前列</li>" in html
    criticism = html.split("<h2>通报批评</h2>")[1].split("</section>")[0].strip()
    assert criticism == '<p class="muted">本月无通报批评事项。</p>'  # as of 18 March the month runs on: no shortfall yet
    assert "<td>生态环境部政务信息刊物</td><td></td><td class=\"num\">30</td>" in html


def test_the_word_download_carries_the_masthead_typed_on_the_page(clerk, adopted):
    query = "month=2026-03&format=docx&issued=2026-04-03&issue=7&number=" + quote("昌环办〔2026〕12号")
    document = Document(io.BytesIO(clerk.get(f"/report/download?{query}").content))
    assert [p.text for p in document.paragraphs[1:3]] == ["（2026年第7期）", "昌环办〔2026〕12号"]
    assert document.paragraphs[3].text.endswith("2026年4月3日")


def test_the_download_form_offers_the_month_its_quarter_and_its_year(clerk, units):
    html = clerk.get("/report?month=2026-03").text
    for key, label in (("month", "月度通报（2026年3月）"), ("quarter", "季度通报（2026年第1季度，与去年同期比较）"),
                       ("year", "年度排名与奖励（2026年）")):
        assert f'<option value="{key}">{label}</option>' in html


def test_the_quarterly_download_is_the_quarters_notification_with_last_years_comparison(clerk, adopted):
    response = clerk.get("/report/download?month=2026-03&period=quarter&format=docx&issued=2026-04-03")
    assert quote("昌吉州生态环境系统信息工作通报-2026年第1季度.docx") in response.headers["content-disposition"]
    document = Document(io.BytesIO(response.content))
    assert document.paragraphs[1].text == "（2026年第1季度）"
    assert any(p.text.startswith("六、与去年同期比较") for p in document.paragraphs)


def test_the_quarterly_excel_download_is_the_quarters(clerk, adopted):
    response = clerk.get("/report/download?month=2026-02&period=quarter&format=xlsx")
    assert quote("昌吉州生态环境系统信息工作通报-2026年第1季度.xlsx") in response.headers["content-disposition"]


def test_the_annual_download_is_the_years_ranking(clerk, adopted):
    response = clerk.get("/report/download?month=2026-03&period=year&format=xlsx")
    assert quote("昌吉州生态环境系统信息工作通报-2026年度排名.xlsx") in response.headers["content-disposition"]
    load_workbook(io.BytesIO(response.content))


def test_an_unknown_period_is_not_found(clerk, units):
    assert clerk.get("/report/download?month=2026-03&period=decade&format=xlsx").status_code == 404


def test_the_month_before_the_adoption_shows_no_points(clerk, adopted):
    row = row_of(clerk.get("/report?month=2026-02").text, "昌吉市环境保护局")
    assert '<td class="num">30</td>' not in row


def test_the_summary_names_the_months_totals(clerk, adopted):
    assert "中有1个单位报送信息，共1条，被各级刊物和媒体采用1条" in clerk.get("/report?month=2026-03").text


@pytest.mark.parametrize("month", ["2026-13", "三月", "../../etc/passwd", "1999-01"])
def test_an_unreadable_month_is_refused_with_422_in_chinese(clerk, units, month):
    response = clerk.get(f"/report?month={quote(month)}")
    assert response.status_code == 422 and "无法识别，请写成 2026-03 的格式" in response.text


def test_a_unit_name_with_markup_is_shown_as_text_on_the_report_page(clerk, sessions):
    with transaction(sessions) as session:
        session.add(Unit(name="<script>alert('unit')</script>局", category="县市环保局", aliases=[], emails=[]))
    html = clerk.get("/report?month=2026-03").text
    assert "<script>alert(" not in html and "&lt;script&gt;alert(&#39;unit&#39;)&lt;/script&gt;局" in html


def test_the_word_file_downloads_as_an_attachment_with_explicit_type(clerk, adopted):
    response = clerk.get("/report/download?month=2026-03&format=docx")
    assert response.status_code == 200
    assert response.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert quote(f"{REPORT_NAME}.docx") in response.headers["content-disposition"]


def test_the_word_file_is_the_months_notification(clerk, adopted):
    document = Document(io.BytesIO(clerk.get("/report/download?month=2026-03&format=docx").content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "2026年3月" in text and "昌吉市环境保护局" in cells


def test_the_excel_file_holds_the_units_scores(clerk, adopted):
    response = clerk.get("/report/download?month=2026-03&format=xlsx")
    assert response.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    values = {value for sheet in workbook for row in sheet.iter_rows(values_only=True) for value in row}
    assert "昌吉市环境保护局" in values and 30 in values


def test_the_files_are_kept_in_the_data_folders_reports(clerk, settings, adopted):
    clerk.get("/report/download?month=2026-03&format=xlsx")
    folder = settings.data_dir / "reports"
    assert (folder / f"{REPORT_NAME}.xlsx").is_file()
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []


def test_a_download_reflects_an_adoption_recorded_after_an_earlier_download(clerk, sessions, adopted):
    clerk.get("/report/download?month=2026-03&format=xlsx")
    with transaction(sessions) as session:
        session.add(Adoption(item_id=adopted, outlet="国家级新闻媒体", adopted_on=date(2026, 3, 17)))
    workbook = load_workbook(io.BytesIO(clerk.get("/report/download?month=2026-03&format=xlsx").content), read_only=True)
    values = {value for sheet in workbook for row in sheet.iter_rows(values_only=True) for value in row}
    assert 50 in values


@pytest.mark.parametrize("query", [
    "month=2026-03&format=pdf", "month=2026-03&format=../../baosong.db", "month=../reports&format=docx",
    "month=2026-03", "format=docx",
])
def test_a_download_outside_the_fixed_list_is_404(clerk, units, query):
    assert clerk.get(f"/report/download?{query}").status_code == 404


def test_a_download_is_a_real_office_file(clerk, units):
    content = clerk.get("/report/download?month=2026-03&format=docx").content
    assert zipfile.is_zipfile(io.BytesIO(content))


@pytest.fixture
def no_chinese_font(monkeypatch):  # noqa: ANN001
    """matplotlib and the system both without a Chinese font (restricted font lists)."""
    from matplotlib import font_manager

    from scoring.chart import cjk_font
    from scoring.fonts import has_chinese_glyphs

    latin = [font for font in font_manager.fontManager.ttflist if not has_chinese_glyphs(font.fname)]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin)
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *args, **kwargs: sorted({f.fname for f in latin}))
    cjk_font.cache_clear()
    yield
    cjk_font.cache_clear()


def test_the_report_page_says_which_font_to_install_when_charts_cannot_show_chinese(clerk, units, no_chinese_font):
    html = clerk.get("/report?month=2026-03").text
    assert "Word 通报的图表无法显示中文" in html and "sudo apt install fonts-noto-cjk" in html


def test_the_report_page_has_no_font_warning_when_a_chinese_font_is_installed(clerk, units):
    from scoring.chart import cjk_font

    if cjk_font() is None:
        pytest.skip("no Chinese font installed (fonts-noto-cjk)")
    assert "Word 通报的图表无法显示中文" not in clerk.get("/report?month=2026-03").text
