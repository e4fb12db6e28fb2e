"""The console over HTTP: every route, its access rules, security headers, CSRF, escaping, downloads."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from baosong.db import transaction
from baosong.models import AttachmentRow, AuditEntry, FindingRow, Item, MailboxCursor, OutboxMessage, RawMessage
from baosong.settings import Settings, WebSettings
from review.web import create_console
from tests.review.conftest import log_in, token_of
from tests.review.samples import NOW, PREFIX, vague_item

PAGES = ["/", "/queue", "/units", "/audit", "/health"]
POSTS = ["accept", "reject", "not-duplicate", "duplicate", "unit", "note"]


@pytest.mark.parametrize("path", [*PAGES, "/items/1", "/items/1/raw", "/attachments/1", "/attachments/1/thumbnail"])
def test_a_logged_out_visit_redirects_to_the_login_page(anonymous, item_id, path):
    response = anonymous.get(path, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")


def test_login_returns_to_the_page_first_asked_for(anonymous, item_id):
    token = token_of(anonymous, "/login")
    response = anonymous.post(
        "/login", data={"name": "wang", "password": "correct horse battery", "csrf_token": token,
                        "next": f"/items/{item_id}"}, follow_redirects=False,
    )
    assert response.headers["location"] == f"/items/{item_id}"


def test_login_never_redirects_to_another_site(anonymous):
    token = token_of(anonymous, "/login")
    response = anonymous.post(
        "/login", data={"name": "wang", "password": "correct horse battery", "csrf_token": token,
                        "next": "//evil.example/"}, follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_a_wrong_password_is_refused_in_chinese(anonymous):
    response = log_in(anonymous, "wang", "not the password")
    assert response.status_code == 401 and "用户名或密码不正确" in response.text


def test_login_is_rate_limited_per_address(anonymous):
    for _ in range(3):
        log_in(anonymous, "wang", "not the password")
    response = log_in(anonymous, "wang", "correct horse battery")
    assert response.status_code == 429 and "登录失败次数过多" in response.text


def test_login_without_the_csrf_token_is_refused(anonymous):
    anonymous.get("/login")
    response = anonymous.post("/login", data={"name": "wang", "password": "correct horse battery"})
    assert response.status_code == 403


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_for_a_clerk(clerk, item_id, path):
    response = clerk.get(path)
    assert response.status_code == 200 and "报送" in response.text


@pytest.mark.parametrize("path", [*PAGES, "/login"])
def test_pages_carry_the_security_headers(clerk, path):
    headers = clerk.get(path).headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


def test_session_cookie_is_httponly_and_samesite(anonymous):
    cookie = anonymous.get("/login").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie


def test_session_cookie_is_secure_when_configured(settings, sessions, accounts):
    settings = Settings(paths=settings.paths, database=settings.database,
                        web=WebSettings(secure_cookies=True))
    with TestClient(create_console(settings, sessions, receipt_prefix=PREFIX), base_url="https://testserver") as client:
        assert "secure" in client.get("/login").headers["set-cookie"].lower()


@pytest.mark.parametrize("action", POSTS)
def test_a_post_without_the_csrf_token_is_refused(clerk, item_id, action):
    response = clerk.post(f"/items/{item_id}/{action}", data={"reason": "x", "note": "x", "original": "1"})
    assert response.status_code == 403 and "安全令牌" in response.text


@pytest.mark.parametrize("action", POSTS)
def test_a_post_with_a_wrong_csrf_token_is_refused(clerk, item_id, action):
    response = clerk.post(f"/items/{item_id}/{action}", data={"csrf_token": "forged", "reason": "x"})
    assert response.status_code == 403


def test_retry_without_the_csrf_token_is_refused(clerk, item_id):
    assert clerk.post("/health/messages/1/retry").status_code == 403


def test_logout_ends_the_session(clerk):
    token = token_of(clerk)
    clerk.post("/logout", data={"csrf_token": token})
    assert clerk.get("/", follow_redirects=False).status_code == 303


def test_a_queued_items_breadcrumb_leads_back_to_the_queue(clerk, item_id):
    html = clerk.get(f"/items/{item_id}").text
    assert '<p class="crumbs"><a href="/queue">待处理队列</a> › ' in html


def test_an_accepted_items_breadcrumb_names_the_accepted_list_in_all_items(clerk, accepted_item):
    html = clerk.get(f"/items/{accepted_item}").text
    assert ('<p class="crumbs"><a href="/queue?verdict=all">全部信息</a> › '
            '<a href="/queue?verdict=accepted">已接收</a> › CJHB-') in html


def test_a_settled_items_breadcrumb_names_the_settled_list(clerk, item_id):
    clerk.post(f"/items/{item_id}/settle", data={"csrf_token": token_of(clerk, f"/items/{item_id}"), "reason": "已电话告知单位"})
    assert '<a href="/queue?verdict=settled">已了结</a> › ' in clerk.get(f"/items/{item_id}").text


def test_the_item_page_highlights_the_vague_word_with_its_suggestion(clerk, item_id):
    html = clerk.get(f"/items/{item_id}").text
    assert 'class="marknum">1</a>近日</mark>' in html
    assert "请改为具体日期，如“3月16日”" in html


def test_the_item_page_shows_sign_off_fields_and_photo_sizes(clerk, item_id):
    html = clerk.get(f"/items/{item_id}").text
    assert "李四" in html and "张三" in html and "13912345678" in html
    assert f'src="/attachments/1/thumbnail"' in html and "字节" in html


@pytest.fixture
def hostile_item(settings, sessions, units) -> int:
    with transaction(sessions) as session:
        item = vague_item(
            settings, session, unit_id=units["昌吉市环境保护局"],
            subject="<script>alert('subject')</script>", title='<img src=x onerror="alert(1)">',
            photo_name='"><script>alert("name")</script>.jpg',
        )
        paragraphs = [dict(p) for p in item.document["paragraphs"]]
        paragraphs[1]["text"] = "近日<script>alert('text')</script>"
        item.document = {"paragraphs": paragraphs}
        item.findings[0].message = "<b>bold</b>"
        return item.id


def test_a_script_subject_is_shown_as_text_in_the_queue(clerk, hostile_item):
    html = clerk.get("/queue").text
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#39;subject&#39;)" in html


def test_script_in_title_file_name_text_and_message_is_escaped_on_the_item_page(clerk, hostile_item):
    html = clerk.get(f"/items/{hostile_item}").text
    assert "<script>" not in html and "<img src=x" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(&#39;text&#39;)" in html
    assert "&#34;&gt;&lt;script&gt;alert(&#34;name&#34;)" in html


def test_classified_items_are_hidden_from_clerks(clerk, settings, sessions, units):
    with transaction(sessions) as session:
        secret = vague_item(settings, session, unit_id=None, subject="机密★ 内部情况", classified=True).id
    assert "机密★" not in clerk.get("/queue").text
    assert clerk.get(f"/items/{secret}").status_code == 404
    assert clerk.get(f"/items/{secret}/raw").status_code == 404


def test_classified_items_are_shown_to_administrators(admin, settings, sessions, units):
    with transaction(sessions) as session:
        secret = vague_item(settings, session, unit_id=None, subject="机密★ 内部情况", classified=True).id
    assert "机密★" in admin.get("/queue").text
    assert admin.get(f"/items/{secret}").status_code == 200


def test_a_clerk_cannot_act_on_a_classified_item(clerk, settings, sessions, units):
    with transaction(sessions) as session:
        secret = vague_item(settings, session, unit_id=units["昌吉市环境保护局"], classified=True).id
    token = token_of(clerk)
    response = clerk.post(f"/items/{secret}/accept", data={"csrf_token": token, "reason": "x"})
    assert response.status_code == 404


def test_accepting_in_the_console_removes_the_item_from_the_queue(clerk, sessions, item_id):
    token = token_of(clerk, f"/items/{item_id}")
    response = clerk.post(f"/items/{item_id}/accept", data={"csrf_token": token, "reason": "电话核实，日期为3月16日"})
    assert response.status_code == 200 and "已接收" in response.text
    assert f'href="/items/{item_id}"' not in clerk.get("/queue").text
    with sessions() as session:
        assert session.scalars(select(AuditEntry.actor)).all() == ["wang"]


def test_accepting_without_a_reason_shows_the_error_on_the_item_page(clerk, sessions, item_id):
    token = token_of(clerk, f"/items/{item_id}")
    html = clerk.post(f"/items/{item_id}/accept", data={"csrf_token": token, "reason": ""}).text
    assert "请填写接收的理由" in html
    with sessions() as session:
        assert session.get(Item, item_id).verdict == "rejected"


def test_each_item_action_answers_303_back_to_the_item(clerk, units, item_id):
    token = token_of(clerk, f"/items/{item_id}")
    forms = {
        "reject": {"reason": "确认"}, "not-duplicate": {"reason": ""}, "duplicate": {"original": "999"},
        "unit": {"unit_id": str(units["阜康市环境保护局"])}, "note": {"note": "已电话联系"},
    }
    for action, data in forms.items():
        response = clerk.post(f"/items/{item_id}/{action}", data={"csrf_token": token, **data}, follow_redirects=False)
        assert (action, response.status_code, response.headers["location"]) == (action, 303, f"/items/{item_id}")


def test_the_note_and_the_audit_trail_appear_on_the_item_page(clerk, item_id):
    token = token_of(clerk, f"/items/{item_id}")
    html = clerk.post(f"/items/{item_id}/note", data={"csrf_token": token, "note": "已电话联系撰稿人"}).text
    assert "已电话联系撰稿人" in html and "添加备注" in html


def test_the_item_page_says_why_no_reply_was_sent(clerk, sessions, item_id):
    reason = "发件地址 no-reply@oa.example.cn 是不接收回信的自动发信地址，未自动回复，请另行通知报送单位"
    with transaction(sessions) as session:
        session.add(AuditEntry(actor="system", action="no_reply", item_id=item_id, reason=reason, details={}))
    html = clerk.get(f"/items/{item_id}").text
    assert "未自动回复" in html and reason in html


def test_the_audit_page_lists_clerk_actions(clerk, item_id):
    token = token_of(clerk, f"/items/{item_id}")
    clerk.post(f"/items/{item_id}/accept", data={"csrf_token": token, "reason": "核实无误"})
    html = clerk.get("/audit").text
    assert "人工接收" in html and "核实无误" in html and "wang" in html


def test_an_attachment_downloads_as_an_attachment_with_explicit_type(clerk, item_id):
    response = clerk.get("/attachments/1")
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content[:2] == b"\xff\xd8"


def test_a_chinese_file_name_survives_in_the_download(clerk, item_id):
    disposition = clerk.get("/attachments/1").headers["content-disposition"]
    assert "filename*=utf-8''%E6%A3%80%E6%9F%A5%E7%8E%B0%E5%9C%BA.jpg" in disposition


def test_a_hostile_file_name_cannot_inject_headers(clerk, sessions, item_id):
    with transaction(sessions) as session:
        session.get(AttachmentRow, 1).display_name = 'a.jpg"\r\nX-Evil: 1\u202e'
    response = clerk.get("/attachments/1")
    assert "x-evil" not in response.headers and "\r" not in response.headers["content-disposition"]


def test_a_stored_path_outside_the_data_folder_is_not_served(clerk, sessions, item_id):
    with transaction(sessions) as session:
        session.get(AttachmentRow, 1).path = "../../../../etc/passwd"
    assert clerk.get("/attachments/1").status_code == 404


def test_a_path_in_the_url_does_not_reach_the_file_system(clerk, item_id):
    assert clerk.get("/attachments/..%2F..%2Fetc%2Fpasswd").status_code in (404, 422)


def test_the_raw_message_downloads_as_eml(clerk, item_id):
    response = clerk.get(f"/items/{item_id}/raw")
    assert response.headers["content-type"].startswith("message/rfc822")
    assert response.headers["content-disposition"].startswith("attachment;")
    assert b"Subject:" in response.content


def test_a_thumbnail_is_a_re_encoded_jpeg(clerk, item_id):
    response = clerk.get("/attachments/1/thumbnail")
    assert response.headers["content-type"] == "image/jpeg" and response.content[:2] == b"\xff\xd8"
    assert len(response.content) < 40_000


def test_a_polyglot_photo_gets_no_thumbnail(clerk, settings, sessions, units):
    with transaction(sessions) as session:
        vague_item(settings, session, unit_id=None, photo=b"<html><script>alert(1)</script></html>")
    with sessions() as session:
        attachment_id = max(session.scalars(select(AttachmentRow.id)))
    assert clerk.get(f"/attachments/{attachment_id}/thumbnail").status_code == 404


@pytest.fixture
def many_items(settings, sessions, units):
    with transaction(sessions) as session:
        for n in range(60):
            item = vague_item(settings, session, unit_id=units["阜康市环境保护局"] if n % 2 else None,
                              subject=f"第{n}条", received_at=NOW - timedelta(days=n))
            item.verdict = "review" if n % 3 == 0 else "rejected"
            if n % 5 == 0:
                item.findings.append(FindingRow(code="MISSING_PHONE", severity="error", message="缺少手机号"))


def test_the_queue_pages_fifty_at_a_time(clerk, many_items):
    first, second = clerk.get("/queue").text, clerk.get("/queue?page=2").text
    assert "共 60 条" in first and "第 1 / 2 页" in first and first.count('href="/items/') == 50
    assert second.count('href="/items/') == 10


def test_the_queue_filters_by_verdict(clerk, many_items):
    assert "共 20 条" in clerk.get("/queue?verdict=review").text


def test_the_queue_filters_by_unit(clerk, many_items, units):
    assert "共 30 条" in clerk.get(f"/queue?unit={units['阜康市环境保护局']}").text


def test_the_queue_filters_by_finding_code(clerk, many_items):
    assert "共 12 条" in clerk.get("/queue?code=MISSING_PHONE").text


def test_the_queue_filters_by_date(clerk, many_items):
    assert "共 3 条" in clerk.get("/queue?from=2026-03-16&to=2026-03-18").text


def test_the_overview_counts_the_queue_and_this_months_units(clerk, item_id):
    html = clerk.get("/").text
    assert "待处理（退回与待审核）" in html and "2026年3月各单位报送情况" in html and "差 8 条" in html


def test_the_health_page_raises_the_alarm_when_the_mailbox_was_not_read_for_an_hour(clerk, sessions):
    with transaction(sessions) as session:
        session.add(MailboxCursor(mailbox="cjhbxx@example.cn", folder="INBOX", last_success_at=NOW - timedelta(hours=2)))
    assert "邮箱已超过 1 小时没有成功读取" in clerk.get("/health").text


def test_the_health_page_is_calm_after_a_recent_mailbox_check(clerk, sessions):
    with transaction(sessions) as session:
        session.add(MailboxCursor(mailbox="cjhbxx@example.cn", folder="INBOX", last_success_at=NOW))
    assert "邮箱已超过 1 小时" not in clerk.get("/health").text


def test_the_health_page_lists_failed_messages_and_retries_one(clerk, sessions, item_id):
    with transaction(sessions) as session:
        raw = session.scalars(select(RawMessage)).first()
        raw.state, raw.last_error = "failed", "RecursionError: maximum depth"
        raw_id = raw.id
    assert "RecursionError: maximum depth" in clerk.get("/health").text
    token = token_of(clerk, "/health")
    html = clerk.post(f"/health/messages/{raw_id}/retry", data={"csrf_token": token}).text
    assert "已将原始邮件" in html
    with sessions() as session:
        assert session.get(RawMessage, raw_id).state == "archived"


def test_the_health_page_shows_outbox_backlog_and_failed_sends(clerk, sessions, item_id):
    with transaction(sessions) as session:
        session.add(OutboxMessage(item_id=item_id, kind="rejected", recipient="changji@example.cn", state="pending"))
        session.add(OutboxMessage(item_id=item_id, kind="rejected", recipient="changji@example.cn", state="failed",
                                  subject="退回通知", last_error="550 mailbox unavailable"))
    html = clerk.get("/health").text
    assert "待发送：<strong>1</strong>" in html and "550 mailbox unavailable" in html


def test_the_item_page_shows_the_reply_that_was_sent(clerk, sessions, item_id):
    eml = ("Subject: =?utf-8?b?6YCA5Zue?=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
           "您报送的信息未被接收，原因如下。\r\n").encode()
    with transaction(sessions) as session:
        session.add(OutboxMessage(item_id=item_id, kind="rejected", recipient="changji@example.cn", state="sent",
                                  subject="退回：春季检查", eml=eml))
    html = clerk.get(f"/items/{item_id}").text
    assert "退回：春季检查" in html and "您报送的信息未被接收" in html and "已发送" in html


def test_the_unit_registry_lists_units_with_this_months_count(clerk, units):
    html = clerk.get("/units").text
    assert "昌吉市环境保护局" in html and "changji@example.cn" in html and "昌吉市环保局" in html


def test_an_unknown_item_answers_404_in_chinese(clerk):
    response = clerk.get("/items/999999")
    assert response.status_code == 404 and "没有找到" in response.text
