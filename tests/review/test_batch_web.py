"""Batch adoption entry in the console: one form of many rows, or one sheet; errors beside their rows."""

from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import func, select

from baosong.models import Adoption, Item
from tests.review.conftest import token_of
from tests.review.test_books_web import OUTLET

TITLE = "昌吉市开展春季大气污染防治专项检查"


def _count(sessions) -> int:  # noqa: ANN001
    with sessions() as session:
        return session.scalar(select(func.count(Adoption.id)))


def _receipt(sessions, item_id) -> str:  # noqa: ANN001
    with sessions() as session:
        return session.get(Item, item_id).receipt


def test_the_batch_page_offers_ten_rows_and_more_on_request(clerk):
    assert clerk.get("/books/adoptions").text.count('name="item"') == 10
    assert clerk.get("/books/adoptions", params={"rows": 30}).text.count('name="item"') == 30


def test_a_form_of_rows_records_every_adoption_and_answers_303(clerk, sessions, accepted_item):
    response = clerk.post("/books/adoptions", data={
        "csrf_token": token_of(clerk, "/books/adoptions"),
        "item": [_receipt(sessions, accepted_item), TITLE, ""],
        "outlet": [OUTLET, "州局微信平台", ""], "adopted_on": ["2026-03-19", "2026-03-20", ""],
        "proof_received_on": ["2026-03-20", "2026-03-21", ""], "note": ["", "", ""],
    }, follow_redirects=False)
    assert response.status_code == 303 and _count(sessions) == 2


def test_a_bad_row_is_shown_beside_itself_and_nothing_is_recorded(clerk, sessions, accepted_item):
    response = clerk.post("/books/adoptions", data={
        "csrf_token": token_of(clerk, "/books/adoptions"),
        "item": [TITLE, "CJHB-2026-99999"], "outlet": [OUTLET, OUTLET],
        "adopted_on": ["2026-03-19", "2026-03-19"], "proof_received_on": ["", ""], "note": ["", ""],
    })
    assert response.status_code == 422 and "找不到信息「CJHB-2026-99999」" in response.text
    assert 'value="CJHB-2026-99999"' in response.text and _count(sessions) == 0


def _sheet(*rows) -> bytes:
    book = Workbook()
    book.active.append(("收件编号", "标题", "刊物", "采用日期", "证明日期"))
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_uploaded_sheet_is_recorded(clerk, sessions, accepted_item):
    data = _sheet((_receipt(sessions, accepted_item), "", OUTLET, "2026-03-19", "2026-03-20"))
    response = clerk.post("/books/adoptions/sheet", data={"csrf_token": token_of(clerk, "/books/adoptions")},
                          files={"sheet": ("三月采用.xlsx", data)}, follow_redirects=False)
    assert response.status_code == 303 and _count(sessions) == 1


def test_an_uploaded_sheet_names_the_rows_whose_proof_came_too_late_to_score(clerk, sessions, accepted_item):
    receipt = _receipt(sessions, accepted_item)
    data = _sheet((receipt, "", OUTLET, "2026-11-10", "2026-11-28"), (receipt, "", "州局微信平台", "2026-11-10", "2026-11-20"))
    html = clerk.post("/books/adoptions/sheet", data={"csrf_token": token_of(clerk, "/books/adoptions")},
                      files={"sheet": ("十一月采用.xlsx", data)}, follow_redirects=True).text
    assert "已从「十一月采用.xlsx」登记 2 条采用" in html
    assert f"信息 {receipt}（{OUTLET}）：注意：刊发证明 2026-11-28 才收到" in html and "州局微信平台）：" not in html


def test_an_uploaded_sheet_with_a_bad_row_lists_it_by_row(clerk, sessions, accepted_item):
    data = _sheet(("", TITLE, OUTLET, "2026-03-19", ""), ("", TITLE, "人民日报海外版", "2026-03-19", ""))
    response = clerk.post("/books/adoptions/sheet", data={"csrf_token": token_of(clerk, "/books/adoptions")},
                          files={"sheet": ("三月采用.xlsx", data)})
    assert response.status_code == 422 and "第 3 行：规则集中没有刊物「人民日报海外版」" in response.text
    assert _count(sessions) == 0


def test_a_file_that_is_not_a_sheet_is_refused_in_chinese(clerk, accepted_item):
    response = clerk.post("/books/adoptions/sheet", data={"csrf_token": token_of(clerk, "/books/adoptions")},
                          files={"sheet": ("三月采用.xlsx", b"not a workbook")})
    assert response.status_code == 422 and "无法读取" in response.text


def test_a_form_of_three_hundred_rows_is_read_whole(clerk, sessions, accepted_item):
    blank = [""] * 299
    response = clerk.post("/books/adoptions", data={
        "csrf_token": token_of(clerk, "/books/adoptions"), "item": [TITLE, *blank], "outlet": [OUTLET, *blank],
        "adopted_on": ["2026-03-19", *blank], "proof_received_on": ["2026-03-20", *blank], "note": ["", *blank],
    }, follow_redirects=False)
    assert response.status_code == 303 and _count(sessions) == 1


def test_the_batch_form_without_the_csrf_token_is_refused(clerk, sessions, accepted_item):
    clerk.get("/books/adoptions")
    response = clerk.post("/books/adoptions", data={"item": [TITLE], "outlet": [OUTLET], "adopted_on": ["2026-03-19"]})
    assert response.status_code == 403 and _count(sessions) == 0


def test_a_sheet_form_without_a_file_answers_in_chinese_not_json(clerk):
    response = clerk.post("/books/adoptions/sheet", data={"csrf_token": token_of(clerk, "/books/adoptions")})
    assert response.status_code == 422 and "提交的内容不完整" in response.text
    assert response.headers["content-type"].startswith("text/html")
