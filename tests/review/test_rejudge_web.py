"""重新审核 in the console: an ignored mail from an address registered since is judged again from
the item page or the ignored-mail list, and the page shows the new verdict and the reply."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from baosong.app import open_app
from baosong.models import Item
from baosong.pipeline import ingest
from tests.baosong.test_rejudge import OA, UNIT_MAILBOX, oa_mail, register_oa_address
from tests.review.test_books_web import post


@pytest.fixture
def ignored(settings) -> int:  # noqa: ANN001
    app = open_app(settings, seed_units=True)
    try:
        item_id = ingest(app, oa_mail(), source="import").item_id
        register_oa_address(app)
    finally:
        app.close()
    return item_id


def test_the_ignored_list_offers_rejudging_each_mail(clerk, ignored):
    page = clerk.get("/queue?verdict=ignored").text
    assert f'action="/items/{ignored}/rejudge"' in page and "重新审核" in page


def test_rejudging_from_the_item_page_shows_the_new_verdict_and_the_reply(clerk, sessions, ignored):
    assert f'action="/items/{ignored}/rejudge"' in clerk.get(f"/items/{ignored}").text
    response = post(clerk, f"/items/{ignored}/rejudge", reason="发件邮箱已登记")
    assert response.status_code == 303 and response.headers["location"] == f"/items/{ignored}"
    page = clerk.get(f"/items/{ignored}").text
    with sessions() as session:
        receipt = session.scalar(select(Item.receipt).where(Item.id == ignored))
    assert f"重新审核：已接收，收件编号 {receipt}。已排队回信给 {UNIT_MAILBOX}。" in page
    assert "已忽略 → 已接收" in page and OA in page


def test_rejudging_an_item_no_longer_ignored_is_refused_with_the_reason(clerk, ignored):
    post(clerk, f"/items/{ignored}/rejudge")
    post(clerk, f"/items/{ignored}/rejudge")
    assert "只有“已忽略”的邮件可以重新审核" in clerk.get(f"/items/{ignored}").text
