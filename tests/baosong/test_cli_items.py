"""`baosong items list`: finding items from the shell by 收件编号, title words, unit, dates and state."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from baosong.app import open_app
from baosong.db import transaction
from baosong.models import Unit
from baosong.settings import load_settings
from tests.review.year import add_year
from tests.baosong.shell import run


@pytest.fixture
def year(config: Path) -> dict[str, int]:
    app = open_app(load_settings(config, environ={}))
    with transaction(app.sessions) as session:
        units = [Unit(name="昌吉市环境保护局", category="县市环保局", aliases=["昌吉市环保局"]),
                 Unit(name="阜康市环境保护局", category="县市环保局")]
        session.add_all(units)
        session.flush()
        ids = add_year(app.settings, session, {unit.name: unit.id for unit in units})
    app.close()
    return ids


def receipts(output: str) -> set[str]:
    return {json.loads(line)["receipt"] for line in output.splitlines() if line.startswith("{")}


def test_items_list_finds_a_receipt_number(config, year):
    result = run(config, "items", "list", "--q", "CJHB-2026-00002", "--json")
    assert result.exit_code == 0 and receipts(result.output) == {"CJHB-2026-00002"}


def test_items_list_finds_title_words(config, year):
    result = run(config, "items", "list", "--q", "农村 整治", "--json")
    assert receipts(result.output) == {"CJHB-2026-00003"}


def test_items_list_by_unit_alias_dates_and_verdict(config, year):
    result = run(config, "items", "list", "--unit", "昌吉市环保局", "--from", "2026-01-01", "--to", "2026-03-31",
                 "--verdict", "accepted", "--json")
    assert receipts(result.output) == {"CJHB-2026-00001"}


def test_items_list_queue_holds_only_what_waits_for_a_clerk(config, year):
    result = run(config, "items", "list", "--verdict", "queue")
    assert "CJHB-2026-00003" in result.output and "CJHB-2026-00001" not in result.output and "共 1 条" in result.output


def test_items_list_refuses_an_unknown_unit_in_chinese(config, year):
    result = run(config, "items", "list", "--unit", "不存在的单位")
    assert result.exit_code == 1 and "单位名录中没有「不存在的单位」" in result.output


def test_items_list_refuses_a_malformed_date_in_chinese(config, year):
    result = run(config, "items", "list", "--from", "3月1日")
    assert result.exit_code == 2 and "不是日期" in result.output


def test_queue_settle_takes_several_receipt_numbers_and_one_reason(config, year):
    result = run(config, "queue", "settle", "CJHB-2026-00003", "--reason", "已电话告知单位")
    listed = run(config, "items", "list", "--verdict", "settled")
    assert result.exit_code == 0 and "已了结 1 条：CJHB-2026-00003" in result.output
    assert "CJHB-2026-00003" in listed.output


def test_queue_settle_refuses_an_accepted_item_and_changes_nothing(config, year):
    result = run(config, "queue", "settle", "CJHB-2026-00003", "CJHB-2026-00001", "--reason", "批量")
    assert result.exit_code == 1 and "没有做任何改动" in result.output
    assert "共 1 条" in run(config, "items", "list", "--verdict", "queue").output


def test_queue_accept_mails_the_unit_by_default_when_a_reply_promised_it(config, year):
    from baosong.models import Item, OutboxMessage

    app = open_app(load_settings(config, environ={}))
    with transaction(app.sessions) as session:
        item = session.get(Item, year["CJHB-2026-00003"])
        item.verdict, item.sender = "review", "changji@example.cn"
        session.add(OutboxMessage(item_id=item.id, kind="review", recipient="changji@example.cn", state="sent"))
    result = run(config, "queue", "accept", "CJHB-2026-00003", "--reason", "核实无误")
    with app.sessions() as session:
        kinds = session.scalars(select(OutboxMessage.kind).where(OutboxMessage.item_id == year["CJHB-2026-00003"])).all()
    app.close()
    assert result.exit_code == 0, result.output
    assert sorted(kinds) == ["accepted_by_clerk", "review"]


def test_queue_accept_no_reply_sends_nothing(config, year):
    from baosong.models import Item, OutboxMessage

    app = open_app(load_settings(config, environ={}))
    with transaction(app.sessions) as session:
        session.get(Item, year["CJHB-2026-00003"]).verdict = "review"
        session.add(OutboxMessage(item_id=year["CJHB-2026-00003"], kind="review", recipient="changji@example.cn",
                                  state="sent"))
    result = run(config, "queue", "accept", "CJHB-2026-00003", "--reason", "核实无误", "--no-reply")
    with app.sessions() as session:
        count = len(session.scalars(select(OutboxMessage).where(OutboxMessage.item_id == year["CJHB-2026-00003"])).all())
    app.close()
    assert result.exit_code == 0 and count == 1


def test_items_list_json_says_when_an_item_was_settled(config, year):
    run(config, "queue", "settle", "CJHB-2026-00003", "--reason", "已电话告知单位")
    record = json.loads(run(config, "items", "list", "--q", "CJHB-2026-00003", "--json").output)
    assert record["settled_at"] is not None and record["resubmission_of"] is None
