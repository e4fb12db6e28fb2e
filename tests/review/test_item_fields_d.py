"""The item page lists the sign-off fields the organisation asks for, no others marked 缺."""

from __future__ import annotations

from dataclasses import replace

from fastapi.testclient import TestClient

from baosong.db import transaction
from baosong.models import FindingRow, Item
from review.web import create_console
from tests.review.conftest import log_in
from tests.review.samples import NOW, PREFIX


def test_under_d_the_item_page_does_not_mark_an_author_or_phone_missing(settings, sessions, accounts, throttle, item_id):
    d_settings = replace(settings, rules=replace(settings.rules, organisation="D"))
    console = create_console(d_settings, sessions, receipt_prefix=PREFIX, throttle=throttle, clock=lambda: NOW)
    with TestClient(console) as client:
        assert log_in(client, "wang").status_code == 303
        html = client.get(f"/items/{item_id}").text
    assert "<th>分管领导审核签字</th>" in html and "<th>撰稿人</th>" not in html and "<th>手机号</th>" not in html


def test_under_c_a_missing_reviewer_is_named_as_cs_field_on_the_queue_and_item_pages(
    settings, sessions, accounts, throttle, item_id
):
    with transaction(sessions) as session:
        item = session.get(Item, item_id)
        item.findings.append(FindingRow(
            code="MISSING_REVIEWER", severity="error", message="文档中没有写明审签人。", params={}, evidence={}, location=None,
        ))
    c_settings = replace(settings, rules=replace(settings.rules, organisation="C"))
    console = create_console(c_settings, sessions, receipt_prefix=PREFIX, throttle=throttle, clock=lambda: NOW)
    with TestClient(console) as client:
        assert log_in(client, "wang").status_code == 303
        pages = client.get("/queue").text + client.get(f"/items/{item_id}").text
    assert pages.count("缺少审签人") >= 2 and "缺少审核领导" not in pages


def test_under_c_the_queue_filter_offers_no_finding_cs_rules_never_raise(settings, sessions, accounts, throttle, item_id):
    c_settings = replace(settings, rules=replace(settings.rules, organisation="C"))
    console = create_console(c_settings, sessions, receipt_prefix=PREFIX, throttle=throttle, clock=lambda: NOW)
    with TestClient(console) as client:
        assert log_in(client, "wang").status_code == 303
        html = client.get("/queue").text
    assert 'value="MISSING_REVIEWER"' in html and 'value="PHOTO_TOO_SMALL"' not in html
