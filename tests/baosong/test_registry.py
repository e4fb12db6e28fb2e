"""The unit registry: imported from the clerks' CSV or Excel sheet, re-import updates, never duplicates."""

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from baosong.cli import main
from baosong.db import transaction
from baosong.registry import RegistryError, import_units, read_sheet, unit_refs

SHEET = "单位名称,别名,类别,邮箱\n奇台县环境保护局,奇台县环保局；奇台环保,县市环保局,qitai@example.cn;QT2@example.cn\n"


def test_csv_with_chinese_separators(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(SHEET, encoding="utf-8-sig")
    (row,) = read_sheet(path)
    assert row.aliases == ("奇台县环保局", "奇台环保") and row.emails == ("qitai@example.cn", "qt2@example.cn")


def test_gb18030_csv_as_excel_saves_it(tmp_path):
    path = tmp_path / "units.csv"
    path.write_bytes(SHEET.encode("gb18030"))
    assert read_sheet(path)[0].name == "奇台县环境保护局"


def test_xlsx_sheet(tmp_path):
    book = Workbook()
    book.active.append(["单位名称", "别名", "类别", "邮箱"])
    book.active.append(["阜康市环境保护局", None, "县市环保局", "fukang@example.cn"])
    path = tmp_path / "units.xlsx"
    book.save(path)
    assert read_sheet(path)[0].emails == ("fukang@example.cn",)


def test_missing_column_is_a_clear_error(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("名称,邮箱\n甲,a@example.cn\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="缺少列"):
        read_sheet(path)


def test_bad_address_names_the_row(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("单位名称,别名,类别,邮箱\n甲单位,,类,not-an-address\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="第 2 行"):
        read_sheet(path)


def test_reimport_updates_and_never_duplicates(sessions, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(SHEET, encoding="utf-8")
    with transaction(sessions) as session:
        assert import_units(session, read_sheet(path)).added == 1
    path.write_text(SHEET.replace("县市环保局", "县级单位"), encoding="utf-8")
    with transaction(sessions) as session:
        result = import_units(session, read_sheet(path))
    with sessions() as session:
        units = unit_refs(session)
    assert (result.added, result.updated) == (0, 1)
    assert len(units) == 1 and units[0].category == "县级单位"


def test_units_commands(tmp_path, database_url):
    path = tmp_path / "units.csv"
    path.write_text(SHEET, encoding="utf-8")
    env = {"BAOSONG_PATHS_DATA": str(tmp_path / "data"), "BAOSONG_DATABASE_URL": database_url}
    runner = CliRunner()
    config = ["--config", str(tmp_path / "none.toml")]
    assert "新增 1 个单位" in runner.invoke(main, [*config, "units", "import", str(path)], env=env).output
    assert "新增 0 个单位" in runner.invoke(main, [*config, "units", "import", str(path)], env=env).output
    listed = runner.invoke(main, [*config, "units", "list", "--json"], env=env).output.splitlines()
    assert len(listed) == 1 and "奇台县环境保护局" in listed[0]
