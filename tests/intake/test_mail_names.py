"""File names: one decoding function for every encoding clients use, then display sanitising."""

from __future__ import annotations

import base64
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32

import pytest

from intake.displayname import MAX_NAME_CHARS, display_name
from intake.mailnames import attachment_name
from intake.mailparse import parse_mail
from tests.factories.images import make_png
from tests.factories.mail import Attachment, build_mail

NAME = "王喆申报.docx"


def _part(header_block: bytes) -> Message:
    return BytesHeaderParser(policy=compat32).parsebytes(header_block + b"\r\n\r\n")


def _b64(data: bytes) -> bytes:
    return base64.b64encode(data)


def test_rfc2231_utf8_name():
    assert attachment_name(_part(b"Content-Disposition: attachment; filename*=utf-8''%E7%8E%8B%E5%96%86%E7%94%B3%E6%8A%A5.docx")) == NAME


def test_rfc2231_gbk_labelled_gb2312_name():
    quoted = "".join(f"%{b:02X}" for b in NAME.encode("gbk")).encode()
    assert attachment_name(_part(b"Content-Disposition: attachment; filename*=gb2312''" + quoted)) == NAME


def test_rfc2231_continuations_with_language():
    quoted = "".join(f"%{b:02X}" for b in NAME.encode())
    header = f"Content-Disposition: attachment;\r\n filename*0*=utf-8'zh-cn'{quoted[:18]};\r\n filename*1*={quoted[18:]}"
    assert attachment_name(_part(header.encode())) == NAME


@pytest.mark.parametrize("name", ["Eelanalüüsi päring.jpg", "Müller Größe.jpg", "señal café.docx", "Ærø.jpg"])
@pytest.mark.parametrize("label", ["iso-8859-1", "ISO-8859-1", "latin1", "windows-1252"])
def test_rfc2231_western_name_decodes_per_its_label(name, label):
    raw = build_mail(attachments=[Attachment(name, make_png(), "image/png", name_encoding="rfc2231", charset=label)])
    assert [a.display_name for a in parse_mail(raw).attachments] == [name]


def test_rfc2231_gbk_name_mislabelled_latin1_is_still_read_as_chinese():
    quoted = "".join(f"%{b:02X}" for b in NAME.encode("gbk")).encode()
    assert attachment_name(_part(b"Content-Disposition: attachment; filename*=iso-8859-1''" + quoted)) == NAME


def test_rfc2047_quoted_gbk_labelled_gb2312_name():
    header = b'Content-Type: application/octet-stream; name="=?gb2312?B?' + _b64(NAME.encode("gbk")) + b'?="'
    assert attachment_name(_part(header)) == NAME


def test_rfc2047_unquoted_name():
    header = b"Content-Type: application/octet-stream; name==?GB2312?B?" + _b64(NAME.encode("gbk")) + b"?="
    assert attachment_name(_part(header)) == NAME


def test_rfc2047_name_split_over_two_encoded_words_mid_character():
    data = NAME.encode()
    header = b'Content-Type: application/octet-stream; name="=?utf-8?B?' + _b64(data[:4]) + b"?= =?utf-8?B?" + _b64(data[4:]) + b'?="'
    assert attachment_name(_part(header)) == NAME


def test_raw_utf8_name():
    assert attachment_name(_part(b'Content-Disposition: attachment; filename="' + NAME.encode() + b'"')) == NAME


def test_raw_gbk_name():
    assert attachment_name(_part(b'Content-Disposition: attachment; filename="' + NAME.encode("gbk") + b'"')) == NAME


def test_raw_gbk_name_read_with_the_charset_declared_elsewhere():
    big5 = "申報.docx".encode("big5")
    header = b'Content-Disposition: attachment; filename="' + big5 + b'"'
    assert attachment_name(_part(header), ("big5",)) == "申報.docx"


def test_disposition_filename_wins_over_content_type_name():
    header = b'Content-Type: application/octet-stream; name="type.docx"\r\nContent-Disposition: attachment; filename="disp.docx"'
    assert attachment_name(_part(header)) == "disp.docx"


def test_part_without_name_gives_empty_string():
    assert attachment_name(_part(b"Content-Type: application/octet-stream")) == ""


@pytest.mark.parametrize(
    "name, shown",
    [
        ("申报材料_张三.docx", "申报材料_张三.docx"),
        ("../../etc/cron.d/x", "x"),
        ("/etc/passwd", "passwd"),
        ("..\\..\\", "附件3.docx"),
        ("a.docx\x00.exe", "a.docx.exe"),
        ("a.docx\r\nX-Injected: 1", "a.docx X-Injected: 1"),
        ("\u202ecod.exe", "cod.exe"),
        ("\u2066王\u2069\u200e喆\u200f.docx", "王喆.docx"),
        ("", "附件3.docx"),
        ("   ", "附件3.docx"),
        ("e\u0301.docx", "\u00e9.docx"),
    ],
)
def test_display_name_is_sanitised(name, shown):
    assert display_name(name, kind="docx", image_format=None, index=3) == shown


def test_display_name_truncation_keeps_the_extension():
    shown = display_name("信" * 500 + ".docx", kind="docx", image_format=None, index=1)
    assert len(shown) == MAX_NAME_CHARS and shown.endswith("信.docx")


@pytest.mark.parametrize(
    "kind, image_format, generated",
    [("image", "JPEG", "附件2.jpg"), ("image", "PNG", "附件2.png"), ("doc", None, "附件2.doc"), ("other", None, "附件2.bin")],
)
def test_empty_name_is_generated_from_the_sniffed_kind(kind, image_format, generated):
    assert display_name("", kind=kind, image_format=image_format, index=2) == generated
