"""Organisation A (prefecture ecology & environment bureau, 2019 rules): each row is one of the
rules of its 信息报送模板 and 考核办法, quoted, with a submission and the verdict computed by hand."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from baosong import BUNDLED_CONFIG
from baosong.cli import main
from scoring.compute import CommissionRecord, compute_month, compute_year
from scoring.publish import write_year_reports
from scoring.ruleset import load_ruleset
from tests.baosong.orgcases import SMALL_PHOTO, Sent, codes
from tests.scoring.builders import YEAR, Ledger, row_of

UNIT = "奇台县环境保护局"
TITLE = "奇台县环境保护局开展秋季大气污染防治专项检查"
BODY = ("11月18日，奇台县环境保护局组织执法人员对县城周边12家企业开展专项检查，下达整改通知4份。",)
SIGNED = {"审核领导": "李建国", "撰稿人": "王晓燕", "手机号": "13899012345"}
BIG_PHOTO = 1_200_000
ITEM = Sent("qitai@example.cn", UNIT, TITLE, BODY, SIGNED, photos=(("执法检查现场.jpg", BIG_PHOTO),))


def without(label: str) -> dict[str, str]:
    return {key: value for key, value in SIGNED.items() if key != label}


ROWS = [
    # (rule quoted from A's documents, the submission, expected verdict, codes that must appear, codes that must not)
    ("所有信息必须有审核领导和撰稿人及手机号：齐全的通过", ITEM, "accepted", set(), {"MISSING_AUTHOR"}),
    ("必须有审核领导", replace(ITEM, fields=without("审核领导")), "rejected", {"MISSING_REVIEWER"}, set()),
    ("必须有撰稿人", replace(ITEM, fields=without("撰稿人")), "rejected", {"MISSING_AUTHOR"}, set()),
    ("必须有手机号", replace(ITEM, fields=without("手机号")), "rejected", {"MISSING_PHONE"}, set()),
    ("手机号：座机不算", replace(ITEM, fields={**SIGNED, "手机号": "0994-2347224"}), "rejected", {"INVALID_PHONE"}, set()),
    ("照片大小必须在1M以上", replace(ITEM, photos=(("执法检查现场.jpg", SMALL_PHOTO),)), "rejected", {"PHOTO_TOO_SMALL"}, set()),
    ("需要对照片说明的请重命名照片（提醒）", replace(ITEM, photos=(("IMG_1234.JPG", BIG_PHOTO),)),
     "accepted", {"PHOTO_NAME_UNDESCRIBED"}, set()),
    ("不用我局、近日等模糊说法", replace(ITEM, body=("11月18日，我局近日组织执法人员对12家企业开展专项检查。",)),
     "rejected", {"VAGUE_WORDING"}, set()),
    ("写明具体日期（提醒）", replace(ITEM, body=("奇台县环境保护局组织执法人员对县城周边12家企业开展专项检查。",)),
     "accepted", {"NO_EXPLICIT_DATE"}, set()),
    ("文件名“单位+信息标题”不是A的规定，只作提醒", replace(ITEM, filename="新建 Microsoft Word 文档.docx"),
     "accepted", {"FILENAME_FORMAT"}, set()),
    ("A未规定报送时限：一个月前的事不作为问题", replace(ITEM, body=("10月18日，奇台县环境保护局对12家企业开展专项检查。",)),
     "accepted", set(), {"STALE_EVENT"}),
]


@pytest.mark.parametrize(("rule", "sent", "verdict", "present", "absent"), ROWS, ids=[row[0] for row in ROWS])
def test_a_judges_by_its_own_rules(rule, sent, verdict, present, absent):
    judgement = sent.judge("A")
    found = codes(judgement)
    assert (str(judgement.verdict), present - found, absent & found) == (verdict, set(), set()), judgement.findings


A = load_ruleset(BUNDLED_CONFIG, "A")
COUNTY = "县市环保局"

COMMISSION = [
    # (rule quoted, due, delivered, the day the March 通报 is made, March points by hand)
    ("对约稿信息不按规定上报（或迟报）的……一次扣30分：未到期的不扣", date(2026, 3, 25), None, date(2026, 3, 20), 0),
    ("过期未报的扣30分", date(2026, 3, 25), None, date(2026, 3, 26), -30),
    ("迟报的扣30分", date(2026, 3, 25), date(2026, 3, 27), date(2026, 3, 31), -30),
    ("按时报送的不扣分", date(2026, 3, 25), date(2026, 3, 24), date(2026, 3, 31), 0),
]


@pytest.mark.parametrize(("rule", "due", "delivered", "as_of", "points"), COMMISSION, ids=[r[0] for r in COMMISSION])
def test_a_charges_a_commission_only_once_it_is_due(rule, due, delivered, as_of, points):
    ledger = Ledger()
    unit = ledger.unit(UNIT, COUNTY)
    ledger.commissions.append(CommissionRecord(unit_id=unit.id, due_on=due, delivered_on=delivered))
    assert row_of(compute_month(A, ledger.books(), YEAR, 3, as_of=as_of), unit).scores["政务"].month == points


def test_a_counts_submissions_of_government_and_news_information_apart():
    # "（一）政务信息 …（二）新闻信息": a 【新闻】 item is counted as 新闻信息
    ledger = Ledger()
    unit = ledger.unit(UNIT, COUNTY)
    ledger.items_for(unit, date(YEAR, 3, 2), 2)
    ledger.item(unit, date(YEAR, 3, 3), category="新闻")
    assert row_of(compute_month(A, ledger.books(), YEAR, 3), unit).submitted_by_group == {"政务": 2, "新闻": 1}


def test_a_keeps_each_authors_tally_for_the_best_reporters():
    # "对……优秀信息员（通讯员）进行表彰": items, adoptions and points per 撰稿人
    ledger = Ledger()
    unit = ledger.unit(UNIT, COUNTY)
    first = ledger.item(unit, date(YEAR, 3, 2), author="王晓燕")
    ledger.item(unit, date(YEAR, 3, 3), author="王晓燕")
    second = ledger.item(unit, date(YEAR, 3, 4), author="李强")
    ledger.adopt(first, "州党委政府信息刊物", date(YEAR, 3, 10))  # 15
    ledger.adopt(second, "州局微信平台", date(YEAR, 3, 10))  # 5
    authors = compute_year(A, ledger.books(), YEAR).authors
    assert [(a.author, a.submitted, a.adopted, a.points) for a in authors] == [("王晓燕", 2, 1, 15), ("李强", 1, 1, 5)]


def test_a_year_shows_each_units_target_and_gap():
    # "未完成全年信息目标任务的……年度考核不得评优": 300 政务 points a year for a county bureau
    ledger = Ledger()
    unit = ledger.unit(UNIT, COUNTY)
    ledger.adopt(ledger.item(unit, date(YEAR, 3, 2)), "州党委政府信息刊物", date(YEAR, 3, 10))  # 15
    scores = row_of(compute_year(A, ledger.books(), YEAR), unit).scores
    assert [(g, s.target, s.gap) for g, s in scores.items()] == [("政务", 300, 285), ("新闻", 100, 100)]


def test_a_annual_excel_lists_targets_gaps_and_authors(tmp_path):
    ledger = Ledger()
    unit = ledger.unit(UNIT, COUNTY)
    ledger.adopt(ledger.item(unit, date(YEAR, 3, 2), author="王晓燕"), "州党委政府信息刊物", date(YEAR, 3, 10))  # 15
    _, xlsx = write_year_reports(compute_year(A, ledger.books(), YEAR), tmp_path, ("docx", "xlsx"), date(YEAR, 12, 31))
    book = load_workbook(xlsx)
    header, row = list(book[f"{YEAR}年排名"].iter_rows(values_only=True))[:2]
    assert dict(zip(header, row))["政务目标"] == 300 and dict(zip(header, row))["政务差额"] == 285
    assert list(book["撰稿人"].iter_rows(min_row=2, values_only=True)) == [(UNIT, "王晓燕", 1, 1, 15, 0)]


def test_a_year_ranking_on_the_command_line_names_target_and_gap(settings, tmp_path):
    config = tmp_path / "baosong.toml"
    config.write_text(
        f'[paths]\ndata = "{settings.paths.data}"\n[database]\nurl = "{settings.database_url}"\n[rules]\norganisation = "A"\n',
        encoding="utf-8",
    )
    sheet = Workbook()
    sheet.active.append(("日期", "单位", "标题", "类别"))
    sheet.active.append((date(YEAR, 3, 2), UNIT, TITLE, ""))
    sheet.save(tmp_path / "补录.xlsx")

    def run(*args: str):  # noqa: ANN202
        return CliRunner().invoke(main, ["--config", str(config), *args], catch_exceptions=False)

    receipt = json.loads(run("items", "import-oa", str(tmp_path / "补录.xlsx"), "--json").output)["added"][0]
    # 15, proof by the 25th ("每月25日前……报送……逾期不报不予计分")
    adopted = run("adopt", receipt, "--outlet", "州党委政府信息刊物", "--date", f"{YEAR}-03-10", "--proof-date", f"{YEAR}-03-20")
    assert adopted.exit_code == 0, adopted.output
    result = run("report", "--year", str(YEAR), "--format", "xlsx", "--out", str(tmp_path))
    assert f"{UNIT}  15分（政务 目标300分，差285分；新闻 目标100分，差100分）" in result.output
