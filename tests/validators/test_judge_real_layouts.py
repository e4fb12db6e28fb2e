"""The judge on what units really send (issue 16): layouts, formats and wordings that were
falsely rejected or missed. Real mails and documents from the factories, one behaviour per test."""

from __future__ import annotations

import io
import random
from dataclasses import replace
from datetime import date

import docx
import pytest

from baosong.demo.samples import Item, document, mail
from intake.mailparse import parse_mail
from intake.message import MailAttachment
from tests.factories.docx import (
    BRACKETED_PHONE_SIGN_OFFS,
    DEADLINE_SENTENCES,
    NUMERAL_DATE_SENTENCES,
    ONE_ITEM_LAYOUTS,
    SIGN_OFF,
    TWO_ITEMS,
    docx_bytes,
    make_blank_template,
    make_docx,
    make_styled_docx,
)
from tests.factories.archives import make_empty_7z, make_empty_rar, make_encrypted_zip, make_tar, make_zip, make_zip_bomb
from tests.factories.images import make_heic, make_jpeg
from validators.judge import judge_docx, judge_mail

TODAY = date(2026, 11, 20)
UNIT = "奇台县环境保护局"
SENDER = "qitai@example.cn"
GOOD_BODY = ["11月18日，奇台县环境保护局组织执法人员对县城周边12家企业开展专项检查，下达整改通知4份。"]


def item(**changes) -> Item:
    return replace(Item(UNIT, "奇台县环境保护局开展秋季大气污染防治专项检查", list(GOOD_BODY)), **changes)


def submit(ctx, *, docs=None, photos=(), **kwargs):  # noqa: ANN001, ANN201
    it = item()
    if docs is None:
        docs = [(f"{it.unit}{it.title}.docx", document(it))]
    raw = mail(SENDER, it.title, TODAY, docs=docs, photos=list(photos), **kwargs)
    return judge_mail(parse_mail(raw), ctx, today=TODAY)


def check_docx(ctx, data: bytes):  # noqa: ANN001, ANN201
    """A bare .docx, as `baosong check` judges it."""
    return judge_docx(MailAttachment(f"{UNIT}开展专项检查.docx", "application/octet-stream", data, "docx"), ctx, today=TODAY)


def codes(judgement) -> set[str]:  # noqa: ANN001
    return {f.code for f in judgement.findings}


def words(judgement) -> list[str]:  # noqa: ANN001
    return [f.evidence["word"] for f in judgement.findings if f.code == "VAGUE_WORDING"]


# --- wording and dates ------------------------------------------------------------------------


@pytest.mark.parametrize("sentence", DEADLINE_SENTENCES)
def test_a_deadline_is_a_date_not_the_vague_word_riqian(ctx, sentence):
    judgement = check_docx(ctx, make_docx(paragraphs=[sentence]))
    assert words(judgement) == [] and str(judgement.verdict) == "accepted"


@pytest.mark.parametrize(
    "sentence, word",
    [
        ("日前，奇台县环境保护局组织执法人员开展专项检查，11月18日完成。", "日前"),
        ("奇台县环境保护局日前召开会议，11月18日部署专项检查。", "日前"),
    ],
)
def test_riqian_that_is_no_deadline_is_still_vague(ctx, sentence, word):
    assert words(check_docx(ctx, make_docx(paragraphs=[sentence]))) == [word]


@pytest.mark.parametrize(
    "word",
    ["前些天", "近段时间", "前段时间", "前几天", "近些天", "这几天", "上周", "本周", "上个月", "这段时间", "前一阵子", "昨晚"],
)
def test_relative_times_beyond_the_first_list_are_vague(ctx, word):
    sentence = f"{word}，奇台县环境保护局组织执法人员对12家企业开展专项检查，11月18日完成复查。"
    judgement = check_docx(ctx, make_docx(paragraphs=[sentence]))
    assert words(judgement) == [word] and str(judgement.verdict) == "rejected"
    assert "具体日期" in next(f for f in judgement.findings if f.code == "VAGUE_WORDING").message


@pytest.mark.parametrize("sentence", NUMERAL_DATE_SENTENCES)
def test_numeral_and_dotted_dates_are_explicit_dates(ctx, sentence):
    assert "NO_EXPLICIT_DATE" not in codes(check_docx(ctx, make_docx(paragraphs=[sentence])))


def test_a_body_without_any_date_still_has_no_explicit_date(ctx):
    sentence = "奇台县环境保护局组织执法人员对12家企业开展专项检查，版本2026.11.4.1的系统同步上线，增长17.4亿元。"
    assert "NO_EXPLICIT_DATE" in codes(check_docx(ctx, make_docx(paragraphs=[sentence])))


def test_iphone_heic_photo_is_an_image(ctx):
    judgement = submit(ctx, photos=[("执法人员检查除尘设施.HEIC", make_heic())])
    assert codes(judgement) == {"PHOTO_TOO_SMALL"}


# --- sign-off fields ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"审核领导": "李四", "撰稿人": "王小红", "手机号": "13912345678"},
        {"审核领导：": "李四", "撰稿人：": "王小红", "手机号码：": "139 1234 5678"},
        {"审核": "李四", "执笔": "王小红", "联系电话": "13912345678"},
    ],
    ids=["labels", "labels-with-colons", "other-labels"],
)
def test_sign_off_in_a_label_row_table_is_accepted(ctx, fields):
    judgement = check_docx(ctx, make_docx(paragraphs=GOOD_BODY, fields=fields, fields_layout="label_row"))
    assert judgement.findings == [] and judgement.fields["author"] == "王小红"


@pytest.mark.parametrize("fields", BRACKETED_PHONE_SIGN_OFFS, ids=lambda f: f["撰稿人"])
def test_phone_beside_the_authors_name_is_accepted(ctx, fields):
    judgement = check_docx(ctx, make_docx(paragraphs=GOOD_BODY, fields=fields, fields_layout="one_line"))
    assert judgement.findings == [] and judgement.fields["author"] == "王小红"


# --- classification marks -----------------------------------------------------------------------


@pytest.mark.parametrize("line", ["机密", "秘密", "绝密", "机 密", "秘　密", " 绝密 "])
def test_a_bare_level_line_above_the_title_is_a_classification_mark(ctx, line):
    judgement = check_docx(ctx, make_docx(paragraphs=GOOD_BODY, preamble=line))
    finding = next(f for f in judgement.findings if f.code == "CLASSIFIED_MARKING")
    assert str(judgement.verdict) == "rejected" and line.strip() not in finding.message + str(finding.evidence)


def test_a_bare_level_line_in_the_page_header_is_a_classification_mark(ctx):
    document = docx.Document(io.BytesIO(make_docx(paragraphs=GOOD_BODY)))
    document.sections[0].header.paragraphs[0].text = "机密"
    assert "CLASSIFIED_MARKING" in codes(check_docx(ctx, docx_bytes(document)))


@pytest.mark.parametrize(
    "paragraphs",
    [
        [*GOOD_BODY, "会议强调，要严守国家秘密和工作秘密。"],
        [*GOOD_BODY, "11月19日，奇台县保密局开展保密检查。", "机密"],
        ["11月18日，奇台县环境保护局召开保密工作会议，传达上级关于机密文件管理的要求。"],
    ],
    ids=["words-in-a-sentence", "level-line-far-below-the-title", "level-word-in-the-body"],
)
def test_the_level_word_elsewhere_is_no_classification_mark(ctx, paragraphs):
    assert "CLASSIFIED_MARKING" not in codes(check_docx(ctx, make_docx(paragraphs=paragraphs)))


# --- the blank template sent back -----------------------------------------------------------------

TEMPLATE_TITLE = "奇台县环境保护局开展秋季大气污染防治专项检查"


@pytest.mark.parametrize(
    "changes, parts",
    [
        ({}, "标题、正文"),
        ({"title": TEMPLATE_TITLE}, "正文"),
        ({"paragraphs": GOOD_BODY}, "标题"),
        ({"title": TEMPLATE_TITLE, "paragraphs": GOOD_BODY, "notes_as_text": True}, "“填报须知”说明"),
    ],
    ids=["only-sign-off-filled", "title-filled", "body-filled", "notes-box-opened-into-text"],
)
def test_template_placeholders_left_in_are_template_not_filled(ctx, changes, parts):
    judgement = check_docx(ctx, make_blank_template(**changes))
    finding = next(f for f in judgement.findings if f.code == "TEMPLATE_NOT_FILLED")
    assert str(judgement.verdict) == "rejected" and finding.params["parts"] == parts


def test_template_filled_in_with_its_notes_box_left_in_is_accepted(ctx):
    judgement = check_docx(ctx, make_blank_template(title=TEMPLATE_TITLE, paragraphs=GOOD_BODY))
    assert judgement.findings == [] and judgement.fields["title"] == TEMPLATE_TITLE


def test_a_body_still_holding_the_template_text_is_not_also_told_to_add_a_date(ctx):
    assert "NO_EXPLICIT_DATE" not in codes(check_docx(ctx, make_blank_template(title=TEMPLATE_TITLE)))


def test_the_file_name_suggested_for_a_blank_template_is_no_placeholder(ctx):
    finding = next(f for f in check_docx(ctx, make_blank_template()).findings if f.code == "FILENAME_FORMAT")
    assert finding.params["expected"] == f"{UNIT}信息标题.docx"


# --- one matter per report (一事一报) ----------------------------------------------------------


def _restyled(lines, style):  # noqa: ANN001, ANN202
    return [(style if kind == "Title" else kind, text) for kind, text in lines]


@pytest.mark.parametrize(
    "lines",
    [
        TWO_ITEMS,
        _restyled(TWO_ITEMS, "centered"),
        _restyled(TWO_ITEMS, "Heading 1"),
        [line for line in TWO_ITEMS if not line[1].startswith("审核领导")],
    ],
    ids=["title-style", "centred-titles", "heading-1", "one-sign-off-at-the-end"],
)
def test_two_items_in_one_document_are_multiple_items(ctx, lines):
    fields = None if any(text.startswith("审核领导") for _, text in lines) else SIGN_OFF
    judgement = check_docx(ctx, make_styled_docx(lines, fields=fields))
    finding = next(f for f in judgement.findings if f.code == "MULTIPLE_ITEMS")
    assert str(judgement.verdict) == "rejected" and finding.params["count"] == 2
    assert finding.evidence["titles"] == [TWO_ITEMS[0][1], TWO_ITEMS[3][1]]


@pytest.mark.parametrize("layout", ONE_ITEM_LAYOUTS)
def test_subheadings_subtitles_and_captions_inside_one_item_are_not_items(ctx, layout):
    assert "MULTIPLE_ITEMS" not in codes(check_docx(ctx, make_styled_docx(ONE_ITEM_LAYOUTS[layout])))


# --- photos packed in archives ------------------------------------------------------------------

ZIP_TYPE = ("application", "zip")


@pytest.fixture(scope="module")
def big_photo():
    return make_jpeg(1_200_000, seed=5)


@pytest.mark.parametrize("names", ["utf-8", "gbk"])
def test_photos_in_a_zip_are_listed_and_pass_when_big_enough(ctx, big_photo, names):
    packed = make_zip([("执法人员检查除尘设施.jpg", big_photo), ("复查现场.jpg", big_photo)], names=names, macos_clutter=True)
    judgement = submit(ctx, others=[("现场照片.zip", packed, ZIP_TYPE)])
    assert judgement.findings == []
    assert [(p.display_name, p.size) for p in judgement.photos] == [
        ("执法人员检查除尘设施.jpg", 1_200_000), ("复查现场.jpg", 1_200_000)
    ]


@pytest.mark.parametrize(
    "member, code",
    [
        (("执法人员检查除尘设施.jpg", make_jpeg(300_000)), "PHOTO_TOO_SMALL"),
        (("执法人员检查除尘设施.jpg", random.Random(1).randbytes(1_100_000)), "PHOTO_NOT_IMAGE"),
        (("IMG_1234.JPG", make_jpeg(1_100_000, seed=7)), "PHOTO_NAME_UNDESCRIBED"),
    ],
    ids=["small", "fake", "camera-name"],
)
def test_photos_in_a_zip_are_checked_like_any_other(ctx, member, code):
    judgement = submit(ctx, others=[("现场照片.zip", make_zip([member]), ZIP_TYPE)])
    finding = next(f for f in judgement.findings if f.code == code)
    assert finding.evidence["name"] == member[0]


@pytest.mark.parametrize(
    "name, data, mime, what",
    [
        ("现场照片.rar", make_empty_rar(), ("application", "x-rar-compressed"), "RAR 压缩包"),
        ("现场照片.7z", make_empty_7z(), ("application", "x-7z-compressed"), "7z 压缩包"),
        ("现场照片.tar.gz", make_tar([("现场.jpg", make_jpeg(2000))]), ("application", "gzip"), "gzip 压缩包"),
        ("现场照片.zip", make_encrypted_zip([("现场.jpg", make_jpeg(2000))]), ZIP_TYPE, "设置了密码的压缩包"),
        ("现场照片.zip", make_zip_bomb(), ZIP_TYPE, "解压后体积异常巨大的压缩包"),
    ],
    ids=["rar", "7z", "tar.gz", "encrypted-zip", "zip-bomb"],
)
def test_an_archive_that_is_not_opened_asks_for_the_photos_uncompressed(ctx, name, data, mime, what):
    judgement = submit(ctx, others=[(name, data, mime)])
    (finding,) = [f for f in judgement.findings if f.code == "PHOTO_ARCHIVE"]
    assert finding.severity == "warning" and str(judgement.verdict) == "accepted"
    assert f"“{name}”是{what}" in finding.message and "解压后直接作为邮件附件发送" in finding.message

