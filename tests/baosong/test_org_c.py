"""Organisation C (prefecture government office, 2017 plan): each row is one of the plan's rules,
quoted, with a submission and the verdict computed by hand. Rules the plan does not set (A's
mobile number, 1 MB photos, vague words, the file name) are off."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.baosong.orgcases import SMALL_PHOTO, Sent, codes, errors

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
