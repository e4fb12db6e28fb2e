"""BAD-INPUTS rows that are about what gets recorded: where hostile names are stored, the parser's
defects kept with the verdict, macro documents flagged, messages without a Message-ID."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from baosong.app import open_app
from baosong.models import AttachmentRow, AuditEntry, Item, RawMessage
from baosong.pipeline import ingest
from intake.archive import blob_path
from tests.factories.docx import make_docm, make_docx, make_padded_docx
from tests.factories.mail import DOCX_TYPE, Attachment, build_mail, text_part

SENDER = "qitai@example.cn"  # registered in config/orgs/A/units.csv
DOCX = make_docx()


def test_hostile_attachment_name_is_stored_under_its_hash_and_shown_sanitised(settings):
    app = open_app(settings, seed_units=True)
    raw = build_mail(SENDER, attachments=[Attachment("../../etc/cron.d/x", DOCX, DOCX_TYPE)])
    ingest(app, raw, source="import")
    with app.sessions() as session:
        row = session.scalars(select(AttachmentRow)).one()
    digest = hashlib.sha256(DOCX).hexdigest()
    assert (row.path, row.display_name) == (blob_path(digest, "att"), "x")
    assert not any(path.name == "x" for path in settings.data_dir.parent.rglob("*"))


def test_parser_defects_are_kept_with_the_verdict_and_the_raw_mail_unchanged(settings):
    app = open_app(settings, seed_units=True)
    raw = build_mail(SENDER, attachments=[Attachment("信息.docx", DOCX, DOCX_TYPE)], linesep="\n")
    raw = raw[: raw.rindex(b"--=_part_boundary_1_mixed--")]  # and no final boundary
    outcome = ingest(app, raw, source="import")
    with app.sessions() as session:
        details = session.scalar(select(AuditEntry.details).where(AuditEntry.item_id == outcome.item_id))
        stored = (settings.data_dir / session.get(RawMessage, outcome.raw_id).path).read_bytes()
    assert {"bare_lf_line_endings", "missing_final_boundary"} <= set(details["defects"]) and stored == raw
    assert outcome.verdict != "ignored"  # judged all the same


def test_macro_enabled_document_is_judged_and_flagged_in_the_stored_document(settings):
    app = open_app(settings, seed_units=True)
    outcome = ingest(app, build_mail(SENDER, attachments=[Attachment("信息.docx", make_docm(), DOCX_TYPE)]), source="import")
    with app.sessions() as session:
        item = session.get(Item, outcome.item_id)
        assert item.title and item.document["has_macros"] is True


def test_different_messages_without_a_message_id_are_each_processed(settings):
    app = open_app(settings, seed_units=True)
    first = ingest(app, build_mail(SENDER, subject="一", message_id=None), source="import")
    second = ingest(app, build_mail(SENDER, subject="二", message_id=None), source="import")
    with app.sessions() as session:
        count = len(session.scalars(select(Item)).all())
    assert (first.repeated, second.repeated, count) == (False, False, 2)


def test_mail_past_the_part_limit_leaves_no_partial_item_to_download(settings):
    app = open_app(settings, seed_units=True)
    classified = make_docx(paragraphs=["秘密★1年", "11月18日，奇台县环境保护局召开专题会议。"])
    texts = [text_part(f"第{n}段说明") for n in range(55)]
    attachments = [Attachment("信息.docx", DOCX, DOCX_TYPE), *texts, Attachment("信息.docx", classified, DOCX_TYPE)]
    outcome = ingest(app, build_mail(SENDER, attachments=attachments), source="import")
    with app.sessions() as session:
        item = session.get(Item, outcome.item_id)
        assert (item.verdict, [f.code for f in item.findings], item.attachments, item.text) == ("rejected", ["NO_DOCX"], [], "")


def test_document_longer_than_a_submission_can_be_stores_none_of_its_text(settings):
    app = open_app(settings, seed_units=True)
    raw = build_mail(SENDER, attachments=[Attachment("信息.docx", make_padded_docx(2 * 1024 * 1024), DOCX_TYPE)])
    outcome = ingest(app, raw, source="import")
    with app.sessions() as session:
        item = session.get(Item, outcome.item_id)
        assert (item.verdict, [f.code for f in item.findings], item.text, item.document) == ("rejected", ["CORRUPT_DOCX"], "", {})
