"""The blank submission template: readable by Word tools and by parse_docx, with the
organisation's own sign-off line and rules box (A's 1 MB and fax notes only for A)."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from baosong import BUNDLED_CONFIG
from baosong.organisation import load_organisation
from validators.document import parse_docx
from validators.template import BODY_PLACEHOLDERS, TITLE_PLACEHOLDER, write_template

RULES = {key: load_organisation(BUNDLED_CONFIG, key).checks for key in "ABCD"}


def template_of(key: str, folder) -> bytes:  # noqa: ANN001
    path = folder / f"{key}.docx"
    write_template(path, RULES[key])
    return path.read_bytes()


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> bytes:
    return template_of("A", tmp_path_factory.mktemp("template"))


def test_template_title_is_the_placeholder(template):
    assert parse_docx(template).title == TITLE_PLACEHOLDER


@pytest.mark.parametrize(
    ("key", "fields"),
    [
        ("A", {"reviewer": ("审核领导", ""), "author": ("撰稿人", ""), "phone": ("手机号", "")}),
        ("B", {}),
        ("C", {"reviewer": ("审签人", ""), "author": ("撰稿人", ""), "phone": ("联系方式", "")}),
        ("D", {"reviewer": ("分管领导审核签字", "")}),
    ],
)
def test_template_sign_off_fields_are_the_organisations_and_empty(key, fields, tmp_path):
    found = parse_docx(template_of(key, tmp_path), RULES[key].labels).fields
    assert {name: (f.label, f.value) for name, f in found.items() if f is not None} == fields


def test_template_body_is_the_placeholder_paragraphs_only(template):
    assert [p.text for p in parse_docx(template).body] == list(BODY_PLACEHOLDERS)


def test_template_has_no_pictures(template):
    assert parse_docx(template).pictures == []


@pytest.mark.parametrize("key", ["A", "B", "C", "D"])
def test_template_rules_box_carries_the_organisations_notes(key, tmp_path):
    document_xml = zipfile.ZipFile(io.BytesIO(template_of(key, tmp_path))).read("word/document.xml").decode()
    assert all(line in document_xml for line in RULES[key].template_notes)


@pytest.mark.parametrize(
    ("key", "present", "absent"),
    [
        ("A", ("附件", "重命名", "1M", "一事一报", "我局", "近日", "传真"), ()),
        ("B", ("OA协同办公平台", "【专报】"), ("1M", "传真", "手机号")),
        ("C", ("审签人", "联系方式", "当天", "一周以内", "【参阅】"), ("1M", "传真", "手机号")),
        ("D", ("单位+信息标题", "分管领导", "30分钟", "首报"), ("1M", "传真", "撰稿人", "手机号")),
    ],
)
def test_template_notes_say_only_what_the_organisations_document_asks(key, present, absent):
    notes = "".join(RULES[key].template_notes)
    assert all(word in notes for word in present) and not any(word in notes for word in absent)


def test_template_opens_in_python_docx_on_a4(template, tmp_path):
    path = tmp_path / "t.docx"
    path.write_bytes(template)
    document = docx.Document(str(path))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert RULES["A"].template_sign_off in [p.text for p in document.paragraphs]
