"""The clerk's year in real headless Chromium: search, settling, bulk actions, corrections and the
batch adoption form. With BAOSONG_WRITE_SCREENSHOTS=1 they write docs/screenshots/search.png,
settle.png, bulk.png, correction.png and batch-adoptions.png."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from baosong.db import transaction
from baosong.models import Item
from scoring.ledger import record_adoption
from scoring.ruleset import load_ruleset
from baosong import BUNDLED_CONFIG
from tests.review.test_browser import browser, log_in, page, screenshot, showcase, site  # noqa: F401 - fixtures

OUTLET = "生态环境部政务信息刊物"


def _receipt(sessions, item_id: int) -> str:  # noqa: ANN001
    with sessions() as session:
        return session.get(Item, item_id).receipt


def test_a_clerk_finds_an_accepted_item_by_its_receipt_number(page, site, sessions, accepted_item):  # noqa: F811
    receipt = _receipt(sessions, accepted_item)
    log_in(page, site)
    page.get_by_role("link", name="全部信息").click()
    page.get_by_label("查找").fill(receipt)
    page.get_by_label("状态").select_option(label="已接收")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_role("heading")).to_contain_text("信息条目：已接收 共 1 条")
    expect(page.locator("table.queue tbody tr")).to_contain_text(receipt)
    screenshot(page, "search.png")
    page.get_by_role("link", name="昌吉市开展春季大气污染防治专项检查").click()
    expect(page.locator("#books")).to_be_visible()


def test_settling_an_item_takes_it_out_of_the_queue(page, site, item_id):  # noqa: F811
    log_in(page, site)
    page.goto(f"{site}/items/{item_id}")
    page.get_by_label("了结的理由（必填）").fill("已电话告知单位，单位将另行报送")
    page.get_by_role("button", name="了结（移出待处理队列）").click()
    expect(page.locator(".flash")).to_contain_text("已了结")
    expect(page.locator(".item-head")).to_contain_text("已了结")
    screenshot(page, "settle.png")
    page.goto(f"{site}/queue")
    expect(page.get_by_role("link", name="昌吉市开展春季大气污染防治专项检查")).to_have_count(0)
    page.goto(f"{site}/queue?verdict=settled")
    expect(page.get_by_role("link", name="昌吉市开展春季大气污染防治专项检查")).to_be_visible()


def test_bulk_settling_several_items_with_one_reason(page, site, showcase):  # noqa: F811
    log_in(page, site)
    page.goto(f"{site}/queue")
    expect(page.get_by_role("heading", name="待处理队列")).to_contain_text("共 6 条")
    boxes = page.locator('table.queue input[name="ids"]')
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_label("理由（必填，记入每条的操作记录）").fill("单位已重新报送")
    screenshot(page, "bulk.png")
    page.get_by_role("button", name="了结", exact=True).click()
    expect(page.locator(".flash")).to_contain_text("已了结 2 条")
    expect(page.get_by_role("heading", name="待处理队列")).to_contain_text("共 4 条")
    page.goto(f"{site}/audit?action=settle")
    expect(page.locator("tbody tr")).to_have_count(2)
    expect(page.locator("tbody tr").first).to_contain_text("单位已重新报送")


def test_a_bulk_action_without_a_reason_shows_the_error_beside_it(page, site, showcase):  # noqa: F811
    log_in(page, site)
    page.goto(f"{site}/queue")
    page.locator('table.queue input[name="ids"]').nth(0).check()
    page.get_by_label("理由（必填，记入每条的操作记录）").evaluate("input => input.removeAttribute('required')")
    page.get_by_role("button", name="了结", exact=True).click()
    expect(page.locator("form.bulk .field-error")).to_contain_text("批量处理须填写理由")
    expect(page.locator('table.queue input[name="ids"]').nth(0)).to_be_checked()


def test_an_adoption_is_corrected_then_deleted_and_the_report_follows(page, site, sessions, accepted_item):  # noqa: F811
    with transaction(sessions) as session:
        record_adoption(session, load_ruleset(BUNDLED_CONFIG, "A"), session.get(Item, accepted_item), OUTLET,
                        date(2026, 3, 19), proof_received_on=date(2026, 3, 19), actor="wang")
    log_in(page, site)
    page.goto(f"{site}/items/{accepted_item}")
    page.locator("#books").get_by_role("link", name="更正或删除").click()
    form = page.locator("form#correct")
    form.get_by_label("采用的刊物或媒体").select_option("州局微信平台")
    form.get_by_label("更正的理由（必填）").fill("刊物登记错误，实为州局微信平台")
    screenshot(page, "correction.png")
    form.get_by_role("button", name="保存更正").click()
    expect(page.locator(".flash")).to_contain_text("已更正这条采用记录")
    expect(page.locator("#books")).to_contain_text("州局微信平台")
    page.locator("#books").get_by_role("link", name="更正或删除").click()
    page.locator("form#delete").get_by_label("删除的理由（必填）").fill("登记错了条目")
    page.get_by_role("button", name="删除这条记录").click()
    expect(page.locator(".flash")).to_contain_text("已删除这条采用记录")
    expect(page.locator("#books")).to_contain_text("尚未登记采用")
    page.goto(f"{site}/audit")
    expect(page.locator("tbody tr").first).to_contain_text("删除采用")


def test_the_batch_form_lists_a_bad_row_then_records_the_month(page, site, sessions, accepted_item):  # noqa: F811
    receipt = _receipt(sessions, accepted_item)
    log_in(page, site)
    page.goto(f"{site}/books")
    page.get_by_role("link", name="批量登记").click()
    page.get_by_label("第 1 行的信息").fill(receipt)
    page.get_by_label("第 1 行的刊物").select_option(OUTLET)
    page.get_by_label("第 1 行的采用日期").fill("2026-03-19")
    page.get_by_label("第 1 行的收到证明日期").fill("2026-03-20")
    page.get_by_label("第 2 行的信息").fill("CJHB-2026-09999")
    page.get_by_label("第 2 行的刊物").select_option("州局微信平台")
    page.get_by_label("第 2 行的采用日期").fill("2026-03-19")
    page.get_by_role("button", name="全部登记").click()
    expect(page.locator("tr.has-error")).to_contain_text("找不到信息「CJHB-2026-09999」")
    expect(page.get_by_label("第 1 行的信息")).to_have_value(receipt)
    screenshot(page, "batch-adoptions.png")
    page.get_by_label("第 2 行的信息").fill("昌吉市开展春季大气污染防治专项检查")
    page.get_by_role("button", name="全部登记").click()
    expect(page.locator(".flash")).to_contain_text("已登记 2 条采用")
