"""The official blank submission template (.docx) that units fill in.

Layout follows organisation A's 信息报送模板: a title, the item text, one sign-off line and a
box with the submission rules. The rules box sits in a tagged content control so that parse_docx
never reads it as item text when a unit leaves it in.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from validators.document import TEMPLATE_NOTE_TAG

TITLE_PLACEHOLDER = "在此填写信息标题（一篇信息只报一件事）"
BODY_PLACEHOLDERS = (
    "在此填写正文。写清时间、地点、人物、事件、原因和结果：日期写到“某月某日”，州、县和单位写全称。",
    "正文中不要插入照片，照片作为邮件附件另行发送。",
)
SIGN_OFF_LINE = "审核领导：  撰稿人：  手机号："
NOTE_HEADING = "填报须知"
NOTE_LINES = (
    "1. 所有照片请作为邮件附件发送，切勿在正文中插入照片。",
    "2. 需要对照片说明的，请把照片文件重命名为说明文字（例如“3月12日执法人员检查企业排污口.jpg”）。",
    "3. 每张照片大小必须在1M以上。",
    "4. 一事一报：一篇信息只报送一件事。",
    "5. 不用“我局”“我县”“我单位”“近日”“近期”“今日”等模糊说法，写明具体日期和州、县、单位全称。",
    "6. 涉密信息严禁通过电子邮件报送，请按保密规定通过机要渠道报送。",
    "7. 所有信息必须写明审核领导、撰稿人及手机号，未按要求报送的信息一律不予采用。",
)

_TITLE_FONT = "方正小标宋简体"
_BODY_FONT = "仿宋_GB2312"


def write_template(path: Path) -> None:
    """Write the blank template to `path` (overwriting it)."""
    document = docx.Document()
    _set_page(document)
    _set_body_font(document)
    _add_title(document)
    for text in BODY_PLACEHOLDERS:
        _add_body_paragraph(document, text)
    _add_body_paragraph(document, SIGN_OFF_LINE, indent=False)
    _add_note_box(document)
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


def _add_note_box(document: docx.document.Document) -> None:
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
    for line in NOTE_LINES:
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
