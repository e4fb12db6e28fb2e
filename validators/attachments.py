"""Rules on what was attached: the one .docx, legacy formats, cloud links, the file name."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from rapidfuzz import fuzz

from validators.case import Case, Hit
from validators.judgement import UnitRef
from validators.template import TITLE_PLACEHOLDER

LEGACY_FORMATS = {"doc": "Word 97-2003（.doc）", "wps": "WPS（.wps）"}

# reason from validators.docx_safety/document → (what is wrong, how to fix)
_RESAVE = "请在 Word 或 WPS 中打开后“另存为”新的 .docx 文件，再重新发送。"
CORRUPT_REASONS = {
    "not_zip": ("文件已损坏，不是有效的 .docx 文件", _RESAVE),
    "empty": ("文件是空的（0 字节）", "请确认附件添加成功后重新发送。"),
    "truncated": ("文件不完整，可能在上传时中断", "请重新添加附件后发送。"),
    "encrypted": ("文件设置了打开密码", "请在 Word 中取消文档密码（文件→信息→保护文档）后重新发送。"),
    "legacy_word": ("文件实际是旧版 .doc 格式，只是扩展名改成了 .docx", _RESAVE),
    "too_many_entries": ("文件内部结构异常（部件过多）", _RESAVE),
    "too_large": ("文件解压后体积异常巨大", _RESAVE),
    "ratio": ("文件压缩比例异常，可能是恶意文件", _RESAVE),
    "hostile_xml": ("文件包含不安全的内容（XML 实体声明）", _RESAVE),
    "xml_error": ("文件内容无法解析", _RESAVE),
    "damaged": ("文件内部数据已损坏（校验失败）", _RESAVE),
    "not_word": ("文件不是 Word 文档", "请附上按模板编写的 .docx 文件。"),
    "document_too_large": ("文档内容解压后超过 4 MB，远超一条信息可能的篇幅，系统不予读取", "请只报送一条信息的文字（一般不超过数千字），照片作为附件单独发送，删去无关内容后重新发送。"),
    "file_too_large": ("文件大小 {size_text} 超过一封邮件的大小上限 {limit_text}，不可能作为报送附件发送，系统不予读取",
                       "请删去文档中的大图片等无关内容（照片作为附件单独发送），把文件控制在上限以内后重新检查。"),
    "text_too_long": ("文档正文超过 5 万字，远超一条信息可能的篇幅，系统不予审核", "请只报送一条信息的文字（一般不超过数千字），删去无关内容后重新发送。"),
}


# parser defects (intake.mailparse) meaning some of the mail could not be read → what the unit is told
PHOTOS_ONLY = "（只附了照片：照片要和写好信息的 .docx 文件放在同一封邮件里发送）"
UNREADABLE_MAIL = {
    "smime_encrypted": "（邮件已加密，系统无法解密读取其中的附件，请不要加密，直接发送）",
    "nesting_too_deep": "（邮件结构层层嵌套过深，系统无法完整读取，因此没有读取其中任何附件；请直接添加附件，不要多层转发）",
    "too_many_parts": "（邮件包含的部件过多，系统无法完整读取，因此没有读取其中任何附件；请只附一个 .docx 和照片）",
    "text_too_large": "（邮件正文超过 16 MB，系统无法完整读取，因此没有读取其中任何附件；请在正文只写简短说明）",
    "parser_error": "（邮件格式异常，系统无法读取其中的附件）",
}


def no_docx(case: Case) -> Iterator[Hit]:
    if case.mail is not None and not case.word_files and not case.legacy_files:
        evidence = {"attachments": [a.display_name for a in case.mail.attachments], "body_chars": len(case.mail.text_body)}
        if case.mail.defects:
            evidence["defects"] = list(case.mail.defects)
        kinds = [defect.split(":")[0] for defect in case.mail.defects]
        why = next((UNREADABLE_MAIL[kind] for kind in kinds if kind in UNREADABLE_MAIL), "")
        if not why and case.photos:  # 补发照片: the photos of an item, sent on their own
            why = PHOTOS_ONLY
        yield Hit(params={"reason_text": why} if why else {}, evidence=evidence)


def legacy_word_format(case: Case) -> Iterator[Hit]:
    for attachment in case.legacy_files:
        yield Hit(
            params={"name": attachment.display_name, "format": LEGACY_FORMATS.get(attachment.kind, attachment.kind)},
            evidence={"name": attachment.display_name, "bytes": attachment.size, "kind": attachment.kind},
        )


def multiple_docx(case: Case) -> Iterator[Hit]:
    if len(case.word_files) > 1:
        names = [a.display_name for a in case.word_files]
        yield Hit(params={"count": len(names), "names": "、".join(names)}, evidence={"names": names})


def corrupt_docx(case: Case) -> Iterator[Hit]:
    if case.docx is None or case.docx_problem is None:
        return
    reason, detail = case.docx_problem
    what, fix = CORRUPT_REASONS.get(reason, CORRUPT_REASONS["xml_error"])
    yield Hit(
        params={"name": case.docx.display_name, "reason_text": what.format_map(detail), "fix_text": fix},
        evidence={"name": case.docx.display_name, "bytes": case.docx.size, "reason": reason, **detail},
    )


def cloud_attachment_link(case: Case) -> Iterator[Hit]:
    if case.mail and case.mail.cloud_links:
        yield Hit(params={"count": len(case.mail.cloud_links)}, evidence={"links": case.mail.cloud_links[:10]})


_JOINERS = re.compile(r"^[\s_\-—+＋·、：:（）()【】\[\]]+")
# A 【专报】/【紧急】 tag before the name marks the item's class (README): not part of 单位+信息标题.
_LEADING_TAGS = re.compile(r"^(?:\s*【[^】]{1,10}】)+\s*")
# 昌吉州生态环境局宣教科（组织人事科）: units write the name without its bracketed part too.
_BRACKETED_TAIL = re.compile(r"\s*[（(][^（）()]*[）)]$")


def _name_forms(unit: UnitRef) -> list[str]:
    """The unit's names and aliases, each also without a bracketed tail; longest first."""
    forms = {form for name in unit.names if name for form in (name, _BRACKETED_TAIL.sub("", name)) if form}
    return sorted(forms, key=len, reverse=True)


def filename_format(case: Case) -> Iterator[Hit]:
    """The attachment name must be 单位+信息标题."""
    if case.docx is None or case.submission is None or not case.submission.title:
        return
    stem = _LEADING_TAGS.sub("", PurePosixPath(case.docx.display_name).stem.strip())
    unit = case.registry.by_prefix(stem)
    named = case.unit or unit
    expected_unit = named.name if named else "单位名称"
    title = "信息标题" if case.submission.title == TITLE_PLACEHOLDER else case.submission.title
    starts_with_unit = named is not None and any(name and title.startswith(name) for name in named.names)
    expected = f"{title}.docx" if starts_with_unit else f"{expected_unit}{title}.docx"  # the unit named once
    for candidate in dict.fromkeys(u for u in (unit, case.unit) if u is not None):
        prefix = next((n for n in _name_forms(candidate) if stem.startswith(n)), None)
        if prefix is None:
            continue
        rest = _JOINERS.sub("", stem[len(prefix) :])
        if rest and fuzz.partial_ratio(rest, case.submission.title) >= case.rules.filename_title_similarity:
            return
    yield Hit(params={"name": case.docx.display_name, "expected": expected}, evidence={"name": case.docx.display_name})
