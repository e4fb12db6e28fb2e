"""Re-judging an ignored message (重新审核): a unit's OA system sent from an address not yet in the
registry; once the clerk registers it, the archived message is judged again in place, as the
pipeline judges it, and the reply the unit never got is queued."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from baosong.actions import ActionError, rejudge
from baosong.app import open_app
from baosong.cli import main
from baosong.demo.samples import Item as Doc
from baosong.demo.samples import document, mail
from baosong.models import AuditEntry, DuplicateEntry, Item, OutboxMessage
from baosong.pipeline import ingest
from baosong.registry import UnitRow, import_units

DAY = date(2026, 11, 20)
OA = "no-reply@oa.example.cn"  # the unit's OA system: a robot local part, not yet registered
UNIT_MAILBOX = "qitai@example.cn"  # registered; the OA system puts it in Reply-To
QITAI = Doc("奇台县环境保护局", "奇台县环境保护局开展秋季大气污染防治专项检查",
            ["11月18日，奇台县环境保护局组织执法人员对县城周边12家企业开展专项检查，下达整改通知4份。"])


def oa_mail() -> bytes:
    return mail(OA, QITAI.title, DAY, docs=[(f"{QITAI.unit}{QITAI.title}.docx", document(QITAI))],
                headers={"Reply-To": UNIT_MAILBOX})


@pytest.fixture
def app(settings):  # noqa: ANN001
    opened = open_app(settings, seed_units=True)
    yield opened
    opened.close()


@pytest.fixture
def ignored(app) -> int:  # noqa: ANN001
    outcome = ingest(app, oa_mail(), source="import")
    assert outcome.verdict == "ignored" and outcome.judgement.has("AUTO_SUBMITTED")
    return outcome.item_id


def register_oa_address(app) -> None:  # noqa: ANN001
    with app.sessions.begin() as session:
        import_units(session, [UnitRow("奇台县环境保护局", ("奇台县环保局",), "县市环保局", (UNIT_MAILBOX, OA))])


def counts(app) -> tuple[int, int, int, int]:  # noqa: ANN001
    with app.sessions() as session:
        return tuple(session.scalar(select(func.count()).select_from(model))
                     for model in (Item, OutboxMessage, DuplicateEntry, AuditEntry))


def test_rejudging_after_registering_the_address_accepts_with_a_receipt_and_queues_the_reply(app, ignored):
    register_oa_address(app)
    with app.sessions.begin() as session:
        rejudge(app, session, ignored, "wang", "发件邮箱已登记")
    with app.sessions() as session:
        item = session.get(Item, ignored)
        replies = session.scalars(select(OutboxMessage).where(OutboxMessage.item_id == ignored)).all()
        assert (item.verdict, item.unit.name) == ("accepted", "奇台县环境保护局") and item.receipt
        assert [(r.recipient, r.kind) for r in replies] == [(UNIT_MAILBOX, "accepted")]
        assert item.receipt in replies[0].subject


def test_rejudging_is_audited_with_what_the_item_was(app, ignored):
    register_oa_address(app)
    with app.sessions.begin() as session:
        rejudge(app, session, ignored, "wang", "发件邮箱已登记")
    with app.sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "rejudge")).one()
        assert (entry.actor, entry.reason, entry.item_id) == ("wang", "发件邮箱已登记", ignored)
        assert entry.details["from"] == {"verdict": "ignored", "codes": ["AUTO_SUBMITTED"]}
        assert entry.details["verdict"] == "accepted" and entry.details["receipt"]


def test_rejudging_twice_duplicates_nothing(app, ignored):
    register_oa_address(app)
    with app.sessions.begin() as session:
        rejudge(app, session, ignored, "wang")
    before = counts(app)
    with pytest.raises(ActionError, match="只有“已忽略”的邮件可以重新审核"), app.sessions.begin() as session:
        rejudge(app, session, ignored, "wang")
    assert counts(app) == before and before[:3] == (1, 1, 1)


def test_rejudging_before_the_registry_changes_leaves_the_mail_ignored_without_reply(app, ignored):
    with app.sessions.begin() as session:
        rejudge(app, session, ignored, "wang")
    with app.sessions() as session:
        item = session.get(Item, ignored)
        assert (item.verdict, item.receipt, [f.code for f in item.findings]) == ("ignored", None, ["AUTO_SUBMITTED"])
    assert counts(app)[1] == 0


def test_an_accepted_item_cannot_be_rejudged(app):
    accepted = ingest(app, mail(UNIT_MAILBOX, QITAI.title, DAY, docs=[(f"{QITAI.unit}{QITAI.title}.docx",
                                                                         document(QITAI))]), source="import")
    with pytest.raises(ActionError, match="已接收"), app.sessions.begin() as session:
        rejudge(app, session, accepted.item_id, "wang")


def test_queue_rejudge_from_the_shell_shows_the_new_verdict_and_the_reply(app, ignored, tmp_path, settings):  # noqa: ANN001
    register_oa_address(app)
    config = tmp_path / "baosong.toml"
    config.write_text(f'[paths]\ndata = "{settings.data_dir}"\n[database]\nurl = "{settings.database_url}"\n',
                      encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(config), "queue", "rejudge", str(ignored), "--reason", "已登记"])
    assert result.exit_code == 0, result.output
    assert f"已重新审核条目 {ignored}：已接收，收件编号 " in result.output and f"已排队回信给 {UNIT_MAILBOX}" in result.output


def test_queue_rejudge_json_names_the_unit_found_with_the_registry_of_today(app, ignored, tmp_path, settings):  # noqa: ANN001
    register_oa_address(app)
    config = tmp_path / "baosong.toml"
    config.write_text(f'[paths]\ndata = "{settings.data_dir}"\n[database]\nurl = "{settings.database_url}"\n',
                      encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(config), "queue", "rejudge", str(ignored), "--json"])
    shown = json.loads(result.output)
    assert (shown["verdict"], shown["unit"], shown["reply"]) == ("accepted", "奇台县环境保护局", UNIT_MAILBOX)
