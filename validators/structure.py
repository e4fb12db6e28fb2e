"""Rules on the document's shape: a title, a body filled in over the template's placeholders,
one item per document, and no pictures pasted into it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date

from validators.case import PART_NAMES, Case, Hit, where
from validators.dates import explicit_dates
from validators.findings import Location
from validators.submission import Paragraph, Submission
from validators.template import BODY_PLACEHOLDERS, NOTE_HEADING, TITLE_PLACEHOLDER

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


_SPACES = re.compile(r"\s+")
# what of `baosong template` is left → where it belongs; the notes box counts once it is item text
# (its tagged content control is skipped by the reader, so a unit may leave the box in);
# the notes are the organisation's own ([template] notes in its checks.toml)
def _placeholders(notes: tuple[str, ...]) -> tuple[tuple[tuple[str, ...], str], ...]:
    return ((TITLE_PLACEHOLDER,), "标题"), (BODY_PLACEHOLDERS, "正文"), ((NOTE_HEADING, *notes), "“填报须知”说明")


def _placeholder_in(text: str, notes: tuple[str, ...]) -> str | None:
    compact = _SPACES.sub("", text)
    for texts, place in _placeholders(notes):
        if any(_SPACES.sub("", placeholder) in compact for placeholder in texts if len(placeholder) > 4):
            return place
        if compact in texts:  # a short line such as the 填报须知 heading counts only on its own
            return place
    return None


def template_not_filled(case: Case) -> Iterator[Hit]:
    """The template's placeholder title, body or notes are still item text: nothing was written."""
    if case.submission is None:
        return
    notes = case.rules.template_notes
    found = [(paragraph, place) for paragraph in case.submission.paragraphs if (place := _placeholder_in(paragraph.text, notes))]
    if not found:
        return
    places = list(dict.fromkeys(place for _, place in found))
    first = found[0][0]
    yield Hit(
        params={"parts": "、".join(places), "where": where(first)},
        evidence={"placeholders": places, "paragraphs": [paragraph.index for paragraph, _ in found]},
        location=Location(part=first.part, paragraph=first.index),
    )


# A numbered section heading inside one item: 一、 （二） 3. 第四部分 一是…
_SUBHEADING = re.compile(r"\s*(?:[一二三四五六七八九十]+[、.．是]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]|第[一二三四五六七八九十\d]+[部章节条])")
_CAPTION = re.compile(r"\s*图[为片示：:]")
MIN_ITEM_CHARACTERS = 30  # an item's own text, beyond its title: a date line or a 落款 is no item
# Another item's title names its unit (奇台县环境保护局召开…) or is as long as a title; a heading
# set like the title that does neither (强化燃煤锅炉监管) is a subheading of the one item.
MIN_UNNAMED_TITLE_CHARACTERS = 20


def _items(submission: Submission, today: date, names_a_unit: Callable[[str], bool] = lambda _text: True) -> list[Paragraph]:
    """The titles of the items in the document: each set like the document's title, not a numbered
    subheading or a caption, and followed by text of its own that names an exact date."""
    title = next((p for p in submission.paragraphs if p.index == submission.title_paragraph), None)
    if title is None or title.heading is None:
        return []  # an unformatted title: nothing tells another item's title from a sentence
    body = {p.index: p.text for p in submission.body}
    sections: list[tuple[Paragraph, list[str]]] = []
    for paragraph in submission.paragraphs:
        if paragraph.part != "body":
            continue
        if paragraph.heading == title.heading and not _SUBHEADING.match(paragraph.text) and not _CAPTION.match(paragraph.text):
            sections.append((paragraph, []))
        elif sections and paragraph.index in body:
            sections[-1][1].append(body[paragraph.index])
    return [
        heading
        for number, (heading, texts) in enumerate(sections)
        if len(_MEANINGFUL.findall("".join(texts))) >= MIN_ITEM_CHARACTERS and explicit_dates("\n".join(texts), today)
        and (
            number == 0
            or names_a_unit(heading.text)
            or len(_MEANINGFUL.findall(heading.text)) >= MIN_UNNAMED_TITLE_CHARACTERS
        )
    ]


def multiple_items(case: Case) -> Iterator[Hit]:
    """一事一报: two or more items, each with its own title, text and date, in one document."""
    if case.submission is None:
        return
    own_names = [name for name in (case.unit.names if case.unit else ()) if name]
    items = _items(
        case.submission, case.today,
        lambda text: case.registry.mentioned_in(text) is not None or any(name in text for name in own_names),
    )
    if len(items) >= 2:
        titles = [item.text.strip() for item in items]
        yield Hit(
            params={"count": len(items), "titles": "、".join(f"“{t}”" for t in titles)},
            evidence={"titles": titles, "paragraphs": [item.index for item in items]},
            location=Location(part=items[1].part, paragraph=items[1].index),
        )


def photo_in_body(case: Case) -> Iterator[Hit]:
    if case.submission is None:
        return
    places = set()
    for picture in case.submission.pictures:
        if (picture.part, picture.paragraph) in places:
            continue  # one finding per place: the reply and the comment say "pictures here" once
        places.add((picture.part, picture.paragraph))
        place = PART_NAMES.get(picture.part, picture.part)
        where = f"{place}第{picture.paragraph}段" if picture.paragraph else place
        yield Hit(
            params={"where": where},
            evidence={"part": picture.part, "paragraph": picture.paragraph, "picture": picture.name},
            location=Location(part=picture.part, paragraph=picture.paragraph),
        )
