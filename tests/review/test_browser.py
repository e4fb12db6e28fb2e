"""The console in real headless Chromium (Debian `chromium`, driven by Playwright).

Under CI=true a missing /usr/bin/chromium fails the run; elsewhere these tests are skipped.
With BAOSONG_WRITE_SCREENSHOTS=1 they also write docs/screenshots/queue.png, item.png,
adoption.png, books.png and report.png (`make screenshots`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from baosong.db import transaction
from baosong.models import FindingRow
from tests.review.samples import NOW, PASSWORD, vague_item
from tests.review.serving import serve

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

if not CHROMIUM.exists():
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI 环境必须安装 Debian chromium（{CHROMIUM} 不存在）", pytrace=False)
    pytest.skip(f"{CHROMIUM} 不存在：未安装 Debian chromium，跳过浏览器测试", allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--lang=zh-CN"],
        )
        yield launched
        launched.close()


@pytest.fixture
def showcase(settings, sessions, units, item_id) -> int:
    """A realistic queue around the item under test; returns the id of the `<script>` item."""
    samples = [
        ("阜康市环境保护局开展饮用水水源地环境执法检查", "MISSING_PHONE", "缺少撰稿人手机号。", "review"),
        ("关于报送我局第一季度生态环境保护工作情况的信息", "PHOTO_TOO_SMALL", "照片“IMG_2031.JPG”只有 245 KB，小于要求的 1 MB。", "rejected"),
        ("阜康市召开2026年度环境保护目标责任书签订会议", "POSSIBLE_DUPLICATE", "与已采用的信息较为相似（相似度 81%）。", "review"),
        ("阜康市环境保护局组织学习《中华人民共和国环境保护法》", "NO_EXPLICIT_DATE", "正文中没有写明具体日期（×月×日）。", "rejected"),
    ]
    with transaction(sessions) as session:
        for n, (title, code, message, verdict) in enumerate(samples, start=1):
            item = vague_item(settings, session, unit_id=units["阜康市环境保护局"], title=title,
                              subject=title, received_at=NOW - timedelta(hours=3 * n), photo_name=f"现场照片{n}.jpg")
            item.verdict = verdict
            item.findings.append(FindingRow(code=code, severity="error" if verdict == "rejected" else "review",
                                            message=message))
        hostile = vague_item(settings, session, unit_id=None, title="",
                             subject="<script>alert('xss')</script>关于环保检查的报送", received_at=NOW - timedelta(days=1))
        return hostile.id


@pytest.fixture
def site(console, showcase) -> Iterator[str]:
    yield from serve(console)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="zh-CN")
    context.set_default_timeout(10_000)
    opened = context.new_page()
    yield opened
    context.close()


def log_in(page: Page, site: str, name: str = "wang") -> None:
    page.goto(f"{site}/login")
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="概览")).to_be_visible()


def screenshot(page: Page, name: str) -> None:
    if os.environ.get("BAOSONG_WRITE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def test_a_logged_out_visit_lands_on_the_login_page(page, site):
    page.goto(f"{site}/queue")
    assert page.url.startswith(f"{site}/login")
    expect(page.get_by_role("heading", name="登录管理台")).to_be_visible()


def test_the_queue_lists_rejected_and_review_items(page, site):
    log_in(page, site)
    page.get_by_role("link", name="待处理队列").click()
    expect(page.get_by_role("heading", name="待处理队列")).to_contain_text("共 6 条")
    screenshot(page, "queue.png")


def test_the_item_page_highlights_the_vague_word_with_its_suggestion(page, site, item_id):
    log_in(page, site)
    page.goto(f"{site}/queue")
    page.get_by_role("link", name="昌吉市开展春季大气污染防治专项检查").click()
    expect(page.locator("mark.sev-error")).to_contain_text("近日")
    expect(page.locator(".finding .fix")).to_contain_text("请改为具体日期")
    screenshot(page, "item.png")


def test_accepting_with_a_reason_counts_for_the_unit_and_is_audited(page, site, item_id):
    log_in(page, site)
    expect(page.locator("tr", has_text="昌吉市环境保护局")).to_contain_text("差 8 条")
    page.goto(f"{site}/items/{item_id}")
    page.get_by_label("仍予接收的理由（必填）").fill("已电话核实，活动日期为3月16日")
    page.get_by_role("button", name="仍予接收").click()
    expect(page.locator(".flash")).to_contain_text("已接收")
    page.goto(f"{site}/queue")
    expect(page.get_by_role("link", name="昌吉市开展春季大气污染防治专项检查")).to_have_count(0)
    page.goto(f"{site}/")
    expect(page.locator("tr", has_text="昌吉市环境保护局")).to_contain_text("差 7 条")
    page.goto(f"{site}/audit")
    expect(page.locator("tbody tr").first).to_contain_text("已电话核实，活动日期为3月16日")


def test_a_script_subject_is_shown_as_text(page, site, showcase):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, site)
    page.goto(f"{site}/queue")
    expect(page.get_by_role("link", name="<script>alert('xss')</script>关于环保检查的报送")).to_be_visible()
    page.goto(f"{site}/items/{showcase}")
    expect(page.locator("dl.mail")).to_contain_text("<script>alert('xss')</script>")
    assert dialogs == []


def test_a_form_post_without_the_csrf_token_is_refused(page, site, item_id):
    log_in(page, site)
    page.goto(f"{site}/items/{item_id}")
    form = page.locator(f'form[action="/items/{item_id}/note"]')
    form.locator('input[name="csrf_token"]').evaluate("input => input.remove()")
    form.get_by_label("备注").fill("没有令牌的提交")
    with page.expect_response(f"{site}/items/{item_id}/note") as answer:
        form.get_by_role("button", name="添加备注").click()
    assert answer.value.status == 403
    expect(page.get_by_role("heading")).to_contain_text("无法完成（403）")


def test_an_adoption_recorded_on_the_item_page_scores_on_the_month_report(page, site, accepted_item):
    log_in(page, site)
    page.goto(f"{site}/items/{accepted_item}")
    page.get_by_label("采用的刊物或媒体").select_option("生态环境部政务信息刊物")
    page.get_by_role("button", name="登记采用").click()
    expect(page.locator(".flash")).to_contain_text("已登记：本条信息被「生态环境部政务信息刊物」采用")
    expect(page.locator("#books")).to_contain_text("政务信息 30 分")
    screenshot(page, "adoption.png")
    page.get_by_role("link", name="月度通报").click()
    expect(page.get_by_role("heading", name="月度通报")).to_contain_text("2026年3月")
    row = page.locator("table.report tr", has_text="昌吉市环境保护局")
    expect(row.locator("td")).to_have_text(["1", "昌吉市环境保护局", "1", "0", "0", "0", "30", "30", "270", "0", "0", "100"])
    expect(page.locator("table.items tr", has_text="昌吉市环境保护局").locator("td").last).to_have_text("30")
    screenshot(page, "report.png")


def test_an_adjustment_recorded_on_the_books_page_is_listed(page, site):
    log_in(page, site)
    page.get_by_role("link", name="加减分与约稿").click()
    form = page.locator('form[action="/books/adjustments"]')
    form.get_by_label("单位").select_option(label="阜康市环境保护局")
    form.get_by_label("规定的加减分项目").select_option("信息严重失实")
    form.get_by_role("button", name="登记加减分").click()
    expect(page.locator(".flash")).to_contain_text("已登记阜康市环境保护局的加减分")
    expect(page.locator("#adjustments tbody tr").first).to_contain_text("-30 分")
    screenshot(page, "books.png")
