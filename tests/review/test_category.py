"""Item category (动态 / 专报 / 参阅 …): set by a clerk on the item page and from the shell, audited."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select

from baosong import BUNDLED_CONFIG, actions
from baosong.cli import main
from baosong.db import transaction
from baosong.models import AuditEntry, Item
from review.web import create_console
from scoring.ruleset import load_ruleset
from tests.review.conftest import log_in, token_of
from tests.review.samples import NOW, PREFIX

C_CATEGORIES = load_ruleset(BUNDLED_CONFIG, "C").categories


@pytest.fixture
def clerk_of_c(settings, sessions, accounts, throttle) -> Iterator[TestClient]:  # noqa: ANN001
    console = create_console(
        settings, sessions, receipt_prefix=PREFIX, ruleset=load_ruleset(BUNDLED_CONFIG, "C"), throttle=throttle,
        clock=lambda: NOW + timedelta(minutes=30),
    )
    with TestClient(console) as client:
        assert log_in(client, "wang").status_code == 303
        yield client


def test_the_action_changes_the_category_and_audits_it(sessions, item_id):
    with transaction(sessions) as session:
        actions.set_category(session, item_id, "wang", "参阅", "综合分析材料", categories=C_CATEGORIES)
    with sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "set_category")).one()
        assert (session.get(Item, item_id).category, entry.details, entry.reason) == (
            "参阅", {"from": "动态", "to": "参阅"}, "综合分析材料")


@pytest.mark.parametrize(
    ("category", "message"),
    [("要闻", "类别「要闻」不是本规则集的类别（可选：动态、专报、参阅）"), ("动态", "已经是“动态”类")],
)
def test_a_category_outside_the_rule_set_or_unchanged_is_refused(sessions, item_id, category, message):
    with transaction(sessions) as session, pytest.raises(actions.ActionError, match=message):
        actions.set_category(session, item_id, "wang", category, categories=C_CATEGORIES)


def test_the_item_page_offers_the_rule_sets_categories_and_sets_one(clerk_of_c, sessions, item_id):
    token = token_of(clerk_of_c, f"/items/{item_id}")
    html = clerk_of_c.post(f"/items/{item_id}/category", data={"csrf_token": token, "category": "专报"}).text
    assert "已把类别改为“专报”" in html and '<option value="参阅"' in html
    with sessions() as session:
        assert session.get(Item, item_id).category == "专报"


def test_the_shell_command_sets_the_category_by_receipt(settings, sessions, item_id, tmp_path):
    with transaction(sessions) as session:
        receipt = actions.accept(session, item_id, "wang", "核实无误", receipt_prefix=PREFIX).receipt
    config = tmp_path / "baosong.toml"
    config.write_text(
        f'[paths]\ndata = "{settings.paths.data}"\n[database]\nurl = "{settings.database_url}"\n'
        '[rules]\norganisation = "C"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["--config", str(config), "items", "category", receipt, "专报", "--reason", "情况专报"])
    assert result.exit_code == 0 and "类别已改为“专报”" in result.output
    with sessions() as session:
        assert session.get(Item, item_id).category == "专报"


def test_the_item_page_names_the_sign_off_fields_as_the_organisation_does(settings, sessions, accounts, throttle, item_id):
    c_settings = replace(settings, rules=replace(settings.rules, organisation="C"))
    console = create_console(c_settings, sessions, receipt_prefix=PREFIX, throttle=throttle, clock=lambda: NOW)
    with TestClient(console) as client:
        assert log_in(client, "wang").status_code == 303
        html = client.get(f"/items/{item_id}").text
    assert "<th>审签人</th>" in html and "<th>联系方式</th>" in html and "<th>审核领导</th>" not in html
