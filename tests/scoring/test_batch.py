"""A month's adoptions from one sheet: every row checked first, errors listed by row, nothing half-recorded."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from baosong.db import transaction
from baosong.models import Adoption
from scoring.batch import BatchError, read_rows, record_batch
from tests.scoring.builders import ruleset
from tests.scoring.conftest import utc

A = ruleset("A")
HEADER = ("收件编号", "标题", "刊物", "采用日期", "证明日期", "备注")


@pytest.fixture
def items(add_unit, add_item) -> dict[str, int]:  # noqa: ANN001
    unit = add_unit("奇台县环境保护局", "县市环保局")
    return {
        "first": add_item(unit, utc(2026, 3, 2), title="奇台县开展春季大气污染防治专项检查"),
        "second": add_item(unit, utc(2026, 3, 3), title="奇台县召开生态环境保护工作会议"),
    }


def sheet(tmp_path: Path, *rows: tuple) -> Path:
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    path = tmp_path / "三月采用.xlsx"
    book.save(path)
    return path


def _count(sessions) -> int:  # noqa: ANN001
    with sessions() as session:
        return session.scalar(select(func.count(Adoption.id)))


def test_a_sheet_records_rows_named_by_receipt_or_by_title(sessions, items, tmp_path):
    path = sheet(tmp_path, ("T-00001", "", "州党委政府信息刊物", date(2026, 3, 10), date(2026, 3, 12), ""),
                 ("", "奇台县召开生态环境保护工作会议", "州局微信平台", "2026-03-11", "", "截图已收"))
    with transaction(sessions) as session:
        recorded = record_batch(session, A, read_rows(path), actor="wang", source=path.name)
    assert [(a.item_id, a.outlet) for a in recorded] == [(items["first"], "州党委政府信息刊物"), (items["second"], "州局微信平台")]


def test_every_bad_row_is_listed_and_nothing_is_recorded(sessions, items, tmp_path):
    path = sheet(tmp_path, ("T-00001", "", "州党委政府信息刊物", "2026-03-10", "", ""),
                 ("T-09999", "", "州局微信平台", "2026-03-10", "", ""),
                 ("T-00002", "", "人民日报海外版", "三月十日", "", ""))
    with sessions() as session, pytest.raises(BatchError) as refused:
        record_batch(session, A, read_rows(path), actor="wang", source=path.name)
        session.commit()
    assert refused.value.problems == {
        3: ["找不到信息「T-09999」"],
        4: ["规则集中没有刊物「人民日报海外版」", "采用日期「三月十日」无法识别（请写成 2026-03-05）"],
    }
    assert _count(sessions) == 0


def test_an_adoption_dated_before_its_item_is_refused_by_row(sessions, items, tmp_path):
    path = sheet(tmp_path, ("T-00001", "", "州党委政府信息刊物", "2026-02-20", "", ""))
    with sessions() as session, pytest.raises(BatchError, match="第 2 行：采用日期（2026-02-20）早于信息"):
        record_batch(session, A, read_rows(path), actor="wang", source=path.name)


def test_the_same_item_and_outlet_twice_in_one_sheet_is_refused(sessions, items, tmp_path):
    row = ("T-00001", "", "州党委政府信息刊物", "2026-03-10", "", "")
    with sessions() as session, pytest.raises(BatchError, match="第 3 行：与第 2 行重复"):
        record_batch(session, A, read_rows(sheet(tmp_path, row, row)), actor="wang", source="x.xlsx")


def test_a_sheet_without_the_outlet_column_says_which_columns_it_needs(tmp_path):
    book = Workbook()
    book.active.append(("收件编号", "采用日期"))
    book.save(tmp_path / "缺列.xlsx")
    with pytest.raises(BatchError, match="表头缺少列：刊物"):
        read_rows(tmp_path / "缺列.xlsx")
