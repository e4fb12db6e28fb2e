"""Sign-off fields (审核领导 / 撰稿人 / 手机号) wherever units put them, read from real .docx files."""

from __future__ import annotations

import io

import docx
import pytest

from tests.factories.docx import (
    BODY,
    BRACKETED_PHONE_SIGN_OFFS,
    FIELD_LAYOUTS,
    SIGN_OFF,
    TITLE,
    docx_bytes,
    make_docx,
)
from validators.document import DEFAULT_FIELD_LABELS, parse_docx
from validators.document_fields import compile_labels, find_fields, read_sign_off

LABELS = compile_labels(DEFAULT_FIELD_LABELS)
EXPECTED = {"reviewer": "李四", "author": "张三", "phone": "13912345678"}


def _values(data: bytes) -> dict[str, str | None]:
    fields = parse_docx(data).fields
    return {name: (found.value if found else None) for name, found in fields.items()}


def _document(*lines: str) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    return docx_bytes(document)


@pytest.mark.parametrize("layout", FIELD_LAYOUTS)
def test_fields_are_read_in_each_placement(layout):
    assert _values(make_docx(fields_layout=layout)) == EXPECTED


@pytest.mark.parametrize("layout", FIELD_LAYOUTS)
def test_sign_off_never_counts_as_body_text(layout):
    body_text = parse_docx(make_docx(fields_layout=layout)).body_text
    assert not any(value in body_text for value in EXPECTED.values())


def test_half_width_colons_are_accepted():
    assert _values(make_docx(fields_layout="one_line", colon=":")) == EXPECTED


def test_label_then_spaces_then_colon_is_accepted():
    assert _values(_document(TITLE, BODY[0], "审核领导 ：李四", "撰稿人 ：张三", "手机号 ：13912345678")) == EXPECTED


def test_labels_spread_out_with_spaces_to_line_up_are_read():
    lines = ("审 核 领 导：李四", "撰  稿  人：张三", "手\u3000\u3000机：13912345678")
    assert _values(_document(TITLE, BODY[0], *lines)) == EXPECTED


def test_short_labels_sharing_one_line_give_three_values():
    line = "审核：李四  撰稿：张三  手机：13912345678"
    assert _values(_document(TITLE, BODY[0], line)) == EXPECTED


def test_each_value_stops_at_the_next_label_even_without_a_space():
    assert _values(_document(TITLE, BODY[0], "审核：李四撰稿：张三手机：13912345678")) == EXPECTED


def test_longest_label_wins():
    fields = parse_docx(_document(TITLE, BODY[0], "审核领导：李四  手机号码：13912345678")).fields
    assert (fields["reviewer"].label, fields["phone"].label) == ("审核领导", "手机号码")


def test_label_present_with_empty_value_is_an_empty_field():
    fields = parse_docx(make_docx(fields={"审核领导": "", "撰稿人": "张三", "手机号": ""}, fields_layout="one_line")).fields
    assert fields["reviewer"].value == "" and fields["phone"].value == "" and fields["author"].value == "张三"


def test_missing_label_is_none():
    fields = parse_docx(make_docx(fields={"撰稿人": "张三", "手机号": "13912345678"})).fields
    assert fields["reviewer"] is None


def test_document_without_sign_off_has_no_fields():
    assert _values(make_docx(fields=None)) == {"reviewer": None, "author": None, "phone": None}


def test_label_word_inside_a_sentence_is_not_a_field():
    data = _document(TITLE, "经审核，该项目符合环保要求，撰稿工作由办公室负责。")
    assert _values(data) == {"reviewer": None, "author": None, "phone": None}


def test_label_glued_to_a_preceding_word_is_not_a_field():
    data = _document(TITLE, "项目咨询电话：0994-2347224，欢迎群众监督。")
    assert parse_docx(data).fields["phone"] is None


def test_empty_label_cell_followed_by_another_label_cell_is_empty():
    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph(BODY[0])
    cells = document.add_table(rows=1, cols=4).rows[0].cells
    for cell, text in zip(cells, ["审核领导", "撰稿人", "张三", ""]):
        cell.text = text
    fields = parse_docx(docx_bytes(document)).fields
    assert fields["reviewer"].value == "" and fields["author"].value == "张三"


@pytest.mark.parametrize("labels", [("审核领导", "撰稿人", "手机号"), ("审核领导：", "撰稿人：", "手机号码："), ("签发人", "执笔", "联系电话")])
def test_label_row_over_a_value_row_is_read_column_by_column(labels):
    fields = dict(zip(labels, ["李四", "王小红", "13912345678"]))
    submission = parse_docx(make_docx(fields=fields, fields_layout="label_row"))
    assert {name: f.value for name, f in submission.fields.items()} == {
        "reviewer": "李四", "author": "王小红", "phone": "13912345678"
    }
    assert submission.body_text == "\n".join(BODY)


def test_label_row_after_other_headings_is_read_column_by_column():
    document = docx.Document(io.BytesIO(make_docx(fields=None)))
    table = document.add_table(rows=2, cols=4)
    for row, texts in zip(table.rows, [("报送单位", "审核领导", "撰稿人", "手机号"), ("昌吉市生态环境局", "李四", "王小红", "13912345678")]):
        for cell, text in zip(row.cells, texts):
            cell.text = text
    assert _values(docx_bytes(document)) == {"reviewer": "李四", "author": "王小红", "phone": "13912345678"}


def test_label_and_value_pairs_over_more_pairs_are_not_a_label_row():
    document = docx.Document(io.BytesIO(make_docx(fields=None)))
    table = document.add_table(rows=2, cols=4)
    for row, texts in zip(table.rows, [("审核领导", "李四", "撰稿人", "王小红"), ("手机号", "13912345678", "", "")]):
        for cell, text in zip(row.cells, texts):
            cell.text = text
    assert _values(docx_bytes(document)) == {"reviewer": "李四", "author": "王小红", "phone": "13912345678"}


def test_label_row_with_an_empty_value_cell_is_an_empty_field():
    fields = {"审核领导": "李四", "撰稿人": "王小红", "手机号": ""}
    assert _values(make_docx(fields=fields, fields_layout="label_row"))["phone"] == ""


def test_two_rows_of_labels_are_not_a_label_row_over_values():
    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph(BODY[0])
    table = document.add_table(rows=2, cols=2)
    for row, texts in zip(table.rows, [("审核领导", "撰稿人"), ("手机号", "13912345678")]):
        row.cells[0].text, row.cells[1].text = texts
    assert _values(docx_bytes(document)) == {"reviewer": "", "author": "", "phone": "13912345678"}


@pytest.mark.parametrize("fields", BRACKETED_PHONE_SIGN_OFFS, ids=lambda f: f["撰稿人"])
def test_number_beside_the_authors_name_is_the_phone(fields):
    values = _values(make_docx(fields=fields, fields_layout="one_line"))
    assert values["author"] == "王小红"
    assert values["phone"].replace(" ", "").replace("-", "") == "13912345678"


def test_author_with_a_bracketed_note_keeps_it_and_has_no_phone():
    values = _values(make_docx(fields={"审核领导": "李四", "撰稿人": "王小红（办公室）"}))
    assert values["author"] == "王小红（办公室）" and values["phone"] is None


def test_table_label_cell_with_colon_takes_the_next_cell():
    document = docx.Document()
    document.add_paragraph(TITLE)
    cells = document.add_table(rows=1, cols=2).rows[0].cells
    cells[0].text, cells[1].text = "审核领导：", "李四"
    assert parse_docx(docx_bytes(document)).fields["reviewer"].value == "李四"


def test_fields_split_by_soft_line_breaks_are_read():
    document = docx.Document()
    document.add_paragraph(TITLE)
    run = document.add_paragraph().add_run("审核领导：李四")
    run.add_break()
    run.add_text("撰稿人：张三")
    run.add_break()
    run.add_text("手机号：13912345678")
    assert _values(docx_bytes(document)) == EXPECTED


def test_contact_person_before_the_phone_still_makes_a_sign_off_line():
    submission = parse_docx(_document(TITLE, BODY[0], "联系人：张三  电话：13912345678"))
    assert submission.fields["phone"].value == "13912345678"
    assert [p.text for p in submission.body] == [BODY[0]]


def test_appended_sign_off_is_cut_from_the_body_paragraph_only():
    submission = parse_docx(make_docx(fields_layout="appended"))
    last = submission.body[-1]
    assert last.text == BODY[-1]
    assert submission.paragraphs[last.index - 1].text.startswith(BODY[-1] + "（审核领导")


def test_filled_value_wins_over_an_earlier_empty_label():
    submission = parse_docx(_document(TITLE, BODY[0], "审核领导：", "审核领导：李四"))
    assert submission.fields["reviewer"].value == "李四"


def test_field_points_at_its_paragraph():
    submission = parse_docx(make_docx(fields_layout="lines"))
    phone = submission.fields["phone"]
    assert submission.paragraphs[phone.paragraph - 1].text == f"手机号：{SIGN_OFF['手机号']}"


def test_sign_off_line_beats_a_label_trailing_body_text():
    data = _document(TITLE, "详情可咨询昌吉市生态环境局办公室，电话：0994-2347224", "手机号：13912345678")
    assert parse_docx(data).fields["phone"].value == "13912345678"


def test_custom_labels_from_the_organisation_are_used():
    data = _document(TITLE, BODY[0], "审签人：王五  拟稿人：赵六  联系电话：13912345678")
    labels = {"reviewer": ["审签人"], "author": ["拟稿人"], "phone": ["联系电话"]}
    fields = parse_docx(data, labels).fields
    assert {name: f.value for name, f in fields.items()} == {"reviewer": "王五", "author": "赵六", "phone": "13912345678"}


# --- the text rules on plain strings -----------------------------------------------------------


def test_parenthesised_values_end_at_the_closing_bracket():
    hits = find_fields("（审核：李四 撰稿：张三 电话：13912345678）", LABELS)
    assert [(h.name, h.value) for h in hits] == [("reviewer", "李四"), ("author", "张三"), ("phone", "13912345678")]


def test_bracket_inside_a_value_is_kept():
    hits = find_fields("电话：(0994)2347224", LABELS)
    assert hits[0].value == "(0994)2347224"


def test_labels_followed_by_more_text_after_a_bracket_are_not_a_sign_off():
    assert read_sign_off("本次培训（联系电话：13912345678）将于3月20日举行。", LABELS) is None
