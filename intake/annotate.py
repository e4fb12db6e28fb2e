"""The unit's own .docx with a Word comment (批注) on every problem, to fix in place and resend.

A comment sits exactly on the offending words (runs are split at the finding's offsets), on the
paragraph of a pasted picture, on the sign-off line (else the last body paragraph) for a missing
sign-off field, and on the title for problems of the whole document (photo sizes, file name…). Word allows comments
in the main document only, so a problem in a header or footer is commented on the title.
"""

from __future__ import annotations

import io
from collections import defaultdict, deque
from collections.abc import Iterable
from copy import deepcopy

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from intake.docx_links import strip_external_links
from validators.findings import Finding, Location, Severity
from validators.submission import Submission

COMMENT_AUTHOR = "信息审核"
COMMENT_INITIALS = "审"
SIGNOFF_CODES = frozenset({"MISSING_REVIEWER", "MISSING_AUTHOR", "MISSING_PHONE"})
_COMMENTABLE_PARTS = frozenset({"body", "table", "textbox"})
_SPLITTABLE_CHILDREN = frozenset({qn("w:rPr"), qn("w:t"), qn("w:tab")})


def annotate_docx(data: bytes, findings: Iterable[Finding], submission: Submission) -> bytes:
    """The submitted .docx bytes with one comment per error or warning, and no external links."""
    document = docx.Document(io.BytesIO(data))
    paragraphs = paragraph_map(document, submission)
    for finding in findings:
        if finding.severity not in (Severity.ERROR, Severity.WARNING):
            continue
        runs = _anchor_runs(document, finding, paragraphs, submission)
        document.add_comment(runs, text=finding.message, author=COMMENT_AUTHOR, initials=COMMENT_INITIALS)
    strip_external_links(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def paragraph_map(document: Document, submission: Submission) -> dict[int, Paragraph]:
    """Submission paragraph index → the python-docx paragraph holding the same text.

    The validators number paragraphs with their own reader; matching the texts in document order
    keeps the two in step whatever that reader counts (content controls, text boxes, merged cells),
    and a paragraph whose text does not match exactly is simply not commented in place.
    """
    candidates = [Paragraph(p, document._body) for p in document.element.body.iter(qn("w:p"))]
    positions: dict[str, deque[int]] = defaultdict(deque)  # text → where it occurs, in order
    for number, candidate in enumerate(candidates):
        positions[candidate.text].append(number)
    mapping: dict[int, Paragraph] = {}
    position = 0
    for wanted in submission.paragraphs:
        if wanted.part not in _COMMENTABLE_PARTS:
            continue
        found = positions.get(wanted.text)
        while found and found[0] < position:  # each occurrence is passed over once: linear in the document
            found.popleft()
        if found:
            mapping[wanted.index] = candidates[found[0]]
            position = found.popleft() + 1
    return mapping


def _anchor_runs(
    document: Document, finding: Finding, paragraphs: dict[int, Paragraph], submission: Submission
) -> list[Run]:
    location = finding.location
    if location is not None and location.paragraph in paragraphs:
        paragraph = paragraphs[location.paragraph]
        span = _span(paragraph.text, location, finding.evidence.get("word"))
        return runs_between(paragraph, *span) if span else _whole(paragraph)
    if finding.code in SIGNOFF_CODES:
        for index in _signoff_candidates(submission):
            if index in paragraphs:
                return _whole(paragraphs[index])
    return _whole(_title_or_first(document, paragraphs, submission))


def _signoff_candidates(submission: Submission) -> list[int]:
    """Where a missing field belongs: beside the sign-off fields present, else after the body."""
    present = sorted(value.paragraph for value in submission.fields.values() if value is not None)
    return [*present[-1:], *(p.index for p in submission.body[-1:])]


def _span(text: str, location: Location, word: object) -> tuple[int, int] | None:
    """The character span to comment on, checked against the quoted word when the finding has one."""
    start, end = location.start, location.end
    if start is None or end is None or not 0 <= start < end <= len(text):
        return None
    if not isinstance(word, str) or not word or text[start:end] == word:
        return start, end
    found = text.find(word, max(0, start - len(word)))
    found = found if found >= 0 else text.find(word)
    return (found, found + len(word)) if found >= 0 else None


def _title_or_first(document: Document, paragraphs: dict[int, Paragraph], submission: Submission) -> Paragraph:
    if submission.title_paragraph in paragraphs:
        return paragraphs[submission.title_paragraph]
    if paragraphs:
        return paragraphs[min(paragraphs)]
    return document.paragraphs[0] if document.paragraphs else document.add_paragraph()


def paragraph_runs(paragraph: Paragraph) -> list[Run]:
    """Every run whose text makes up `paragraph.text`, hyperlink runs included, in order."""
    runs: list[Run] = []
    for content in paragraph.iter_inner_content():
        runs.extend(content.runs if isinstance(content, Hyperlink) else [content])
    return runs


def _whole(paragraph: Paragraph) -> list[Run]:
    return paragraph_runs(paragraph) or [paragraph.add_run()]


def runs_between(paragraph: Paragraph, start: int, end: int) -> list[Run]:
    """The runs covering paragraph.text[start:end], split so they start and end exactly there."""
    for offset in (end, start):
        _split_at(paragraph, offset)
    covering, position = [], 0
    for run in paragraph_runs(paragraph):
        length = len(run.text)
        if length and position < end and position + length > start:
            covering.append(run)
        position += length
    return covering or _whole(paragraph)


def _split_at(paragraph: Paragraph, offset: int) -> None:
    """Cut the run that straddles `offset` in two, keeping its formatting on both halves."""
    position = 0
    for run in paragraph_runs(paragraph):
        text = run.text
        if position < offset < position + len(text) and _splittable(run):
            right = deepcopy(run._r)
            run._r.addnext(right)
            cut = offset - position
            run.text = text[:cut]
            Run(right, run._parent).text = text[cut:]
            return
        position += len(text)


def _splittable(run: Run) -> bool:
    """Only plain text runs: a run holding a picture, field or break is commented as a whole."""
    return all(child.tag in _SPLITTABLE_CHILDREN for child in run._r)
