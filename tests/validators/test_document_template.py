"""The blank submission template: readable by Word tools and by parse_docx, with the rules box."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from validators.document import parse_docx
from validators.template import BODY_PLACEHOLDERS, NOTE_LINES, SIGN_OFF_LINE, TITLE_PLACEHOLDER, write_template


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("template") / "信息报送模板.docx"
    write_template(path)
    return path.read_bytes()


def test_template_title_is_the_placeholder(template):
    assert parse_docx(template).title == TITLE_PLACEHOLDER


def test_template_sign_off_fields_are_present_and_empty(template):
    fields = parse_docx(template).fields
    assert {name: (f.label, f.value) for name, f in fields.items()} == {
        "reviewer": ("审核领导", ""),
        "author": ("撰稿人", ""),
        "phone": ("手机号", ""),
    }


def test_template_body_is_the_placeholder_paragraphs_only(template):
    assert [p.text for p in parse_docx(template).body] == list(BODY_PLACEHOLDERS)


def test_template_has_no_pictures(template):
    assert parse_docx(template).pictures == []


def test_template_rules_box_carries_organisation_a_rules(template):
    document_xml = zipfile.ZipFile(io.BytesIO(template)).read("word/document.xml").decode()
    assert all(line in document_xml for line in NOTE_LINES)


def test_template_rules_mention_photos_size_vague_words_and_secrecy():
    rules = "".join(NOTE_LINES)
    assert all(word in rules for word in ("附件", "重命名", "1M", "一事一报", "我局", "近日", "涉密"))


def test_template_opens_in_python_docx_on_a4(template, tmp_path):
    path = tmp_path / "t.docx"
    path.write_bytes(template)
    document = docx.Document(str(path))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert SIGN_OFF_LINE in [p.text for p in document.paragraphs]
