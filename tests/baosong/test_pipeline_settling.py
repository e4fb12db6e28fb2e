"""A queue that empties: a rejection answered by mail is settled; a corrected resubmission settles the rejected item."""

from dataclasses import replace
from datetime import date

from sqlalchemy import select

from baosong.app import open_app
from baosong.demo.samples import Item as Doc
from baosong.demo.samples import document, mail
from baosong.models import AuditEntry, Item
from baosong.pipeline import ingest
from baosong.search import queue_size
from baosong.settings import RepliesSettings

DAY = date(2026, 11, 20)
TITLE = "奇台县环境保护局开展秋季大气污染防治专项检查"


def _raw(title: str = TITLE, author: str | None = "王晓燕", day: date = DAY, sender: str = "qitai@example.cn") -> bytes:
    doc = Doc("奇台县环境保护局", title, ["11月18日，奇台县环境保护局组织执法人员对12家企业开展专项检查。"], author=author)
    return mail(sender, doc.title, day, docs=[(f"{doc.unit}{doc.title}.docx", document(doc))])


def _silent(settings):  # noqa: ANN001 - no automatic replies: what is rejected stays for a clerk
    return replace(settings, replies=replace(RepliesSettings(), enabled=False))


def test_a_rejection_answered_by_mail_leaves_the_queue(settings):
    app = open_app(settings, seed_units=True)
    outcome = ingest(app, _raw(author=None), source="import")
    with app.sessions() as session:
        item = session.get(Item, outcome.item_id)
        assert item.verdict == "rejected" and item.settled_at is not None
        assert queue_size(session, is_admin=True) == 0


def test_a_rejection_nobody_was_told_of_stays_in_the_queue(settings):
    app = open_app(_silent(settings), seed_units=True)
    ingest(app, _raw(author=None), source="import")
    with app.sessions() as session:
        assert queue_size(session, is_admin=True) == 1


def test_a_corrected_resubmission_links_both_ways_and_settles_the_rejected_item(settings):
    app = open_app(_silent(settings), seed_units=True)
    first = ingest(app, _raw(author=None), source="import")
    second = ingest(app, _raw(title=TITLE + "情况", day=date(2026, 11, 21)), source="import")
    with app.sessions() as session:
        old, new = session.get(Item, first.item_id), session.get(Item, second.item_id)
        assert new.verdict == "accepted" and new.resubmission_of_id == old.id and old.settled_at is not None
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "resubmitted")).one()
        assert entry.item_id == old.id and entry.details["by_receipt"] == new.receipt
        assert queue_size(session, is_admin=True) == 0


def test_a_different_title_from_the_same_unit_is_not_a_resubmission(settings):
    app = open_app(_silent(settings), seed_units=True)
    ingest(app, _raw(author=None), source="import")
    second = ingest(app, _raw(title="奇台县环境保护局召开2026年度安全生产工作会议", day=date(2026, 11, 21)), source="import")
    with app.sessions() as session:
        assert session.get(Item, second.item_id).resubmission_of_id is None
        assert queue_size(session, is_admin=True) == 1
