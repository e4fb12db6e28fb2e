"""Text rules for reading sign-off fields (审核领导：…) and spotting a title, on plain strings.

A label counts only where a person would write one: at the start of a line or cell, or after
whitespace or a separator, and followed by a colon. That keeps "经审核，该项目…" out while
"审核：李四  撰稿：张三  手机：139…" gives three values, each ending where the next label starts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Mapping, Sequence

DEFAULT_FIELD_LABELS: Mapping[str, tuple[str, ...]] = {
    "reviewer": ("审核领导", "审核人", "审核", "审签人", "审签", "签发人", "签发"),
    "author": ("撰稿人", "撰稿", "供稿人", "作者", "执笔", "拟稿人"),
    "phone": ("手机号", "手机", "手机号码", "联系电话", "电话", "联系方式"),
}
TITLE_FIELD = "title"
TITLE_LABELS = ("标题", "题目")

TITLE_MAX_CHARS = 80  # longer unformatted first lines are body text, not a title
SIGN_OFF_PREFIX_MAX_CHARS = 10  # e.g. "联系人：张三" before "电话：…" still makes a sign-off line
_SENTENCE_ENDS = ("。", "！", "？", "；", "…", ".", "!", "?", ";")

_COLONS = ":：︰"
_SEPARATORS = r"\s,，;；、。（(【\[|/·"
_OPENERS = "（(【["
_CLOSERS = "）)】]"
_VALUE_TRIM = " \t\u3000,，;；、。"
_GAP = r"[ \t\u3000]*"  # spaces typed between a label's characters to line labels up (撰  稿  人：)
_GAPS = re.compile(_GAP)


@dataclass(frozen=True)
class FieldHit:
    name: str  # reviewer | author | phone | title
    label: str  # as written
    value: str  # "" when the label is there but empty
    start: int  # where the label starts in the text
    end: int  # where the value ends


@dataclass(frozen=True)
class SignOff:
    hits: tuple[FieldHit, ...]
    whole_line: bool  # True: the paragraph is only sign-off; False: it trails body text
    body_text: str  # what remains for the body ("" for a whole line)


@dataclass(frozen=True)
class LabelSet:
    field_by_label: Mapping[str, str]
    strict: re.Pattern[str]  # label at a line start or after a separator, then a colon
    loose: re.Pattern[str]  # label then colon anywhere: splits "审核：李四撰稿：张三" once a sign-off began
    alone: re.Pattern[str]  # a whole table cell that is only a label
    spaced: re.Pattern[str]  # a table cell "审核领导  李四" (label, spaces, value)

    def field_of(self, label: str) -> str:
        return self.field_by_label[_GAPS.sub("", label)]


def compile_labels(labels: Mapping[str, Sequence[str]]) -> LabelSet:
    """Patterns for the given field → label variants; the longest label wins at any position."""
    field_by_label = {label: name for name, variants in labels.items() for label in variants}
    ordered = sorted(field_by_label, key=len, reverse=True)
    alternation = "|".join(_GAP.join(map(re.escape, label)) for label in ordered)  # "审 核 领 导" lines up
    label = rf"(?P<label>{alternation})[ \t\u3000]*[{_COLONS}]"
    return LabelSet(
        field_by_label=field_by_label,
        strict=re.compile(rf"(?<![^{_SEPARATORS}]){label}"),
        loose=re.compile(label),
        alone=re.compile(rf"\s*(?P<label>{alternation})\s*[{_COLONS}]?\s*"),
        spaced=re.compile(rf"\s*(?P<label>{alternation})[ \t\u3000]+(?P<value>\S.*?)\s*", re.DOTALL),
    )


def find_fields(text: str, labels: LabelSet) -> list[FieldHit]:
    """Every label with its value in one line of text, in order."""
    first = labels.strict.search(text)
    if first is None:
        return []
    marks = list(labels.loose.finditer(text, first.start()))
    hits = []
    for mark, following in zip(marks, [*marks[1:], None]):
        stop = following.start() if following else len(text)
        raw = _cut_value(text[mark.end() : stop])
        hits.append(
            FieldHit(
                name=labels.field_of(mark["label"]),
                label=mark["label"],
                value=_clean_value(raw),
                start=mark.start(),
                end=mark.end() + len(raw),
            )
        )
    return hits


def read_sign_off(text: str, labels: LabelSet) -> SignOff | None:
    """The sign-off in a paragraph: the whole line, or a trailing part such as "…。（审核：李四）"."""
    hits = find_fields(text, labels)
    if not hits or not _is_closing_tail(text[hits[-1].end :]):
        return None
    start = hits[0].start
    while start > 0 and (text[start - 1].isspace() or text[start - 1] in _OPENERS):
        start -= 1
    prefix = text[:start]
    if meaningful_length(prefix) <= SIGN_OFF_PREFIX_MAX_CHARS:
        return SignOff(hits=tuple(hits), whole_line=True, body_text="")
    return SignOff(hits=tuple(hits), whole_line=False, body_text=prefix.rstrip())


def label_alone(cell_text: str, labels: LabelSet) -> str | None:
    """The label when a table cell holds nothing else (its value sits in the next cell)."""
    match = labels.alone.fullmatch(cell_text)
    return match["label"] if match else None


def spaced_field(cell_text: str, labels: LabelSet) -> FieldHit | None:
    """"审核领导  李四" in a table cell: a label, whitespace, then the value, no colon."""
    match = labels.spaced.fullmatch(cell_text)
    if match is None:
        return None
    return FieldHit(
        name=labels.field_of(match["label"]),
        label=match["label"],
        value=_clean_value(match["value"]),
        start=match.start("label"),
        end=match.end("value"),
    )


_CONTACT = re.compile(
    r"(?P<name>[^\d０-９（()）]*[^\d０-９（()）\s\u3000])[\s\u3000]*"
    r"(?P<open>[（(])?[\s\u3000]*(?P<phone>[+＋]?[\d０-９][\d０-９ \-－—]{5,}[\d０-９])[\s\u3000]*(?(open)[)）])"
)


def name_and_number(value: str) -> tuple[str, str] | None:
    """"王小红（13912345678）", "王小红 139 1234 5678": the author's name and the number beside it."""
    match = _CONTACT.fullmatch(value.strip())
    return (match["name"], match["phone"]) if match else None


_PREAMBLE = re.compile(r"^\s*(?:(?:绝密|机密|秘密)\s*[★☆✩✭*]?.{0,8}|密\s*级\s*[:：].{0,12}|特急|加急|急件|平急)\s*$")


# "报送单位：奇台县环境保护局  报送日期：2026年11月18日" above the title: the submission's details.
_DETAILS = re.compile(
    r"^\s*(?:报送|填报|来稿|供稿|发稿)?(?:单位|部门|日期|时间)\s*[:：]|^\s*(?:信息类别|信息类型|类别|编号|期号)\s*[:：]"
)


def is_preamble(text: str) -> bool:
    """A classification or urgency mark (机密★1年, 特急) or the submission's details (报送单位：…)
    printed above the title: not the title."""
    return bool(_PREAMBLE.match(text) or _DETAILS.match(text))


def looks_like_title(text: str) -> bool:
    """A plain first line is a title when it is short and does not end like a sentence."""
    stripped = text.strip()
    return bool(stripped) and len(stripped) <= TITLE_MAX_CHARS and not stripped.endswith(_SENTENCE_ENDS)


def meaningful_length(text: str) -> int:
    """Characters that are neither whitespace nor punctuation."""
    return sum(1 for char in text if not unicodedata.category(char).startswith(("P", "Z", "C", "S")))


def _cut_value(raw: str) -> str:
    """A value ends at a line break or at a closing bracket it did not open."""
    depth = 0
    for position, char in enumerate(raw):
        if char == "\n":
            return raw[:position]
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            if depth == 0:
                return raw[:position]
            depth -= 1
    return raw


def _clean_value(raw: str) -> str:
    value = raw.strip(_VALUE_TRIM)
    return value.rstrip(_OPENERS + _VALUE_TRIM)


def _is_closing_tail(tail: str) -> bool:
    """Only closing brackets, punctuation and spaces may follow the last value."""
    return meaningful_length(tail) == 0
