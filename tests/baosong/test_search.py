"""baosong.search: the states an item can be found in, and words taken literally."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from baosong.db import transaction
from baosong.models import Item, Unit, utcnow
from baosong.search import ItemFilters, search


@pytest.fixture
def titles(sessions) -> None:  # noqa: ANN001
    with transaction(sessions) as session:
        unit = Unit(name="奇台县环境保护局", category="县市环保局")
        session.add(unit)
        session.flush()
        rows = [("达标率100%的县", "rejected", None), ("达标率九成的县", "rejected", utcnow()),
                ("生态_保护红线", "review", None), ("生态环境保护红线", "accepted", None)]
        for n, (title, verdict, settled) in enumerate(rows, start=1):
            session.add(Item(unit_id=unit.id, verdict=verdict, original_verdict=verdict, title=title,
                             receipt=f"CJHB-2026-{n:05d}", settled_at=settled,
                             received_at=datetime(2026, 3, n, 2, tzinfo=UTC)))


def _titles(sessions, **filters) -> list[str]:  # noqa: ANN001
    with sessions() as session:
        return [row.item.title for row in search(session, ItemFilters(**filters), 1, is_admin=True).rows]


def test_the_queue_holds_what_is_neither_accepted_nor_settled(sessions, titles):
    assert _titles(sessions) == ["生态_保护红线", "达标率100%的县"]


def test_settled_items_have_their_own_state(sessions, titles):
    assert _titles(sessions, verdict="settled") == ["达标率九成的县"]


def test_a_percent_sign_in_a_word_is_taken_literally(sessions, titles):
    assert _titles(sessions, verdict="all", text="100%") == ["达标率100%的县"]


def test_an_underscore_in_a_word_is_taken_literally(sessions, titles):
    assert _titles(sessions, verdict="all", text="生态_") == ["生态_保护红线"]


def test_a_receipt_number_in_lower_case_finds_its_item(sessions, titles):
    assert _titles(sessions, verdict="all", text="cjhb-2026-00004") == ["生态环境保护红线"]


def test_the_end_of_a_receipt_number_finds_its_item(sessions, titles):
    assert _titles(sessions, verdict="all", text="00003") == ["生态_保护红线"]
