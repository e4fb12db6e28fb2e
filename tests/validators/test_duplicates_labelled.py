"""Recall and precision of the 首报 check on the generated, labelled corpus (tests/factories/corpus.py)."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.factories.corpus import HARD_KINDS, NEAR_KINDS, LabelledSet, labelled_set
from validators.duplicates import DuplicateIndex, DuplicateMatch, IndexedItem


@pytest.fixture(scope="module")
def labelled() -> LabelledSet:
    return labelled_set(2026, corpus_size=3000, near=400, hard=300)


@pytest.fixture(scope="module")
def results(labelled: LabelledSet) -> list[tuple[object, list[DuplicateMatch]]]:
    index = DuplicateIndex()
    index.add_many(
        IndexedItem.from_text(
            item_id=item.item_id, text=item.text, unit_name=item.unit, receipt=item.receipt, accepted_on=item.accepted_on
        )
        for item in labelled.corpus
    )
    return [(q, index.find(q.text, unit_names=[q.unit], on=q.day)) for q in labelled.queries]


def test_labelled_set_has_every_kind(labelled: LabelledSet):
    kinds = Counter(q.kind for q in labelled.queries)
    assert set(kinds) == {*NEAR_KINDS, *HARD_KINDS} and min(kinds.values()) >= 40


def test_labelled_set_is_deterministic():
    first = labelled_set(5, corpus_size=50, near=7, hard=3)
    again = labelled_set(5, corpus_size=50, near=7, hard=3)
    assert first.queries == again.queries and first.corpus == again.corpus


@pytest.mark.parametrize("kind", NEAR_KINDS)
def test_near_duplicates_of_each_kind_are_flagged_against_their_original(results, kind):  # noqa: ANN001
    near = [(q, matches) for q, matches in results if q.kind == kind]
    found = sum(bool(matches) and matches[0].item_id == q.source_id for q, matches in near)
    assert found / len(near) >= 0.95


def test_near_duplicates_with_the_same_facts_are_duplicates(results):  # noqa: ANN001
    near = [(q, matches) for q, matches in results if q.label == "near" and q.kind != "date_swap"]
    found = sum(bool(matches) and matches[0].duplicate and matches[0].item_id == q.source_id for q, matches in near)
    assert found / len(near) >= 0.98


def test_a_swapped_date_is_held_for_review_not_rejected(results):  # noqa: ANN001
    swapped = [matches for q, matches in results if q.kind == "date_swap"]
    assert all(matches and not matches[0].duplicate for matches in swapped)


@pytest.mark.parametrize("kind", HARD_KINDS)
def test_no_hard_negative_of_each_kind_is_flagged_duplicate(results, kind):  # noqa: ANN001
    assert [q.text for q, matches in results if q.kind == kind and any(m.duplicate for m in matches)] == []


def test_flags_are_precise(results):  # noqa: ANN001
    flagged = [(q, matches[0]) for q, matches in results if matches]
    right = sum(q.label == "near" and best.item_id == q.source_id for q, best in flagged)
    assert right / len(flagged) >= 0.95
