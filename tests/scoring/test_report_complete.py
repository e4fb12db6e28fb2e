"""The complete 通报: 批示 and 加减分 columns, 合计 rows, 信息采用条目, 通报表扬 and 通报批评, masthead options,
and the quarterly 通报 with last year's same quarter; each checked in the Word and the Excel file.

March under A's rules (config/orgs/A/scoring.toml): 州党委政府信息刊物 15; 州领导批示 +15; county bureaus
"每月报送政务信息" at least 8 and "每月报送扶贫信息" 1 (title containing 扶贫); proof of publication
"每月25日前……逾期不报不予计分". The quarter under B's rules: an item reported 10, adopted by the district
publication +10; class 4 "季度报送信息" 15 (−10 per missing) and "季度采用信息" 3.75 → 4 (−20 per missing).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from scoring.compute import AdjustmentRecord, MonthReport, compute_month
from scoring.publish import write_month_reports
from scoring.report_docx import COMPARISON_COLUMNS, ITEM_COLUMNS
from tests.scoring.builders import YEAR, Ledger, ruleset

ISSUED = date(YEAR, 4, 3)
CHANGJI, QITAI, MANAS, FUKANG = "昌吉市环境保护局", "奇台县环境保护局", "玛纳斯县环境保护局", "阜康市环境保护局"
ADOPTED = "昌吉市环境保护局3月4日开展春季大气污染防治专项检查"
LATE = "阜康市环境保护局3月3日开展扶贫走访"


@pytest.fixture(scope="module")
def march() -> MonthReport:
    ledger = Ledger()
    changji = ledger.unit(CHANGJI, "县市环保局")
    fukang = ledger.unit(FUKANG, "县市环保局")
    qitai = ledger.unit(QITAI, "县市环保局")
    ledger.unit(MANAS, "县市环保局")
    items = [ledger.item(changji, date(YEAR, 3, 4), title=ADOPTED), ledger.item(changji, date(YEAR, 3, 4), title="扶贫")]
    items += ledger.items_for(changji, date(YEAR, 3, 5), 6)  # 8 items, one on 扶贫: both minimums met
    ledger.adopt(items[0], "州党委政府信息刊物", date(YEAR, 3, 10), proof_on=date(YEAR, 3, 20))  # 15
    ledger.endorse(items[0], "州", date(YEAR, 3, 20))  # +15
    ledger.adjustments.append(AdjustmentRecord(changji.id, date(YEAR, 3, 9), None, -10.0, None, "迟报"))  # −10
    late = ledger.item(fukang, date(YEAR, 3, 3), title=LATE)
    ledger.item(fukang, date(YEAR, 3, 3))
    ledger.adopt(late, "州局微信平台", date(YEAR, 3, 5), proof_on=date(YEAR, 3, 28))  # proof after the 25th: 0
    ledger.item(qitai, date(YEAR, 3, 6), accepted=False)  # sent, rejected: not silent, 0 submitted
    return compute_month(ruleset("A"), ledger.books(), YEAR, 3)


@pytest.fixture(scope="module")
def files(march: MonthReport, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("complete")
    written = write_month_reports(march, out, ("docx", "xlsx"), ISSUED, issue="7", doc_number="昌环办〔2026〕12号")
    return {path.suffix: path for path in written if path.suffix != ".png"}


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def word_rows(path: Path, table: int = 0) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in Document(str(path)).tables[table].rows]


def sheet_rows(path: Path, name: str) -> list[tuple]:
    return list(load_workbook(path)[name].iter_rows(values_only=True))


def by_unit(header: list | tuple, rows: list) -> dict[str, dict]:
    return {row[header.index("单位")]: dict(zip(header, row)) for row in rows}


# ---------------------------------------------------------------- 批示 and 加减分 columns, 合计


def test_word_shows_endorsement_and_adjustment_apart_from_the_adoption_points(files: dict[str, Path]) -> None:
    _top, header, *rows = word_rows(files[".docx"])
    changji = by_unit(header, rows)[CHANGJI]
    # 政务: adoption 15, 州领导批示 15, adjustment −10: the month's 20 = 15 + 15 − 10; gap 300 − 20 = 280
    assert (changji["批示得分"], changji["加减分"]) == ("15", "-10")
    assert [cell for cell in rows[0][-6:]] == ["15", "20", "280", "0", "0", "100"]


def test_word_class_table_ends_with_a_total_row(files: dict[str, Path]) -> None:
    _top, header, *rows = word_rows(files[".docx"])
    total = dict(zip(header, rows[-1]))
    # 8 + 2 + 0 + 0 政务 items; one counted adoption (州级刊物); the late WeChat adoption is not counted
    assert (total["单位"], total["名次"], total["州级刊物"], total["微信平台"]) == ("合计", "", "1", "0")
    assert (total["报送数量（政务/新闻）"], total["批示得分"], total["加减分"]) == ("10/0", "15", "-10")
    assert rows[-1][-6:] == ["15", "20", "", "0", "0", ""]


def test_excel_group_sheet_has_the_new_columns_and_a_total_row(files: dict[str, Path]) -> None:
    header, *rows = sheet_rows(files[".xlsx"], "政务信息")
    changji, total = by_unit(header, rows)[CHANGJI], dict(zip(header, rows[-1]))
    assert (changji["批示得分"], changji["加减分"], changji["本月采用得分"], changji["全年累计得分"]) == (15, -10, 15, 20)
    assert (total["单位"], total["州级刊物"], total["政务信息报送数量"], total["批示得分"], total["加减分"]) == ("合计", 1, 10, 15, -10)
    assert (total["本月采用得分"], total["全年累计得分"], total["与总任务差额分值"]) == (15, 20, None)


# ---------------------------------------------------------------- 信息采用条目


def test_word_lists_the_adopted_items_with_outlet_and_points(files: dict[str, Path]) -> None:
    assert word_rows(files[".docx"], table=1) == [
        list(ITEM_COLUMNS),
        ["1", CHANGJI, ADOPTED, "州党委政府信息刊物", "州领导批示", "30"],  # 15 + 15; the late one is absent
    ]


def test_excel_lists_the_adopted_items_on_their_own_sheet(files: dict[str, Path]) -> None:
    assert sheet_rows(files[".xlsx"], "信息采用条目") == [
        ITEM_COLUMNS,
        (1, CHANGJI, ADOPTED, "州党委政府信息刊物", "州领导批示", 30),
    ]


# ---------------------------------------------------------------- 通报表扬 and 通报批评

CRITICISM = [
    # ranked 2nd (0 points) in name order after 昌吉市 (20): 奇台县, 玛纳斯县, 阜康市
    (QITAI, "每月报送政务信息（2026年3月）0条，应不少于8条，差8条"),
    (QITAI, "每月报送扶贫信息（2026年3月）0条，应不少于1条，差1条"),
    (MANAS, "每月报送政务信息（2026年3月）0条，应不少于8条，差8条"),
    (MANAS, "每月报送扶贫信息（2026年3月）0条，应不少于1条，差1条"),
    (FUKANG, "每月报送政务信息（2026年3月）2条，应不少于8条，差6条"),
    (FUKANG, f"信息《{LATE}》3月5日被州局微信平台采用，刊发证明3月28日才报送（应于3月25日前报送），不予计分"),
]
PRAISE = [(CHANGJI, "本月得分20分，居各单位前列"), (CHANGJI, f"信息《{ADOPTED}》获州领导批示")]


def test_word_criticises_units_short_of_their_minimum_and_late_proof(files: dict[str, Path]) -> None:
    text = paragraphs(files[".docx"])
    start = text.index("三、通报批评")
    assert text[start + 1] == "以下单位未完成报送任务或刊发证明逾期，予以通报批评："
    assert text[start + 2:start + 8] == [f"{n}. {unit}：{reason}。" for n, (unit, reason) in enumerate(CRITICISM, 1)]
    assert text[start + 8] == "四、各单位信息报送采用情况"


def test_word_praise_section_names_the_best_unit_and_the_endorsed_item(files: dict[str, Path]) -> None:
    text = paragraphs(files[".docx"])
    start = text.index("二、通报表扬")
    assert text[start + 2:start + 4] == [f"{n}. {unit}：{reason}。" for n, (unit, reason) in enumerate(PRAISE, 1)]
    assert text[start + 4] == "三、通报批评"


def test_excel_lists_praise_and_criticism(files: dict[str, Path]) -> None:
    header, *rows = sheet_rows(files[".xlsx"], "表扬与批评")
    assert header == ("类型", "单位", "事由")
    assert rows == [("表扬", *entry) for entry in PRAISE] + [("批评", *entry) for entry in CRITICISM]


def test_a_unit_whose_mail_was_rejected_is_not_listed_as_sending_nothing(files: dict[str, Path]) -> None:
    assert "本月未报送信息的单位（1个）：玛纳斯县环境保护局。" in paragraphs(files[".docx"])


# ---------------------------------------------------------------- masthead


def test_masthead_carries_the_issue_number_document_number_and_date_given(files: dict[str, Path]) -> None:
    assert paragraphs(files[".docx"])[1:4] == [
        f"（{YEAR}年第7期）", "昌环办〔2026〕12号", f"昌吉州生态环境局办公室　　　　　　　　　　{YEAR}年4月3日"
    ]


# ---------------------------------------------------------------- the quarter


@pytest.fixture(scope="module")
def quarter(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    rules = ruleset("B")
    ledger = Ledger()
    unit = ledger.unit("税务局", "四类信息网点")
    for month, how_many in ((1, 4), (2, 3), (3, 3)):
        items = ledger.items_for(unit, date(YEAR, month, 5), how_many)
    for item in items[:2]:
        ledger.adopt(item, "区政府刊物", date(YEAR, 3, 10))
    ledger.items_for(unit, date(YEAR - 1, 1, 5), 4)  # last year's first quarter
    books = ledger.books()
    report = compute_month(rules, books, YEAR, 3, first_month=1)
    report = report.with_last_year(compute_month(rules, books, YEAR - 1, 3, first_month=1))
    out = tmp_path_factory.mktemp("quarter")
    return {path.suffix: path for path in write_month_reports(report, out, ("docx", "xlsx"), ISSUED) if path.suffix != ".png"}


def test_quarterly_word_report_adds_up_the_quarter_and_compares_it_with_last_year(quarter: dict[str, Path]) -> None:
    # 2026 Q1: 10 items reported (100), 2 adopted by the district (+20); short 5 reported (−50), 2 adopted (−40): 30.
    # 2025 Q1: 4 items (40); short 11 reported (−110) and 4 adopted (−80): −150. Change: 30 − (−150) = 180.
    assert quarter[".docx"].name.endswith(f"{YEAR}年第1季度.docx")
    text = paragraphs(quarter[".docx"])
    assert text[1] == f"（{YEAR}年第1季度）"
    _top, header, unit, _total = word_rows(quarter[".docx"])
    row = dict(zip(header, unit))
    assert (row["报送数量"], row["批示得分"], row["加减分"], row["本期采用得分"]) == ("10", "0", "-90", "120")
    assert word_rows(quarter[".docx"], table=2) == [list(COMPARISON_COLUMNS), ["税务局", "10", "4", "2", "0", "30", "-150", "180"]]
    assert "2. 税务局：季度采用信息（2026年第1季度）2条，应不少于4条，差2条，扣40分。" in text


def test_quarterly_excel_report_has_the_comparison_sheet(quarter: dict[str, Path]) -> None:
    assert sheet_rows(quarter[".xlsx"], "与去年同期比较") == [COMPARISON_COLUMNS, ("税务局", 10, 4, 2, 0, 30, -150, 180)]
