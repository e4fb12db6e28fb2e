"""The judge on what units really send (issue 16): layouts, formats and wordings that were
falsely rejected or missed. Real mails and documents from the factories, one behaviour per test."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from baosong import BUNDLED_CONFIG
from baosong.demo.samples import Item, document, mail
from baosong.organisation import load_organisation
from baosong.registry import refs_from_sheet
from intake.mailparse import parse_mail
from tests.factories.images import make_heic
from validators.catalogue import load_messages
from validators.judge import JudgeContext, judge_mail
from validators.registry import Registry

TODAY = date(2026, 11, 20)
UNIT = "奇台县环境保护局"
SENDER = "qitai@example.cn"
GOOD_BODY = ["11月18日，奇台县环境保护局组织执法人员对县城周边12家企业开展专项检查，下达整改通知4份。"]


@pytest.fixture(scope="module")
def ctx():
    organisation = load_organisation(BUNDLED_CONFIG, "A")
    registry = Registry.of(refs_from_sheet(organisation.units_csv))
    return JudgeContext(organisation.checks, registry, load_messages(BUNDLED_CONFIG))


def item(**changes) -> Item:
    return replace(Item(UNIT, "奇台县环境保护局开展秋季大气污染防治专项检查", list(GOOD_BODY)), **changes)


def submit(ctx, *, docs=None, photos=(), **kwargs):  # noqa: ANN001
    it = item()
    if docs is None:
        docs = [(f"{it.unit}{it.title}.docx", document(it))]
    raw = mail(SENDER, it.title, TODAY, docs=docs, photos=list(photos), **kwargs)
    return judge_mail(parse_mail(raw), ctx, today=TODAY)


def codes(judgement) -> set[str]:  # noqa: ANN001
    return {f.code for f in judgement.findings}


def test_iphone_heic_photo_is_an_image(ctx):
    judgement = submit(ctx, photos=[("执法人员检查除尘设施.HEIC", make_heic())])
    assert codes(judgement) == {"PHOTO_TOO_SMALL"}
