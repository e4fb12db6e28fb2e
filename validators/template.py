"""The official blank submission template (.docx) that units fill in.

Layout follows organisation A's 信息报送模板: a title, the item text, one sign-off line and a
box with the submission rules. The sign-off line and the rules are the active organisation's
(`[template]` in its checks.toml). The rules box sits in a tagged content control so that
parse_docx never reads it as item text when a unit leaves it in.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from baosong.organisation import CheckRules
from validators.document import TEMPLATE_NOTE_TAG

TITLE_PLACEHOLDER = "在此填写信息标题（一篇信息只报一件事）"
BODY_PLACEHOLDERS = (
    "在此填写正文。写清时间、地点、人物、事件、原因和结果：日期写到“某月某日”，州、县和单位写全称。",
    "正文中不要插入照片，照片作为邮件附件另行发送。",
)
NOTE_HEADING = "填报须知"

_TITLE_FONT = "方正小标宋简体"
_BODY_FONT = "仿宋_GB2312"


def write_template(path: Path, rules: CheckRules) -> None:
    """Write the organisation's blank template to `path` (overwriting it)."""
    document = docx.Document()
    _set_page(document)
    _set_body_font(document)
    _add_title(document)
    for text in BODY_PLACEHOLDERS:
        _add_body_paragraph(document, text)
    if rules.template_sign_off:
        _add_body_paragraph(document, rules.template_sign_off, indent=False)
    _add_note_box(document, rules.template_notes)
    document.save(str(path))


def _set_page(document: docx.document.Document) -> None:
    """A4 with the margins of official documents (GB/T 9704)."""
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)


def _set_body_font(document: docx.document.Document) -> None:
    normal = document.styles["Normal"]
    normal.font.size = Pt(16)  # 三号
    _set_east_asian_font(normal.element.get_or_add_rPr(), _BODY_FONT)


def _set_east_asian_font(run_properties, font: str) -> None:
    fonts = run_properties.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attribute), font)


def _add_title(document: docx.document.Document) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(TITLE_PLACEHOLDER)
    run.font.size = Pt(22)  # 二号
    _set_east_asian_font(run._r.get_or_add_rPr(), _TITLE_FONT)


def _add_body_paragraph(document: docx.document.Document, text: str, indent: bool = True) -> None:
    paragraph = document.add_paragraph(text)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters


def _add_note_box(document: docx.document.Document, lines: tuple[str, ...]) -> None:
    """The rules in a bordered, shaded one-cell table wrapped in a tagged content control."""
    table = document.add_table(rows=1, cols=1)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    cell = table.cell(0, 0)
    cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="F2F2F2"/>'))
    heading = cell.paragraphs[0]
    heading_run = heading.add_run(NOTE_HEADING)
    heading_run.bold = True
    heading_run.font.size = Pt(12)
    for line in lines:
        run = cell.add_paragraph().add_run(line)
        run.font.size = Pt(12)
        run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    content_control = parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr><w:alias w:val="{NOTE_HEADING}"/>'
        f'<w:tag w:val="{TEMPLATE_NOTE_TAG}"/></w:sdtPr><w:sdtContent/></w:sdt>'
    )
    table._tbl.addprevious(content_control)
    content_control.find(qn("w:sdtContent")).append(table._tbl)
    document.add_paragraph()  # Word needs a paragraph after a table that ends the document
