"""`baosong user add` and `baosong queue …`: the console's actions from the shell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from baosong.app import open_app
from baosong.db import transaction
from baosong.models import AuditEntry, Item, Unit, User
from baosong.settings import load_settings
from tests.review.samples import vague_item
from tests.baosong.shell import run


@pytest.fixture
def opened(config: Path):
    app = open_app(load_settings(config, environ={}))
    yield app
    app.close()


@pytest.fixture
def item_id(opened) -> int:
    with transaction(opened.sessions) as session:
        unit = Unit(name="昌吉市环境保护局", category="县市环保局")
        session.add(unit)
        session.flush()
        return vague_item(opened.settings, session, unit_id=unit.id).id


def test_user_add_reads_the_password_from_stdin(config, opened):
    result = run(config, "user", "add", "wang", "--role", "clerk", "--password-stdin", stdin="a long password\n")
    assert result.exit_code == 0 and "已创建账号" in result.output
    with opened.sessions() as session:
        assert session.scalars(select(User.role).where(User.name == "wang")).one() == "clerk"


def test_user_add_refuses_a_short_password(config, opened):
    result = run(config, "user", "add", "wang", "--role", "admin", "--password-stdin", stdin="short\n")
    assert result.exit_code != 0 and "密码至少" in result.output


def test_user_add_asks_twice_and_refuses_a_mismatch(config, opened):
    result = run(config, "user", "add", "wang", "--role", "clerk", stdin="first password\nsecond password\n")
    assert result.exit_code != 0 and "不一致" in result.output


def test_queue_list_json_gives_one_object_per_item(config, item_id):
    lines = run(config, "queue", "list", "--json").output.splitlines()
    rows = [json.loads(line) for line in lines]
    assert [(r["id"], r["verdict"], r["unit"], r["codes"]) for r in rows] == [
        (item_id, "rejected", "昌吉市环境保护局", ["VAGUE_WORDING"])
    ]


def test_queue_show_json_includes_the_findings(config, item_id):
    shown = json.loads(run(config, "queue", "show", str(item_id), "--json").output)
    assert shown["findings"][0]["code"] == "VAGUE_WORDING" and shown["fields"]["author"] == "张三"


def test_queue_accept_records_a_receipt_and_an_audited_shell_actor(config, opened, item_id):
    result = run(config, "queue", "accept", str(item_id), "--reason", "电话核实")
    assert result.exit_code == 0 and "CJHB-" in result.output
    with opened.sessions() as session:
        assert session.get(Item, item_id).verdict == "accepted"
        entry = session.scalars(select(AuditEntry)).one()
    assert entry.actor.startswith("shell:") and entry.reason == "电话核实"


def test_queue_accept_without_unit_explains_why_in_chinese(config, opened, item_id):
    with transaction(opened.sessions) as session:
        session.get(Item, item_id).unit_id = None
    result = run(config, "queue", "accept", str(item_id), "--reason", "电话核实")
    assert result.exit_code != 0 and "请先设定报送单位" in result.output


def test_queue_reject_and_note(config, opened, item_id):
    assert run(config, "queue", "reject", str(item_id), "--reason", "确认").exit_code == 0
    assert run(config, "queue", "note", str(item_id), "已电话联系").exit_code == 0
    with opened.sessions() as session:
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["reject", "note"]


def test_queue_commands_take_the_receipt_number_in_any_letter_case(config, opened, item_id):
    receipt = run(config, "queue", "accept", str(item_id), "--reason", "电话核实").output.split("收件编号 ")[1].strip("。\n")

    shown = json.loads(run(config, "queue", "show", receipt.lower(), "--json").output)
    noted = run(config, "queue", "note", receipt, "已核实")

    assert shown["id"] == item_id and noted.exit_code == 0, noted.output


def test_queue_show_of_an_unknown_or_overlong_number_explains_in_chinese(config, item_id):
    for ref in ("CJHB-2026-99999", "9" * 20):
        result = run(config, "queue", "show", ref)
        assert result.exit_code == 1 and "找不到信息" in result.output and "Traceback" not in result.output
