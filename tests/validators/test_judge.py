"""The judge end to end on real mails: for every code, one message that raises it and one that must not."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import docx
import pytest

from baosong import BUNDLED_CONFIG
from baosong.demo.samples import Item, document, mail, photo, samples
from baosong.organisation import load_organisation
from intake.mailparse import parse_mail
from intake.message import MailAttachment
from tests.factories.docx import docx_bytes, make_png
from tests.factories.images import make_jpeg
from validators.judge import judge_docx, judge_mail

TODAY = date(2026, 11, 20)
UNIT = "奇台县环境保护局"
SENDER = "qitai@example.cn"
GOOD_BODY = ["11月18日，奇台县环境保护局组织执法人员对县城周边12家企业开展专项检查，下达整改通知4份。"]


@pytest.fixture(scope="module")
def big_photo():
    return photo(1)


def item(**changes) -> Item:
    base = Item(UNIT, "奇台县环境保护局开展秋季大气污染防治专项检查", list(GOOD_BODY))
    return replace(base, **changes)


def submit(ctx, *, it=None, sender=SENDER, filename=None, photos=(), **kwargs):  # noqa: ANN001
    it = it or item()
    docs = kwargs.pop("docs", None)
    if docs is None:
        docs = [(filename or f"{it.unit}{it.title}.docx", document(it))]
    raw = mail(sender, it.title, TODAY, docs=docs, photos=list(photos), **kwargs)
    return judge_mail(parse_mail(raw), ctx, today=TODAY)


def codes(judgement) -> set[str]:  # noqa: ANN001
    return {f.code for f in judgement.findings}


def test_clean_submission_is_accepted_without_findings(ctx, big_photo):
    judgement = submit(ctx, photos=[("执法检查现场.jpg", big_photo)])
    assert str(judgement.verdict) == "accepted"
    assert judgement.findings == []
    assert judgement.unit.name == UNIT and judgement.unit_source == "sender"
    assert judgement.fields == {"title": item().title, "reviewer": "李建国", "author": "王晓燕", "phone": "13899012345"}


@pytest.mark.parametrize("sample", [s for s in samples(TODAY) if not s.needs_history], ids=lambda s: s.label)
def test_demo_samples_get_their_intended_verdicts(ctx, sample):
    assert str(judge_mail(parse_mail(sample.raw), ctx, today=TODAY).verdict) == sample.expect


def test_auto_submitted_is_ignored(ctx):
    judgement = submit(ctx, headers={"Auto-Submitted": "auto-replied"})
    assert codes(judgement) == {"AUTO_SUBMITTED"} and str(judgement.verdict) == "ignored"


@pytest.mark.parametrize(
    ("sender", "headers", "words"),
    [
        ("noreply@oa.example.cn", {}, "noreply@oa.example.cn"),
        (SENDER, {"Auto-Submitted": "auto-replied"}, "自动回复"),
        (SENDER, {"Precedence": "bulk"}, "群发"),
    ],
)
def test_auto_submitted_says_why_in_chinese(ctx, sender, headers, words):
    finding = next(f for f in submit(ctx, sender=sender, headers=headers).findings if f.code == "AUTO_SUBMITTED")
    reason = finding.message.split("（", 1)[1].split("）", 1)[0]
    assert words in reason and not any(token in reason for token in ("sender:", "auto-submitted:", "precedence:"))


def test_unregistered_sender_without_word_file_is_not_a_submission(ctx):
    judgement = submit(ctx, sender="promo@example.org", docs=[])
    assert codes(judgement) == {"NOT_A_SUBMISSION"}


def test_registered_sender_without_word_file_gets_no_docx(ctx):
    assert codes(submit(ctx, docs=[])) == {"NO_DOCX"}


def test_unregistered_sender_with_word_file_is_judged(ctx):
    judgement = submit(ctx, sender="someone@example.net")
    assert "NOT_A_SUBMISSION" not in codes(judgement)
    assert judgement.unit.name == UNIT and judgement.unit_source == "filename"


@pytest.mark.parametrize("filename", [None, "信息.docx"], ids=["unit-in-file-name", "unit-in-document"])
def test_unit_named_by_an_unregistered_sender_waits_for_a_clerk(ctx, big_photo, filename):
    judgement = submit(ctx, sender="someone@example.net", filename=filename, photos=[("检查现场.jpg", big_photo)])
    finding = next(f for f in judgement.findings if f.code == "SENDER_NOT_REGISTERED")
    assert str(judgement.verdict) == "review" and "someone@example.net" in finding.message and UNIT in finding.message


def test_registered_sender_is_not_asked_to_register(ctx, big_photo):
    judgement = submit(ctx, photos=[("检查现场.jpg", big_photo)])
    assert "SENDER_NOT_REGISTERED" not in codes(judgement) and str(judgement.verdict) == "accepted"


def test_photos_sent_without_their_word_file_are_told_to_come_with_it(ctx, big_photo):
    judgement = submit(ctx, docs=[], photos=[("河道垃圾清理现场.jpg", big_photo)])
    finding = next(f for f in judgement.findings if f.code == "NO_DOCX")
    assert "只附了照片" in finding.message and "同一封邮件" in finding.message


def test_legacy_doc_is_rejected(ctx):
    old = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)
    judgement = submit(ctx, docs=[], others=[("奇台县环境保护局信息.doc", old, ("application", "msword"))])
    assert codes(judgement) == {"LEGACY_WORD_FORMAT"}


def test_two_word_files_are_multiple_docx(ctx):
    data = document(item())
    assert "MULTIPLE_DOCX" in codes(submit(ctx, docs=[("a.docx", data), ("b.docx", data)]))


def test_corrupt_docx(ctx):
    judgement = submit(ctx, docs=[("奇台县环境保护局信息.docx", document(item())[:2000])])
    assert codes(judgement) == {"CORRUPT_DOCX"}
    assert judgement.findings[0].evidence["reason"]


def test_oversized_message_by_configured_limit(ctx, big_photo):
    small_limit = replace(ctx, rules=replace(ctx.rules, max_message_bytes=1_000_000))
    assert codes(submit(small_limit, photos=[("现场.jpg", big_photo)])) == {"OVERSIZED_MESSAGE"}
    assert "OVERSIZED_MESSAGE" not in codes(submit(ctx, photos=[("现场.jpg", big_photo)]))


def test_cloud_attachment_link(ctx):
    body = "照片见超大附件：https://mail.qq.com/cgi-bin/ftnExs_download?k=abc"
    assert "CLOUD_ATTACHMENT_LINK" in codes(submit(ctx, body=body))
    assert "CLOUD_ATTACHMENT_LINK" not in codes(submit(ctx, body="详见附件。"))


def test_missing_title(ctx):
    judgement = submit(ctx, it=item(title=""), filename="奇台县环境保护局信息.docx")
    assert "MISSING_TITLE" in codes(judgement)


def test_empty_body(ctx):
    assert "EMPTY_BODY" in codes(submit(ctx, it=item(paragraphs=[])))
    assert "EMPTY_BODY" not in codes(submit(ctx))


@pytest.mark.parametrize(
    ("field", "code"), [("reviewer", "MISSING_REVIEWER"), ("author", "MISSING_AUTHOR"), ("phone", "MISSING_PHONE")]
)
def test_missing_sign_off_field(ctx, field, code):
    judgement = submit(ctx, it=item(**{field: None}))
    assert code in codes(judgement)
    assert code not in codes(submit(ctx))


@pytest.mark.parametrize(
    ("field", "code"), [("reviewer", "MISSING_REVIEWER"), ("author", "MISSING_AUTHOR"), ("phone", "MISSING_PHONE")]
)
def test_empty_sign_off_field(ctx, field, code):
    assert code in codes(submit(ctx, it=item(**{field: ""})))


def test_invalid_phone(ctx):
    assert "INVALID_PHONE" in codes(submit(ctx, it=item(phone="0994-4822345")))
    assert "INVALID_PHONE" not in codes(submit(ctx, it=item(phone="+86 138-9901-2345")))


def test_photo_in_body(ctx):
    assert "PHOTO_IN_BODY" in codes(submit(ctx, it=item(pasted_photo=True)))


def test_two_pictures_in_one_paragraph_are_one_photo_in_body_finding(ctx):
    page = docx.Document()
    page.add_paragraph(item().title)
    paragraph = page.add_paragraph(GOOD_BODY[0])
    for _ in range(2):
        paragraph.add_run().add_picture(io.BytesIO(make_png()))
    page.add_paragraph("审核领导：王强  撰稿人：李明  手机号：13899912345")
    judgement = submit(ctx, docs=[(f"{UNIT}{item().title}.docx", docx_bytes(page))])
    assert [f.code for f in judgement.findings].count("PHOTO_IN_BODY") == 1


def test_photo_of_1000000_bytes_is_too_small(ctx):
    judgement = submit(ctx, photos=[("执法检查现场.jpg", make_jpeg(1_000_000))])
    assert codes(judgement) == {"PHOTO_TOO_SMALL"}
    assert judgement.findings[0].evidence["bytes"] == 1_000_000


def test_photo_of_1048576_bytes_passes(ctx):
    assert codes(submit(ctx, photos=[("执法检查现场.jpg", make_jpeg(1_048_576))])) == set()


def test_text_file_named_jpg_is_not_an_image(ctx):
    judgement = submit(ctx, photos=[("执法检查现场.jpg", b"this is not a photo" * 100_000)])
    assert "PHOTO_NOT_IMAGE" in codes(judgement)


def test_truncated_jpeg_is_not_an_image(ctx):
    whole = photo(3, (2400, 1800))
    judgement = submit(ctx, photos=[("执法检查现场.jpg", whole[: int(len(whole) * 0.6)])])
    assert codes(judgement) == {"PHOTO_NOT_IMAGE"}


def test_classified_marking(ctx):
    judgement = submit(ctx, it=item(marking="秘密★1年"))
    assert "CLASSIFIED_MARKING" in codes(judgement)
    finding = next(f for f in judgement.findings if f.code == "CLASSIFIED_MARKING")
    assert "秘密" not in finding.message and "秘密" not in str(finding.evidence)


def test_vague_wording_names_the_paragraph_and_the_fix(ctx):
    judgement = submit(ctx, it=item(paragraphs=["近日，我局组织执法人员开展专项检查，11月18日完成。"]))
    messages = [f.message for f in judgement.findings if f.code == "VAGUE_WORDING"]
    assert any("“近日”" in m and "11月20日" in m and "第2段" in m for m in messages)
    assert any("“我局”" in m and UNIT in m for m in messages)


def test_vague_wording_traps_are_not_findings(ctx):
    body = ["11月18日，《今日昌吉》报道奇台县克服自我局限的做法，今日头条转载。局长说：“我们要巩固成果。”"]
    assert "VAGUE_WORDING" not in codes(submit(ctx, it=item(paragraphs=body)))


def test_unknown_unit_goes_to_review(ctx):
    it = item(unit="", title="社区环境整治工作取得成效", paragraphs=["11月18日，某社区组织志愿者清理河道垃圾2吨。"])
    judgement = submit(ctx, it=it, sender="someone@example.net", filename="信息.docx")
    assert "UNKNOWN_UNIT" in codes(judgement) and str(judgement.verdict) == "review"


def test_unit_from_document_text(ctx):
    judgement = submit(ctx, sender="someone@example.net", filename="信息.docx")
    assert judgement.unit.name == UNIT and judgement.unit_source == "document"


def test_filename_format(ctx):
    assert "FILENAME_FORMAT" in codes(submit(ctx, filename="新建 Microsoft Word 文档.docx"))
    assert "FILENAME_FORMAT" not in codes(submit(ctx, filename="奇台县环保局开展秋季大气污染防治专项检查.docx"))


def test_filename_with_a_category_tag_before_unit_and_title_is_well_formed(ctx):
    assert "FILENAME_FORMAT" not in codes(submit(ctx, filename="【专报】奇台县环境保护局开展秋季大气污染防治专项检查.docx"))


def test_filename_with_the_unit_name_without_its_bracketed_part_is_well_formed(ctx):
    section = item(unit="昌吉州生态环境局宣教科（组织人事科）", title="州局宣教科开展民族团结进机关宣讲活动",
                   paragraphs=["11月13日，昌吉州生态环境局宣教科组织开展民族团结进机关宣讲活动，局机关60余名干部职工参加。"])
    judgement = submit(ctx, it=section, sender="xjk@example.cn", filename="昌吉州生态环境局宣教科开展民族团结进机关宣讲活动.docx")
    assert "FILENAME_FORMAT" not in codes(judgement)


def test_filename_suggestion_names_the_unit_once_when_the_title_starts_with_it(ctx):
    judgement = submit(ctx, filename="新建 Microsoft Word 文档.docx")
    finding = next(f for f in judgement.findings if f.code == "FILENAME_FORMAT")
    assert finding.params["expected"] == "奇台县环境保护局开展秋季大气污染防治专项检查.docx"


def test_filename_suggestion_puts_the_unit_before_a_title_without_it(ctx):
    judgement = submit(ctx, it=item(title="开展秋季大气污染防治专项检查"), filename="新建 Microsoft Word 文档.docx")
    finding = next(f for f in judgement.findings if f.code == "FILENAME_FORMAT")
    assert finding.params["expected"] == "奇台县环境保护局开展秋季大气污染防治专项检查.docx"


def test_filename_format_is_an_error_under_regime_d(ctx):
    regime_d = load_organisation(BUNDLED_CONFIG, "D").checks
    judgement = submit(replace(ctx, rules=regime_d), filename="新建 Microsoft Word 文档.docx")
    assert next(f for f in judgement.findings if f.code == "FILENAME_FORMAT").severity == "error"


def test_photo_name_undescribed(ctx, big_photo):
    assert "PHOTO_NAME_UNDESCRIBED" in codes(submit(ctx, photos=[("IMG_1234.JPG", big_photo)]))
    assert "PHOTO_NAME_UNDESCRIBED" in codes(submit(ctx, photos=[("mmexport1700000000000.jpg", big_photo)]))
    assert "PHOTO_NAME_UNDESCRIBED" not in codes(submit(ctx, photos=[("执法人员检查除尘设施.jpg", big_photo)]))


def test_no_explicit_date(ctx):
    body = ["奇台县环境保护局组织执法人员对县城周边12家企业开展专项检查。"]
    assert "NO_EXPLICIT_DATE" in codes(submit(ctx, it=item(paragraphs=body)))


def test_stale_event_under_regime_d_only(ctx):
    body = ["11月10日，奇台县环境保护局组织执法人员对县城周边12家企业开展专项检查。"]
    assert "STALE_EVENT" not in codes(submit(ctx, it=item(paragraphs=body)))
    regime_d = load_organisation(BUNDLED_CONFIG, "D").checks
    assert "STALE_EVENT" in codes(submit(replace(ctx, rules=regime_d), it=item(paragraphs=body)))


def test_bare_docx_is_judged_without_mail_rules(ctx):
    data = document(item(author=None))
    judgement = judge_docx(
        MailAttachment(f"{UNIT}开展检查.docx", "application/octet-stream", data, "docx"),
        ctx,
        today=TODAY,
    )
    assert codes(judgement) == {"MISSING_AUTHOR"}
