"""A 台账 brought in with `baosong books import` shows on the 操作记录 page in Chinese, row by row."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook

from baosong.db import transaction
from baosong.history_import import import_history
from tests.scoring.builders import ruleset


def test_the_audit_page_names_a_ledger_import_and_its_sheet_row(clerk, sessions, units, tmp_path: Path):
    workbook = Workbook()
    workbook.active.title = "信息"
    workbook.active.append(("编号", "日期", "单位", "标题", "类别"))
    workbook.active.append((1, date(2026, 1, 8), "阜康市环境保护局", "阜康市环境保护局1月8日开展冬季燃煤锅炉专项检查", ""))
    workbook.save(tmp_path / "台账.xlsx")
    with transaction(sessions) as session:
        import_history(session, tmp_path / "台账.xlsx", ruleset("A"), receipt_prefix="CJHB", actor="cli:wang")

    html = clerk.get("/audit").text

    assert "原有台账导入" in html and "台账.xlsx 第 2 行" in html
