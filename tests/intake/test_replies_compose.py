"""What each kind of reply says, and the headers every reply carries."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest

from baosong import BUNDLED_CONFIG
from baosong.models import OutboxMessage
from baosong.settings import RepliesSettings, Settings, SmtpSettings
from intake.outbox import queue_followup, queue_reply, send_pending
from intake.replies import (
    Envelope,
    OfficeFacts,
    ReplyKind,
    ReplyTemplates,
    build_message,
    clean_text,
    reply_context,
    reply_kind,
    reply_subject,
)
from intake.smtp_capture import SmtpCapture
from tests.factories.replies import TITLE, judgement, stored_item
from validators.findings import Finding, Severity, Verdict
from validators.template import TITLE_PLACEHOLDER

OFFICE = OfficeFacts("昌吉州生态环境局", "昌吉州生态环境局", "cjhbxx@example.cn", "传真或机要渠道", ("一事一报。",))
RECEIVED = datetime(2026, 3, 5, 9, 30, tzinfo=UTC)
CLASSIFIED = Finding("CLASSIFIED_MARKING", Severity.ERROR, message="文档带有密级标识。")
DUPLICATE = Finding(
    "DUPLICATE", Severity.ERROR,
    params={"first_unit": "河口县生态环境分局", "first_date": "2026年2月1日", "first_receipt": "CJHB-2026-00007"},
    evidence={"receipt": "CJHB-2026-00007", "unit": "河口县生态环境分局", "date": "2026-02-01", "similarity": 0.93},
    message="与已采用的信息重复。",
)


def render(kind: ReplyKind, verdict) -> tuple[str, str]:  # noqa: ANN001
    context = reply_context(kind, verdict, receipt="CJHB-2026-00042", title=TITLE, office=OFFICE,
                            received=RECEIVED, annotated=True)
    return ReplyTemplates(BUNDLED_CONFIG, "A").render(kind, context)


def test_subject_quotes_the_original_with_the_receipt():
    assert reply_subject("报送信息", "CJHB-2026-00042", ReplyKind.ACCEPTED) == "【已接收】回复：报送信息 [CJHB-2026-00042]"


def test_subject_does_not_stack_reply_prefixes():
    assert reply_subject("【退回】回复：Re: 报送信息", None, ReplyKind.REJECTED) == "【退回】回复：报送信息"


def test_subject_of_a_reply_to_our_rejection_keeps_neither_the_old_outcome_nor_the_old_receipt():
    original = "回复：【退回】回复：奇台县环境保护局开展秸秆禁烧巡查 [CJHB-2026-00021]"
    assert reply_subject(original, "CJHB-2026-00037", ReplyKind.ACCEPTED) == (
        "【已接收】回复：奇台县环境保护局开展秸秆禁烧巡查 [CJHB-2026-00037]"
    )


def test_subject_of_classified_reply_repeats_nothing():
    assert reply_subject("机密★关于某事项的报告", "CJHB-2026-00042", ReplyKind.CLASSIFIED) == "【退回】回复：关于您报送邮件的处理意见 [CJHB-2026-00042]"


def test_subject_starts_with_the_outcome_a_review_reply_included():
    assert reply_subject("报送信息", "CJHB-2026-00042", ReplyKind.REVIEW).startswith("【待审核】回复：")


def test_clean_text_removes_line_breaks_and_bidi_overrides():
    assert clean_text("a\r\nb\u202ec\x00d") == "a bc d"


@pytest.mark.parametrize(
    ("verdict", "findings", "kind"),
    [
        (Verdict.ACCEPTED, [], ReplyKind.ACCEPTED),
        (Verdict.REVIEW, [], ReplyKind.REVIEW),
        (Verdict.REJECTED, [CLASSIFIED], ReplyKind.CLASSIFIED),
        (Verdict.REJECTED, [DUPLICATE], ReplyKind.DUPLICATE),
        (Verdict.IGNORED, [], None),
    ],
)
def test_reply_kind_follows_the_verdict_and_findings(verdict, findings, kind):
    assert reply_kind(judgement(verdict, findings)) == kind


def test_accepted_reply_names_receipt_title_and_photo_count():
    warning = Finding("NO_EXPLICIT_DATE", Severity.WARNING, message="正文中没有写明具体日期。")
    text, _ = render(ReplyKind.ACCEPTED, judgement(Verdict.ACCEPTED, [warning]))
    assert all(part in text for part in ("CJHB-2026-00042", TITLE, "随附照片：0 张", "1. 正文中没有写明具体日期。"))


def test_rejected_reply_reminds_the_template_rules_and_how_to_resubmit():
    text, _ = render(ReplyKind.REJECTED, judgement())
    assert "  · 一事一报。" in text and "直接回复本邮件，附上改好的 .docx 文件" in text


def test_rejected_reply_to_an_unfilled_template_names_the_mail_not_the_placeholder_title():
    unfilled = Finding("TEMPLATE_NOT_FILLED", Severity.ERROR, message="文档中仍是模板的提示文字。")
    context = reply_context(ReplyKind.REJECTED, judgement(Verdict.REJECTED, [unfilled], subject="吉木萨尔县环境保护局信息"),
                            receipt="CJHB-2026-00042", title=TITLE_PLACEHOLDER, office=OFFICE, received=RECEIVED,
                            annotated=True)
    text, _ = ReplyTemplates(BUNDLED_CONFIG, "A").render(ReplyKind.REJECTED, context)
    assert TITLE_PLACEHOLDER not in text and "报送的邮件“吉木萨尔县环境保护局信息”未通过审核" in text


def test_review_reply_says_no_action_is_needed():
    text, _ = render(ReplyKind.REVIEW, judgement(Verdict.REVIEW, []))
    assert "正在由工作人员审核" in text and "无需任何操作" in text


def test_classified_reply_quotes_nothing_from_the_mail_or_document():
    verdict = judgement(Verdict.REJECTED, [CLASSIFIED], subject="机密★某专项行动方案")
    text, html = render(ReplyKind.CLASSIFIED, verdict)
    assert not any(secret in text + html for secret in (TITLE, "某专项行动方案", "青山县"))


def test_classified_reply_points_to_the_secure_channel():
    text, _ = render(ReplyKind.CLASSIFIED, judgement(Verdict.REJECTED, [CLASSIFIED]))
    assert "改用传真或机要渠道报送" in text


def test_duplicate_reply_names_the_first_report():
    text, _ = render(ReplyKind.DUPLICATE, judgement(Verdict.REJECTED, [DUPLICATE]))
    assert "河口县生态环境分局 2026年2月1日 报送" in text and "收件编号 CJHB-2026-00007" in text


def test_html_part_escapes_text_from_the_document():
    _, html = render(ReplyKind.ACCEPTED, replace(judgement(Verdict.ACCEPTED, []), unit=None))
    _, hostile = render(
        ReplyKind.REJECTED, judgement(findings=[Finding("MISSING_TITLE", Severity.ERROR, message="<script>x</script>")])
    )
    assert "<script>" not in hostile and "&lt;script&gt;" in hostile and "<script>" not in html


def envelope(**changes: object) -> Envelope:
    base = Envelope(
        sender="xinxi@cjhb.example.cn", sender_name="昌吉州生态环境局", recipient="qsx@example.cn",
        subject="回复：报送信息 [CJHB-2026-00042]", message_id="<r1@reply.example.cn>",
        in_reply_to="<a1@example.cn>", date=RECEIVED, references=("<a0@example.cn>",),
    )
    return replace(base, **changes)


def test_reply_is_marked_auto_replied_and_suppresses_auto_responses():
    message = build_message(envelope(), "正文", "<p>正文</p>")
    assert (message["Auto-Submitted"], message["X-Auto-Response-Suppress"]) == ("auto-replied", "All")


def test_reply_survives_a_round_trip_with_both_parts():
    data = build_message(envelope(), "正文", "<p>正文</p>").as_bytes()
    parsed = message_from_bytes(data, policy=policy.default)
    assert parsed.get_body(("plain",)).get_content().strip() == "正文"
    assert parsed.get_body(("html",)).get_content().strip() == "<p>正文</p>"


def test_hostile_in_reply_to_is_reduced_to_one_token():
    message = build_message(envelope(in_reply_to="<a1@example.cn>\r\nBcc: x@example.cn"), "正文", "<p>正文</p>")
    assert (message["In-Reply-To"], message["Bcc"]) == ("<a1@example.cn>", None)


@pytest.fixture
def mail_settings(settings: Settings, smtp: SmtpCapture) -> Settings:
    return replace(
        settings,
        smtp=replace(SmtpSettings(), host=smtp.host, port=smtp.port, ssl=False, sender="xinxi@cjhb.example.cn"),
        replies=replace(RepliesSettings(), message_id_domain="reply.cjhb.example.cn"),
    )


def test_message_id_is_on_our_domain(sessions, mail_settings):
    with sessions() as session, session.begin():
        item = stored_item(session, Verdict.REJECTED)
        row = queue_reply(session, item=item, judgement=judgement(), settings=mail_settings, organisation_name="")
        assert row.message_id.endswith("@reply.cjhb.example.cn>")


def test_clerk_followup_is_sent_with_the_clerks_note(sessions, mail_settings, smtp):
    with sessions() as session, session.begin():
        item = stored_item(session, Verdict.REVIEW)
        queue_followup(session, item=item, kind="accepted_by_clerk", actor="clerk1", note="已核实，不属于重复报送。")
    send_pending(sessions, mail_settings)
    reply = smtp.wait_for(1)[0]
    text = reply.message.get_body(("plain",)).get_content()
    assert "审核意见：已核实，不属于重复报送。" in text and reply.message["In-Reply-To"] == "<unit-0001@example.cn>"


def test_clerk_followup_uses_our_address_as_envelope_sender(sessions, mail_settings, smtp):
    with sessions() as session, session.begin():
        queue_followup(session, item=stored_item(session, Verdict.REVIEW), kind="rejected_by_clerk", actor="clerk1")
    send_pending(sessions, mail_settings)
    assert smtp.wait_for(1)[0].mail_from == "xinxi@cjhb.example.cn"


def test_unknown_followup_kind_is_refused(sessions):
    with sessions() as session, session.begin(), pytest.raises(ValueError):
        queue_followup(session, item=stored_item(session, Verdict.REVIEW), kind="accepted", actor="clerk1")


def test_followup_to_a_no_reply_address_is_refused(sessions):
    with sessions() as session, session.begin(), pytest.raises(ValueError, match="no-reply@oa.example.cn"):
        item = stored_item(session, Verdict.REVIEW)
        item.sender = "no-reply@oa.example.cn"
        queue_followup(session, item=item, kind="accepted_by_clerk", actor="clerk1")


def test_followup_has_a_message_id_once_sent(sessions, mail_settings, smtp):
    with sessions() as session, session.begin():
        row_id = queue_followup(session, item=stored_item(session, Verdict.REVIEW), kind="accepted_by_clerk",
                                actor="clerk1").id
    send_pending(sessions, mail_settings)
    with sessions() as session:
        assert session.get(OutboxMessage, row_id).message_id == smtp.wait_for(1)[0].message["Message-ID"]
