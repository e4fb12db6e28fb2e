"""Reading order and parts: body, tables and text boxes in the flow, then headers, then footers."""

from __future__ import annotations

import time

import docx
from docx.oxml import parse_xml

from tests.factories.docx import BODY, TITLE, docx_bytes, add_text_box, make_docx, make_nested_tables
from validators.document import TEMPLATE_NOTE_TAG, parse_docx

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _texts(data: bytes) -> list[tuple[int, str, str]]:
    return [(p.index, p.part, p.text) for p in parse_docx(data).paragraphs]


def test_paragraphs_follow_reading_order_across_parts():
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "页眉"
    document.sections[0].footer.paragraphs[0].text = "页脚"
    document.add_paragraph("正文一")
    document.add_table(rows=1, cols=2).rows[0].cells[1].text = "表格"
    add_text_box(document.add_paragraph("正文二"), ["文本框"])
    document.add_paragraph("正文三")
    assert _texts(docx_bytes(document)) == [
        (1, "body", "正文一"),
        (2, "table", "表格"),
        (3, "body", "正文二"),
        (4, "textbox", "文本框"),
        (5, "body", "正文三"),
        (6, "header", "页眉"),
        (7, "footer", "页脚"),
    ]


def test_empty_paragraphs_are_left_out():
    document = docx.Document()
    for text in ("", TITLE, "   ", BODY[0], ""):
        document.add_paragraph(text)
    assert [p.index for p in parse_docx(docx_bytes(document)).paragraphs] == [1, 2]


def test_text_box_content_is_read_once_not_again_from_its_fallback():
    texts = [text for _, _, text in _texts(make_docx(fields_layout="textbox"))]
    assert texts.count("审核领导：李四") == 1


def test_nested_tables_are_read_in_order():
    document = docx.Document()
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).paragraphs[0].text = "外层左"
    inner = outer.cell(0, 0).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "内层"
    outer.cell(0, 1).text = "外层右"
    assert [text for _, _, text in _texts(docx_bytes(document))] == ["外层左", "内层", "外层右"]


def test_tables_nested_ten_deep_are_read():
    assert _texts(make_nested_tables(10))[-1] == (2, "table", "最内层的单元格")


def test_horizontally_merged_cells_are_read_once():
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "合并单元格"
    assert [text for _, _, text in _texts(docx_bytes(document))] == ["合并单元格"]


def test_vertically_merged_cells_are_read_once():
    document = docx.Document()
    table = document.add_table(rows=2, cols=1)
    merged = table.cell(0, 0).merge(table.cell(1, 0))
    merged.text = "纵向合并"
    assert [text for _, _, text in _texts(docx_bytes(document))] == ["纵向合并"]


def test_headers_of_every_section_are_read():
    document = docx.Document()
    document.add_paragraph(TITLE)
    document.sections[0].header.paragraphs[0].text = "第一节页眉"
    second = document.add_section()
    second.header.is_linked_to_previous = False
    second.header.paragraphs[0].text = "第二节页眉"
    headers = [text for _, part, text in _texts(docx_bytes(document)) if part == "header"]
    assert headers == ["第一节页眉", "第二节页眉"]


def test_first_page_header_is_read():
    document = docx.Document()
    document.add_paragraph(TITLE)
    document.sections[0].different_first_page_header_footer = True
    document.sections[0].first_page_header.paragraphs[0].text = "首页页眉"
    assert (2, "header", "首页页眉") in _texts(docx_bytes(document))


def test_tracked_deletions_are_not_text():
    document = docx.Document()
    paragraph = document.add_paragraph("保留")
    paragraph._p.append(parse_xml(
        f'<w:del {W} w:id="1" w:author="张三" w:date="2024-03-12T00:00:00Z">'
        "<w:r><w:delText>删除的话</w:delText></w:r></w:del>"
    ))
    paragraph._p.append(parse_xml(
        f'<w:ins {W} w:id="2" w:author="张三" w:date="2024-03-12T00:00:00Z"><w:r><w:t>插入的话</w:t></w:r></w:ins>'
    ))
    assert _texts(docx_bytes(document)) == [(1, "body", "保留插入的话")]


def test_content_control_text_is_read():
    document = docx.Document()
    document.add_paragraph(TITLE)
    document.element.body.insert(1, parse_xml(
        f"<w:sdt {W}><w:sdtPr><w:tag w:val=\"正文\"/></w:sdtPr><w:sdtContent>"
        "<w:p><w:r><w:t>控件中的正文</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    ))
    assert parse_docx(docx_bytes(document)).body_text == "控件中的正文"


def test_template_rules_box_is_not_read():
    document = docx.Document()
    document.add_paragraph(TITLE)
    document.element.body.insert(1, parse_xml(
        f"<w:sdt {W}><w:sdtPr><w:tag w:val=\"{TEMPLATE_NOTE_TAG}\"/></w:sdtPr><w:sdtContent>"
        "<w:p><w:r><w:t>不用“我局”“近日”等模糊说法</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    ))
    assert [text for _, _, text in _texts(docx_bytes(document))] == [TITLE]


def test_tabs_and_line_breaks_are_kept_as_whitespace():
    document = docx.Document()
    run = document.add_paragraph().add_run("甲")
    run.add_tab()
    run.add_text("乙")
    run.add_break()
    run.add_text("丙")
    assert _texts(docx_bytes(document)) == [(1, "body", "甲\t乙\n丙")]


def test_parsing_a_typical_submission_takes_milliseconds():
    data = make_docx(fields_layout="table", picture_in="body")
    timings = []
    for _ in range(20):  # the best run: the test machine is shared, only the parser's own cost counts
        start = time.perf_counter()
        parse_docx(data)
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.05
