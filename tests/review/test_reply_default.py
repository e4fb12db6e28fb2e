"""A reply promised "审核结果将另行邮件通知": the clerk's decision mails the unit unless the clerk says not to."""

from __future__ import annotations

import pytest
from baosong import actions
from baosong.db import transaction
from baosong.models import Item, OutboxMessage


@pytest.fixture
def held(sessions, item_id) -> int:
    """The sample item, held for review, its automatic 待审核 reply sent."""
    with transaction(sessions) as session:
        item = session.get(Item, item_id)
        item.verdict = "review"
        session.add(OutboxMessage(item_id=item_id, kind="review", recipient="changji@example.cn", state="sent"))
    return item_id


def _checked(page: str) -> int:
    return page.count('name="reply" value="1" checked')


def test_the_console_ticks_the_reply_when_one_was_promised(clerk, held):
    page = clerk.get(f"/items/{held}").text
    assert _checked(page) == 2 and "审核结果将另行邮件通知" in page


def test_the_console_leaves_the_reply_unticked_otherwise(clerk, item_id):
    assert _checked(clerk.get(f"/items/{item_id}").text) == 0


def test_a_promised_reply_is_known_to_the_actions(sessions, held):
    with sessions() as session:
        assert actions.reply_promised(session, held)
