"""The duplicate index kept in the database and shared by workers (validators.duplicates.DuplicateStore)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from baosong.db import transaction
from baosong.models import DuplicateEntry, Item
from baosong.models.duplicates import DuplicateSnapshot
from validators.duplicates import DuplicateIndex, DuplicateStore, normalise

ITEM = (
    "青山县自然资源局开展龙山镇违法用地专项督查\n"
    "{day}，青山县自然资源局抽调12名执法人员组成3个督查组，对龙山镇开展违法用地专项督查。"
    "此次督查采取查阅资料、实地踏勘、走访群众相结合的方式，重点检查乱占耕地建房、违规占用永久基本农田等问题。\n"
    "督查共核查图斑46宗，涉及面积128.5亩，发现疑似违法用地7宗。对发现的问题，督查组现场下达整改通知书7份。"
)
UNIT = "青山县自然资源局"
TODAY = date.today()
TEXT = ITEM.format(day=f"{TODAY.month}月{TODAY.day}日")


def store(sessions, **options) -> DuplicateStore:  # noqa: ANN001, ANN003
    return DuplicateStore(sessions, duplicate_threshold=0.5, review_threshold=0.4, window=options.get("window", 365))


def accept(sessions, text: str = TEXT, accepted_on: date = TODAY) -> int:  # noqa: ANN001
    """Record an accepted item and index it in the same transaction, as the judge does."""
    with transaction(sessions) as session:
        item = Item(verdict="accepted", original_verdict="accepted", receipt=None, title="", text=text)
        session.add(item)
        session.flush()
        item.receipt = f"ZRZY-{accepted_on.year}-{item.id:05d}"
        DuplicateStore.index_item(
            session, item_id=item.id, text=text, unit_name=UNIT, receipt=item.receipt, accepted_on=accepted_on
        )
        return item.id


def test_indexed_item_is_found_by_the_same_store(sessions):  # noqa: ANN001
    finder = store(sessions)
    item_id = accept(sessions)
    [match] = finder.find(TEXT, unit_names=[UNIT])
    assert (match.item_id, match.duplicate, match.receipt) == (item_id, True, f"ZRZY-{TODAY.year}-{item_id:05d}")


def test_index_survives_a_restart(sessions):  # noqa: ANN001
    item_id = accept(sessions)
    assert [m.item_id for m in store(sessions).find(TEXT, unit_names=[UNIT])] == [item_id]


def test_second_worker_sees_items_the_first_indexed(sessions):  # noqa: ANN001
    first, second = store(sessions), store(sessions)
    first.find(TEXT)  # both loaded before the item exists
    item_id = accept(sessions)
    assert [m.item_id for m in second.find(TEXT, unit_names=[UNIT])] == [item_id]


def test_uncommitted_item_is_not_seen(sessions):  # noqa: ANN001
    finder = store(sessions)
    with sessions() as session:
        item = Item(verdict="accepted", original_verdict="accepted", text=TEXT)
        session.add(item)
        session.flush()
        DuplicateStore.index_item(session, item_id=item.id, text=TEXT, unit_name=UNIT, receipt=None, accepted_on=TODAY)
        session.rollback()
    assert finder.find(TEXT, unit_names=[UNIT]) == []


def test_removed_item_disappears_for_every_worker(sessions):  # noqa: ANN001
    other_worker = store(sessions)
    item_id = accept(sessions)
    assert other_worker.find(TEXT, unit_names=[UNIT])
    with transaction(sessions) as session:
        DuplicateStore.remove_item(session, item_id)
    assert other_worker.find(TEXT, unit_names=[UNIT]) == [] and store(sessions).find(TEXT, unit_names=[UNIT]) == []


def test_re_accepted_item_is_found_again(sessions):  # noqa: ANN001
    finder = store(sessions)
    item_id = accept(sessions)
    with transaction(sessions) as session:
        DuplicateStore.remove_item(session, item_id)
    assert finder.find(TEXT) == []
    with transaction(sessions) as session:
        DuplicateStore.index_item(session, item_id=item_id, text=TEXT, unit_name=UNIT, receipt=None, accepted_on=TODAY)
    assert [m.item_id for m in finder.find(TEXT, unit_names=[UNIT])] == [item_id]


def test_one_row_per_item(sessions):  # noqa: ANN001
    item_id = accept(sessions)
    for _ in range(2):
        with transaction(sessions) as session:
            DuplicateStore.remove_item(session, item_id)
            DuplicateStore.index_item(session, item_id=item_id, text=TEXT, unit_name=UNIT, receipt=None, accepted_on=TODAY)
    with sessions() as session:
        assert len(session.scalars(select(DuplicateEntry).where(DuplicateEntry.item_id == item_id)).all()) == 1


def test_item_older_than_the_window_is_not_matched(sessions):  # noqa: ANN001
    long_ago = TODAY - timedelta(days=400)
    text = ITEM.format(day=f"{long_ago.month}月{long_ago.day}日")
    accept(sessions, text, accepted_on=long_ago)
    assert store(sessions).find(text, unit_names=[UNIT]) == []


def test_item_accepted_300_days_ago_is_matched(sessions):  # noqa: ANN001
    earlier = TODAY - timedelta(days=300)
    text = ITEM.format(day=f"{earlier.month}月{earlier.day}日")
    item_id = accept(sessions, text, accepted_on=earlier)
    assert [m.item_id for m in store(sessions).find(text, unit_names=[UNIT])] == [item_id]


def test_row_committed_late_with_a_lower_id_is_still_seen(sessions):  # noqa: ANN001
    """On PostgreSQL ids are handed out at insert time but become visible at commit, out of order."""
    with transaction(sessions) as session:
        items = [Item(verdict="accepted", original_verdict="accepted", text=TEXT) for _ in range(2)]
        session.add_all(items)
        session.flush()
        first, second = (item.id for item in items)
    finder = store(sessions)
    other = "白云县应急管理局召开防汛工作会议，部署汛期值班值守、物资储备和转移避险工作，要求各乡镇落实值班。"
    row = {"unit_name": UNIT, "receipt": None, "accepted_on": TODAY}
    with transaction(sessions) as session:
        session.add(DuplicateEntry(id=1005, item_id=second, normalised=normalise(other), **row))
    finder.refresh()
    with transaction(sessions) as session:
        session.add(DuplicateEntry(id=1003, item_id=first, normalised=normalise(TEXT, [UNIT]), **row))
    assert [m.item_id for m in finder.find(TEXT, unit_names=[UNIT])] == [first]


OTHER = "白云县应急管理局召开防汛工作会议，部署汛期值班值守、物资储备和转移避险工作，要求各乡镇落实24小时值班。"


def test_snapshot_keeps_what_the_index_finds(sessions):  # noqa: ANN001
    before = accept(sessions)
    finder = store(sessions)
    copy = DuplicateIndex()
    copy.load_bytes(finder.index.to_bytes())
    assert [m.item_id for m in copy.find(TEXT, unit_names=[UNIT])] == [before] and copy.nbytes == finder.index.nbytes


def test_store_started_from_a_snapshot_sees_entries_before_and_after_it(sessions):  # noqa: ANN001
    before = accept(sessions)
    store(sessions).save_snapshot()
    after = accept(sessions, OTHER)
    with transaction(sessions) as session:
        DuplicateStore.remove_item(session, before)
    started = store(sessions)
    assert started.find(TEXT, unit_names=[UNIT]) == [] and [m.item_id for m in started.find(OTHER)] == [after]


def test_one_snapshot_is_kept(sessions):  # noqa: ANN001
    accept(sessions)
    finder = store(sessions)
    finder.save_snapshot()
    finder.save_snapshot()
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(DuplicateSnapshot)) == 1
