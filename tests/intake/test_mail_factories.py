"""The builders other tests rely on make what they claim: real JPEGs, real TNEF, valid mail."""

from __future__ import annotations

import io
from email import message_from_bytes, policy

import pytest
from PIL import Image
from tnefparse.tnef import TNEF

from tests.factories.images import make_jpeg
from tests.factories.mail import Attachment, build_mail, forward_as_attachment, tnef_blob


@pytest.mark.parametrize("size", [1_000_000, 1_048_575, 1_048_576, 2_000, 700])
def test_make_jpeg_has_the_exact_size_and_decodes(size):
    data = make_jpeg(size)
    image = Image.open(io.BytesIO(data))
    image.load()
    assert (len(data), image.format) == (size, "JPEG")


def test_make_jpeg_with_photo_dimensions():
    image = Image.open(io.BytesIO(make_jpeg(2_500_000, width=4000, height=3000)))
    assert image.size == (4000, 3000)


def test_make_jpeg_refuses_an_impossible_size():
    with pytest.raises(ValueError):
        make_jpeg(100)


def test_tnef_blob_is_read_by_tnefparse():
    tnef = TNEF(tnef_blob([("report.docx", b"PK\x03\x04data"), ("photo.jpg", b"\xff\xd8\xff")]))
    assert [(a.name, a.data) for a in tnef.attachments] == [("report.docx", b"PK\x03\x04data"), ("photo.jpg", b"\xff\xd8\xff")]


def test_built_mail_parses_cleanly_with_the_stdlib():
    raw = build_mail(attachments=[Attachment("信息.docx", b"PK\x03\x04", disposition="attachment")])
    message = message_from_bytes(raw, policy=policy.default)
    assert [p.get_filename() for p in message.iter_attachments()] == ["信息.docx"] and message.defects == []


def test_forwarded_mail_uses_another_boundary_than_the_inner_one():
    inner = build_mail()
    message = message_from_bytes(forward_as_attachment(inner), policy=policy.default)
    (forwarded,) = message.iter_attachments()
    assert forwarded.get_content_type() == "message/rfc822" and message.get_boundary() not in inner.decode()
