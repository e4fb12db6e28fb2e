"""Read submitted .docx bytes into a typed Submission, safely.

python-docx's Document() parses every XML part of the package (styles, numbering, settings…):
about 8 ms for a 37 KB python-docx file, where this module takes about 1 ms including the safety
checks; Document() also refuses a .docm and does not see text boxes. So after
validators.docx_safety has judged the zip, only the main document part, its relationships, headers
and footers (and the styles part when a title candidate needs it) are parsed, with a hardened lxml
parser, and the OOXML is walked in reading order here.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Callable, Iterator, Mapping, Sequence

from lxml import etree

from validators.document_fields import (
    DEFAULT_FIELD_LABELS,
    TITLE_FIELD,
    TITLE_LABELS,
    FieldHit,
    LabelSet,
    compile_labels,
    label_alone,
    is_preamble,
    looks_like_title,
    name_and_number,
    read_sign_off,
    spaced_field,
)
from validators.docx_safety import CheckedPackage, DocxRejected, ZipLimits, check_package
from validators.submission import EmbeddedPicture, FieldValue, Paragraph, Submission

__all__ = ["DEFAULT_FIELD_LABELS", "DocxRejected", "TEMPLATE_NOTE_TAG", "parse_docx"]

SIGNATURE_PICTURE = "（签名图片）"  # the reviewer field's value when a picture signs it
TEMPLATE_NOTE_TAG = "baosong-template-note"  # content control of the template's rules box: never item text

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_V = "urn:schemas-microsoft-com:vml"
_O = "urn:schemas-microsoft-com:office:office"


def _w(local: str) -> str:
    return f"{{{_W}}}{local}"


W_P, W_TBL, W_TR, W_TC, W_T, W_TAB, W_BR, W_CR = map(_w, ("p", "tbl", "tr", "tc", "t", "tab", "br", "cr"))
W_SDT, W_SDT_CONTENT, W_SDT_PR, W_TAG, W_CUSTOM_XML = map(_w, ("sdt", "sdtContent", "sdtPr", "tag", "customXml"))
W_DEL, W_MOVE_FROM, W_PPR, W_RPR, W_TCPR, W_VMERGE = map(_w, ("del", "moveFrom", "pPr", "rPr", "tcPr", "vMerge"))
W_TXBX, W_OBJECT, W_SECTPR, W_BODY, W_VAL = map(_w, ("txbxContent", "object", "sectPr", "body", "val"))
W_JC, W_PSTYLE, W_B, W_R, W_STYLE, W_NAME, W_STYLE_ID = map(_w, ("jc", "pStyle", "b", "r", "style", "name", "styleId"))
W_HEADER_REF, W_FOOTER_REF = _w("headerReference"), _w("footerReference")
MC_FALLBACK = f"{{{_MC}}}Fallback"
A_BLIP = f"{{{_A}}}blip"
V_IMAGEDATA = f"{{{_V}}}imagedata"
O_OLE_OBJECT = f"{{{_O}}}OLEObject"
R_ID, R_EMBED, R_LINK = f"{{{_R}}}id", f"{{{_R}}}embed", f"{{{_R}}}link"

_WRAPPERS = (W_SDT_CONTENT, W_CUSTOM_XML)  # containers whose children belong to the same flow
_NOT_TEXT = {W_DEL, W_MOVE_FROM, MC_FALLBACK, W_PPR, W_RPR}  # deleted text, duplicates, properties
_FALSE = {"0", "false", "off", "none"}
_WORD_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}
_TITLE_STYLE = re.compile(r"(?i)^(title|heading|标题)")

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, remove_comments=True
)

# What a submission can be. An item is a few thousand characters in a document.xml of tens or
# hundreds of KB; a parsed tree costs about 30 times its XML (an 18 MB document.xml took 550 MB),
# so the XML parts read are capped before parsing and the text after reading.
MAX_PARSED_XML_BYTES = 4 * 1024 * 1024
MAX_TEXT_CHARS = 50_000


def parse_docx(
    data: bytes,
    labels: Mapping[str, Sequence[str]] = DEFAULT_FIELD_LABELS,
    limits: ZipLimits = ZipLimits(),
) -> Submission:
    """The submission in `data`; raises DocxRejected when the file is unreadable or hostile."""
    package = _Package(check_package(data, limits))
    package.check_is_word()
    story = _read_story(package)
    label_set = compile_labels({**labels, TITLE_FIELD: TITLE_LABELS})
    return _analyse(story, label_set, list(labels), package)


# --- the package: parts and relationships ---------------------------------------------------


class _Package:
    def __init__(self, checked: CheckedPackage) -> None:
        self.checked = checked
        self.warnings: list[str] = []
        self._trees: dict[str, etree._Element] = {}
        self._parsed_bytes = 0

    def xml(self, partname: str) -> etree._Element:
        if partname not in self._trees:
            self._parsed_bytes += self.checked.archive.getinfo(partname).file_size  # declared: a sound bound
            if self._parsed_bytes > MAX_PARSED_XML_BYTES:
                raise DocxRejected("document_too_large", {"member": partname, "parsed_bytes": self._parsed_bytes, "limit": MAX_PARSED_XML_BYTES})
            try:
                self._trees[partname] = etree.fromstring(self.checked.read(partname), _PARSER)
            except etree.XMLSyntaxError as error:
                raise DocxRejected("xml_error", {"member": partname, "error": str(error)[:200]}) from None
        return self._trees[partname]

    def has(self, partname: str) -> bool:
        return partname in self.checked.member_names

    def relationships(self, partname: str) -> dict[str, tuple[str, str]]:
        """rId → (type, target partname or external address) for one part."""
        folder, base = posixpath.split(partname)
        rels_name = posixpath.join(folder, "_rels", f"{base}.rels")
        if not self.has(rels_name):
            return {}
        relationships = {}
        for rel in self.xml(rels_name).iterchildren(f"{{{_PR}}}Relationship"):
            target = rel.get("Target", "")
            if rel.get("TargetMode") != "External":
                target = _resolve(folder, target)
            relationships[rel.get("Id", "")] = (rel.get("Type", ""), target)
        return relationships

    @cached_property
    def main_partname(self) -> str:
        for rel_type, target in self.relationships("").values():
            if rel_type.endswith("/officeDocument") and self.has(target):
                return target
        if self.has("word/document.xml"):
            return "word/document.xml"
        raise DocxRejected("not_word", {"members": len(self.checked.member_names)})

    def check_is_word(self) -> None:
        if not self.has("[Content_Types].xml"):
            raise DocxRejected("not_word", {"missing": "[Content_Types].xml"})
        content_type = self._content_type(self.main_partname)
        if content_type not in _WORD_MAIN_TYPES:
            raise DocxRejected("not_word", {"member": self.main_partname, "content_type": content_type})

    def _content_type(self, partname: str) -> str:
        types = self.xml("[Content_Types].xml")
        for override in types.iterchildren(f"{{{_CT}}}Override"):
            if override.get("PartName", "").lstrip("/") == partname:
                return override.get("ContentType", "")
        extension = partname.rsplit(".", 1)[-1].lower()
        for default in types.iterchildren(f"{{{_CT}}}Default"):
            if default.get("Extension", "").lower() == extension:
                return default.get("ContentType", "")
        return ""

    @cached_property
    def style_names(self) -> dict[str, str]:
        """styleId → style name, read only when a title candidate needs it."""
        for rel_type, target in self.relationships(self.main_partname).values():
            if rel_type.endswith("/styles") and self.has(target):
                return {
                    style.get(W_STYLE_ID, ""): name.get(W_VAL, "")
                    for style in self.xml(target).iterchildren(W_STYLE)
                    if (name := style.find(W_NAME)) is not None
                }
        return {}


def _resolve(folder: str, target: str) -> str:
    """A relationship target as a package member name; ".." never climbs above the package root."""
    return posixpath.normpath(posixpath.join("/", folder, target)).lstrip("/")


# --- the story: paragraphs in reading order ---------------------------------------------------


@dataclass
class _Block:
    element: etree._Element
    text: str
    part: str  # body | table | textbox | header | footer
    pictures: list[str]  # package names of the pictures this paragraph holds
    index: int | None = None  # Paragraph.index once numbered; None for empty paragraphs

    @property
    def in_body_flow(self) -> bool:
        return self.part in ("body", "table", "textbox")


@dataclass
class _Story:
    blocks: list[_Block] = field(default_factory=list)
    rows: list[list[list[_Block]]] = field(default_factory=list)  # table rows → cells → paragraphs


class _StoryReader:
    """Walks one part's XML (document, header or footer) and appends its paragraphs."""

    def __init__(self, story: _Story, package: _Package, partname: str) -> None:
        self.story = story
        self.relationships = package.relationships(partname)

    def container(self, element: etree._Element, part: str) -> list[_Block]:
        """Read the block content of `element`; returns its own paragraphs (for table cells)."""
        own = []
        for child in _flow_children(element):
            if child.tag == W_P:
                own.append(self.paragraph(child, part))
            elif child.tag == W_TBL:
                self.table(child, _inner_part(part, "table"))
        return own

    def paragraph(self, element: etree._Element, part: str) -> _Block:
        pieces: list[str] = []
        boxes: list[etree._Element] = []
        pictures: list[str] = []
        _scan_runs(element, pieces, boxes, pictures, self.relationships)
        block = _Block(element=element, text="".join(pieces), part=part, pictures=pictures)
        self.story.blocks.append(block)
        for box in boxes:
            self.container(box, _inner_part(part, "textbox"))
        return block

    def table(self, element: etree._Element, part: str) -> None:
        for row in _children_through_wrappers(element, W_TR):
            cells = [
                self.container(cell, part)
                for cell in _children_through_wrappers(row, W_TC)
                if not _continues_merge(cell)
            ]
            self.story.rows.append(cells)


def _read_story(package: _Package) -> _Story:
    main = package.main_partname
    story = _Story()
    body = package.xml(main).find(W_BODY)
    if body is None:
        return story
    _StoryReader(story, package, main).container(body, "body")
    for part, reference in (("header", W_HEADER_REF), ("footer", W_FOOTER_REF)):
        for partname in _section_parts(package, main, body, reference):
            root = package.xml(partname)
            _StoryReader(story, package, partname).container(root, part)
    chars = sum(len(block.text) for block in story.blocks)
    if chars > MAX_TEXT_CHARS:
        raise DocxRejected("text_too_long", {"chars": chars, "limit": MAX_TEXT_CHARS})
    return story


def _section_parts(package: _Package, main: str, body: etree._Element, reference: str) -> list[str]:
    """Header (or footer) parts of all sections, each once, in section order."""
    relationships = package.relationships(main)
    found: list[str] = []
    for section in body.iter(W_SECTPR):
        for ref in section.iterchildren(reference):
            partname = relationships.get(ref.get(R_ID, ""), ("", ""))[1]
            if not package.has(partname):
                package.warnings.append(f"missing_part:{partname or ref.get(R_ID, '')}")
            elif partname not in found:
                found.append(partname)
    return found


def _flow_children(element: etree._Element) -> Iterator[etree._Element]:
    """Block children, looking through content controls and custom XML; the template note is skipped."""
    for child in element.iterchildren():
        if child.tag == W_SDT:
            if _sdt_tag(child) != TEMPLATE_NOTE_TAG:
                content = child.find(W_SDT_CONTENT)
                if content is not None:
                    yield from _flow_children(content)
        elif child.tag in _WRAPPERS:
            yield from _flow_children(child)
        else:
            yield child


def _children_through_wrappers(element: etree._Element, tag: str) -> Iterator[etree._Element]:
    for child in element.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in (W_SDT, *_WRAPPERS):
            yield from _children_through_wrappers(child, tag)


def _sdt_tag(sdt: etree._Element) -> str | None:
    tag = sdt.find(f"{W_SDT_PR}/{W_TAG}")
    return tag.get(W_VAL) if tag is not None else None


def _continues_merge(cell: etree._Element) -> bool:
    """A vertically merged cell below the first one: Word shows the first cell's content only."""
    merge = cell.find(f"{W_TCPR}/{W_VMERGE}")
    return merge is not None and merge.get(W_VAL) != "restart"


def _inner_part(outer: str, container: str) -> str:
    if outer in ("header", "footer", "textbox"):
        return outer
    return container


def _scan_runs(
    element: etree._Element,
    pieces: list[str],
    boxes: list[etree._Element],
    pictures: list[str],
    relationships: Mapping[str, tuple[str, str]],
) -> None:
    """Collect a paragraph's text, text boxes and pictures in one pass, in document order."""
    for child in element.iterchildren():
        tag = child.tag
        if tag == W_T:
            pieces.append(child.text or "")
        elif tag == W_TAB:
            pieces.append("\t")
        elif tag in (W_BR, W_CR):
            pieces.append("\n")
        elif tag in _NOT_TEXT or not isinstance(tag, str):
            continue
        elif tag == W_TXBX:
            boxes.append(child)
        elif tag == W_OBJECT:
            pictures.append(_object_name(child, relationships))
        elif tag == A_BLIP:
            pictures.append(_target(relationships, child.get(R_EMBED) or child.get(R_LINK)))
        elif tag == V_IMAGEDATA:
            pictures.append(_target(relationships, child.get(R_ID)))
        else:
            _scan_runs(child, pieces, boxes, pictures, relationships)


def _object_name(element: etree._Element, relationships: Mapping[str, tuple[str, str]]) -> str:
    """An OLE object counts once: named by its preview image, else by the embedded object."""
    preview = next(element.iter(V_IMAGEDATA), None)
    if preview is not None:
        return _target(relationships, preview.get(R_ID))
    ole = next(element.iter(O_OLE_OBJECT), None)
    return _target(relationships, ole.get(R_ID) if ole is not None else None)


def _target(relationships: Mapping[str, tuple[str, str]], rel_id: str | None) -> str:
    return relationships.get(rel_id or "", ("", rel_id or ""))[1]


# --- analysis: fields, title, body ------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    hit: FieldHit
    paragraph: int | None
    trailing: bool  # found after body text in the same paragraph: weaker than a sign-off line


def _analyse(story: _Story, labels: LabelSet, field_names: list[str], package: _Package) -> Submission:
    paragraphs = _number(story.blocks, lambda: package.style_names)
    candidates: list[_Candidate] = []
    sign_off_blocks: set[int] = set()
    body_texts: dict[int, str] = {}
    for block in _table_field_blocks(story.rows, labels, candidates):
        sign_off_blocks.add(id(block))
    for block in story.blocks:
        if block.index is None or id(block) in sign_off_blocks:
            continue
        sign_off = read_sign_off(block.text, labels)
        if sign_off is None:
            continue
        hits = _signed_by_picture(sign_off.hits) if sign_off.whole_line and block.pictures else sign_off.hits
        candidates.extend(_Candidate(hit, block.index, not sign_off.whole_line) for hit in hits)
        if sign_off.whole_line:
            sign_off_blocks.add(id(block))
        else:
            body_texts[id(block)] = sign_off.body_text
    free = [b for b in story.blocks if b.index is not None and b.in_body_flow and id(b) not in sign_off_blocks]
    title_hit = _best(candidates, TITLE_FIELD)
    if title_hit is not None:
        title, title_paragraph = title_hit.hit.value, title_hit.paragraph
    else:
        title, title_paragraph = _first_line_title(free, body_texts, package)
    body = [
        Paragraph(index=b.index, text=body_texts.get(id(b), b.text), part=b.part)
        for b in free
        if b.index is not None and b.index != title_paragraph
    ]
    return Submission(
        title=title,
        title_paragraph=title_paragraph,
        paragraphs=paragraphs,
        body=body,
        fields=_number_beside_author({name: _field_value(_best(candidates, name)) for name in field_names}),
        pictures=[
            EmbeddedPicture(part=b.part, paragraph=b.index, name=name) for b in story.blocks for name in b.pictures
        ],
        has_macros=package.checked.has_macros,
        warnings=package.warnings,
    )


def _number(blocks: list[_Block], style_names: Callable[[], Mapping[str, str]]) -> list[Paragraph]:
    paragraphs = []
    for block in blocks:
        if block.text.strip():
            block.index = len(paragraphs) + 1
            heading = _heading_kind(block, style_names)
            paragraphs.append(Paragraph(index=block.index, text=block.text, part=block.part, heading=heading))
    return paragraphs


def _heading_kind(block: _Block, style_names: Callable[[], Mapping[str, str]]) -> str | None:
    """How a short body line is set apart as a title: its Title/Heading style, else "centred"."""
    if block.part != "body" or not looks_like_title(block.text):
        return None
    properties = block.element.find(W_PPR)
    if properties is None:
        return None
    style = properties.find(W_PSTYLE)
    name = style_names().get(style.get(W_VAL, ""), "") if style is not None else ""
    if _TITLE_STYLE.match(name):
        return name
    alignment = properties.find(W_JC)
    return "centred" if alignment is not None and alignment.get(W_VAL) == "center" else None


def _cell_text(cell: list[_Block]) -> str:
    return " ".join(b.text.strip() for b in cell if b.index is not None)


def _label_row_fields(
    rows: list[list[list[_Block]]], labels: LabelSet, candidates: list[_Candidate]
) -> Iterator[_Block]:
    """A row of labels (审核领导 | 撰稿人 | 手机号, maybe after other headings such as 报送单位) over a
    row of their values, column by column.

    Both rows are emptied in `rows`, so that the cell-by-cell reading skips them."""
    position = 0
    while position + 1 < len(rows):
        cells, below = rows[position], rows[position + 1]
        names = [label_alone(_cell_text(cell), labels) for cell in cells]
        first = next((column for column, name in enumerate(names) if name is not None), None)
        # the labels end the row: a label followed by anything else is "label | value" instead
        is_label_row = len(below) == len(cells) and first is not None and None not in names[first:]
        if not is_label_row or any(label_alone(_cell_text(cell), labels) for cell in below if _cell_text(cell)):
            position += 1  # not labels, or labels again below: no values to pair
            continue
        for label, cell, value_cell in zip(names, cells, below):
            if label is not None:
                index = next(b.index for b in cell if b.index is not None)
                hit = FieldHit(labels.field_of(label), label, _cell_text(value_cell), 0, len(label))
                candidates.append(_Candidate(hit, index, trailing=False))
        yield from (block for row in (cells, below) for cell in row for block in cell)
        rows[position], rows[position + 1] = [], []
        position += 2


def _table_field_blocks(
    rows: list[list[list[_Block]]], labels: LabelSet, candidates: list[_Candidate]
) -> Iterator[_Block]:
    """Fields laid out in table cells: a label row over a value row, "label | value" in
    neighbouring cells, or "label  value" in one."""
    rows = list(rows)
    yield from _label_row_fields(rows, labels, candidates)
    for cells in rows:
        position = 0
        while position < len(cells):
            cell = [b for b in cells[position] if b.index is not None]
            text = " ".join(b.text.strip() for b in cell)
            label = label_alone(text, labels) if cell else None
            if label is not None:
                value_blocks = [b for b in cells[position + 1] if b.index is not None] if position + 1 < len(cells) else []
                value = " ".join(b.text.strip() for b in value_blocks)
                if label_alone(value, labels):  # the next cell is another label: this one is empty
                    value_blocks, value, step = [], "", 1
                else:
                    step = 2
                hit = FieldHit(labels.field_of(label), label, value, 0, len(text))
                candidates.append(_Candidate(hit, cell[0].index, trailing=False))
                yield from cell
                yield from value_blocks
                position += step
                continue
            for block in cell:
                hit = spaced_field(block.text, labels)
                if hit is not None:
                    candidates.append(_Candidate(hit, block.index, trailing=False))
                    yield block
            position += 1


def _signed_by_picture(hits: tuple[FieldHit, ...]) -> tuple[FieldHit, ...]:
    """分管领导审核签字：[a scanned handwritten signature]: an empty reviewer on a line holding a picture
    is signed (D asks for "含有信息工作分管领导签字的稿件")."""
    return tuple(
        replace(hit, value=SIGNATURE_PICTURE) if hit.name == "reviewer" and not hit.value else hit for hit in hits
    )


def _best(candidates: list[_Candidate], name: str) -> _Candidate | None:
    """The first filled value, preferring sign-off lines over labels trailing body text."""
    matching = [c for c in candidates if c.hit.name == name]
    if not matching:
        return None
    return min(matching, key=lambda c: (c.hit.value == "", c.trailing, c.paragraph or 0))


def _field_value(candidate: _Candidate | None) -> FieldValue | None:
    if candidate is None:
        return None
    return FieldValue(label=candidate.hit.label, value=candidate.hit.value, paragraph=candidate.paragraph or 0)


def _number_beside_author(fields: dict[str, FieldValue | None]) -> dict[str, FieldValue | None]:
    """撰稿人：王小红（13912345678）: the name is the author, the number the phone when none is given."""
    author = fields.get("author")
    split = name_and_number(author.value) if author else None
    if author is None or split is None:
        return fields
    name, number = split
    fields["author"] = FieldValue(label=author.label, value=name, paragraph=author.paragraph)
    phone = fields.get("phone")
    if "phone" in fields and (phone is None or not phone.value):
        fields["phone"] = FieldValue(label=author.label, value=number, paragraph=author.paragraph)
    return fields


def _first_line_title(
    free: list[_Block], body_texts: Mapping[int, str], package: _Package
) -> tuple[str, int | None]:
    """The first body paragraph (table or text box only when the body has none), if it reads as a title."""
    candidates = [b for b in free if not is_preamble(body_texts.get(id(b), b.text))]
    first = next((b for b in candidates if b.part == "body"), None) or next(iter(candidates), None)
    if first is None:
        return "", None
    text = body_texts.get(id(first), first.text).strip()
    if looks_like_title(text) or _styled_as_title(first.element, lambda: package.style_names):
        return text, first.index
    return "", None


def _styled_as_title(paragraph: etree._Element, style_names: Callable[[], Mapping[str, str]]) -> bool:
    """Centred, all bold, or a Title/Heading style."""
    properties = paragraph.find(W_PPR)
    if properties is not None:
        alignment = properties.find(W_JC)
        if alignment is not None and alignment.get(W_VAL) == "center":
            return True
        style = properties.find(W_PSTYLE)
        if style is not None and _TITLE_STYLE.match(style_names().get(style.get(W_VAL, ""), "")):
            return True
    runs = [run for run in paragraph.iter(W_R) if run.find(W_T) is not None]
    return bool(runs) and all(_is_bold(run) for run in runs)


def _is_bold(run: etree._Element) -> bool:
    bold = run.find(f"{W_RPR}/{W_B}")
    return bold is not None and bold.get(W_VAL, "true").lower() not in _FALSE
