"""Cutting paragraphs into highlighted pieces at the findings' character offsets."""

from __future__ import annotations

from dataclasses import dataclass

from review.highlight import highlight


@dataclass
class F:
    id: int
    location: dict | None


PARAGRAPHS = [{"index": 1, "text": "标题", "part": "body"}, {"index": 2, "text": "近日，我局召开会议。", "part": "body"}]


def test_each_located_finding_becomes_a_highlighted_piece():
    findings = [F(1, {"paragraph": 2, "start": 0, "end": 2}), F(2, {"paragraph": 2, "start": 3, "end": 5})]
    pieces = highlight(PARAGRAPHS, findings, {1: 1, 2: 2})[1].pieces
    assert [(p.text, p.number) for p in pieces] == [("近日", 1), ("，", None), ("我局", 2), ("召开会议。", None)]


def test_overlapping_spans_keep_only_the_first():
    findings = [F(1, {"paragraph": 2, "start": 0, "end": 4}), F(2, {"paragraph": 2, "start": 3, "end": 5})]
    pieces = highlight(PARAGRAPHS, findings, {1: 1, 2: 2})[1].pieces
    assert [p.number for p in pieces if p.finding] == [1]


def test_a_span_beyond_the_paragraph_is_not_highlighted():
    pieces = highlight(PARAGRAPHS, [F(1, {"paragraph": 1, "start": 1, "end": 9})], {1: 1})[0].pieces
    assert [(p.text, p.finding) for p in pieces] == [("标题", None)]


def test_findings_without_location_leave_the_text_whole():
    paragraphs = highlight(PARAGRAPHS, [F(1, None)], {1: 1})
    assert ["".join(p.text for p in para.pieces) for para in paragraphs] == ["标题", "近日，我局召开会议。"]
