"""`baosong books correct|delete` and `baosong adjust --force` on a real database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from baosong.cli import main
from tests.scoring.conftest import utc
from tests.scoring.test_cli_books import config_file  # noqa: F401 - the fixture


def _run(config_file: Path, *args: str):  # noqa: ANN202
    return CliRunner().invoke(main, ["--config", str(config_file), *args], catch_exceptions=False)


@pytest.fixture
def adoption(config_file: Path, add_unit, add_item) -> int:  # noqa: ANN001, F811
    unit = add_unit("昌吉市环境保护局", "县市环保局", ("昌吉市环保局",))
    item = add_item(unit, utc(2026, 3, 2))
    result = _run(config_file, "adopt", str(item), "--outlet", "州党委政府信息刊物", "--date", "2026-03-05",
                  "--proof-date", "2026-03-05", "--json")
    return json.loads(result.output)["adoption"]


def _march(config_file: Path, tmp_path: Path) -> float:  # noqa: F811
    result = _run(config_file, "report", "--month", "2026-03", "--format", "xlsx", "--out", str(tmp_path / "o"), "--json")
    return json.loads(result.output)["units"][0]["scores"]["政务"]["month"]


def test_books_correct_changes_the_outlet_and_the_month_follows(config_file, adoption, tmp_path):  # noqa: F811
    result = _run(config_file, "books", "correct", "adoption", str(adoption), "--outlet", "州局微信平台",
                  "--reason", "刊物登记错误")
    assert result.exit_code == 0 and "已更正采用记录" in result.output and _march(config_file, tmp_path) == 5


def test_books_correct_to_a_late_proof_date_warns_that_it_will_not_score(config_file, add_unit, add_item):  # noqa: F811, ANN001
    item = add_item(add_unit("玛纳斯县环境保护局", "县市环保局"), utc(2026, 11, 2))
    adopted = _run(config_file, "adopt", str(item), "--outlet", "州局微信平台", "--date", "2026-11-10",
                   "--proof-date", "2026-11-20", "--json")
    adoption = json.loads(adopted.output)["adoption"]
    result = _run(config_file, "books", "correct", "adoption", str(adoption), "--proof-date", "2026-11-28",
                  "--reason", "证明日期录错")
    assert result.exit_code == 0 and "已更正采用记录" in result.output
    assert "刊发证明 2026-11-28 才收到，晚于报送期限 2026-11-25（每月25日前），按规则这条采用不计分" in result.output


def test_books_delete_takes_the_adoption_off_the_books(config_file, adoption, tmp_path):  # noqa: F811
    result = _run(config_file, "books", "delete", "adoption", str(adoption), "--reason", "登记错了条目")
    assert result.exit_code == 0 and "已删除采用记录" in result.output and _march(config_file, tmp_path) == 0


def test_books_correct_refuses_an_option_the_entry_has_not(config_file, adoption):  # noqa: F811
    result = _run(config_file, "books", "correct", "adoption", str(adoption), "--level", "州", "--reason", "x")
    assert result.exit_code == 2 and "采用记录没有 --level 这一项" in result.output


def test_books_correct_of_a_twenty_digit_id_says_not_found(config_file, adoption):  # noqa: F811
    result = _run(config_file, "books", "correct", "adoption", "9" * 20, "--outlet", "州局微信平台", "--reason", "x")
    assert result.exit_code == 1 and f"找不到编号为 {'9' * 20} 的采用记录" in result.output


def test_adjust_twice_the_same_day_is_refused_without_force(config_file, add_unit):  # noqa: F811, ANN001
    add_unit("阜康市环境保护局", "县市环保局")
    args = ("adjust", "阜康市环境保护局", "--points", "-30", "--reason", "重要信息迟报", "--date", "2026-03-10")
    first, second, forced = _run(config_file, *args), _run(config_file, *args), _run(config_file, *args, "--force")
    assert first.exit_code == 0 and second.exit_code == 1 and "相同的加减分" in second.output
    assert forced.exit_code == 0 and "已登记" in forced.output


@pytest.mark.parametrize("points", ["inf", "nan", "99999999999999999999"])
def test_adjust_refuses_points_no_office_could_mean(config_file, add_unit, points):  # noqa: F811, ANN001
    add_unit("阜康市环境保护局", "县市环保局")
    result = CliRunner().invoke(main, ["--config", str(config_file), "adjust", "阜康市环境保护局", f"--points={points}",
                                       "--reason", "重要信息迟报"])
    assert result.exit_code == 1 and "分值应在 -10000 到 10000 之间" in result.output


def test_books_adoptions_names_the_rows_whose_proof_came_too_late_to_score(config_file, add_unit, add_item, tmp_path):  # noqa: F811, ANN001
    from openpyxl import Workbook

    add_item(add_unit("玛纳斯县环境保护局", "县市环保局"), utc(2026, 11, 2), title="玛纳斯县开展河湖巡查")
    book = Workbook()
    book.active.append(("标题", "刊物", "采用日期", "证明日期"))
    book.active.append(("玛纳斯县开展河湖巡查", "州局微信平台", "2026-11-10", "2026-11-28"))
    book.save(tmp_path / "十一月采用.xlsx")
    done = _run(config_file, "books", "adoptions", str(tmp_path / "十一月采用.xlsx"))
    assert done.exit_code == 0 and "已从 十一月采用.xlsx 登记 1 条采用。" in done.output
    assert "（州局微信平台）：注意：刊发证明 2026-11-28 才收到，晚于报送期限 2026-11-25" in done.output


def test_books_adoptions_records_a_sheet(config_file, add_unit, add_item, tmp_path):  # noqa: F811, ANN001
    from openpyxl import Workbook

    add_item(add_unit("玛纳斯县环境保护局", "县市环保局"), utc(2026, 3, 2), title="玛纳斯县开展河湖巡查")
    book = Workbook()
    book.active.append(("标题", "刊物", "采用日期", "证明日期"))
    book.active.append(("玛纳斯县开展河湖巡查", "州局微信平台", "2026-03-05", "2026-03-06"))
    book.active.append(("玛纳斯县开展河湖巡查", "州党委政府信息刊物", "2026-03-01", ""))
    book.save(tmp_path / "三月采用.xlsx")
    refused = _run(config_file, "books", "adoptions", str(tmp_path / "三月采用.xlsx"))
    assert refused.exit_code == 1 and "第 3 行：采用日期（2026-03-01）早于信息" in refused.output
    book.active.delete_rows(3)
    book.save(tmp_path / "三月采用.xlsx")
    done = _run(config_file, "books", "adoptions", str(tmp_path / "三月采用.xlsx"), "--json")
    assert done.exit_code == 0 and len(json.loads(done.output)["adoptions"]) == 1
