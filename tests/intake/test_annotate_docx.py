"""The annotated .docx: one Word comment per problem, anchored where the unit must fix it."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from baosong import BUNDLED_CONFIG
from baosong.organisation import load_organisation
from intake.annotate import annotate_docx
from intake.message import MailAttachment
from tests.factories.docx import REMOTE, add_external_links, docx_bytes, make_docx
from tests.factories.mail import DOCX_TYPE
from tests.factories.replies import (
    BODY,
    SIGNOFF,
    TITLE,
    problem_docx,
    problem_findings,
    problem_submission,
    vague,
)
from validators.catalogue import MAX_FINDINGS_PER_CODE, load_messages
from validators.findings import Finding, Location, Severity
from validators.judge import JudgeContext, judge_docx
from validators.registry import Registry


def commented_text(data: bytes) -> dict[str, str]:
    """Comment text → the document text its range covers, walking the body in order."""
    document = docx.Document(io.BytesIO(data))
    open_ranges: dict[str, list[str]] = {}
    covered: dict[str, str] = {}
    for element in document.element.body.iter():
        if element.tag == qn("w:commentRangeStart"):
            open_ranges[element.get(qn("w:id"))] = []
        elif element.tag == qn("w:commentRangeEnd"):
            comment_id = element.get(qn("w:id"))
            covered[comment_id] = "".join(open_ranges.pop(comment_id))
        elif element.tag == qn("w:t"):
            for parts in open_ranges.values():
                parts.append(element.text or "")
    return {comment.text: covered[str(comment.comment_id)] for comment in document.comments}


def test_each_problem_gets_one_comment():
    data = annotate_docx(problem_docx(), problem_findings(), problem_submission())
    assert len(docx.Document(io.BytesIO(data)).comments) == len(problem_findings())


def test_vague_word_comment_covers_exactly_that_word():
    finding = vague("近日", 2, BODY)
    covered = commented_text(annotate_docx(problem_docx(), [finding], problem_submission()))
    assert covered == {finding.message: "近日"}


def test_vague_word_across_two_runs_is_covered_exactly():
    finding = vague("我局", 2, BODY)  # "我" ends one run, "局" starts a bold one
    covered = commented_text(annotate_docx(problem_docx(), [finding], problem_submission()))
    assert covered[finding.message] == "我局"


def test_splitting_runs_keeps_text_and_formatting():
    data = annotate_docx(problem_docx(), [vague("我局", 2, BODY)], problem_submission())
    paragraph = docx.Document(io.BytesIO(data)).paragraphs[1]
    assert paragraph.text == BODY
    assert [r.text for r in paragraph.runs if r.bold] == ["局", "在三楼会议室"]


def test_pasted_picture_comment_sits_on_its_paragraph():
    finding = next(f for f in problem_findings() if f.code == "PHOTO_IN_BODY")
    covered = commented_text(annotate_docx(problem_docx(), [finding], problem_submission()))
    assert covered[finding.message] == "现场照片："


def test_missing_phone_comment_sits_on_the_signoff_line():
    finding = next(f for f in problem_findings() if f.code == "MISSING_PHONE")
    covered = commented_text(annotate_docx(problem_docx(), [finding], problem_submission()))
    assert covered[finding.message] == SIGNOFF


def test_document_level_problem_comment_sits_on_the_title():
    finding = next(f for f in problem_findings() if f.code == "PHOTO_TOO_SMALL")
    covered = commented_text(annotate_docx(problem_docx(), [finding], problem_submission()))
    assert covered[finding.message] == TITLE


def test_header_problem_is_commented_on_the_title():
    finding = Finding("VAGUE_WORDING", Severity.ERROR, location=Location("header", 9, 0, 2), message="页眉中的“我局”表述不具体。")
    covered = commented_text(annotate_docx(problem_docx(), [finding], problem_submission()))
    assert covered[finding.message] == TITLE


def test_offsets_that_do_not_match_the_word_fall_back_to_searching_it():
    finding = vague("我局", 2, BODY)
    shifted = Finding(finding.code, finding.severity, evidence=finding.evidence,
                      location=Location("body", 2, 0, 2), message=finding.message)
    covered = commented_text(annotate_docx(problem_docx(), [shifted], problem_submission()))
    assert covered[finding.message] == "我局"


def test_comments_carry_the_reviewer_as_author():
    data = annotate_docx(problem_docx(), problem_findings()[:1], problem_submission())
    assert [c.author for c in docx.Document(io.BytesIO(data)).comments] == ["信息审核"]


def test_review_findings_get_no_comment():
    finding = Finding("UNKNOWN_UNIT", Severity.REVIEW, message="无法确定报送单位。")
    data = annotate_docx(problem_docx(), [finding], problem_submission())
    assert len(docx.Document(io.BytesIO(data)).comments) == 0


def linked_problem_docx() -> bytes:
    document = docx.Document(io.BytesIO(problem_docx()))
    add_external_links(document)
    return docx_bytes(document)


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_annotated_copy_keeps_no_external_relationship():
    annotated = members(annotate_docx(linked_problem_docx(), problem_findings(), problem_submission()))
    assert [name for name, blob in annotated.items() if b'TargetMode="External"' in blob] == []


def test_annotated_copy_names_no_outside_address():
    annotated = members(annotate_docx(linked_problem_docx(), problem_findings(), problem_submission()))
    assert [name for name, blob in annotated.items() if REMOTE.encode() in blob] == []


def test_annotated_copy_has_no_attached_template_and_no_remote_field():
    annotated = members(annotate_docx(linked_problem_docx(), problem_findings(), problem_submission()))
    words = (b"attachedTemplate", b"INCLUDEPICTURE", b"INCLUDETEXT", b"OLEObject")
    assert [word for word in words if any(word in blob for blob in annotated.values())] == []


def test_remote_fields_keep_the_text_they_showed():
    data = annotate_docx(linked_problem_docx(), problem_findings(), problem_submission())
    assert docx.Document(io.BytesIO(data)).paragraphs[-1].text == "详见附表：网上原文现场图引用段落"


def test_ordinary_fields_stay():
    document = docx.Document(io.BytesIO(problem_docx()))
    page = f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
    document.add_paragraph()._p.append(parse_xml(page))
    data = annotate_docx(docx_bytes(document), problem_findings(), problem_submission())
    assert b'w:instr=" PAGE "' in members(data)["word/document.xml"]


def test_a_flood_of_vague_words_is_commented_only_as_far_as_findings_are_listed():
    organisation = load_organisation(BUNDLED_CONFIG, "A")
    ctx = JudgeContext(organisation.checks, Registry.of([]), load_messages(BUNDLED_CONFIG))
    flood = make_docx(paragraphs=["11月18日，" + "我局" * 2_000])
    judgement = judge_docx(MailAttachment("flood.docx", DOCX_TYPE, flood, "docx"), ctx, today=date(2026, 11, 20))
    comments = docx.Document(io.BytesIO(annotate_docx(flood, judgement.findings, judgement.submission))).comments
    vague_comments = [c for c in comments if "我局" in c.text]
    assert len(vague_comments) == MAX_FINDINGS_PER_CODE + 1 and "另有 1970 处" in vague_comments[-1].text
