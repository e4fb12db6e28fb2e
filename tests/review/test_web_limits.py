"""Requests the console must answer without harm: a form refused before its body is read, ids too
long to be ids, a classified original behind "mark as duplicate", downloads kept out of caches."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from sqlalchemy import select

from baosong.db import transaction
from baosong.models import AttachmentRow, Item
from review.web import MAX_FORM_BYTES
from tests.review.conftest import token_of
from tests.review.samples import vague_item
from tests.review.test_login_throttle import serve

SOCKET_TIMEOUT = 10  # only a guard: the answer comes at once, or the test fails instead of hanging
LONG_ID = "9" * 20


@pytest.fixture
def site(console) -> Iterator[str]:  # noqa: ANN001
    yield from serve(console)


def status_of_headers_only(site: str, request: bytes) -> bytes:
    """Send a request's head but none of the body it announces; return the status line."""
    address = urlparse(site)
    with socket.create_connection((address.hostname, address.port), timeout=SOCKET_TIMEOUT) as connection:
        connection.sendall(request)
        return connection.makefile("rb").readline()


def test_an_anonymous_400_mb_post_is_refused_before_its_body_is_sent(site, item_id):
    head = (
        f"POST /items/{item_id}/accept HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 400000000\r\n\r\n"
    ).encode()
    assert status_of_headers_only(site, head).startswith(b"HTTP/1.1 403")


def test_a_form_over_the_size_limit_is_refused(clerk, item_id):
    token = token_of(clerk, f"/items/{item_id}")
    response = clerk.post(f"/items/{item_id}/note", data={"csrf_token": token, "note": "x" * (MAX_FORM_BYTES + 1)})
    assert response.status_code == 413 and "提交的内容过长" in response.text


def test_a_form_without_a_length_is_refused(clerk, item_id):
    token = token_of(clerk, f"/items/{item_id}")
    body = iter([f"csrf_token={token}&note=x".encode()])  # sent chunked, without Content-Length
    response = clerk.post(
        f"/items/{item_id}/note", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 411


@pytest.mark.parametrize("path", ["/items/{}", "/items/{}/raw", "/attachments/{}", "/attachments/{}/thumbnail"])
def test_a_twenty_digit_id_answers_404(clerk, path):
    response = clerk.get(path.format(LONG_ID))
    assert response.status_code == 404 and "没有找到" in response.text


def test_a_twenty_digit_id_in_a_form_action_answers_404(clerk, item_id):
    token = token_of(clerk, f"/items/{item_id}")
    assert clerk.post(f"/items/{LONG_ID}/note", data={"csrf_token": token, "note": "x"}).status_code == 404


def test_a_twenty_digit_unit_filter_is_ignored(clerk, item_id):
    assert clerk.get(f"/queue?unit={LONG_ID}").status_code == 200


def test_a_twenty_digit_original_is_not_found(clerk, item_id):
    token = token_of(clerk, f"/items/{item_id}")
    response = clerk.post(f"/items/{item_id}/duplicate", data={"csrf_token": token, "original": LONG_ID})
    assert "找不到" in response.text


@pytest.fixture
def classified_receipt(settings, sessions, units) -> str:  # noqa: ANN001
    with transaction(sessions) as session:
        secret = vague_item(settings, session, unit_id=units["昌吉市环境保护局"], subject="机密★ 内部情况", classified=True)
        secret.receipt = "CJHB-2026-09999"
        return secret.receipt


def mark_duplicate(client, item_id: int, original: str) -> str:  # noqa: ANN001
    token = token_of(client, f"/items/{item_id}")
    return client.post(f"/items/{item_id}/duplicate", data={"csrf_token": token, "original": original}).text


def test_a_clerk_cannot_learn_that_a_classified_receipt_exists(clerk, item_id, classified_receipt):
    secret = mark_duplicate(clerk, item_id, classified_receipt).replace(classified_receipt, "REF")
    missing = mark_duplicate(clerk, item_id, "CJHB-2026-08888").replace("CJHB-2026-08888", "REF")
    assert "找不到" in secret and secret == missing


def test_a_clerk_cannot_mark_a_duplicate_of_a_classified_item(clerk, sessions, item_id, classified_receipt):
    mark_duplicate(clerk, item_id, classified_receipt)
    with sessions() as session:
        assert session.get(Item, item_id).duplicate_of_id is None


def test_an_administrator_marks_a_duplicate_of_a_classified_item(admin, sessions, item_id, classified_receipt):
    assert "已标记为重复报送" in mark_duplicate(admin, item_id, classified_receipt)


def test_the_raw_message_download_is_not_cached(clerk, item_id):
    assert clerk.get(f"/items/{item_id}/raw").headers["cache-control"] == "no-store"


def test_an_attachment_download_is_not_cached(clerk, sessions, item_id):
    with sessions() as session:
        attachment_id = session.scalars(select(AttachmentRow.id).where(AttachmentRow.item_id == item_id)).first()
    assert clerk.get(f"/attachments/{attachment_id}").headers["cache-control"] == "no-store"
