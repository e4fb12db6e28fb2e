"""首报: an item that repeats an earlier accepted one does not count (DUPLICATE / POSSIBLE_DUPLICATE)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from validators.case import Case, Hit


def comparable_text(title: str, body: str) -> str:
    """The text compared for 首报: the same for the item being judged and the items indexed."""
    return f"{title}\n{body}"


def best_match(case: Case) -> Any | None:
    """The closest earlier accepted item, looked up once per case."""
    if "best_match" not in case.memo:
        match = None
        if case.duplicates is not None and case.submission is not None and case.submission.body:
            text = comparable_text(case.submission.title, case.submission.body_text)
            names = case.unit.names if case.unit else ()
            matches = case.duplicates.find(
                text, unit_names=names, exclude_item_id=case.exclude_item_id, on=case.today
            )
            match = matches[0] if matches else None
        case.memo["best_match"] = match
    return case.memo["best_match"]


def _hit(match: Any) -> Hit:
    day = match.date
    return Hit(
        params={
            "similarity_text": f"{match.similarity:.0%}",
            "first_unit": match.unit,
            "first_date": f"{day.year}年{day.month}月{day.day}日",
            "first_receipt": match.receipt or "（无）",
        },
        evidence={
            "receipt": match.receipt,
            "unit": match.unit,
            "date": day.isoformat(),
            "similarity": round(match.similarity, 3),
            "item_id": match.item_id,
        },
    )


def duplicate(case: Case) -> Iterator[Hit]:
    match = best_match(case)
    if match is not None and match.duplicate:
        yield _hit(match)


def possible_duplicate(case: Case) -> Iterator[Hit]:
    match = best_match(case)
    if match is not None and not match.duplicate:
        yield _hit(match)
