"""SENDER_NOT_AUTHENTICATED: a registered address the trusted receiving server did not verify."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from baosong import BUNDLED_CONFIG
from baosong.demo.samples import Item, document, mail, photo
from baosong.organisation import load_organisation
from baosong.registry import refs_from_sheet
from intake.mailparse import parse_mail
from validators.catalogue import load_messages
from validators.judge import JudgeContext, judge_mail
from validators.registry import Registry

TODAY = date(2026, 11, 20)
ITEM = Item("奇台县环境保护局", "奇台县环境保护局开展秋季大气污染防治专项检查",
            ["11月18日，奇台县环境保护局组织执法人员对县城周边12家企业开展专项检查，下达整改通知4份。"])
FORGED = "mx.qq.com; spf=pass smtp.mailfrom=evil.example; dkim=pass header.d=evil.example; dmarc=fail header.from=example.cn"
GENUINE = "mx.qq.com; spf=pass smtp.mailfrom=qitai@example.cn; dkim=pass header.d=example.cn; dmarc=pass header.from=example.cn"


@pytest.fixture(scope="module")
def ctx():
    organisation = load_organisation(BUNDLED_CONFIG, "A")
    registry = Registry.of(refs_from_sheet(organisation.units_csv))
    return JudgeContext(organisation.checks, registry, load_messages(BUNDLED_CONFIG), trusted_authserv=("mx.qq.com",))


@pytest.fixture(scope="module")
def big_photo():
    return photo(1)


def judged(ctx, *results: str, sender: str = "qitai@example.cn", photos=()):  # noqa: ANN001, ANN202
    raw = mail(sender, ITEM.title, TODAY, docs=[(f"{ITEM.unit}{ITEM.title}.docx", document(ITEM))], photos=list(photos))
    headers = b"".join(f"Authentication-Results: {value}\r\n".encode() for value in results)
    return judge_mail(parse_mail(headers + raw), ctx, today=TODAY)


def codes(judgement) -> list[str]:  # noqa: ANN001
    return [f.code for f in judgement.findings]


def test_registered_address_failing_dmarc_at_our_server_goes_to_review(ctx, big_photo):
    judgement = judged(ctx, FORGED, photos=[("执法检查现场.jpg", big_photo)])
    assert (str(judgement.verdict), codes(judgement)) == ("review", ["SENDER_NOT_AUTHENTICATED"])


def test_the_reason_names_the_address_and_the_failed_checks(ctx):
    finding = next(f for f in judged(ctx, FORGED).findings if f.code == "SENDER_NOT_AUTHENTICATED")
    assert "qitai@example.cn" in finding.message and "dmarc=fail" in finding.message


def test_verified_registered_address_is_accepted(ctx, big_photo):
    assert str(judged(ctx, GENUINE, photos=[("执法检查现场.jpg", big_photo)]).verdict) == "accepted"


def test_header_from_another_server_is_ignored(ctx):
    forged_elsewhere = FORGED.replace("mx.qq.com", "mx.evil.example")
    assert "SENDER_NOT_AUTHENTICATED" not in codes(judged(ctx, forged_elsewhere))


def test_a_forged_pass_under_our_id_does_not_hide_our_servers_failure(ctx):
    assert "SENDER_NOT_AUTHENTICATED" in codes(judged(ctx, FORGED, GENUINE))


def test_a_forged_pass_under_another_id_does_not_hide_our_servers_failure(ctx):
    assert "SENDER_NOT_AUTHENTICATED" in codes(judged(ctx, GENUINE.replace("mx.qq.com", "evil.example"), FORGED))


def test_nothing_is_checked_when_no_server_is_trusted(ctx):
    assert "SENDER_NOT_AUTHENTICATED" not in codes(judged(replace(ctx, trusted_authserv=()), FORGED))


def test_unregistered_senders_are_not_checked(ctx):
    assert "SENDER_NOT_AUTHENTICATED" not in codes(judged(ctx, FORGED, sender="someone@elsewhere.example"))
