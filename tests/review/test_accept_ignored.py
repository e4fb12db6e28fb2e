"""An ignored mail was never read as a submission: a clerk cannot accept it as an empty item."""

from __future__ import annotations

import pytest

from baosong import actions
from baosong.db import transaction
from baosong.models import Item
from tests.review.samples import PREFIX, vague_item


def test_accepting_an_ignored_mail_whose_document_was_never_read_is_refused_in_chinese(sessions, settings, units):
    with transaction(sessions) as session:
        item = vague_item(settings, session, unit_id=units["昌吉市环境保护局"])
        item.verdict = item.original_verdict = "ignored"
        item.title, item.text, item.fields, item.receipt = "", "", {}, None
        ignored = item.id
    with pytest.raises(actions.ActionError, match="不予处理"), transaction(sessions) as session:
        actions.accept(session, ignored, "wang", "OA 系统代发", receipt_prefix=PREFIX)
    with sessions() as session:
        assert session.get(Item, ignored).verdict == "ignored"
