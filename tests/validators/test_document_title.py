"""Title detection: the first body paragraph that reads as a title, or an explicit 标题：/题目： line."""

from __future__ import annotations

import docx
import pytest

from tests.factories.docx import BODY, TITLE, docx_bytes, make_docx
from validators.document import parse_docx

LONG_SENTENCE = (
    "2024年3月12日，昌吉市生态环境局组织执法人员对辖区内12家重点排污企业开展专项执法检查，"
    "重点检查污染防治设施运行、在线监测数据传输和危险废物贮存等情况，共发现问题5个。"
)


@pytest.mark.parametrize("style", ["Title", "Heading 1", "centered", "plain", "label"])
def test_title_is_found_in_each_style(style):
    submission = parse_docx(make_docx(title_style=style))
    assert (submission.title, submission.title_paragraph) == (TITLE, 1)


def test_title_labelled_timu_is_found():
    document = docx.Document()
    document.add_paragraph(f"题目：{TITLE}")
    document.add_paragraph(BODY[0])
    assert parse_docx(docx_bytes(document)).title == TITLE


def test_title_is_not_part_of_the_body():
    submission = parse_docx(make_docx())
    assert [p.text for p in submission.body] == list(BODY)


def test_document_starting_with_a_long_sentence_has_no_title():
    submission = parse_docx(make_docx(title=None, paragraphs=[LONG_SENTENCE]))
    assert (submission.title, submission.title_paragraph) == ("", None)
    assert submission.body_text == LONG_SENTENCE


def test_centred_long_first_line_is_still_a_title():
    document = docx.Document()
    heading = document.add_paragraph(LONG_SENTENCE)
    heading.alignment = 1
    document.add_paragraph(BODY[0])
    assert parse_docx(docx_bytes(document)).title == LONG_SENTENCE


def test_sign_off_before_the_title_is_skipped():
    document = docx.Document()
    document.add_paragraph("审核领导：李四  撰稿人：张三  手机号：13912345678")
    document.add_paragraph(TITLE)
    document.add_paragraph(BODY[0])
    submission = parse_docx(docx_bytes(document))
    assert (submission.title, submission.title_paragraph) == (TITLE, 2)


def test_empty_document_has_no_title_and_no_body():
    submission = parse_docx(make_docx(title=None, paragraphs=[], fields=None))
    assert (submission.title, submission.body, submission.paragraphs) == ("", [], [])


def test_title_in_a_layout_table_is_found_when_the_body_has_no_paragraphs():
    document = docx.Document()
    table = document.add_table(rows=2, cols=1)
    table.cell(0, 0).text = TITLE
    table.cell(1, 0).text = BODY[0]
    assert parse_docx(docx_bytes(document)).title == TITLE


def test_title_label_cell_takes_the_next_cell():
    document = docx.Document()
    cells = document.add_table(rows=1, cols=2).rows[0].cells
    cells[0].text, cells[1].text = "标题", TITLE
    document.add_paragraph(BODY[0])
    assert parse_docx(docx_bytes(document)).title == TITLE


def test_classification_mark_above_the_title_is_not_the_title():
    submission = parse_docx(make_docx(title="机密★1年", paragraphs=["关于有关案件办理情况的报告", "11月18日，法规科对有关案件办理情况进行了梳理。"]))
    assert submission.title == "关于有关案件办理情况的报告"


def test_submission_details_line_above_the_title_is_not_the_title():
    document = docx.Document()
    document.add_paragraph("报送单位：奇台县环境保护局    报送日期：2026年11月18日")
    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph(BODY[0])
    assert parse_docx(docx_bytes(document)).title == TITLE


def test_place_and_colon_headline_is_still_a_title():
    document = docx.Document()
    document.add_paragraph("奇台县：秋季大气污染防治取得实效")
    document.add_paragraph(BODY[0])
    assert parse_docx(docx_bytes(document)).title == "奇台县：秋季大气污染防治取得实效"
