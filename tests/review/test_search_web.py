"""Finding any item in the console: by 收件编号, title words, unit, dates and state; the 操作记录 pages."""

from __future__ import annotations

import pytest

from baosong.db import transaction
from baosong import actions
from tests.review.year import add_year


@pytest.fixture
def year(settings, sessions, units) -> dict[str, int]:
    with transaction(sessions) as session:
        return add_year(settings, session, units)


def test_a_receipt_number_finds_its_item_whatever_its_state(clerk, year):
    page = clerk.get("/queue", params={"q": "cjhb-2026-00002", "verdict": "all"}).text
    assert "阜康市召开生态环境保护工作会议" in page and "昌吉市开展春季" not in page


def test_title_words_must_all_appear(clerk, year):
    page = clerk.get("/queue", params={"q": "昌吉市 大气", "verdict": "all"}).text
    assert "昌吉市开展春季大气污染防治专项检查" in page and "农村人居环境整治" not in page


def test_the_accepted_list_shows_accepted_items_only(clerk, year):
    page = clerk.get("/queue", params={"verdict": "accepted"}).text
    assert "CJHB-2026-00001" in page and "CJHB-2026-00002" in page and "CJHB-2026-00003" not in page
    assert "信息条目：已接收" in page


def test_the_queue_itself_holds_no_accepted_item(clerk, year):
    page = clerk.get("/queue").text
    assert "CJHB-2026-00003" in page and "CJHB-2026-00001" not in page


def test_unit_and_received_dates_narrow_the_list(clerk, year, units):
    page = clerk.get("/queue", params={"verdict": "all", "unit": units["昌吉市环境保护局"],
                                      "from": "2026-01-01", "to": "2026-01-31"}).text
    assert "CJHB-2026-00001" in page and "CJHB-2026-00002" not in page and "CJHB-2026-00003" not in page


def test_a_search_with_no_match_says_so_in_chinese(clerk, year):
    page = clerk.get("/queue", params={"q": "<script>不存在的词", "verdict": "all"}).text
    assert "没有符合条件的条目" in page and "<script>不存在" not in page


def test_the_audit_log_names_items_by_receipt_and_title(clerk, sessions, year):
    with transaction(sessions) as session:
        actions.add_note(session, year["CJHB-2026-00002"], "wang", "已电话核实")
    page = clerk.get("/audit").text
    assert "CJHB-2026-00002" in page and "阜康市召开生态环境保护工作会议" in page and "已电话核实" in page


def test_the_audit_log_filters_by_action_and_item(clerk, sessions, year):
    with transaction(sessions) as session:
        actions.add_note(session, year["CJHB-2026-00001"], "wang", "第一条备注")
        actions.add_note(session, year["CJHB-2026-00002"], "wang", "第二条备注")
    page = clerk.get("/audit", params={"action": "note", "item": "CJHB-2026-00002"}).text
    assert "第二条备注" in page and "第一条备注" not in page


def test_the_audit_log_pages_fifty_at_a_time(clerk, sessions, year):
    with transaction(sessions) as session:
        for n in range(55):
            actions.add_note(session, year["CJHB-2026-00001"], "wang", f"备注{n:02d}")
    first = clerk.get("/audit").text
    second = clerk.get("/audit", params={"page": 2}).text
    assert "备注54" in first and "备注00" not in first and "备注00" in second and "第 2 页" in second and "下一页" in first


def test_automatic_decisions_are_the_systems_in_chinese(clerk, sessions, year):
    from baosong.models import AuditEntry

    with transaction(sessions) as session:
        session.add(AuditEntry(actor="system", action="judged", item_id=year["CJHB-2026-00001"], details={}))
    page = clerk.get("/audit").text
    assert "<td>系统</td>" in page and "<td>自动审核</td>" in page and ">judged<" not in page and ">system<" not in page


def test_ignored_mail_has_its_own_list(clerk, settings, sessions, units):
    from tests.review.samples import vague_item

    with transaction(sessions) as session:
        vague_item(settings, session, unit_id=None, title="", subject="自动回复：我现在休假中").verdict = "ignored"
    ignored = clerk.get("/queue", params={"verdict": "ignored"}).text
    assert "自动回复：我现在休假中" in ignored and "已忽略" in ignored
    assert "自动回复：我现在休假中" not in clerk.get("/queue").text


def test_the_overview_links_to_the_ignored_mail(clerk):
    assert 'href="/queue?verdict=ignored"' in clerk.get("/").text
