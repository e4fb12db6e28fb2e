"""Archive first, then judge and record exactly once; failures on our side are retried, never blamed."""

import json
import mailbox
import os
import subprocess
import sys
from datetime import date

from click.testing import CliRunner
from sqlalchemy import func, select

from baosong.app import open_app
from baosong.cli import main
from baosong.demo.samples import Item as Doc
from baosong.demo.samples import document, mail
from baosong.models import AuditEntry, Item, RawMessage
from baosong.pipeline import EXIT_STUCK, MAX_ATTEMPTS, archive, ingest, pending, process

DAY = date(2026, 11, 20)


def _raw(author: str | None = "王晓燕", message_id: str | None = None) -> bytes:
    doc = Doc("奇台县环境保护局", "奇台县环境保护局开展秋季大气污染防治专项检查",
              ["11月18日，奇台县环境保护局组织执法人员对12家企业开展专项检查。"], author=author)
    headers = {"Message-ID": message_id} if message_id else None
    raw = mail("qitai@example.cn", doc.title, DAY, docs=[(f"{doc.unit}{doc.title}.docx", document(doc))])
    if headers:
        raw = raw.replace(b"Message-ID:", b"X-Old-Message-ID:", 1)
        raw = f"Message-ID: {message_id}\n".encode() + raw
    return raw


def _count(app, model):  # noqa: ANN001
    with app.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_raw_message_is_archived_under_its_hash_before_judging(settings):
    app = open_app(settings, seed_units=True)
    raw = _raw()
    raw_id, seen = archive(app, raw, source="import")
    with app.sessions() as session:
        row = session.get(RawMessage, raw_id)
    assert not seen and row.state == "archived" and row.path.startswith("store/raw/")
    assert (settings.data_dir / row.path).read_bytes() == raw and row.sha256 in row.path
    assert _count(app, Item) == 0 and pending(app) == [raw_id]


def test_one_item_with_receipt_findings_and_audit(settings):
    app = open_app(settings, seed_units=True)
    outcome = ingest(app, _raw(author=None), source="import")
    assert outcome.verdict == "rejected" and outcome.receipt.startswith("CJHB-")
    with app.sessions() as session:
        item = session.scalars(select(Item)).one()
        assert [f.code for f in item.findings] == ["MISSING_AUTHOR"]
        assert item.unit.name == "奇台县环境保护局" and item.attachments[0].kind == "docx"
        assert session.scalar(select(AuditEntry.action).where(AuditEntry.item_id == item.id)) == "judged"


def test_same_bytes_twice_yield_one_item(settings):
    app = open_app(settings, seed_units=True)
    raw = _raw()
    first, second = ingest(app, raw, source="import"), ingest(app, raw, source="import")
    assert second.repeated and second.item_id == first.item_id and _count(app, Item) == 1


def test_same_message_id_and_content_with_other_trace_headers_is_processed_once(settings):
    app = open_app(settings, seed_units=True)
    raw = _raw(message_id="<same@example.cn>")
    relayed = b"Received: from relay.example.cn by mx.example.cn; Fri, 20 Nov 2026 10:00:00 +0800\n" + raw
    ingest(app, raw, source="import")
    assert ingest(app, relayed, source="import").repeated
    assert _count(app, Item) == 1


def test_reused_message_id_with_other_content_is_processed_on_its_own(settings):
    app = open_app(settings, seed_units=True)
    ingest(app, _raw(message_id="<reused@example.cn>"), source="import")
    other = ingest(app, _raw(author=None, message_id="<reused@example.cn>"), source="import")
    assert not other.repeated and _count(app, Item) == 2


def test_failure_on_our_side_is_retried_not_rejected(settings):
    app = open_app(settings, seed_units=True)
    raw = _raw()
    raw_id, _ = archive(app, raw, source="import")
    with app.sessions() as session:
        stored = settings.data_dir / session.get(RawMessage, raw_id).path
    stored.rename(stored.with_suffix(".away"))  # the disk lost the file for a moment
    failed = process(app, raw_id)
    with app.sessions() as session:
        row = session.get(RawMessage, raw_id)
    assert failed.error and row.state == "archived" and row.attempts == 1 and _count(app, Item) == 0
    stored.with_suffix(".away").rename(stored)
    assert process(app, raw_id).verdict == "accepted" and _count(app, Item) == 1


def test_repeated_failures_wait_for_a_clerk(settings):
    app = open_app(settings, seed_units=True)
    raw_id, _ = archive(app, _raw(), source="import")
    with app.sessions() as session:
        (settings.data_dir / session.get(RawMessage, raw_id).path).unlink()
    for _ in range(MAX_ATTEMPTS):
        process(app, raw_id)
    with app.sessions() as session:
        row = session.get(RawMessage, raw_id)
    assert row.state == "failed" and "FileNotFoundError" in row.last_error and pending(app) == []


def test_receipts_follow_a_per_year_sequence(settings):
    app = open_app(settings, seed_units=True)
    receipts = [ingest(app, _raw(author=a), source="import").receipt for a in ("甲", "乙", "丙")]
    assert receipts == [f"CJHB-{receipts[0][5:9]}-0000{n}" for n in (1, 2, 3)]


def test_accepted_item_is_indexed_so_a_resend_is_a_duplicate(settings):
    app = open_app(settings, seed_units=True)
    ingest(app, _raw(), source="import")
    again = ingest(app, _raw(message_id="<resend@example.cn>"), source="import")
    assert again.verdict == "rejected" and [f.code for f in again.judgement.findings] == ["DUPLICATE"]


def test_import_reads_maildir_in_order_and_prints_json(settings, tmp_path):
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    for author in ("甲", None):
        box.add(_raw(author=author))
    env = {"BAOSONG_PATHS_DATA": str(settings.data_dir), "BAOSONG_DATABASE_URL": settings.database_url}
    result = CliRunner().invoke(main, ["--config", str(tmp_path / "x.toml"), "import", "--json", str(tmp_path / "Maildir")], env=env)
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert sorted(line["verdict"] for line in lines) == ["accepted", "rejected"]
    assert all(line["receipt"] for line in lines)


def _import_in_a_process(settings, path, **env: str) -> subprocess.CompletedProcess:  # noqa: ANN001
    environ = {"PATH": os.environ["PATH"], "HOME": str(path.parent), "BAOSONG_PATHS_DATA": str(settings.data_dir),
               "BAOSONG_DATABASE_URL": settings.database_url, **env}
    command = [sys.executable, "-m", "baosong.cli", "--config", str(path.parent / "none.toml"), "import", str(path)]
    return subprocess.run(command, env=environ, capture_output=True, timeout=120, cwd=path.parent)


def test_judging_over_the_time_limit_ends_the_process_and_counts_the_attempt(settings, tmp_path):
    app = open_app(settings, seed_units=True)
    path = tmp_path / "item.eml"
    path.write_bytes(_raw())

    stuck = _import_in_a_process(settings, path, BAOSONG_RULES_MAX_JUDGE_SECONDS="0.001")
    with app.sessions() as session:
        row = session.scalar(select(RawMessage))
        assert (stuck.returncode, row.state, row.attempts, _count(app, Item)) == (EXIT_STUCK, "archived", 1, 0)
    assert "took over" in stuck.stderr.decode()

    again = _import_in_a_process(settings, path)
    assert again.returncode == 0, again.stderr.decode()
    assert _count(app, Item) == 1
