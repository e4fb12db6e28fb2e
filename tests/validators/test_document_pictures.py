"""Pictures embedded anywhere in the document (PHOTO_IN_BODY needs every one of them)."""

from __future__ import annotations

import io

import docx
import pytest

from tests.factories.docx import TITLE, docx_bytes, add_text_box, make_docx, make_png
from validators.document import parse_docx

EXPECTED_PART = {
    "body": "body",
    "anchored": "body",
    "vml": "body",
    "object": "body",
    "table": "table",
    "header": "header",
    "footer": "footer",
    "textbox": "textbox",
}


@pytest.mark.parametrize("place", EXPECTED_PART)
def test_one_picture_is_found_in_each_placement(place):
    pictures = parse_docx(make_docx(picture_in=place)).pictures
    assert [p.part for p in pictures] == [EXPECTED_PART[place]]


@pytest.mark.parametrize("place", EXPECTED_PART)
def test_picture_is_named_by_its_package_part(place):
    (picture,) = parse_docx(make_docx(picture_in=place)).pictures
    assert picture.name == "word/media/image1.png"


def test_text_box_without_a_picture_is_not_a_picture():
    assert parse_docx(make_docx(fields_layout="textbox")).pictures == []


def test_document_without_pictures_has_none():
    assert parse_docx(make_docx()).pictures == []


def test_picture_beside_a_caption_points_at_that_paragraph():
    document = docx.Document()
    document.add_paragraph(TITLE)
    paragraph = document.add_paragraph("图为执法人员检查排污口。")
    paragraph.add_run().add_picture(io.BytesIO(make_png()))
    submission = parse_docx(docx_bytes(document))
    assert [(p.part, p.paragraph) for p in submission.pictures] == [("body", 2)]


def test_picture_inside_a_text_box_points_at_the_text_box_paragraph():
    document = docx.Document()
    document.add_paragraph(TITLE)
    anchor = document.add_paragraph("正文。")
    add_text_box(anchor, [], picture=make_png())
    box_paragraph = anchor._p.xpath(".//w:txbxContent/w:p/w:r/w:drawing/..")[0]
    box_paragraph.insert(0, docx.oxml.parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:t>现场照片</w:t></w:r>'
    ))
    submission = parse_docx(docx_bytes(document))
    (picture,) = submission.pictures
    assert submission.paragraphs[picture.paragraph - 1].text == "现场照片"


def test_the_same_image_shown_twice_is_two_pictures():
    document = docx.Document()
    document.add_paragraph(TITLE)
    for _ in range(2):
        document.add_paragraph().add_run().add_picture(io.BytesIO(make_png()))
    assert len(parse_docx(docx_bytes(document)).pictures) == 2
