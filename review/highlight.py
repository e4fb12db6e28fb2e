"""Cut the document's paragraphs into plain and highlighted pieces at the findings' locations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Piece:
    text: str
    finding: Any = None  # the finding row this piece highlights, if any
    number: int | None = None  # the finding's number in the list beside the text


@dataclass
class Paragraph:
    index: int
    part: str
    pieces: list[Piece] = field(default_factory=list)


def located(findings: list[Any]) -> list[Any]:
    """Findings that point at a character range inside a paragraph."""
    return [
        f
        for f in findings
        if f.location
        and f.location.get("paragraph") is not None
        and f.location.get("start") is not None
        and f.location.get("end") is not None
    ]


def highlight(paragraphs: list[dict], findings: list[Any], numbers: dict[int, int]) -> list[Paragraph]:
    """Each paragraph as pieces; overlapping or out-of-range spans are dropped from the text
    (they still appear in the list of findings)."""
    by_paragraph: dict[int, list[Any]] = {}
    for finding in located(findings):
        by_paragraph.setdefault(finding.location["paragraph"], []).append(finding)
    result = []
    for paragraph in paragraphs:
        text = str(paragraph.get("text", ""))
        index = paragraph.get("index", 0)
        spans = sorted(by_paragraph.get(index, []), key=lambda f: (f.location["start"], f.location["end"]))
        result.append(Paragraph(index, str(paragraph.get("part", "body")), _cut(text, spans, numbers)))
    return result


def _cut(text: str, spans: list[Any], numbers: dict[int, int]) -> list[Piece]:
    pieces = []
    position = 0
    for finding in spans:
        start, end = finding.location["start"], finding.location["end"]
        if start < position or end <= start or end > len(text):
            continue
        if start > position:
            pieces.append(Piece(text[position:start]))
        pieces.append(Piece(text[start:end], finding, numbers.get(finding.id)))
        position = end
    if position < len(text) or not pieces:
        pieces.append(Piece(text[position:]))
    return pieces
