"""BAD-INPUTS "Replies": no injection, no backscatter, no loops, a daily cap per recipient."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from email.message import EmailMessage

import docx
import pytest
from sqlalchemy import select

from baosong import BUNDLED_CONFIG
from baosong.models import AuditEntry, OutboxMessage, OutboxState
from baosong.organisation import load_organisation
from baosong.settings import RepliesSettings, Settings, SmtpSettings
from intake.mailparse import parse_mail
from intake.outbox import queue_reply, send_pending
from intake.smtp_capture import SmtpCapture
from tests.factories.replies import DOCX_NAME, UNIT, judgement, problem_docx, stored_item
from validators.catalogue import load_messages
from validators.findings import Verdict
from validators.judge import JudgeContext, judge_mail
from validators.judgement import UnitRef
from validators.registry import Registry

SENDER = "xinxi@cjhb.example.cn"
DOMAIN = "reply.cjhb.example.cn"
DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


@pytest.fixture
def mail_settings(settings: Settings, smtp: SmtpCapture) -> Settings:
    return replace(
        settings,
        smtp=replace(SmtpSettings(), host=smtp.host, port=smtp.port, ssl=False, sender=SENDER, timeout_seconds=5),
        replies=replace(RepliesSettings(), message_id_domain=DOMAIN, daily_cap=2),
    )


def raw_submission(**headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = "青山县信息员 <qsx@example.cn>"
    message["To"] = "cjhbxx@example.cn"
    message["Cc"] = "boss@example.cn"
    message["Subject"] = "报送信息"
    message["Message-ID"] = "<a1@example.cn>"
    for name, value in headers.items():
        del message[name.replace("_", "-")]
        message[name.replace("_", "-")] = value
    message.set_content("请审核。")
    message.add_attachment(problem_docx(), maintype=DOCX_TYPE[0], subtype=DOCX_TYPE[1], filename=DOCX_NAME)
    return message.as_bytes()


def judged(raw: bytes, registry: Registry | None = None):  # noqa: ANN201
    organisation = load_organisation(BUNDLED_CONFIG, "A")
    context = JudgeContext(organisation.checks, registry or Registry.of([UNIT]), load_messages(BUNDLED_CONFIG))
    return judge_mail(parse_mail(raw), context, today=date(2026, 3, 5))


def queue(sessions, settings: Settings, judged_mail, number: int = 1):  # noqa: ANN001, ANN201
    with sessions() as session, session.begin():
        item = stored_item(session, judged_mail.verdict, number=number)
        row = queue_reply(session, item=item, judgement=judged_mail, settings=settings, organisation_name="昌吉州生态环境局")
        return row.id if row else None


def test_real_rejected_mail_reply_lists_each_problem_and_comments_each(sessions, mail_settings, smtp):
    verdict = judged(raw_submission())
    queue(sessions, mail_settings, verdict)
    send_pending(sessions, mail_settings)
    reply = smtp.wait_for(1)[0].message
    text = reply.get_body(("plain",)).get_content()
    errors = [f for f in verdict.findings if f.severity == "error"]
    assert all(f"{n}. {f.message}" in text for n, f in enumerate(errors, 1))
    document = docx.Document(io.BytesIO(next(reply.iter_attachments()).get_content()))
    assert len(document.comments) == len(verdict.findings)


def test_subject_with_crlf_adds_no_header_and_no_recipient(sessions, mail_settings, smtp):
    hostile = judgement(subject="会议信息\r\nBcc: x@example.cn")
    queue(sessions, mail_settings, hostile)
    send_pending(sessions, mail_settings)
    captured = smtp.wait_for(1)[0]
    assert (captured.rcpt_tos, captured.message["Bcc"]) == (("qsx@example.cn",), None)


def test_subject_with_crlf_stays_on_one_subject_line(sessions, mail_settings, smtp):
    queue(sessions, mail_settings, judgement(subject="会议信息\r\nBcc: x@example.cn"))
    send_pending(sessions, mail_settings)
    assert str(smtp.wait_for(1)[0].message["Subject"]).startswith("【退回】回复：会议信息 Bcc: x@example.cn [")


def test_file_name_with_crlf_adds_no_header(sessions, mail_settings, smtp):
    verdict = judgement()
    hostile_docx = replace(verdict.docx, display_name="a.docx\r\nX-Injected: 1")
    queue(sessions, mail_settings, replace(verdict, docx=hostile_docx))
    send_pending(sessions, mail_settings)
    reply = smtp.wait_for(1)[0]
    assert b"\r\nX-Injected" not in reply.data


def test_reply_goes_only_to_the_sender_not_to_cc(sessions, mail_settings, smtp):
    queue(sessions, mail_settings, judged(raw_submission()))
    send_pending(sessions, mail_settings)
    assert smtp.wait_for(1)[0].rcpt_tos == ("qsx@example.cn",)


def test_reply_ignores_a_reply_to_the_unit_did_not_register(sessions, mail_settings, smtp):
    queue(sessions, mail_settings, judged(raw_submission(Reply_To="xinxiyuan@example.cn")))
    send_pending(sessions, mail_settings)
    assert smtp.wait_for(1)[0].rcpt_tos == ("qsx@example.cn",)


def test_reply_goes_to_reply_to_registered_for_the_same_unit(sessions, mail_settings, smtp):
    unit = replace(UNIT, emails=("qsx@example.cn", "qsx-xinxi@example.cn"))
    queue(sessions, mail_settings, judged(raw_submission(Reply_To="qsx-xinxi@example.cn"), registry=Registry.of([unit])))
    send_pending(sessions, mail_settings)
    assert smtp.wait_for(1)[0].rcpt_tos == ("qsx-xinxi@example.cn",)


def test_reply_to_registered_for_another_unit_is_not_used(sessions, mail_settings, smtp):
    other = UnitRef(id=None, name="白杨县生态环境分局", emails=("byx@example.cn",))
    queue(sessions, mail_settings, judged(raw_submission(Reply_To="byx@example.cn"), registry=Registry.of([UNIT, other])))
    send_pending(sessions, mail_settings)
    assert smtp.wait_for(1)[0].rcpt_tos == ("qsx@example.cn",)


def test_several_reply_to_addresses_get_nothing(sessions, mail_settings, smtp):
    queue(sessions, mail_settings, judged(raw_submission(Reply_To="a@evil.example, b@evil.example")))
    send_pending(sessions, mail_settings)
    assert smtp.wait_for(1)[0].rcpt_tos == ("qsx@example.cn",)


def test_unregistered_sender_gets_a_reply_without_the_document(sessions, mail_settings, smtp):
    verdict = judged(raw_submission(From="stranger@evil.example"))
    queue(sessions, mail_settings, verdict)
    send_pending(sessions, mail_settings)
    reply = smtp.wait_for(1)[0]
    assert reply.rcpt_tos == ("stranger@evil.example",) and list(reply.message.iter_attachments()) == []


def test_registered_reply_to_of_an_unregistered_sender_is_not_used(sessions, mail_settings, smtp):
    verdict = judged(raw_submission(From="stranger@evil.example", Reply_To="qsx@example.cn"))  # unit by file name
    queue(sessions, mail_settings, verdict)
    send_pending(sessions, mail_settings)
    reply = smtp.wait_for(1)[0]
    assert reply.rcpt_tos == ("stranger@evil.example",) and list(reply.message.iter_attachments()) == []


def test_registered_sender_gets_the_annotated_document(sessions, mail_settings, smtp):
    queue(sessions, mail_settings, judged(raw_submission()))
    send_pending(sessions, mail_settings)
    assert [a.get_content_type() for a in smtp.wait_for(1)[0].message.iter_attachments()] == ["/".join(DOCX_TYPE)]


def no_reply_notes(sessions) -> list[str]:  # noqa: ANN001
    with sessions() as session:
        return list(session.scalars(select(AuditEntry.reason).where(AuditEntry.action == "no_reply")))


def test_registered_no_reply_address_with_a_document_is_judged():
    unit = replace(UNIT, emails=("no-reply@oa.example.cn",))
    verdict = judged(raw_submission(From="no-reply@oa.example.cn"), registry=Registry.of([unit]))
    assert verdict.verdict == Verdict.REJECTED and verdict.unit == unit


def test_registered_no_reply_address_gets_no_reply_and_the_clerk_sees_why(sessions, mail_settings):
    unit = replace(UNIT, emails=("no-reply@oa.example.cn",))
    verdict = judged(raw_submission(From="no-reply@oa.example.cn"), registry=Registry.of([unit]))
    assert queue(sessions, mail_settings, verdict) is None
    assert ["no-reply@oa.example.cn" in note for note in no_reply_notes(sessions)] == [True]


def test_no_reply_address_without_a_word_file_is_still_ignored():
    unit = replace(UNIT, emails=("no-reply@oa.example.cn",))
    notice = EmailMessage()
    notice["From"] = "no-reply@oa.example.cn"
    notice["Subject"] = "系统通知"
    notice.set_content("您有一条待办。")
    assert judged(notice.as_bytes(), registry=Registry.of([unit])).verdict == Verdict.IGNORED


def test_unregistered_no_reply_address_with_a_document_is_ignored():
    assert judged(raw_submission(From="noreply@evil.example")).verdict == Verdict.IGNORED


def test_registered_robot_address_is_never_the_recipient_of_a_reply_to(sessions, mail_settings, smtp):
    unit = replace(UNIT, emails=("qsx@example.cn", "postmaster@example.cn"))
    verdict = judged(raw_submission(Reply_To="postmaster@example.cn"), registry=Registry.of([unit]))
    queue(sessions, mail_settings, verdict)
    send_pending(sessions, mail_settings)
    assert smtp.wait_for(1)[0].rcpt_tos == ("qsx@example.cn",)


def test_out_of_office_mail_gets_no_reply(sessions, mail_settings):
    assert queue(sessions, mail_settings, judged(raw_submission(Auto_Submitted="auto-replied"))) is None


def test_bounce_gets_no_reply(sessions, mail_settings):
    report = EmailMessage()
    report["From"] = "MAILER-DAEMON@example.cn"
    report["To"] = "cjhbxx@example.cn"
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report["Message-ID"] = "<bounce1@example.cn>"
    report.set_content("Delivery failed.")
    report.add_attachment(raw_submission(), maintype="message", subtype="rfc822")
    report.replace_header("Content-Type", report["Content-Type"].replace("multipart/mixed", "multipart/report"))
    assert queue(sessions, mail_settings, judged(report.as_bytes())) is None


def test_list_mail_gets_no_reply(sessions, mail_settings):
    assert queue(sessions, mail_settings, judged(raw_submission(List_Id="<news.example.cn>"))) is None


def test_precedence_bulk_gets_no_reply(sessions, mail_settings):
    assert queue(sessions, mail_settings, judged(raw_submission(Precedence="bulk"))) is None


def test_our_own_reply_coming_back_gets_no_reply(sessions, mail_settings, smtp):
    queue(sessions, mail_settings, judged(raw_submission()))
    send_pending(sessions, mail_settings)
    echoed = smtp.wait_for(1)[0].data
    assert queue(sessions, mail_settings, judged(echoed), number=2) is None


def test_our_reply_with_rewritten_message_id_is_still_recognised(sessions, mail_settings):
    hostile = judgement(message_id="<rewritten@relay.example.cn>", headers={"x-baosong-reply": "rejected"})
    assert queue(sessions, mail_settings, hostile) is None


def test_unit_answering_our_rejection_gets_a_reply(sessions, mail_settings):
    resubmission = judged(raw_submission(In_Reply_To=f"<abc@{DOMAIN}>"))
    assert queue(sessions, mail_settings, resubmission) is not None


def test_ignored_mail_gets_no_reply(sessions, mail_settings):
    assert queue(sessions, mail_settings, judgement(verdict=Verdict.IGNORED)) is None


def test_sender_address_with_crlf_gets_no_reply(sessions, mail_settings):
    assert queue(sessions, mail_settings, judgement(sender="qsx@example.cn\r\nRCPT TO:<x@example.cn>")) is None


def test_replies_disabled_queue_nothing(sessions, mail_settings):
    settings = replace(mail_settings, replies=replace(mail_settings.replies, enabled=False))
    assert queue(sessions, settings, judgement()) is None


def states_by_kind(sessions) -> list[tuple[str, str]]:  # noqa: ANN001
    with sessions() as session:
        return [(r.kind, r.state) for r in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def test_daily_cap_holds_further_replies_after_one_notice(sessions, mail_settings):
    for number in range(1, 5):
        queue(sessions, mail_settings, judgement(), number=number)
    assert states_by_kind(sessions) == [
        ("rejected", OutboxState.PENDING),
        ("rejected", OutboxState.PENDING),
        ("daily_cap_notice", OutboxState.PENDING),
        ("rejected", OutboxState.HELD),
        ("rejected", OutboxState.HELD),
    ]


def test_daily_cap_notice_says_what_it_is_in_its_subject_not_an_outcome(sessions, mail_settings):
    for number in range(1, 4):
        queue(sessions, mail_settings, judgement(), number=number)
    with sessions() as session:
        notice = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "daily_cap_notice"))
        assert notice.subject.startswith("【提示】今日自动回复已达上限") and "【退回】" not in notice.subject


def test_daily_cap_counts_per_recipient(sessions, mail_settings):
    for number in range(1, 4):
        queue(sessions, mail_settings, judgement(sender=f"unit{number}@example.cn"), number=number)
    assert {state for _, state in states_by_kind(sessions)} == {OutboxState.PENDING}


def test_same_item_is_answered_once(sessions, mail_settings):
    with sessions() as session, session.begin():
        item = stored_item(session, Verdict.REJECTED)
        first = queue_reply(session, item=item, judgement=judgement(), settings=mail_settings, organisation_name="")
        second = queue_reply(session, item=item, judgement=judgement(), settings=mail_settings, organisation_name="")
        assert second.id == first.id
