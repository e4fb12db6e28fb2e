"""The item page lists the sign-off fields the organisation asks for, no others marked 缺."""

from __future__ import annotations

from dataclasses import replace

from fastapi.testclient import TestClient

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
