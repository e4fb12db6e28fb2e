"""Organisation A (prefecture ecology & environment bureau, 2019 rules): each row is one of the
rules of its 信息报送模板 and 考核办法, quoted, with a submission and the verdict computed by hand."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.baosong.orgcases import SMALL_PHOTO, Sent, codes

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
