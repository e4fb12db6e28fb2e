"""Organisation C (prefecture government office, 2017 plan): each row is one of the plan's rules,
quoted, with a submission and the verdict computed by hand. Rules the plan does not set (A's
mobile number, 1 MB photos, vague words, the file name) are off."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from baosong import BUNDLED_CONFIG
from baosong.app import open_app
from baosong.demo.samples import mail
from baosong.models import Item
from baosong.pipeline import ingest
from intake.mailparse import parse_mail
from scoring.compute import compute_month, compute_year
from scoring.ruleset import load_ruleset
from tests.baosong.orgcases import SMALL_PHOTO, TODAY, Sent, codes, context, errors
from tests.factories.docx import make_docx
from tests.scoring.builders import YEAR, Ledger, row_of
from validators.judge import judge_mail

UNIT = "昌吉市"
TITLE = "昌吉市推进老旧小区改造工程"
BODY = ("11月19日，昌吉市住房和城乡建设局召开老旧小区改造推进会，部署12个小区改造任务。",)
# "州政府办公室对未注明审签人、撰稿人及联系方式的信息一律不予接收"
SIGNED = {"审签人": "马建华", "撰稿人": "刘芳", "联系方式": "0994-2345678"}
ITEM = Sent("unit01@c.example.cn", UNIT, TITLE, BODY, SIGNED)


def without(label: str) -> dict[str, str]:
    return {key: value for key, value in SIGNED.items() if key != label}


ROWS = [
    # (rule quoted from the plan, the submission, expected verdict, codes that must appear, codes that must not)
    ("注明审签人、撰稿人及联系方式：座机是有效的联系方式", ITEM, "accepted", set(), {"INVALID_PHONE"}),
    ("未注明审签人的一律不予接收", replace(ITEM, fields=without("审签人")), "rejected", {"MISSING_REVIEWER"}, set()),
    ("未注明撰稿人的一律不予接收", replace(ITEM, fields=without("撰稿人")), "rejected", {"MISSING_AUTHOR"}, set()),
    ("未注明联系方式的一律不予接收", replace(ITEM, fields=without("联系方式")), "rejected", {"MISSING_PHONE"}, set()),
    ("联系方式须是电话号码", replace(ITEM, fields={**SIGNED, "联系方式": "见通讯录"}), "rejected", {"INVALID_PHONE"}, set()),
    ("联系方式写手机号也可以", replace(ITEM, fields={**SIGNED, "联系方式": "13912345678"}), "accepted", set(), {"INVALID_PHONE"}),
    ("方案未规定照片、用语和文件名：小照片、“我市”“近日”、任意文件名都不作为问题",
     replace(ITEM, body=("11月19日，我市近日召开老旧小区改造推进会，部署12个小区改造任务。",),
             photos=(("IMG_1234.JPG", SMALL_PHOTO),), filename="信息.docx"),
     "accepted", set(), {"PHOTO_TOO_SMALL", "PHOTO_NAME_UNDESCRIBED", "VAGUE_WORDING", "FILENAME_FORMAT"}),
    ("领导言论信息当天报送：前一天的讲话超时（提醒）",
     replace(ITEM, subject=f"【领导言论】{TITLE}"), "accepted", {"STALE_EVENT"}, set()),
    ("领导言论信息当天报送：当天的讲话按时",
     replace(ITEM, subject=f"【领导言论】{TITLE}", body=("11月20日，昌吉市市长在老旧小区改造推进会上讲话。",)),
     "accepted", set(), {"STALE_EVENT"}),
    ("重要会议精神……一周以内反馈：6天前的会议按时",
     replace(ITEM, subject=f"【会议精神】{TITLE}", body=("11月14日，昌吉市召开老旧小区改造推进会。",)),
     "accepted", set(), {"STALE_EVENT"}),
    ("领导批示落实情况一周以内反馈：8天前的批示超时（提醒）",
     replace(ITEM, subject=f"【批示落实】{TITLE}", body=("11月12日，州领导对老旧小区改造作出批示。",)),
     "accepted", {"STALE_EVENT"}, set()),
    ("其他信息方案未规定时限：一个月前的事不作为问题",
     replace(ITEM, body=("10月20日，昌吉市召开老旧小区改造推进会。",)), "accepted", set(), {"STALE_EVENT"}),
]


@pytest.mark.parametrize(("rule", "sent", "verdict", "present", "absent"), ROWS, ids=[row[0] for row in ROWS])
def test_c_judges_by_its_own_plan(rule, sent, verdict, present, absent):
    judgement = sent.judge("C")
    found = codes(judgement)
    assert (str(judgement.verdict), present - found, absent & found) == (verdict, set(), set()), judgement.findings


def test_an_item_that_follows_c_but_not_a_is_rejected_under_a_only():
    assert errors(ITEM.judge("C")) == set()
    assert "INVALID_PHONE" in errors(ITEM.judge("A"))  # A asks for the author's mobile number


def test_a_tag_in_the_subject_sets_the_category_the_scoring_uses(settings):
    raw = mail("unit01@c.example.cn", f"【参阅】{TITLE}", TODAY,
               docs=[(f"{UNIT}{TITLE}.docx", make_docx(title=TITLE, paragraphs=BODY, fields=SIGNED))])
    app = open_app(replace(settings, rules=replace(settings.rules, organisation="C")), seed_units=True)
    outcome = ingest(app, raw, source="import", received_at=datetime(2026, 11, 20, 3, tzinfo=UTC))
    with app.sessions() as session:
        assert (outcome.verdict, session.get(Item, outcome.item_id).category) == ("accepted", "参阅")


C = load_ruleset(BUNDLED_CONFIG, "C")
ADOPTED = [
    # (rule quoted from 《自治州政务信息综合积分管理办法》, category, outlets, endorsement levels, June points by hand)
    ("被《昌吉信息(普刊)》采用的信息，每条10分", "动态", ["昌吉信息（普刊）"], [], 10),
    ("被《昌吉信息(内刊)》采用的动态类信息……每条10分", "动态", ["昌吉信息（内刊）"], [], 10),
    ("情况专报类信息……每条20分", "专报", ["昌吉信息（内刊）"], [], 20),
    ("参阅参考类信息……每条40分", "参阅", ["昌吉信息（内刊）"], [], 40),
    ("经《昌吉信息(内刊)》上报，被自治区政府办公厅信息刊物采用的信息，每条另加10分：40 + 10",
     "参阅", ["昌吉信息（内刊）", "新疆要情"], [], 50),
    ("州政府领导作出批示的信息，每条另加10分：10 + 10", "动态", ["昌吉信息（普刊）"], ["州"], 20),
    ("国务院领导作出批示的信息，每条另加50分：10 + 50", "动态", ["昌吉信息（普刊）"], ["国务院"], 60),
]


@pytest.mark.parametrize(("rule", "category", "outlets", "levels", "points"), ADOPTED, ids=[r[0] for r in ADOPTED])
def test_c_scores_an_adopted_item_by_its_category(rule, category, outlets, levels, points):
    ledger = Ledger()
    unit = ledger.unit("发改委", "州直重点部门")
    item = ledger.item(unit, date(YEAR, 6, 2), category=category)
    for outlet in outlets:
        ledger.adopt(item, outlet, date(YEAR, 6, 10))
    for level in levels:
        ledger.endorse(item, level, date(YEAR, 6, 12))
    assert row_of(compute_month(C, ledger.books(), YEAR, 6), unit).scores["政务"].month == points


BONUS = [
    # (rule quoted, items sent in June, of them adopted by 普刊, June points by hand)
    ("各县市……每月不少于100篇并且采用率不低于5%的，每月加20分：5 × 10 + 20", 100, 5, 70),
    ("采用率不到5%不加分：4 × 10", 100, 4, 40),
    ("不足100篇不加分：5 × 10", 99, 5, 50),
]


@pytest.mark.parametrize(("rule", "sent", "adopted", "points"), BONUS, ids=[r[0] for r in BONUS])
def test_c_monthly_bonus_for_counties(rule, sent, adopted, points):
    ledger = Ledger()
    unit = ledger.unit("昌吉市", "县市")
    for item in ledger.items_for(unit, date(YEAR, 6, 2), sent)[:adopted]:
        ledger.adopt(item, "昌吉信息（普刊）", date(YEAR, 6, 10))
    assert row_of(compute_month(C, ledger.books(), YEAR, 6), unit).scores["政务"].month == points


def test_c_pays_the_per_article_money_to_the_author():
    # "对……上报信息被国务院、自治区政务信息刊物采用的撰稿人予以奖励"; "逐级采用的，奖金按奖励标准累加计算"
    ledger = Ledger()
    unit = ledger.unit("发改委", "州直重点部门")
    item = ledger.item(unit, date(YEAR, 6, 2), author="刘芳")
    ledger.adopt(item, "新疆要情", date(YEAR, 6, 10))  # 500
    ledger.adopt(item, "国务院政务信息刊物", date(YEAR, 6, 20))  # 1000
    report = compute_year(C, ledger.books(), YEAR)
    money = [(r.author, r.reason, r.yuan) for r in report.rewards if r.author]
    assert money == [("刘芳", "撰稿人刘芳：信息被上级刊物采用 2 篇次", 1500)]
    assert [(a.author, a.yuan) for a in report.authors] == [("刘芳", 1500)]


MESSAGES = [
    # (the submission, the reply's sentence in C's own words)
    (replace(ITEM, fields=without("联系方式")), "文档中没有写明联系方式。请在文末写明“联系方式：联系电话（座机或手机）”。"),
    (replace(ITEM, fields=without("审签人")), "文档中没有写明审签人。请在文末写明“审签人：姓名”。"),
    (replace(ITEM, fields={**SIGNED, "联系方式": "见通讯录"}),
     "联系电话“见通讯录”不是有效的电话号码。请填写座机或手机号码，如“0994-2345678”或“13912345678”。"),
]


@pytest.mark.parametrize(("sent", "message"), MESSAGES)
def test_c_replies_name_the_fields_as_cs_plan_does(sent, message):
    assert [f.message for f in sent.judge("C").findings] == [message]


def test_two_word_files_are_refused_without_as_words_for_one_matter():
    data = make_docx(title="昌吉市启动冬季供暖保障专项行动", paragraphs=["11月18日，昌吉市召开冬季供暖保障推进会。"])
    raw = mail("unit01@c.example.cn", "昌吉市信息", TODAY, docs=[("昌吉市一.docx", data), ("昌吉市二.docx", data)])
    (finding,) = judge_mail(parse_mail(raw), context("C"), today=TODAY).findings
    assert finding.code == "MULTIPLE_DOCX" and "每封邮件只能报送一条信息" in finding.message
    assert "一事一报" not in finding.message
