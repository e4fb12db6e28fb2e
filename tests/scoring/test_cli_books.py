"""`baosong adopt / endorse / adjust / commission / report` on a real database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from baosong.cli import main
from baosong.settings import Settings
from tests.scoring.conftest import utc


@pytest.fixture
def config_file(settings: Settings, tmp_path: Path) -> Path:
    path = tmp_path / "baosong.toml"
    path.write_text(
        f'[paths]\ndata = "{settings.paths.data}"\n[database]\nurl = "{settings.database_url}"\n'
        '[rules]\norganisation = "A"\n',
        encoding="utf-8",
    )
    return path


def _run(config_file: Path, *args: str):  # noqa: ANN202
    return CliRunner().invoke(main, ["--config", str(config_file), *args], catch_exceptions=False)


@pytest.fixture
def county_item(add_unit, add_item) -> int:  # noqa: ANN001
    unit = add_unit("昌吉市环境保护局", "县市环保局", ("昌吉市环保局",))
    return add_item(unit, utc(2026, 3, 2))


def test_adopt_json_reports_the_recorded_adoption(config_file: Path, county_item: int) -> None:
    result = _run(config_file, "adopt", str(county_item), "--outlet", "昌吉信息", "--date", "2026-03-05",
                  "--proof-date", "2026-03-06", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert (payload["item"], payload["outlet"], payload["proof_received_on"]) == (county_item, "州党委政府信息刊物", "2026-03-06")


def test_adopt_with_late_proof_warns_that_it_will_not_score(config_file: Path, county_item: int) -> None:
    result = _run(config_file, "adopt", str(county_item), "--outlet", "昌吉信息", "--date", "2026-11-10",
                  "--proof-date", "2026-11-28")
    assert result.exit_code == 0, result.output
    assert "刊发证明 2026-11-28 才收到，晚于报送期限 2026-11-25（每月25日前），按规则这条采用不计分" in result.output


def test_adopt_with_unknown_item_says_so_in_chinese(config_file: Path, county_item: int) -> None:
    result = _run(config_file, "adopt", "99999", "--outlet", "昌吉信息")
    assert result.exit_code == 1 and "找不到信息「99999」" in result.output


def test_endorse_then_report_month_writes_word_and_excel_with_the_points(config_file: Path, county_item: int, tmp_path: Path) -> None:
    _run(config_file, "adopt", str(county_item), "--outlet", "州党委政府信息刊物", "--date", "2026-03-05", "--proof-date", "2026-03-05")
    _run(config_file, "endorse", str(county_item), "--level", "州", "--date", "2026-03-07")
    out = tmp_path / "out"
    result = _run(config_file, "report", "--month", "2026-03", "--out", str(out), "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["units"][0]["scores"]["政务"]["month"] == 30
    docx_file = next(out.glob("*.docx"))
    cells = [cell.text for cell in Document(str(docx_file)).tables[0].rows[2].cells]
    assert (cells[12], cells[14]) == ("15", "15")  # 批示得分 (州 +15), 本月采用得分 (政务: 州级刊物 15)
    sheet = load_workbook(next(out.glob("*.xlsx")))["政务信息"]
    assert (sheet["K2"].value, sheet["M2"].value, sheet["N2"].value) == (15, 15, 30)  # 批示得分, 本月采用得分, 全年累计


def test_adjust_by_alias_records_a_deduction(config_file: Path, county_item: int) -> None:
    result = _run(config_file, "adjust", "昌吉市环保局", "--kind", "信息严重失实", "--date", "2026-03-09", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["points"] == -30


def test_adjust_without_points_is_refused(config_file: Path, county_item: int) -> None:
    result = _run(config_file, "adjust", "昌吉市环保局", "--reason", "扣分")
    assert result.exit_code == 1 and "二者选一" in result.output


def test_commission_add_and_deliver_on_time(config_file: Path, county_item: int) -> None:
    added = json.loads(_run(config_file, "commission", "add", "昌吉市环保局", "--topic", "秋季大气治理", "--due", "2026-03-10", "--json").output)
    delivered = _run(config_file, "commission", "deliver", str(added["commission"]), str(county_item), "--date", "2026-03-09", "--json")
    assert json.loads(delivered.output)["on_time"] is True


def test_commission_deliver_of_a_twenty_digit_commission_says_not_found(config_file: Path, county_item: int) -> None:
    result = _run(config_file, "commission", "deliver", "9" * 20, str(county_item), "--date", "2026-03-09")
    assert result.exit_code == 1 and f"找不到约稿 {'9' * 20}" in result.output


def test_report_year_prints_the_ranking(config_file: Path, county_item: int, tmp_path: Path) -> None:
    result = _run(config_file, "report", "--year", "2026", "--format", "xlsx", "--out", str(tmp_path / "y"))
    assert result.exit_code == 0, result.output
    assert "【县市环保局】" in result.output and "昌吉市环境保护局" in result.output


def test_report_quarter_adds_up_the_quarter_and_compares_with_last_year(config_file: Path, county_item: int, tmp_path: Path) -> None:
    _run(config_file, "adopt", str(county_item), "--outlet", "州党委政府信息刊物", "--date", "2026-03-05", "--proof-date", "2026-03-05")
    out = tmp_path / "q"
    result = _run(config_file, "report", "--quarter", "2026-Q1", "--format", "xlsx", "--out", str(out), "--json")
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.output)["units"]
    # 1 item (2 March) adopted by 州党委政府信息刊物 (15) in the quarter; nothing in the first quarter of 2025
    assert (row["submitted"], row["adopted"], row["scores"]["政务"]["month"], row["last_year"]) == (1, 1, 15, 0)
    workbook = load_workbook(out / "昌吉州生态环境系统信息工作通报-2026年第1季度.xlsx")
    assert list(workbook["与去年同期比较"].iter_rows(min_row=2, values_only=True)) == [("昌吉市环境保护局", 1, 0, 1, 0, 15, 0, 15)]


def test_report_masthead_takes_the_date_issue_and_document_number(config_file: Path, county_item: int, tmp_path: Path) -> None:
    out = tmp_path / "m"
    result = _run(config_file, "report", "--month", "2026-03", "--format", "docx", "--out", str(out),
                  "--date", "2026-04-03", "--issue", "7", "--doc-number", "昌环办〔2026〕12号")
    assert result.exit_code == 0, result.output
    texts = [p.text for p in Document(str(next(out.glob("*.docx")))).paragraphs]
    assert texts[1:3] == ["（2026年第7期）", "昌环办〔2026〕12号"] and texts[3].endswith("2026年4月3日")


def test_report_with_malformed_quarter_explains_the_format(config_file: Path) -> None:
    result = _run(config_file, "report", "--quarter", "2026-5")
    assert result.exit_code == 2 and "YYYY-Qn" in result.output


def test_report_with_malformed_month_explains_the_format(config_file: Path) -> None:
    result = _run(config_file, "report", "--month", "2026/3")
    assert result.exit_code == 2 and "YYYY-MM" in result.output


def test_report_needs_month_or_year(config_file: Path) -> None:
    result = _run(config_file, "report")
    assert result.exit_code == 2 and "--month" in result.output


def test_report_without_a_chinese_font_says_which_package_to_install(config_file: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from matplotlib import font_manager

    from scoring.fonts import has_chinese_glyphs

    latin = [font for font in font_manager.fontManager.ttflist if not has_chinese_glyphs(font.fname)]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin)  # a machine without Chinese fonts
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *args, **kwargs: sorted({f.fname for f in latin}))
    result = _run(config_file, "report", "--month", "2026-03", "--out", str(tmp_path / "out"))
    assert (result.exit_code, "sudo apt install fonts-noto-cjk" in result.output) == (1, True)
    assert not (tmp_path / "out").exists()


def test_report_as_excel_alone_needs_no_chinese_font(config_file: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from matplotlib import font_manager

    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *args, **kwargs: [])
    result = _run(config_file, "report", "--month", "2026-03", "--format", "xlsx", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0 and list((tmp_path / "out").glob("*.xlsx"))
