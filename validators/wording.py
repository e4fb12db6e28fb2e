"""Rules on the wording: vague self-references and relative times, and classified markings."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import accumulate

from validators.case import Case, Hit, snippet, where
from validators.findings import Location
from validators.submission import Paragraph, Submission

_BOOK_TITLE = re.compile(r"《[^《》]*》")
_QUOTED = re.compile(r"“[^“”]*”|‘[^‘’]*’|「[^「」]*」|『[^『』]*』|\"[^\"]*\"")
_AREA = re.compile(r"^(.+?(?:自治州|自治县|州|县|市|区|旗|镇|乡))")
_DAYS_BACK = {"今日": 0, "今天": 0, "今晨": 0, "今早": 0, "今晚": 0, "昨日": 1, "昨天": 1, "昨晚": 1, "昨晨": 1, "前天": 2}
# A deadline (于12月15日前, 每月25日前, 二十五日前): its 日 belongs to a day number, so 日前 is no vague word.
_DEADLINE = re.compile(r"[0-9０-９一二三四五六七八九十廿卅]\s*[日号]前")

CLASSIFIED = re.compile(
    r"(?:绝密|机密|秘密)\s*[★☆✩✭\*]|[【\[](?:绝密|机密|秘密)[】\]]|密\s*级\s*[:：]|涉密信息"
)
# A line at the top of the document that is only the level (机密, 秘 密), as printed above a title.
CLASSIFIED_LINE = re.compile(r"\s*(?:绝|机|秘)[\s\u3000]*密\s*")
TOP_LINES = 3  # paragraphs of the body flow that count as "the top", wherever the title is


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    """Spans from one finditer are sorted and disjoint: the last one starting at or before
    `position` is the only candidate (a paragraph of 10,000 《》 titles costs no more than one)."""
    index = bisect_right(spans, position, key=lambda span: span[0]) - 1
    return index >= 0 and position < spans[index][1]


def _date_text(day: date) -> str:
    return f"“{day.month}月{day.day}日”"


def _suggestion(word: str, kind: str, case: Case) -> str:
    if kind == "time":
        back = _DAYS_BACK.get(word)
        day = case.today - timedelta(days=back or 0)
        return f"具体日期，如{_date_text(day)}" if back is not None else f"具体日期，如{_date_text(case.today)}"
    unit = case.unit
    if unit is None:
        return "单位或地方的全称"
    if word.endswith(("局", "委", "办", "厅", "处", "科", "站", "队", "所", "中心", "单位", "部门")):
        return f"单位全称“{unit.name}”"
    area = _AREA.match(unit.name)
    if area and area.group(1)[-1] == word[-1]:
        return f"地名全称“{area.group(1)}”"
    return "地名全称（如“××州”“××县”）"


def _matches(text: str, words: list[tuple[str, str]], allowed: tuple[str, ...]) -> Iterator[tuple[int, str, str]]:
    """(position, word, kind) of listed words, longest first, never inside an allowed term."""
    protected = [span for term in allowed if term in text for span in _spans(re.compile(re.escape(term)), text)]
    protected += [(start + 1, end) for start, end in _spans(_DEADLINE, text)]
    protected.sort()
    reach = list(accumulate((end for _, end in protected), max))  # the furthest end of a span starting so far
    taken = bytearray(len(text))  # characters already matched by a longer word
    for word, kind in sorted(words, key=lambda pair: len(pair[0]), reverse=True):
        if word not in text:  # most words are in no paragraph: skip the regex machinery
            continue
        for match in re.finditer(re.escape(word), text):
            start, end = match.span()
            last = bisect_right(protected, start, key=lambda span: span[0]) - 1
            if (last >= 0 and reach[last] >= end) or 1 in taken[start:end]:
                continue
            taken[start:end] = b"\x01" * (end - start)
            yield start, word, kind


def _vague_in(paragraph: Paragraph, case: Case) -> Iterator[Hit]:
    text = paragraph.text
    titles = _spans(_BOOK_TITLE, text)
    quotes = _spans(_QUOTED, text)
    words = [(w, "place") for w in case.rules.vague.place] + [(w, "time") for w in case.rules.vague.time]
    for start, word, kind in sorted(_matches(text, words, case.rules.vague.allow)):
        if _inside(start, titles):
            continue
        quoted = _inside(start, quotes)
        end = start + len(word)
        yield Hit(
            params={
                "where": where(paragraph),
                "context": snippet(text, start, end),
                "word": word,
                "suggestion": _suggestion(word, kind, case),
                "quoted_note": "（在引号内的原话中，仅作提醒）" if quoted else "",
            },
            evidence={"word": word, "kind": kind, "context": snippet(text, start, end), "paragraph": paragraph.index},
            location=Location(part=paragraph.part, paragraph=paragraph.index, start=start, end=end),
            severity=case.rules.quoted_severity if quoted else None,
        )


def vague_wording(case: Case) -> Iterator[Hit]:
    if case.submission is None:
        return
    title = [p for p in case.submission.paragraphs if p.index == case.submission.title_paragraph]
    for paragraph in title + case.submission.body:
        yield from _vague_in(paragraph, case)


def classified_marking(case: Case) -> Iterator[Hit]:
    """One finding, quoting nothing: only where the marking was seen."""
    places: list[tuple[str, str]] = []
    if case.mail:
        places += [("邮件主题", case.mail.subject), ("邮件正文", case.mail.text_body)]
        places += [("附件名", a.display_name) for a in case.mail.attachments]
    if case.submission:
        places += [(where(p), p.text) for p in case.submission.paragraphs]
    for place, text in places:
        if text and CLASSIFIED.search(text):
            yield Hit(params={"secure_channel": case.rules.secure_channel}, evidence={"where": place})
            return
    top = _top_lines(case.submission) if case.submission else []
    for paragraph in top:
        if CLASSIFIED_LINE.fullmatch(paragraph.text):
            yield Hit(params={"secure_channel": case.rules.secure_channel}, evidence={"where": where(paragraph)})
            return


def _top_lines(submission: Submission) -> list[Paragraph]:
    """The page headers and the first lines of the document, down to its title."""
    flow = [p for p in submission.paragraphs if p.part in ("body", "table", "textbox")]
    last = max(TOP_LINES, next((n + 1 for n, p in enumerate(flow) if p.index == submission.title_paragraph), 0))
    return [p for p in submission.paragraphs if p.part == "header"] + flow[:last]
