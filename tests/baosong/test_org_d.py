"""Organisation D (county natural-resources bureau, 2019 notice): each row is one of the notice's
rules, quoted, with a submission and the verdict computed by hand. Rules the notice does not set
(A's author, mobile number, 1 MB photos, vague words) are off."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

from baosong import BUNDLED_CONFIG
from baosong.cli import main
from scoring.compute import compute_month
from scoring.ruleset import load_ruleset
from tests.baosong.orgcases import SMALL_PHOTO, Sent, codes, errors
from tests.scoring.builders import YEAR, Ledger, row_of

BEIJING = ZoneInfo("Asia/Shanghai")
UNIT = "县自然资源局耕地保护股"
TITLE = "县自然资源局耕地保护股开展耕地保护专项巡查"
# "报送的信息要素（时间、地点、人物、事项、起因、结果等）必须真实准确"
BODY = ("11月19日，县自然资源局耕地保护股组织执法人员在望远镇巡查耕地保护情况，发现问题2处，已责令整改。",)
REVIEWED = {"分管领导": "章永胜"}  # "经信息工作分管领导审核签字后报办公室"
ITEM = Sent("zr-gbg@example.cn", UNIT, TITLE, BODY, REVIEWED)

ROWS = [
    # (rule quoted from the notice, the submission, expected verdict, codes that must appear, codes that must not)
    ("经信息工作分管领导审核签字：审核人写明即可，无需撰稿人和手机号",
     ITEM, "accepted", set(), {"MISSING_AUTHOR", "MISSING_PHONE", "INVALID_PHONE"}),
    ("经信息工作分管领导审核签字：没有审核人的退回",
     replace(ITEM, fields={"撰稿人": "杨雪"}), "rejected", {"MISSING_REVIEWER"}, set()),
    ("可辅以必要的照片：照片可有可无，不查大小",
     replace(ITEM, photos=(("巡查现场.jpg", SMALL_PHOTO),)), "accepted", set(), {"PHOTO_TOO_SMALL"}),
    ("来稿文件命名为“单位+信息标题”",
     replace(ITEM, filename="新建 Microsoft Word 文档.docx"), "rejected", {"FILENAME_FORMAT"}, set()),
    ("一般信息不超过两天：11月18日的事11月20日报送，未超时",
     replace(ITEM, body=("11月18日，县自然资源局耕地保护股在望远镇巡查耕地保护情况，发现问题2处。",)),
     "accepted", set(), {"STALE_EVENT"}),
    ("一般信息不超过两天：11月17日的事11月20日报送，超时（提醒，不退回）",
     replace(ITEM, body=("11月17日，县自然资源局耕地保护股在望远镇巡查耕地保护情况，发现问题2处。",)),
     "accepted", {"STALE_EVENT"}, set()),
    ("重要信息不超过24小时：主题标【重要】，两天前的事超时（按日计）",
     replace(ITEM, subject=f"【重要】{TITLE}", body=("11月18日，县自然资源局耕地保护股在望远镇巡查耕地保护情况。",)),
     "accepted", {"STALE_EVENT"}, set()),
    ("紧急信息30分钟内：主题标【紧急】，前一天的事超时",
     replace(ITEM, subject=f"【紧急】{TITLE}"), "accepted", {"STALE_EVENT"}, set()),
    ("紧急信息30分钟内：标题标【紧急】，当天的事按时",
     replace(ITEM, title=f"【紧急】{TITLE}", filename=f"{UNIT}{TITLE}.docx",
             body=("11月20日，县自然资源局耕地保护股在望远镇发现违法占用耕地1处，已现场制止。",)),
     "accepted", set(), {"STALE_EVENT"}),
    ("紧急信息30分钟内：写明了钟点，按发信时间算（8时的事10时30分发来，超时）",
     replace(ITEM, subject=f"【紧急】{TITLE}", sent_at=datetime(2026, 11, 20, 10, 30, tzinfo=BEIJING),
             body=("11月20日8时，县自然资源局耕地保护股在望远镇发现违法占用耕地1处，已现场制止。",)),
     "accepted", {"STALE_EVENT"}, set()),
    ("紧急信息30分钟内：10时10分的事10时30分发来，按时",
     replace(ITEM, subject=f"【紧急】{TITLE}", sent_at=datetime(2026, 11, 20, 10, 30, tzinfo=BEIJING),
             body=("11月20日10时10分，县自然资源局耕地保护股在望远镇发现违法占用耕地1处，已现场制止。",)),
     "accepted", set(), {"STALE_EVENT"}),
    ("信息要素（时间……）必须真实准确：正文没有具体日期时提醒",
     replace(ITEM, body=("县自然资源局耕地保护股组织执法人员在望远镇巡查耕地保护情况。",)),
     "accepted", {"NO_EXPLICIT_DATE"}, set()),
    ("通知未规定模糊用语：“我局”“近日”不作为问题",
     replace(ITEM, body=("11月19日，我局耕地保护股近日在望远镇巡查耕地保护情况，发现问题2处。",)),
     "accepted", set(), {"VAGUE_WORDING"}),
]


@pytest.mark.parametrize(("rule", "sent", "verdict", "present", "absent"), ROWS, ids=[row[0] for row in ROWS])
def test_d_judges_by_its_own_notice(rule, sent, verdict, present, absent):
    judgement = sent.judge("D")
    found = codes(judgement)
    assert (str(judgement.verdict), present - found, absent & found) == (verdict, set(), set()), judgement.findings


def test_an_item_that_follows_d_but_not_a_is_rejected_under_a_only():
    item = replace(ITEM, photos=(("巡查现场.jpg", SMALL_PHOTO),))
    assert errors(item.judge("D")) == set()
    assert {"MISSING_AUTHOR", "MISSING_PHONE", "PHOTO_TOO_SMALL"} <= errors(item.judge("A"))


def test_baosong_template_writes_ds_own_sign_off_and_notes(settings, tmp_path):
    config = tmp_path / "baosong.toml"
    config.write_text(f'[paths]\ndata = "{settings.paths.data}"\n[rules]\norganisation = "D"\n', encoding="utf-8")
    output = tmp_path / "模板.docx"
    result = CliRunner().invoke(main, ["--config", str(config), "template", "--output", str(output)])
    text = "".join(node.text or "" for node in docx.Document(str(output)).element.body.iter(qn("w:t")))
    assert result.exit_code == 0 and "县自然资源局" in result.output
    assert "分管领导审核签字：" in text and "单位+信息标题" in text
    assert "1M" not in text and "手机号" not in text


D_RULES = load_ruleset(BUNDLED_CONFIG, "D")
D_ROWS = [
    # (rule quoted, items sent in July, adoptions of the first item, July points and quota count by hand)
    ("每月报送信息数量不少于2篇：1篇为1/2", 1, [], 0, (1, 2, 1)),
    ("每月报送信息数量不少于2篇：2篇达标", 2, [], 0, (2, 2, 0)),
    ("办公室……负责上传至县人民政府网站，并转报至上级部门和新闻媒体：县网站1分、自治区级3分，只计最高",
     1, ["县人民政府网站", "自治区级刊物和媒体"], 3, (1, 2, 1)),
]


@pytest.mark.parametrize(("rule", "sent", "outlets", "points", "quota"), D_ROWS, ids=[r[0] for r in D_ROWS])
def test_d_counts_its_monthly_quota_and_adoptions(rule, sent, outlets, points, quota):
    ledger = Ledger()
    unit = ledger.unit(UNIT, "股室")
    first, *_ = ledger.items_for(unit, date(YEAR, 7, 8), sent)
    for outlet in outlets:
        ledger.adopt(first, outlet, date(YEAR, 7, 15))
    row = row_of(compute_month(D_RULES, ledger.books(), YEAR, 7), unit)
    status = row.quotas[0]
    assert (row.scores["政务"].month, (status.actual, status.required, status.missing)) == (points, quota)


def test_d_reply_asks_for_the_leaders_signature_in_ds_words():
    (finding,) = replace(ITEM, fields={"撰稿人": "杨雪"}).judge("D").findings
    assert finding.message == "文档中没有写明分管领导审核签字。请在文末写明“分管领导审核签字：姓名”。"
