"""Every row of BAD-INPUTS.md "Mail" and "What real mail clients send", fed to parse_mail.

Each test feeds the hostile or quirky input and asserts the safe behaviour, within a time bound.
"""

from __future__ import annotations

import base64
import time

import pytest

from intake.mailparse import MAX_TEXT_BYTES, parse_mail
from intake.mimetree import MAX_LEAVES
from intake.ziparchive import MAX_FILES as MAX_ZIP_FILES
from tests.factories.archives import make_encrypted_zip, make_zip, make_zip_bomb
from tests.factories.docx import make_docx, make_xlsx
from tests.factories.images import make_jpeg, make_png
from tests.factories.mail import (
    DOCX_TYPE,
    Attachment,
    bounce_mail,
    build_mail,
    forward_as_attachment,
    multipart,
    out_of_office_mail,
    smime_encrypted_mail,
    smime_signed_mail,
    text_part,
    uuencoded,
    winmail_mail,
)

DOCX = make_docx()
pytestmark = pytest.mark.timeout(10)


def _timed(raw: bytes):
    started = time.perf_counter()
    parsed = parse_mail(raw)
    return parsed, time.perf_counter() - started


def _names(raw: bytes) -> list[str]:
    return [a.display_name for a in parse_mail(raw).attachments]


# --- Mail -----------------------------------------------------------------------------------


def test_gbk_name_labelled_gb2312_is_decoded_as_gb18030():
    raw = build_mail(attachments=[Attachment("王喆申报.docx", DOCX, DOCX_TYPE, name_encoding="rfc2047", charset="gb2312")])
    assert _names(raw) == ["王喆申报.docx"]


def test_raw_8bit_gbk_subject_is_decoded():
    raw = build_mail(headers={"Subject": "青山县王喆申报".encode("gbk")})
    assert parse_mail(raw).subject == "青山县王喆申报"


def test_raw_8bit_utf8_subject_is_decoded():
    raw = build_mail(headers={"Subject": "青山县王喆申报".encode()})
    assert parse_mail(raw).subject == "青山县王喆申报"


def test_unknown_charset_label_falls_back_without_error():
    raw = build_mail(headers={"Subject": "=?x-unknown-42?B?" + base64.b64encode("王喆".encode("gbk")).decode() + "?="})
    assert parse_mail(raw).subject == "王喆"


@pytest.mark.parametrize(
    "hostile, shown",
    [
        ("../../etc/cron.d/x", "x"),
        ("/etc/passwd", "passwd"),
        ("..\\..\\windows\\申报.docx", "申报.docx"),
        ("a.docx\x00.exe", "a.docx.exe"),
        ("a.docx\r\nX: 1", "a.docx X: 1"),
        ("\u202egnp.exe", "gnp.exe"),
    ],
)
def test_hostile_file_name_is_sanitised_for_display(hostile, shown):
    raw = build_mail(attachments=[Attachment(hostile, DOCX, DOCX_TYPE)])
    assert _names(raw) == [shown]


def test_long_file_name_is_truncated_keeping_the_extension():
    raw = build_mail(attachments=[Attachment("长" * 300 + ".docx", DOCX, DOCX_TYPE)])
    assert _names(raw) == ["长" * 115 + ".docx"]


def test_file_name_of_5000_characters_is_cut_quickly_without_garbage():
    parsed, seconds = _timed(build_mail(attachments=[Attachment("长" * 5000 + ".docx", DOCX, DOCX_TYPE)]))
    (attachment,) = parsed.attachments
    assert set(attachment.display_name) == {"长"} and len(attachment.display_name) <= 120 and seconds < 1


def test_header_of_60k_semicolons_is_cut_quickly():
    raw = build_mail(attachments=[Attachment("a.docx", DOCX, DOCX_TYPE + ";" * 60_000)])
    parsed, seconds = _timed(raw)
    assert "header_field_too_long" in parsed.defects and seconds < 1


def test_path_only_file_name_gets_a_generated_name_from_the_sniffed_kind():
    raw = build_mail(attachments=[Attachment("..\\..\\", DOCX, DOCX_TYPE)])
    assert _names(raw) == ["附件1.docx"]


def test_docx_part_without_file_name_or_content_id_is_kept():
    raw = build_mail(attachments=[Attachment(None, DOCX, "application/octet-stream", disposition=None)])
    (attachment,) = parse_mail(raw).attachments
    assert (attachment.kind, attachment.display_name, attachment.payload) == ("docx", "附件1.docx", DOCX)


def _nested_multiparts(depth: int) -> bytes:
    entity = text_part("最里层")
    for level in range(depth):
        entity = multipart("mixed", [entity], boundary=f"level{level}")
    return b"From: a@unit.example.cn\r\nSubject: deep\r\nMIME-Version: 1.0\r\n" + entity


def test_multipart_nested_1000_deep_is_cut_with_a_defect():
    parsed, seconds = _timed(_nested_multiparts(1000))
    assert "nesting_too_deep" in parsed.defects and parsed.subject == "deep" and seconds < 2


def test_forwarded_messages_nested_1000_deep_are_cut_with_a_defect():
    raw = build_mail(attachments=[Attachment("a.docx", DOCX, DOCX_TYPE)])
    for level in range(1000):
        raw = b"From: f%d@unit.example.cn\r\nContent-Type: message/rfc822\r\n\r\n" % level + raw
    parsed, seconds = _timed(raw)
    assert "nesting_too_deep" in parsed.defects and parsed.attachments == [] and seconds < 2


def test_100k_attachments_are_cut_with_a_defect_and_none_kept():
    parts = b"".join(b"--B\r\nContent-Type: application/octet-stream\r\n\r\nx\r\n" for _ in range(100_000))
    raw = b"From: a@unit.example.cn\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n" + parts + b"--B--\r\n"
    parsed, seconds = _timed(raw)
    assert parsed.attachments == [] and "too_many_parts" in parsed.defects and seconds < 1


def _texts_then_document(texts: int) -> bytes:
    classified = make_docx(paragraphs=["秘密★1年", "11月18日，奇台县环境保护局召开专题会议。"])
    return build_mail(attachments=[*(text_part(f"第{n}段说明") for n in range(texts)), Attachment("信息.docx", classified, DOCX_TYPE)])


def test_mail_past_the_part_limit_keeps_no_body_and_no_attachment():
    parsed = parse_mail(_texts_then_document(MAX_LEAVES + 5))
    assert (parsed.text_body, parsed.attachments, "too_many_parts" in parsed.defects) == ("", [], True)


def test_mail_with_more_body_text_than_the_limit_keeps_no_body_and_no_attachment():
    sentence = "11月18日，奇台县环境保护局开展检查。"
    long_text = sentence * (MAX_TEXT_BYTES // 2 // len(sentence.encode()) + 1)  # two of them pass the limit
    raw = build_mail(attachments=[text_part(long_text), text_part(long_text), Attachment("信息.docx", DOCX, DOCX_TYPE)])
    parsed = parse_mail(raw)
    assert (parsed.text_body, parsed.attachments, "text_too_large" in parsed.defects) == ("", [], True)


def test_mail_at_the_part_limit_is_read_in_full():
    parsed = parse_mail(_texts_then_document(MAX_LEAVES - 2))  # with the body part and the document: 50
    assert [a.display_name for a in parsed.attachments] == ["信息.docx"] and "too_many_parts" not in parsed.defects


def test_100k_empty_multiparts_are_bounded_too():
    parts = b"".join(b"--B\r\nContent-Type: multipart/mixed; boundary=C\r\n\r\n\r\n" for _ in range(100_000))
    raw = b"From: a@unit.example.cn\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n" + parts + b"--B--\r\n"
    parsed, seconds = _timed(raw)
    assert "too_many_parts" in parsed.defects and seconds < 1


def test_40k_header_names_are_capped_with_a_defect():
    headers = b"".join(b"X-Header-%d: v\r\n" % i for i in range(40_000))
    raw = b"From: a@unit.example.cn\r\nSubject: many\r\n" + headers + b"\r\nbody"
    parsed, seconds = _timed(raw)
    assert "header_block_too_large" in parsed.defects and parsed.subject == "many" and seconds < 1


def test_subject_of_100k_encoded_words_finishes_quickly():
    words = " ".join(["=?utf-8?B?5rWL?="] * 100_000)
    raw = b"From: a@unit.example.cn\r\nSubject: " + words.encode() + b"\r\n\r\nbody"
    parsed, seconds = _timed(raw)
    assert parsed.subject.startswith("测测测") and seconds < 1


def test_header_line_without_colon_does_not_swallow_the_following_headers():
    raw = build_mail(attachments=[Attachment("a.docx", DOCX, DOCX_TYPE)]).replace(
        b"MIME-Version: 1.0\r\n", b"MIME-Version: 1.0\r\nthis line has no colon\r\n"
    )
    parsed = parse_mail(raw)
    assert "header_line_without_colon" in parsed.defects and [a.kind for a in parsed.attachments] == ["docx"]


def test_missing_final_boundary_keeps_the_last_part():
    raw = build_mail(attachments=[Attachment("a.docx", DOCX, DOCX_TYPE)])
    raw = raw[: raw.rindex(b"--=_part_boundary_1_mixed--")]
    parsed = parse_mail(raw)
    assert "missing_final_boundary" in parsed.defects and [a.payload for a in parsed.attachments] == [DOCX]


def test_bad_base64_decodes_what_it_can_with_a_defect():
    good = base64.encodebytes(b"hello world!").replace(b"\n", b"\r\n")
    part = b"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n" + good.rstrip() + b"Q\r\n"
    parsed = parse_mail(build_mail(attachments=[part]))
    assert "bad_base64" in parsed.defects and parsed.attachments[0].payload.startswith(b"hello world!")


def test_bad_date_gives_none_with_a_defect():
    parsed = parse_mail(build_mail(date="Mon, 99 Foo 1900 25:61:00 +9999"))
    assert parsed.date is None and "bad_date" in parsed.defects


def test_nul_bytes_in_headers_are_dropped_with_a_defect():
    raw = build_mail(subject="ab").replace(b"Subject: ab", b"Subject: a\x00b")
    parsed = parse_mail(raw)
    assert parsed.subject == "ab" and "nul_in_headers" in parsed.defects


def test_nul_bytes_in_the_text_body_are_dropped_with_a_defect():
    parsed = parse_mail(build_mail(body="正\x00文"))
    assert parsed.text_body == "正文" and "nul_bytes" in parsed.defects


def test_missing_message_id_gives_none():
    assert parse_mail(build_mail(message_id=None)).message_id is None


def test_duplicate_message_id_headers_give_the_first():
    raw = build_mail(message_id="<first@unit.example.cn>")
    raw = raw.replace(b"MIME-Version", b"Message-ID: <second@unit.example.cn>\r\nMIME-Version")
    assert parse_mail(raw).message_id == "<first@unit.example.cn>"


def test_bounce_is_automatic_even_though_it_quotes_a_submission():
    original = build_mail(attachments=[Attachment("a.docx", DOCX, DOCX_TYPE)])
    parsed = parse_mail(bounce_mail(original))
    assert parsed.auto_submitted is not None


def test_out_of_office_is_automatic():
    assert parse_mail(out_of_office_mail()).auto_submitted is not None


def test_list_mail_is_automatic():
    raw = build_mail(headers={"List-Id": "<news.list.example.cn>"})
    assert parse_mail(raw).auto_submitted is not None


@pytest.mark.parametrize(
    "encoding, charset",
    [("rfc2231", "utf-8"), ("rfc2231", "gbk"), ("rfc2231-continued", "utf-8"), ("rfc2047", "utf-8"),
     ("rfc2047", "gb18030"), ("raw", "utf-8"), ("raw", "gb18030")],
)  # fmt: skip
def test_every_name_encoding_gives_the_same_name(encoding, charset):
    raw = build_mail(attachments=[Attachment("申报材料_张三.docx", DOCX, DOCX_TYPE, name_encoding=encoding, charset=charset)])
    assert _names(raw) == ["申报材料_张三.docx"]


def test_kind_is_judged_from_bytes_when_the_name_is_undecodable():
    raw = build_mail(attachments=[Attachment("申報.docx", DOCX, "application/octet-stream", name_encoding="raw", charset="big5")])
    assert [a.kind for a in parse_mail(raw).attachments] == ["docx"]


# --- What real mail clients send ------------------------------------------------------------


def test_big5_labelled_big5_is_decoded_with_hong_kong_extensions():
    raw = build_mail(body="香港特區屋邨", body_charset="big5")  # 邨 is in Big5-HKSCS only
    assert parse_mail(raw).text_body == "香港特區屋邨"


def test_gbk_text_labelled_euc_cn_is_decoded_as_gb18030():
    assert parse_mail(build_mail(body="王喆申报", body_charset="euc-cn")).text_body == "王喆申报"


def test_big5_text_labelled_us_ascii_is_read_with_the_charset_the_message_declares_elsewhere():
    def body(text: str, subtype: str, label: str) -> bytes:
        head = f"Content-Type: text/{subtype}; charset={label}\r\nContent-Transfer-Encoding: base64\r\n\r\n".encode()
        return head + base64.encodebytes(text.encode("big5hkscs")).replace(b"\n", b"\r\n")

    alternative = multipart("alternative", [body("申報資料", "plain", "us-ascii"), body("<p>申報資料</p>", "html", "big5")], boundary="alt")
    parsed = parse_mail(b"From: a@unit.example.hk\r\nSubject: x\r\nMIME-Version: 1.0\r\n" + alternative)
    assert parsed.text_body == "申報資料"


def test_subject_read_as_latin1_and_reencoded_as_utf8_is_repaired():
    mojibake = "王喆申报".encode("gbk").decode("latin-1")
    raw = build_mail(headers={"Subject": "=?utf-8?B?" + base64.b64encode(mojibake.encode()).decode() + "?="})
    assert parse_mail(raw).subject == "王喆申报"


def test_space_between_encoded_word_and_plain_text_is_kept():
    raw = build_mail(headers={"Subject": "=?utf-8?B?" + base64.b64encode("关于".encode()).decode() + "?= report 2025"})
    assert parse_mail(raw).subject == "关于 report 2025"


def test_unquoted_encoded_word_file_name_is_decoded():
    raw = build_mail(attachments=[Attachment("王喆申报.docx", DOCX, DOCX_TYPE, name_encoding="rfc2047-unquoted", charset="gb2312")])
    assert _names(raw) == ["王喆申报.docx"]


def test_photo_sent_inline_with_a_name_is_an_attachment():
    photo = make_jpeg(4000)
    raw = build_mail(attachments=[Attachment("现场.jpg", photo, "image/jpeg", disposition="inline")])
    (attachment,) = parse_mail(raw).attachments
    assert (attachment.kind, attachment.inline_cid) == ("image", False)


def test_photo_without_disposition_or_name_is_an_attachment():
    raw = build_mail(attachments=[Attachment(None, make_jpeg(4000), "image/jpeg", disposition=None)])
    assert [(a.kind, a.display_name) for a in parse_mail(raw).attachments] == [("image", "附件1.jpg")]


def test_image_shown_by_cid_in_the_html_body_is_marked_inline_cid():
    logo = Attachment("logo.png", make_png(), "image/png", disposition="inline", content_id="logo@unit")
    raw = build_mail(html='<p>签名</p><img src="cid:logo@unit">', attachments=[logo])
    assert [a.inline_cid for a in parse_mail(raw).attachments] == [True]


@pytest.mark.parametrize("encoding", ["7bit", "base64"])
def test_forwarded_message_attachments_are_nested_and_attributed(encoding):
    inner = build_mail("zhangsan@personal.example.com", attachments=[Attachment("信息.docx", DOCX, DOCX_TYPE)])
    parsed = parse_mail(forward_as_attachment(inner, transfer_encoding=encoding))
    (attachment,) = parsed.attachments
    assert (attachment.nested, attachment.origin, parsed.forwarded_from) == (1, "rfc822", "zhangsan@personal.example.com")


def test_forwarded_message_part_named_docx_is_still_opened():
    inner = build_mail("zhangsan@personal.example.com", attachments=[Attachment("信息.docx", DOCX, DOCX_TYPE)])
    parsed = parse_mail(forward_as_attachment(inner, transfer_encoding="base64", name="信息.docx"))
    assert [(a.kind, a.nested) for a in parsed.attachments] == [("docx", 1)]


def test_outer_and_forwarded_attachments_stay_distinguishable():
    inner = build_mail("zhangsan@personal.example.com", attachments=[Attachment("信息.docx", DOCX, DOCX_TYPE)])
    outer_photo = Attachment("现场.jpg", make_jpeg(3000), "image/jpeg")
    parsed = parse_mail(forward_as_attachment(inner, attachments=[outer_photo]))
    assert [(a.display_name, a.nested) for a in parsed.attachments] == [("现场.jpg", 0), ("信息.docx", 1)]


def test_winmail_dat_files_are_opened():
    parsed = parse_mail(winmail_mail([("王喆申报.docx", DOCX), ("现场.jpg", make_jpeg(3000))]))
    assert [(a.display_name, a.kind, a.origin, a.nested) for a in parsed.attachments] == [
        ("王喆申报.docx", "docx", "tnef", 1),
        ("现场.jpg", "image", "tnef", 1),
    ]


def test_file_labelled_tnef_that_is_not_one_is_kept_with_a_problem():
    raw = build_mail(attachments=[Attachment("winmail.dat", b"plain text, not TNEF", "application/ms-tnef")])
    (attachment,) = parse_mail(raw).attachments
    assert (attachment.kind, attachment.problem) == ("other", "tnef_unreadable")


def test_smime_signature_is_not_an_attachment():
    parsed = parse_mail(smime_signed_mail([Attachment("信息.docx", DOCX, DOCX_TYPE)]))
    assert [a.display_name for a in parsed.attachments] == ["信息.docx"]


def test_smime_encrypted_mail_says_so_and_has_no_attachments():
    parsed = parse_mail(smime_encrypted_mail())
    assert "smime_encrypted" in parsed.defects and parsed.attachments == []


def test_uuencoded_file_in_the_text_body_becomes_an_attachment():
    parsed = parse_mail(build_mail(body="信息见附件。\n" + uuencoded("信息.docx", DOCX)))
    (attachment,) = parsed.attachments
    assert (attachment.display_name, attachment.origin, attachment.payload) == ("信息.docx", "uuencode", DOCX)


def test_gif_named_file_that_is_a_jpeg_is_judged_by_bytes():
    raw = build_mail(attachments=[Attachment("现场.gif", make_jpeg(3000), "image/gif")])
    assert [(a.kind, a.image_format) for a in parse_mail(raw).attachments] == [("image", "JPEG")]


def test_jpg_named_office_file_is_not_an_image():
    raw = build_mail(attachments=[Attachment("现场.jpg", DOCX, "image/jpeg")])
    assert [(a.kind, a.display_name) for a in parse_mail(raw).attachments] == [("docx", "现场.jpg")]


def test_zero_byte_photo_is_kind_other_with_its_name():
    raw = build_mail(attachments=[Attachment("现场.jpg", b"", "image/jpeg")])
    assert [(a.kind, a.display_name, a.size) for a in parse_mail(raw).attachments] == [("other", "现场.jpg", 0)]


def test_bare_lf_line_ends_parse_with_a_defect():
    raw = build_mail(attachments=[Attachment("a.docx", DOCX, DOCX_TYPE)], linesep="\n")
    parsed = parse_mail(raw)
    assert [a.payload for a in parsed.attachments] == [DOCX] and "bare_lf_line_endings" in parsed.defects


def test_mixed_line_ends_parse_with_a_defect():
    raw = build_mail(attachments=[Attachment("a.docx", DOCX, DOCX_TYPE)]).replace(b"To: ", b"X-Bare: 1\nTo: ", 1)
    parsed = parse_mail(raw)
    assert [a.payload for a in parsed.attachments] == [DOCX] and "mixed_line_endings" in parsed.defects


def test_lines_over_998_characters_are_parsed():
    raw = build_mail(headers={"X-Long": "x" * 5000}, body="长" * 3000)
    assert parse_mail(raw).text_body == "长" * 3000


@pytest.mark.parametrize(
    "raw",
    [b"", b"\x00" * 100, b"\r\n\r\n", b"garbage without any header", bytes(range(256)) * 40, b"Content-Type: multipart/mixed\r\n\r\n--"],
    ids=["empty", "nuls", "blank-lines", "no-headers", "all-bytes", "multipart-without-boundary"],
)  # fmt: skip
def test_junk_never_raises(raw):
    parsed = parse_mail(raw)
    assert parsed.size == len(raw) and parsed.attachments == []


@pytest.mark.parametrize("encoding", ["x-uuencode", "uuencode", "x-uue"])
def test_uuencoded_photo_part_reports_its_decoded_bytes(encoding):
    photo = make_jpeg(1_100_000)
    raw = build_mail(attachments=[Attachment("执法检查现场.jpg", photo, "image/jpeg", transfer_encoding=encoding)])
    (attachment,) = parse_mail(raw).attachments
    assert (attachment.size, attachment.kind, attachment.payload == photo) == (1_100_000, "image", True)


ZIP_PHOTOS = [("执法检查现场.jpg", make_png(seed=1)), ("照片/复查现场.png", make_png(seed=2))]


@pytest.mark.parametrize(
    "packed",
    [make_zip(ZIP_PHOTOS), make_zip(ZIP_PHOTOS, names="gbk"), make_zip(ZIP_PHOTOS, macos_clutter=True)],
    ids=["utf-8-names", "windows-gbk-names", "macos-clutter"],
)
def test_files_in_a_zip_become_attachments(packed):
    parsed = parse_mail(build_mail(attachments=[Attachment("现场照片.zip", packed, "application/zip")]))
    found = [(a.display_name, a.kind, a.origin, a.payload) for a in parsed.attachments]
    assert found == [("执法检查现场.jpg", "image", "zip", ZIP_PHOTOS[0][1]), ("复查现场.png", "image", "zip", ZIP_PHOTOS[1][1])]


@pytest.mark.parametrize(
    "packed, reason",
    [
        (make_encrypted_zip(ZIP_PHOTOS), "encrypted"),
        (make_zip_bomb(), "too_large"),
        (make_zip([(f"照片{n}.jpg", b"\xff\xd8\xff") for n in range(MAX_ZIP_FILES + 1)]), "too_many_entries"),
    ],
    ids=["password", "bomb", "more-files-than-read"],
)
def test_a_zip_that_cannot_be_opened_safely_is_kept_whole_with_its_problem(packed, reason):
    parsed = parse_mail(build_mail(attachments=[Attachment("现场照片.zip", packed, "application/zip")]))
    (attachment,) = parsed.attachments
    assert (attachment.display_name, attachment.problem) == ("现场照片.zip", f"zip_unreadable:{reason}")
    assert f"zip_unreadable:{reason}" in parsed.defects


def test_an_office_file_is_a_zip_but_is_not_unpacked():
    parsed = parse_mail(build_mail(attachments=[Attachment("统计表.xlsx", make_xlsx())]))
    assert [a.display_name for a in parsed.attachments] == ["统计表.xlsx"]
