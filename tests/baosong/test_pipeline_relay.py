"""The office mailbox is no relay (issue 17): real mails through the pipeline and the outbox to a
loopback SMTP server. Forged From, foreign and several Reply-To, a remote template: no reply leaves
for an address the sender did not send from, only registered addresses get the document back, and
no reply carries an external relationship."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date

import docx
import pytest
from sqlalchemy import select

from baosong.actions import accept, reply_promised
from baosong.app import open_app
from baosong.demo.samples import Item as Doc
from baosong.demo.samples import document, mail
from baosong.models import AuditEntry, Item
from baosong.pipeline import ingest
from baosong.registry import UnitRow, import_units
from baosong.search import queue_size
from baosong.settings import MailboxSettings, RepliesSettings, SmtpSettings
from intake.outbox import send_pending
from tests.factories.docx import REMOTE, add_external_links, docx_bytes

DAY = date(2026, 11, 20)
QITAI = Doc("奇台县环境保护局", "奇台县环境保护局开展秋季大气污染防治专项检查",
            ["11月18日，奇台县环境保护局组织执法人员对县城周边12家企业开展专项检查，下达整改通知4份。"])
FORGED_AUTH = "mx.qq.com; spf=pass smtp.mailfrom=evil.example; dmarc=fail header.from=example.cn"
GENUINE_AUTH = "mx.qq.com; spf=pass smtp.mailfrom=example.cn; dkim=pass header.d=example.cn; dmarc=pass header.from=example.cn"


@pytest.fixture
def app(settings, smtp):  # noqa: ANN001
    configured = replace(
        settings,
        mailbox=replace(MailboxSettings(), authserv_id="mx.qq.com"),
        smtp=replace(SmtpSettings(), host=smtp.host, port=smtp.port, ssl=False, sender="cjhbxx@example.cn", timeout_seconds=5),
        replies=replace(RepliesSettings(), message_id_domain="reply.example.cn"),
    )
    opened = open_app(configured, seed_units=True)
    yield opened
    opened.close()


def linked_docx(doc: Doc) -> bytes:
    """The unit's document, with a remote template and every other external link added."""
    document_ = docx.Document(io.BytesIO(document(doc)))
    add_external_links(document_)
    return docx_bytes(document_)


def submission(sender: str, *, reply_to: str | None = None, doc: Doc = QITAI, auth: str | None = None,
               linked: bool = True) -> bytes:
    headers = {"Reply-To": reply_to} if reply_to else None
    data = linked_docx(doc) if linked else document(doc)
    raw = mail(sender, doc.title, DAY, docs=[(f"{doc.unit}{doc.title}.docx", data)], headers=headers)
    return (f"Authentication-Results: {auth}\r\n".encode() if auth else b"") + raw


RELAYED = {  # sender, Reply-To → the only address a reply may go to
    ("qitai@example.cn", "attacker@evil.example"): "qitai@example.cn",  # forged From of a unit
    ("attacker@evil.example", "victim@elsewhere.example"): "attacker@evil.example",  # unregistered, unit's file name
    ("changji@example.cn", "a@evil.example, b@evil.example"): "changji@example.cn",  # several Reply-To
    ("fukang@example.cn", "changji@example.cn"): "fukang@example.cn",  # Reply-To of another unit
}


@pytest.fixture
def relayed(app, smtp):  # noqa: ANN001
    for sender, reply_to in RELAYED:
        ingest(app, submission(sender, reply_to=reply_to), source="import")
    send_pending(app.sessions, app.settings)
    return {captured.rcpt_tos: captured.message for captured in smtp.wait_for(len(RELAYED))}


def test_replies_go_only_to_the_address_that_sent_the_mail(relayed):
    assert sorted(relayed) == sorted((address,) for address in RELAYED.values())


def test_only_registered_addresses_get_the_document_back(relayed):
    carrying = sorted(to for (to,), message in relayed.items() if list(message.iter_attachments()))
    assert carrying == ["changji@example.cn", "fukang@example.cn", "qitai@example.cn"]


def test_no_reply_carries_an_external_relationship(relayed):
    blobs = [
        package.read(name)
        for message in relayed.values()
        for part in message.iter_attachments()
        for package in [zipfile.ZipFile(io.BytesIO(part.get_content()))]
        for name in package.namelist()
    ]
    assert blobs and [b for b in blobs if b'TargetMode="External"' in b or REMOTE.encode() in b] == []


def test_forged_unit_mail_waits_for_a_clerk(app):
    outcome = ingest(app, submission("qitai@example.cn", auth=FORGED_AUTH, linked=False), source="import")
    assert outcome.verdict == "review" and outcome.judgement.has("SENDER_NOT_AUTHENTICATED")


def test_forged_item_does_not_make_the_units_real_one_a_duplicate(app):
    ingest(app, submission("qitai@example.cn", auth=FORGED_AUTH, linked=False), source="import")
    real = ingest(app, submission("qitai@example.cn", auth=GENUINE_AUTH, linked=False), source="import")
    assert real.verdict == "accepted" and not real.judgement.has("DUPLICATE")


def test_stranger_naming_a_unit_does_not_make_the_units_real_one_a_duplicate(app):
    stranger = ingest(app, submission(STRANGER, linked=False), source="import")
    real = ingest(app, submission("qitai@example.cn", linked=False), source="import")
    assert stranger.verdict == "review" and stranger.judgement.has("SENDER_NOT_REGISTERED")
    assert real.verdict == "accepted" and not real.judgement.has("DUPLICATE")


def test_registered_no_reply_address_is_judged_unanswered_and_the_item_says_why(app, smtp):
    with app.sessions.begin() as session:
        emails = ("qitai@example.cn", "no-reply@oa.example.cn")  # the unit's OA system sends from no-reply@
        import_units(session, [UnitRow("奇台县环境保护局", ("奇台县环保局",), "县市环保局", emails)])
    outcome = ingest(app, submission("no-reply@oa.example.cn", linked=False), source="import")
    report = send_pending(app.sessions, app.settings)
    with app.sessions() as session:
        item = session.get(Item, outcome.item_id)
        audit = select(AuditEntry.reason).where(AuditEntry.item_id == item.id, AuditEntry.action == "no_reply")
        notes = list(session.scalars(audit))
    assert (item.verdict, report.sent, len(notes)) == ("accepted", 0, 1) and "no-reply@oa.example.cn" in notes[0]


def test_forged_unit_mail_gets_no_reply_and_the_item_says_why(app, smtp):
    outcome = ingest(app, submission("qitai@example.cn", auth=FORGED_AUTH, linked=False), source="import")
    report = send_pending(app.sessions, app.settings)
    with app.sessions() as session:
        audit = select(AuditEntry.reason).where(AuditEntry.item_id == outcome.item_id, AuditEntry.action == "no_reply")
        notes = list(session.scalars(audit))
    assert (report.sent, smtp.messages, len(notes)) == (0, [], 1) and "冒用" in notes[0]


STRANGER = "wangxiaoyan@personal.example"  # a 信息员's own mailbox, not in the unit registry


def test_sender_not_in_the_registry_is_told_so_and_how_to_register(app, smtp):
    ingest(app, submission(STRANGER, linked=False), source="import")
    send_pending(app.sessions, app.settings)
    text = smtp.wait_for(1)[0].message.get_body(("plain",)).get_content()
    assert f"您的发件邮箱 {STRANGER} 不在昌吉州生态环境局登记的报送单位名录中" in text
    assert "请改用本单位登记的邮箱报送；如需用这个邮箱报送，请先联系昌吉州生态环境局登记" in text


def test_rejected_item_from_a_sender_not_in_the_registry_stays_in_the_queue(app, smtp):
    unsigned = replace(QITAI, author=None)
    outcome = ingest(app, submission(STRANGER, doc=unsigned, linked=False), source="import")
    send_pending(app.sessions, app.settings)
    text = smtp.wait_for(1)[0].message.get_body(("plain",)).get_content()
    with app.sessions() as session:
        item = session.get(Item, outcome.item_id)
        assert (item.verdict, item.settled_at, queue_size(session, is_admin=True)) == ("rejected", None, 1)
    assert "修改后请用本单位登记的邮箱重新发送" in text and "直接回复本邮件" not in text


def test_clerk_who_accepts_a_forged_unit_mail_may_still_mail_the_unit(app, smtp):
    outcome = ingest(app, submission("qitai@example.cn", auth=FORGED_AUTH, linked=False), source="import")
    with app.sessions.begin() as session:
        promised = reply_promised(session, outcome.item_id)
        accept(session, outcome.item_id, "clerk", "已电话核实为本单位报送", receipt_prefix="CJHB", reply=True)
    send_pending(app.sessions, app.settings)
    sent = smtp.wait_for(1)[0]
    assert (promised, sent.rcpt_tos) == (False, ("qitai@example.cn",))
    assert sent.message["X-Baosong-Reply"] == "accepted_by_clerk"
