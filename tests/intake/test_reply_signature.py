"""Each organisation's replies are signed by the office its own document sends items to, by full name."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from baosong import BUNDLED_CONFIG
from baosong.organisation import load_organisation
from intake.replies import ReplyKind, ReplyTemplates, office_facts, reply_context
from tests.factories.replies import TITLE, judgement
from validators.findings import Verdict

# (organisation, the office that signs, the document's sentence naming who receives items)
SIGNERS = [
    ("A", "昌吉州生态环境局", "凡不属于涉密信息可直接发送至昌吉州生态环境局政务信息专用邮箱（cjhbxx@sina.com）"),
    ("B", "昆都仑区人民政府办公室", "区政府办公室按月通报各街镇、各委办局及有关单位信息报送采用得分情况"),
    ("C", "昌吉回族自治州人民政府办公室信息科", "各县市每月向州政府办公室报送政务信息不少于100篇；州政府办公室信息科联系电话"),
    ("D", "永宁县自然资源局办公室", "经信息工作分管领导审核签字后报办公室……报送邮箱:ynlyj452@126.com"),
]


@pytest.mark.parametrize(("key", "signer", "sentence"), SIGNERS, ids=[s[0] for s in SIGNERS])
def test_reply_is_signed_by_the_office_that_receives_items(key: str, signer: str, sentence: str):
    office = office_facts(load_organisation(BUNDLED_CONFIG, key).checks)
    context = reply_context(ReplyKind.ACCEPTED, judgement(Verdict.ACCEPTED), receipt="X-2026-00001", title=TITLE,
                            office=office, received=datetime(2026, 3, 5, tzinfo=UTC), annotated=False)
    text, html = ReplyTemplates(BUNDLED_CONFIG, key).render(ReplyKind.ACCEPTED, context)
    assert f"\n{signer}\n" in text, sentence
    assert f"{signer}<br>" in html


def test_organisation_d_is_named_in_full():
    assert load_organisation(BUNDLED_CONFIG, "D").checks.name == "永宁县自然资源局"


@pytest.mark.parametrize(("key", "one_matter"), [("A", True), ("C", False), ("D", False)])
def test_the_reminder_says_yishiyibao_only_where_the_document_does(key: str, one_matter: bool):
    reminder = office_facts(load_organisation(BUNDLED_CONFIG, key).checks).reminder
    assert ("一事一报：每封邮件只报送一条信息，只附一个 .docx 文件。" in reminder) is one_matter
    assert any(line.endswith("每封邮件只报送一条信息，只附一个 .docx 文件。") for line in reminder)
