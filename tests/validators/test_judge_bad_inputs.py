"""BAD-INPUTS rows end to end: a real hostile mail goes through parse_mail and the judge, and the
unit is told, in Chinese, what is wrong and how to fix it (the reasons themselves are tested in
test_docx_safety.py, test_photos.py and tests/intake/test_mail_bad_inputs.py)."""

from __future__ import annotations

import io
import time
from datetime import date

import pytest
from PIL import Image

from baosong import BUNDLED_CONFIG
from baosong.organisation import load_organisation
from baosong.registry import refs_from_sheet
from intake.mailparse import parse_mail
from tests.factories.docx import (
    make_billion_laughs,
    make_docx,
    make_encrypted_docx,
    make_external_entity,
    make_many_parts,
    make_nested_tables,
    make_padded_docx,
    make_truncated_docx,
    make_zip_bomb,
)
from tests.factories.images import make_png
from tests.factories.mail import (
    DOCX_TYPE,
    Attachment,
    bounce_mail,
    build_mail,
    forward_as_attachment,
    multipart,
    smime_encrypted_mail,
    text_part,
)
from validators.catalogue import load_messages
from validators.judge import JudgeContext, judge_mail
from validators.judgement import Judgement
from validators.registry import Registry

TODAY = date(2026, 11, 20)
UNIT = "奇台县环境保护局"
SENDER = "qitai@example.cn"  # registered for 奇台县环境保护局 in config/orgs/A/units.csv
DOC_NAME = f"{UNIT}开展秋季大气污染防治专项检查.docx"
pytestmark = pytest.mark.timeout(30)


@pytest.fixture(scope="module")
def ctx() -> JudgeContext:
    organisation = load_organisation(BUNDLED_CONFIG, "A")
    registry = Registry.of(refs_from_sheet(organisation.units_csv))
    return JudgeContext(organisation.checks, registry, load_messages(BUNDLED_CONFIG))


def judged(ctx: JudgeContext, raw: bytes) -> Judgement:
    return judge_mail(parse_mail(raw), ctx, today=TODAY)


def with_docx(ctx: JudgeContext, payload: bytes) -> Judgement:
    return judged(ctx, build_mail(SENDER, attachments=[Attachment(DOC_NAME, payload, DOCX_TYPE)]))


def only_finding(judgement: Judgement, code: str):  # noqa: ANN201
    assert [f.code for f in judgement.findings] == [code] and str(judgement.verdict) == "rejected"
    return judgement.findings[0]


# --- Word files ---------------------------------------------------------------------------------


def test_document_past_what_a_submission_can_be_is_rejected_before_it_is_parsed(ctx):
    finding = only_finding(with_docx(ctx, make_padded_docx(5 * 1024 * 1024)), "CORRUPT_DOCX")
    assert finding.evidence["reason"] == "document_too_large" and "超过 4 MB" in finding.message


def test_text_past_what_a_submission_can_be_is_rejected(ctx):
    finding = only_finding(with_docx(ctx, make_padded_docx(2 * 1024 * 1024)), "CORRUPT_DOCX")
    assert finding.evidence["reason"] == "text_too_long" and "超过 5 万字" in finding.message


def test_zip_bomb_is_rejected_as_corrupt_docx_within_seconds(ctx):
    bomb = make_zip_bomb(200 << 20)
    started = time.perf_counter()
    finding = only_finding(with_docx(ctx, bomb), "CORRUPT_DOCX")
    assert "解压后体积异常巨大" in finding.message and time.perf_counter() - started < 5


def test_entity_expansion_is_rejected_as_corrupt_docx_naming_the_entity_declaration(ctx):
    finding = only_finding(with_docx(ctx, make_billion_laughs()), "CORRUPT_DOCX")
    assert "XML 实体声明" in finding.message and finding.evidence["reason"] == "hostile_xml"


def test_external_entity_is_rejected_as_corrupt_docx_without_reading_the_target(ctx):
    finding = only_finding(with_docx(ctx, make_external_entity()), "CORRUPT_DOCX")
    assert "XML 实体声明" in finding.message and "root:" not in str(finding.evidence)


def test_text_file_named_docx_is_corrupt_docx_asking_to_resave_and_resend(ctx):
    finding = only_finding(with_docx(ctx, "请查收本月信息，谢谢！".encode()), "CORRUPT_DOCX")
    assert "不是有效的 .docx" in finding.message and "另存为" in finding.message and "重新发送" in finding.message


def test_empty_docx_is_corrupt_docx_saying_it_is_empty(ctx):
    finding = only_finding(with_docx(ctx, b""), "CORRUPT_DOCX")
    assert "文件是空的" in finding.message and "重新发送" in finding.message


def test_truncated_docx_is_corrupt_docx_asking_to_attach_again(ctx):
    finding = only_finding(with_docx(ctx, make_truncated_docx()), "CORRUPT_DOCX")
    assert "文件不完整" in finding.message and "重新添加附件" in finding.message


def test_password_protected_docx_is_told_to_remove_the_password(ctx):
    finding = only_finding(with_docx(ctx, make_encrypted_docx()), "CORRUPT_DOCX")
    assert "打开密码" in finding.message and "取消文档密码" in finding.message


def test_docx_with_forty_thousand_parts_is_corrupt_docx_within_seconds(ctx):
    many = make_many_parts(40_000)
    started = time.perf_counter()
    finding = only_finding(with_docx(ctx, many), "CORRUPT_DOCX")
    assert "部件过多" in finding.message and time.perf_counter() - started < 3  # naive: 42 s


def test_tables_nested_100_deep_are_corrupt_docx(ctx):
    finding = only_finding(with_docx(ctx, make_nested_tables(100)), "CORRUPT_DOCX")
    assert "无法解析" in finding.message and finding.evidence["reason"] == "xml_error"


# --- Photos -------------------------------------------------------------------------------------


def _with_photo(ctx: JudgeContext, name: str, payload: bytes) -> Judgement:
    doc = Attachment(DOC_NAME, make_docx(), DOCX_TYPE)
    return judged(ctx, build_mail(SENDER, attachments=[doc, Attachment(name, payload, "image/jpeg")]))


def _photo_codes(judgement: Judgement) -> set[str]:
    return {f.code for f in judgement.findings if f.code.startswith("PHOTO_")}


def test_small_text_file_named_jpg_gets_the_size_and_the_image_finding_separately(ctx):
    judgement = _with_photo(ctx, "执法检查现场.jpg", b"not a photo" * 100)
    assert _photo_codes(judgement) == {"PHOTO_TOO_SMALL", "PHOTO_NOT_IMAGE"}


def test_text_file_over_one_megabyte_named_jpg_is_not_an_image_though_big_enough(ctx):
    judgement = _with_photo(ctx, "执法检查现场.jpg", b"not a photo " * 100_000)
    assert _photo_codes(judgement) == {"PHOTO_NOT_IMAGE"}


def test_decompression_bomb_photo_is_not_an_image_said_to_be_huge(ctx):
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, "PNG", optimize=True)
    started = time.perf_counter()
    judgement = _with_photo(ctx, "执法检查现场.png", buffer.getvalue())
    finding = next(f for f in judgement.findings if f.code == "PHOTO_NOT_IMAGE")
    assert "图片尺寸异常巨大" in finding.message and time.perf_counter() - started < 10


def test_inline_cid_logo_in_the_html_body_is_not_judged_as_a_photo(ctx):
    doc = Attachment(DOC_NAME, make_docx(), DOCX_TYPE)
    logo = Attachment("logo.png", make_png(), "image/png", disposition="inline", content_id="logo@qitai")
    judgement = judged(ctx, build_mail(SENDER, html='<p>奇台县</p><img src="cid:logo@qitai">', attachments=[doc, logo]))
    assert _photo_codes(judgement) == set() and judgement.photos == []


# --- Mail ---------------------------------------------------------------------------------------


def _nested(depth: int) -> bytes:
    entity = text_part("信息见附件。")
    for level in range(depth):
        entity = multipart("mixed", [entity], boundary=f"level{level}")
    return f"From: {SENDER}\r\nSubject: deep\r\nMIME-Version: 1.0\r\n".encode() + entity


def test_multipart_nested_1000_deep_is_rejected_saying_the_mail_could_not_be_read(ctx):
    started = time.perf_counter()
    finding = only_finding(judged(ctx, _nested(1000)), "NO_DOCX")
    assert "嵌套过深" in finding.message and "nesting_too_deep" in finding.evidence["defects"]
    assert time.perf_counter() - started < 2


def test_mail_past_the_part_limit_is_rejected_on_nothing_but_that(ctx):
    classified = make_docx(paragraphs=["秘密★1年", "11月18日，奇台县环境保护局召开专题会议。"])
    texts = [text_part(f"第{n}段说明") for n in range(55)]
    clean = Attachment(DOC_NAME, make_docx(), DOCX_TYPE)  # alone it would be accepted
    raw = build_mail(SENDER, attachments=[clean, *texts, Attachment(DOC_NAME, classified, DOCX_TYPE)])
    finding = only_finding(judged(ctx, raw), "NO_DOCX")
    assert "部件过多" in finding.message and "没有读取其中任何附件" in finding.message


def test_smime_encrypted_mail_is_told_it_cannot_be_decrypted(ctx):
    finding = only_finding(judged(ctx, smime_encrypted_mail(sender=SENDER)), "NO_DOCX")
    assert "已加密" in finding.message and "smime_encrypted" in finding.evidence["defects"]


def test_plain_mail_without_a_word_file_keeps_the_plain_message(ctx):
    finding = only_finding(judged(ctx, build_mail(SENDER, body="信息见正文。")), "NO_DOCX")
    assert finding.message.startswith("邮件没有 Word（.docx）附件，") and "defects" not in finding.evidence


def test_bounce_quoting_a_submission_is_auto_submitted_and_ignored(ctx):
    original = build_mail(SENDER, attachments=[Attachment(DOC_NAME, make_docx(), DOCX_TYPE)])
    judgement = judged(ctx, bounce_mail(original, recipient=SENDER))
    assert [f.code for f in judgement.findings] == ["AUTO_SUBMITTED"] and str(judgement.verdict) == "ignored"


def test_forwarded_document_is_judged_and_attributed_to_the_forwarding_unit(ctx):
    inner = build_mail("zhangsan@personal.example.com", attachments=[Attachment(DOC_NAME, make_docx(paragraphs=["近日，检查组到现场。"]), DOCX_TYPE)])
    judgement = judged(ctx, forward_as_attachment(inner, sender=SENDER, transfer_encoding="base64"))
    assert (judgement.unit.name, judgement.unit_source) == (UNIT, "sender")
    assert judgement.submission is not None and "VAGUE_WORDING" in {f.code for f in judgement.findings}


@pytest.mark.parametrize(
    "raw",
    [
        b"From: qitai@example.cn\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n"
        + b"".join(b"--B\r\nContent-Type: application/octet-stream\r\n\r\nx\r\n" for _ in range(100_000)) + b"--B--\r\n",
        b"From: qitai@example.cn\r\nSubject: many\r\n" + b"".join(b"X-Header-%d: v\r\n" % i for i in range(40_000)) + b"\r\nbody",
        b"From: qitai@example.cn\r\nSubject: " + " ".join(["=?utf-8?B?5rWL?="] * 100_000).encode() + b"\r\n\r\nbody",
    ],
    ids=["100k-attachments", "40k-headers", "100k-encoded-words"],
)
def test_flooding_mail_is_parsed_and_judged_within_seconds(ctx, raw):
    started = time.perf_counter()
    judgement = judged(ctx, raw)
    assert str(judgement.verdict) == "rejected" and time.perf_counter() - started < 3
