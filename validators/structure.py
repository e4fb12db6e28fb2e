"""Rules on the document's shape: a title, a body, and no pictures pasted into it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from validators.case import PART_NAMES, Case, Hit
from validators.findings import Location

_MEANINGFUL = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
MIN_BODY_CHARACTERS = 10


def missing_title(case: Case) -> Iterator[Hit]:
    if case.submission is not None and not case.submission.title.strip():
        yield Hit(evidence={"paragraphs": len(case.submission.paragraphs)})


def empty_body(case: Case) -> Iterator[Hit]:
    if case.submission is None:
        return
    characters = len(_MEANINGFUL.findall(case.submission.body_text))
    if characters < MIN_BODY_CHARACTERS:
        yield Hit(evidence={"body_characters": characters})


def photo_in_body(case: Case) -> Iterator[Hit]:
    if case.submission is None:
        return
    for picture in case.submission.pictures:
        place = PART_NAMES.get(picture.part, picture.part)
        where = f"{place}第{picture.paragraph}段" if picture.paragraph else place
        yield Hit(
            params={"where": where},
            evidence={"part": picture.part, "paragraph": picture.paragraph, "picture": picture.name},
            location=Location(part=picture.part, paragraph=picture.paragraph),
        )
