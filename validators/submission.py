"""Typed view of one submitted .docx, as produced by validators.document.parse_docx."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    index: int  # 1-based, in reading order over all parts (body, tables, text boxes, headers, footers)
    text: str
    part: str  # body | table | header | footer | textbox
    heading: str | None = None  # a short body line set as a title: its style name, or "centred"


@dataclass(frozen=True)
class FieldValue:
    label: str  # the label as written, e.g. 审核领导
    value: str  # text after the colon, stripped; "" when the label is there but empty
    paragraph: int  # Paragraph.index where the label sits


@dataclass(frozen=True)
class EmbeddedPicture:
    part: str  # body | table | header | footer | textbox
    paragraph: int | None  # Paragraph.index of the paragraph that holds it, when known
    name: str  # the picture's name inside the package, for evidence


@dataclass
class Submission:
    title: str  # "" when missing
    title_paragraph: int | None
    paragraphs: list[Paragraph]  # every paragraph with text, all parts, reading order
    body: list[Paragraph]  # the item text: paragraphs that are neither title nor sign-off fields
    fields: dict[str, FieldValue | None]  # reviewer | author | phone -> value, None when no label at all
    pictures: list[EmbeddedPicture]
    has_macros: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def body_text(self) -> str:
        return "\n".join(p.text for p in self.body)
