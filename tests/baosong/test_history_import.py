"""`baosong books import`: an office's existing 台账 (items, adoptions, endorsements) brought in whole or not at all.

Figures are organisation A's (config/orgs/A/scoring.toml, from its 2019 考核办法): 州党委政府信息刊物 15,
州局微信平台 5 (+15 "被自治区级别采用"), 自治区生态环境厅网站 10, 州局工作简报 5, 州级新闻媒体 20 (新闻信息),
州领导批示 +15; "一稿多用的，按照“就高不就低”原则积分"; each point goes to the month of its adoption or endorsement.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from baosong.app import open_app
from baosong.cli import main
from baosong.models import Adoption, AuditEntry, Endorsement, Item
from baosong.settings import Settings
from tests.intake.imap_helpers import submission

CHANGJI = "昌吉市环境保护局"  # sends by mail (tests.intake.imap_helpers.UNIT_SENDER)
FUKANG = "阜康市环境保护局"
SECTION = "昌吉州生态环境局法规科"
JANUARY = "from mx.example.cn by imap.example.cn; Tue, 20 Jan 2026 10:05:00 +0800"
FEBRUARY = "from mx.example.cn by imap.example.cn; Tue, 03 Feb 2026 09:30:00 +0800"
ITEM_HEADER = ("编号", "日期", "单位", "标题", "类别", "撰稿人")
ADOPTION_HEADER = ("信息", "刊物", "采用日期", "证明日期")
ENDORSEMENT_HEADER = ("信息", "批示级别", "批示日期", "批示领导")


@pytest.fixture
def config_file(settings: Settings, tmp_path: Path) -> Path:
    path = tmp_path / "baosong.toml"
    path.write_text(
        f'[paths]\ndata = "{settings.paths.data}"\n[database]\nurl = "{settings.database_url}"\n[rules]\norganisation = "A"\n',
        encoding="utf-8",
    )
    return path


def run(config_file: Path, *args: str):  # noqa: ANN201
    return CliRunner().invoke(main, ["--config", str(config_file), *args])


def ledger_sheet(path: Path, items=(), adoptions=(), endorsements=()) -> Path:  # noqa: ANN001
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, header, rows in (("信息", ITEM_HEADER, items), ("采用", ADOPTION_HEADER, adoptions),
                               ("批示", ENDORSEMENT_HEADER, endorsements)):
        sheet = workbook.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def counts(settings: Settings) -> tuple[int, int, int]:
    app = open_app(settings)
    with app.sessions() as session:
        found = tuple(session.scalar(select(func.count()).select_from(model)) or 0 for model in (Item, Adoption, Endorsement))
    app.close()
    return found


def mailed_receipts(config_file: Path, tmp_path: Path) -> list[str]:
    """January's and February's mail from 昌吉市环境保护局, dated by their Received headers."""
    folder = tmp_path / "历史邮件"
    folder.mkdir()
    for number, stamp in ((1, JANUARY), (2, FEBRUARY)):
        (folder / f"{number}.eml").write_bytes(b"Received: " + stamp.encode() + b"\r\n" + submission(number))
    result = run(config_file, "import", str(folder), "--json")
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["verdict"] for line in lines] == ["accepted", "accepted"], result.output
    return [line["receipt"] for line in lines]


def history(tmp_path: Path, first: str, second: str) -> Path:
    return ledger_sheet(
        tmp_path / "台账.xlsx",
        items=[
            (1, date(2026, 1, 8), FUKANG, "阜康市环境保护局1月8日开展冬季燃煤锅炉专项检查", "动态", "张丽"),
            (2, "2026-01-15", "州局法规科", "昌吉州生态环境局法规科1月15日开展普法宣传", "", ""),
            (3, "2026年2月10日", FUKANG, "阜康市环境保护局2月10日举办环保开放日", "新闻", "张丽"),
        ],
        adoptions=[
            (first, "昌吉信息", date(2026, 1, 22), date(2026, 1, 24)),  # 州党委政府信息刊物 15, January
            (1, "州局微信平台", date(2026, 1, 10), None),  # 5, January
            (1, "自治区生态环境厅网站", date(2026, 2, 5), None),  # WeChat 5 + 15 = 20 > 10: February adds 15
            (2, "州局工作简报", date(2026, 1, 20), None),  # 5, January
            (second, "昌吉日报", date(2026, 2, 12), date(2026, 2, 20)),  # 州级新闻媒体 20 (新闻), February
        ],
        endorsements=[(2, "州领导批示", date(2026, 2, 3), "李某")],  # +15, February
    )


def month_rows(config_file: Path, tmp_path: Path, month: str) -> dict[str, dict]:
    result = run(config_file, "report", "--month", month, "--format", "xlsx", "--out", str(tmp_path / "reports"), "--json")
    assert result.exit_code == 0, result.output
    return {row["unit"]: row for row in json.loads(result.output)["units"]}


def figures(row: dict) -> tuple:
    return (row["submitted"], row["adopted"], row["scores"]["政务"]["month"], row["scores"]["政务"]["year_to_date"],
            row["scores"]["新闻"]["month"])


def test_a_two_month_history_of_mail_and_ledger_gives_the_months_figures(config_file: Path, tmp_path: Path) -> None:
    first, second = mailed_receipts(config_file, tmp_path)
    result = run(config_file, "books", "import", str(history(tmp_path, first, second)))
    assert result.exit_code == 0, result.output

    january = month_rows(config_file, tmp_path, "2026-01")
    # (报送, 采用, 政务本月, 政务全年累计, 新闻本月)
    assert figures(january[CHANGJI]) == (1, 1, 15, 15, 0)  # mail of 20 Jan, 州党委政府信息刊物 15
    assert figures(january[FUKANG]) == (1, 1, 5, 5, 0)  # 台账 item of 8 Jan, WeChat 5
    assert figures(january[SECTION]) == (1, 1, 5, 5, 0)  # 工作简报 5
    february = month_rows(config_file, tmp_path, "2026-02")
    assert figures(february[CHANGJI]) == (1, 1, 0, 15, 20)  # mail of 3 Feb, 昌吉日报 20 新闻
    assert figures(february[FUKANG]) == (1, 0, 15, 20, 0)  # 编号3 (新闻), no adoption; 编号1 climbs 5 → 20
    assert figures(february[SECTION]) == (0, 0, 15, 20, 0)  # 州领导批示 +15
    assert february[FUKANG]["submitted_by_group"] == {"政务": 0, "新闻": 1}


def test_the_january_excel_report_shows_the_imported_adoptions_per_outlet(config_file: Path, tmp_path: Path) -> None:
    first, second = mailed_receipts(config_file, tmp_path)
    run(config_file, "books", "import", str(history(tmp_path, first, second)))
    month_rows(config_file, tmp_path, "2026-01")
    sheet = load_workbook(next((tmp_path / "reports").glob("*2026年01月.xlsx")))["政务信息"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    fukang = dict(zip(header, next(row for row in rows if row[2] == FUKANG)))
    assert (fukang["微信平台"], fukang["自治区厅网站"], fukang["本月采用得分"]) == (1, 0, 5)


def test_importing_the_same_ledger_again_adds_nothing(config_file: Path, settings: Settings, tmp_path: Path) -> None:
    first, second = mailed_receipts(config_file, tmp_path)
    path = history(tmp_path, first, second)
    run(config_file, "books", "import", str(path))

    again = json.loads(run(config_file, "books", "import", str(path), "--json").output)

    assert (again["items"], again["items_skipped"], again["adoptions"], again["endorsements"], again["skipped"]) == ([], 3, 0, 0, 6)
    assert counts(settings) == (5, 5, 1)


def test_every_bad_row_is_listed_by_sheet_and_row_and_nothing_is_imported(config_file: Path, settings: Settings, tmp_path: Path) -> None:
    path = ledger_sheet(
        tmp_path / "台账.xlsx",
        items=[
            (1, date(2026, 1, 8), FUKANG, "阜康市环境保护局1月8日开展冬季燃煤锅炉专项检查", "", ""),
            (2, "1月15日", "不存在局", "", "", ""),
            (1, date(2026, 1, 9), FUKANG, "另一条", "", ""),
        ],
        adoptions=[(1, "人民日报海外版", date(2026, 1, 10), None), (7, "昌吉信息", "下周", None)],
        endorsements=[(1, "州", None, "")],
    )

    result = run(config_file, "books", "import", str(path))

    assert result.exit_code == 1
    assert "「信息」表第 3 行：日期「1月15日」无法识别（请写成 2026-03-05）；单位「不存在局」不在单位名录中；缺少标题" in result.output
    assert "「信息」表第 4 行：编号「1」与第 2 行重复" in result.output
    assert "「采用」表第 3 行：采用日期「下周」无法识别" in result.output
    assert "「批示」表第 2 行：缺少批示日期" in result.output
    assert counts(settings) == (0, 0, 0)


def test_an_adoption_dated_before_its_item_refuses_the_whole_ledger(config_file: Path, settings: Settings, tmp_path: Path) -> None:
    path = ledger_sheet(
        tmp_path / "台账.xlsx",
        items=[(1, date(2026, 1, 8), FUKANG, "阜康市环境保护局1月8日开展冬季燃煤锅炉专项检查", "", "")],
        adoptions=[(1, "州局微信平台", date(2026, 1, 7), None), (1, "人民日报海外版", date(2026, 1, 9), None)],
    )

    result = run(config_file, "books", "import", str(path), "--json")

    problems = json.loads(result.output)["problems"]
    assert result.exit_code == 1
    assert problems[0].startswith("「采用」表第 2 行：采用日期（2026-01-07）早于信息") and "收到日期（2026-01-08）" in problems[0]
    assert problems[1].startswith("「采用」表第 3 行：规则集中没有刊物「人民日报海外版」")
    assert counts(settings) == (0, 0, 0)  # the item written before the refusal is rolled back too


def test_a_file_that_is_not_a_workbook_is_refused_in_chinese(config_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0 an old .xls saved under a new name")

    result = run(config_file, "books", "import", str(path))

    assert result.exit_code == 1 and "台账.xlsx 不是可以读取的 Excel 文件，请用 Excel 或 WPS 另存为 .xlsx 后再导入" in result.output


def test_imported_items_are_audited_as_a_ledger_import(config_file: Path, settings: Settings, tmp_path: Path) -> None:
    path = ledger_sheet(tmp_path / "台账.xlsx", items=[(1, date(2026, 1, 8), FUKANG, "阜康市环境保护局开展检查", "", "")])
    run(config_file, "books", "import", str(path))
    app = open_app(settings)
    with app.sessions() as session:
        audit = session.scalar(select(AuditEntry).where(AuditEntry.action == "import_ledger"))
        assert audit.details == {"file": "台账.xlsx", "row": 2}
    app.close()


def test_template_writes_the_three_sheets_with_their_headers(config_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "台账模板.xlsx"

    result = run(config_file, "books", "import", str(path), "--template")

    assert result.exit_code == 0, result.output
    workbook = load_workbook(path)
    headers = {name: [cell.value for cell in workbook[name][1]] for name in workbook.sheetnames}
    assert headers == {"信息": list(ITEM_HEADER), "采用": list(ADOPTION_HEADER), "批示": list(ENDORSEMENT_HEADER)}
    assert workbook["信息"].max_row == 1


def test_a_filled_template_imports(config_file: Path, settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "台账模板.xlsx"
    run(config_file, "books", "import", str(path), "--template")
    workbook = load_workbook(path)
    workbook["信息"].append((1, "2026-01-08", FUKANG, "阜康市环境保护局开展检查", "", ""))
    workbook["采用"].append((1, "州局微信平台", "2026-01-10", ""))
    workbook.save(path)

    assert run(config_file, "books", "import", str(path)).exit_code == 0
    assert counts(settings) == (1, 1, 0)
