"""Cut every link a .docx keeps to the outside world before we mail a copy of it back.

A document can make Word fetch or run something from elsewhere when it is opened: a remote
`attachedTemplate` (the remote-template malware technique), a linked OLE object, a picture linked
by URL, a sub-document, or an INCLUDEPICTURE / INCLUDETEXT / LINK / DDE field. Our reply must not
carry any of them back to a unit (or, from a forged sender, to anyone): every relationship with
TargetMode="External" is removed, with the XML that refers to it, and remote fields are reduced
to their last shown result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from docx.document import Document
from docx.opc.part import Part, XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from lxml import etree

_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_OFFICE = "{urn:schemas-microsoft-com:office:office}"
# Elements whose only purpose is the external target: removed whole (the rest keep their content).
_LINK_ELEMENTS = frozenset({qn("w:attachedTemplate"), qn("w:subDoc"), qn("w:altChunk"), f"{_OFFICE}OLEObject"})
_REMOTE_FIELD = re.compile(r"^\s*(INCLUDEPICTURE|INCLUDETEXT|LINK|DDE|DDEAUTO|IMPORT)\b", re.IGNORECASE)
_FIELD_CHAR_TYPE = qn("w:fldCharType")


def strip_external_links(document: Document) -> None:
    """Remove every external relationship and remote field from all parts of `document`."""
    package = document.part.package
    _drop_external(package.rels)
    for part in package.iter_parts():
        external = _drop_external(part.rels)
        root = _root(part)
        if root is None:
            continue
        changed = _drop_references(root, external) | _drop_remote_fields(root)
        if changed and not isinstance(part, XmlPart):
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drop_external(rels: dict) -> set[str]:
    external = {rid for rid, rel in rels.items() if rel.is_external}
    for rid in external:
        rels.pop(rid)
    return external


def _root(part: Part) -> etree._Element | None:
    if isinstance(part, XmlPart):
        return part.element
    if not part.content_type.endswith("xml"):
        return None
    try:
        return parse_xml(part.blob)
    except etree.XMLSyntaxError:
        return None


def _drop_references(root: etree._Element, external: set[str]) -> bool:
    if not external:
        return False
    changed = False
    for element in list(root.iter()):
        names = [name for name, value in element.attrib.items() if name.startswith(_R) and value in external]
        if not names:
            continue
        changed = True
        if element.tag in _LINK_ELEMENTS and element.getparent() is not None:
            element.getparent().remove(element)
            continue
        for name in names:
            del element.attrib[name]
    return changed


def _drop_remote_fields(root: etree._Element) -> bool:
    """Complex fields (fldChar begin … instrText … separate … end) and simple ones (fldSimple)."""
    doomed: list[etree._Element] = []
    stack: list[list[etree._Element]] = []  # per open field: its fldChars and instrTexts
    for element in root.iter(qn("w:fldChar"), qn("w:instrText")):
        kind = element.get(_FIELD_CHAR_TYPE)
        if kind == "begin":
            stack.append([element])
        elif stack:
            stack[-1].append(element)
            if kind == "end":
                field = stack.pop()
                if _REMOTE_FIELD.match("".join(e.text or "" for e in field if e.tag == qn("w:instrText"))):
                    doomed.extend(field)
    simple = [f for f in root.iter(qn("w:fldSimple")) if _REMOTE_FIELD.match(f.get(qn("w:instr"), ""))]
    _remove(doomed)
    for field in simple:
        _unwrap(field)
    return bool(doomed or simple)


def _remove(elements: Iterable[etree._Element]) -> None:
    for element in elements:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)


def _unwrap(element: etree._Element) -> None:
    """Replace `element` by its children (a simple field's shown result stays as plain runs)."""
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)
