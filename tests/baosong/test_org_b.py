"""Organisation B (district government office, 2023 revised rules): a books organisation. Its
units submit through the district OA platform ("必须通过昆区人民政府OA协同办公平台信息报送模块报送
信息，其他途径一律无效"), so items come from the OA export and mail intake is off unless switched on;
the rules set no template, photo or wording requirements. Rows quote the rules, give the input and
the verdict or points computed by hand."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from sqlalchemy import func, select

from baosong import BUNDLED_CONFIG
from baosong.app import open_app
from baosong.cli import main
from baosong.models import AuditEntry, Item
from baosong.organisation import load_organisation
from baosong.settings import Settings
from scoring.compute import AdjustmentRecord, compute_month
from scoring.data import load_books
from intake.scheduler import build_scheduler
from scoring.ruleset import load_ruleset
from tests.baosong.orgcases import SMALL_PHOTO, Sent, codes
from tests.scoring.builders import YEAR, Ledger, row_of

B_RULES = load_ruleset(BUNDLED_CONFIG, "B")
HEADER = ("日期", "单位", "标题", "类别")


def test_mail_intake_is_off_unless_switched_on():
    assert load_organisation(BUNDLED_CONFIG, "B").checks.mail_intake is False


def test_switched_on_mail_is_judged_by_no_template_rule():
    # "五、报送方式" names only the OA platform: no 审核领导, 手机号, 1 MB photos or vague-word rules
    sent = Sent("unit01@b.example.cn", "发改委", "区发改委推进重点项目建设", ("我委近日推进重点项目建设。",),
                photos=(("IMG_0001.jpg", SMALL_PHOTO),), filename="信息.docx")
    judgement = sent.judge("B")
    assert (str(judgement.verdict), codes(judgement)) == ("accepted", set())


@pytest.fixture
def config_file(settings: Settings, tmp_path: Path) -> Path:
    path = tmp_path / "baosong.toml"
    path.write_text(
        f'[paths]\ndata = "{settings.paths.data}"\n[database]\nurl = "{settings.database_url}"\n'
        '[rules]\norganisation = "B"\n',
        encoding="utf-8",
    )
    return path


def run(config_file: Path, *args: str):  # noqa: ANN201
    return CliRunner().invoke(main, ["--config", str(config_file), *args], catch_exceptions=False)


def export(tmp_path: Path, rows: list[tuple], name: str = "OA导出.xlsx") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def test_poll_is_refused_while_mail_intake_is_off(config_file: Path):
    config_file.write_text(config_file.read_text(encoding="utf-8") + '[mailbox]\nhost = "127.0.0.1"\nuser = "x"\n', encoding="utf-8")
    result = run(config_file, "poll", "--once")
    assert result.exit_code == 1 and "import-oa" in result.output


GOOD = [
    (date(2026, 2, 3), "发改委", "区发改委推进重点项目建设", "动态"),
    (date(2026, 2, 5), "工信局", "关于中小企业融资难的调研报告", "专报"),
    ("2026/2/9", "昆河镇", "昆河镇开展冬季供暖安全检查", ""),
]


def test_an_oa_export_is_imported_as_accepted_items_with_their_categories(config_file: Path, tmp_path: Path, sessions):
    result = run(config_file, "items", "import-oa", str(export(tmp_path, GOOD)), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["added"] == ["KDQ-2026-00001", "KDQ-2026-00002", "KDQ-2026-00003"]
    with sessions() as session:
        rows = session.execute(select(Item.verdict, Item.category, Item.title).order_by(Item.id)).all()
        audited = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "import_oa"))
    assert [tuple(row) for row in rows] == [
        ("accepted", "动态", "区发改委推进重点项目建设"),
        ("accepted", "专报", "关于中小企业融资难的调研报告"),
        ("accepted", "动态", "昆河镇开展冬季供暖安全检查"),
    ]
    assert audited == 3


def test_a_row_with_no_category_takes_the_tag_in_its_title(config_file: Path, tmp_path: Path, sessions):
    rows = [(date(2026, 2, 5), "卫健委", "【专报】区卫健委推进医共体建设的经验做法", "")]
    assert run(config_file, "items", "import-oa", str(export(tmp_path, rows))).exit_code == 0
    with sessions() as session:
        assert session.scalar(select(Item.category)) == "专报"


def test_reimporting_the_same_export_adds_nothing(config_file: Path, tmp_path: Path):
    path = export(tmp_path, GOOD)
    run(config_file, "items", "import-oa", str(path))
    again = json.loads(run(config_file, "items", "import-oa", str(path), "--json").output)
    assert (again["added"], again["skipped"]) == ([], 3)


def test_bad_rows_are_listed_by_row_and_nothing_is_imported(config_file: Path, tmp_path: Path, sessions):
    rows = [*GOOD, ("3月", "发改委", "标题", "动态"), (date(2026, 2, 10), "不存在局", "", "参阅")]
    result = run(config_file, "items", "import-oa", str(export(tmp_path, rows)))
    assert result.exit_code == 1
    assert "第 5 行：日期「3月」无法识别" in result.output
    assert "第 6 行：单位「不存在局」不在单位名录中；缺少标题；类别「参阅」不是本规则集的类别（可选：动态、专报）" in result.output
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Item)) == 0


def test_a_sheet_without_the_columns_is_refused_naming_them(config_file: Path, tmp_path: Path):
    book = Workbook()
    book.active.append(("时间", "单位", "标题"))
    path = tmp_path / "错表.xlsx"
    book.save(path)
    result = run(config_file, "items", "import-oa", str(path))
    assert result.exit_code == 1 and "表头缺少列：日期、类别" in result.output


SCORE_ROWS = [
    # (rule quoted from B's 考评办法, imported rows, adoptions (row, outlet), unit, February points by hand)
    ("要情上报信息每条10分", [(date(2026, 2, 3), "发改委", "信息一", "动态")], [], "发改委", 10),
    ("上报专报每篇加20分：10 + 20", [(date(2026, 2, 3), "发改委", "专报一", "专报")], [], "发改委", 30),
    ("市政府刊物采用专报每篇加40分：10 + 20 + 40",
     [(date(2026, 2, 3), "发改委", "专报一", "专报")], [(0, "市政府刊物")], "发改委", 70),
    ("区政府刊物采用信息每条加10分：10 + 10",
     [(date(2026, 2, 3), "昆河镇", "信息一", "动态")], [(0, "区政府刊物")], "昆河镇", 20),
]


@pytest.mark.parametrize(("rule", "rows", "adoptions", "unit", "points"), SCORE_ROWS, ids=[r[0] for r in SCORE_ROWS])
def test_imported_items_score_by_bs_rules(config_file, tmp_path, sessions, rule, rows, adoptions, unit, points):
    added = json.loads(run(config_file, "items", "import-oa", str(export(tmp_path, rows)), "--json").output)["added"]
    for index, outlet in adoptions:
        assert run(config_file, "adopt", added[index], "--outlet", outlet, "--date", "2026-02-20").exit_code == 0
    with sessions() as session:
        report = compute_month(B_RULES, load_books(session, B_RULES, 2026), 2026, 2)
    row = next(r for r in report.units if r.unit.name == unit)
    assert row.scores["政务"].month == points


PERCENT = [
    # (rule quoted, the year's points before the deduction, after it, by hand)
    ("扣除年终考评总得分的20%：100分扣20分", 100, 80),
    ("负分不因扣除20%而增加：−500分仍是−500分", -500, -500),
]


@pytest.mark.parametrize(("rule", "before", "after"), PERCENT, ids=[r[0] for r in PERCENT])
def test_b_percentage_deduction_never_raises_a_total(rule, before, after):
    ledger = Ledger()
    unit = ledger.unit("发改委", "一类信息网点")
    for points, percent in ((before, None), (None, -20)):
        ledger.adjustments.append(
            AdjustmentRecord(unit_id=unit.id, on=date(YEAR, 2, 1), group=None, points=points, percent=percent, reason="")
        )
    assert row_of(compute_month(B_RULES, ledger.books(), YEAR, 2), unit).scores["政务"].year_to_date == after


QUARTER = [
    # (rule quoted, start date, the day the March 通报 is made, March points by hand) for a class-4 unit
    # that sent 10 items in the first quarter, none adopted: 15 and 4 required, 5 × −10 + 4 × −20 = −130
    ("每季度信息报送数量和采用数量须达到全年任务量的四分之一", None, date(2026, 4, 1), 100 - 130),
    ("季度未结束时不扣分（通报截至3月20日）", None, date(2026, 3, 20), 100),
    ("启用本系统（4月1日）之前的季度不扣分、不列出", date(2026, 4, 1), date(2026, 4, 1), 100),
]


@pytest.mark.parametrize(("rule", "start", "as_of", "points"), QUARTER, ids=[r[0] for r in QUARTER])
def test_b_quarterly_shortfall_only_for_ended_quarters_since_the_start(rule, start, as_of, points):
    ledger = Ledger()
    unit = ledger.unit("公安分局", "四类信息网点")
    ledger.items_for(unit, date(YEAR, 3, 2), 10)
    report = compute_month(replace(B_RULES, start_date=start), ledger.books(), YEAR, 3, as_of=as_of)
    row = row_of(report, unit)
    quarterly = [q for q in row.quotas if q.quota.period == "quarter"]
    assert (row.scores["政务"].month, bool(quarterly)) == (points, start is None)


def test_b_special_reports_count_towards_the_special_report_quota():
    # "一类信息网点……年报送……专报信息不少于6篇，采用不少于3篇": 6 专报 sent, 3 adopted by the district
    ledger = Ledger()
    unit = ledger.unit("发改委", "一类信息网点")
    for item in ledger.items_for(unit, date(YEAR, 5, 6), 6, category="专报")[:3]:
        ledger.adopt(item, "区政府刊物", date(YEAR, 5, 20))
    quotas = {q.quota.label: (q.actual, q.missing) for q in row_of(compute_month(B_RULES, ledger.books(), YEAR, 12), unit).quotas}
    assert (quotas["全年报送专报"], quotas["全年采用专报"]) == ((6, 0), (3, 0))


def test_the_worker_schedules_no_mail_intake_while_it_is_off(settings):
    configured = replace(settings, rules=replace(settings.rules, organisation="B"),
                         mailbox=replace(settings.mailbox, host="127.0.0.1", user="x"))
    app = open_app(configured)
    assert build_scheduler(app, threading.Event()).get_job("intake") is None
