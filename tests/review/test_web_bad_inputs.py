"""BAD-INPUTS "Photos" and "Word files" rows at the console: a JPEG+HTML+ZIP polyglot that decodes as
a photo is shown only as a re-encoded thumbnail, and originals (macro documents too) only download."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from sqlalchemy import select

from baosong.db import transaction
from baosong.models import AttachmentRow, Item
from tests.factories.docx import make_docm
from tests.review.samples import jpeg_bytes, store, vague_item
from validators.photos import image_problem

SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"


def polyglot() -> bytes:
    """A real JPEG with an HTML page and a zip appended: decoders stop at the JPEG's end marker."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("payload.html", SCRIPT)
    return jpeg_bytes((800, 600)) + SCRIPT + archive.getvalue()


@pytest.fixture
def polyglot_id(settings, sessions, units) -> int:  # noqa: ANN001
    with transaction(sessions) as session:
        vague_item(settings, session, unit_id=units["昌吉市环境保护局"], photo=polyglot())
    with sessions() as session:
        return max(session.scalars(select(AttachmentRow.id)))


def test_polyglot_passes_as_a_photo_so_the_console_must_not_trust_it():
    assert image_problem(polyglot()) is None


def test_polyglot_photo_is_shown_only_as_a_re_encoded_thumbnail(clerk, polyglot_id):
    response = clerk.get(f"/attachments/{polyglot_id}/thumbnail")
    assert response.headers["content-type"] == "image/jpeg" and response.content[:2] == b"\xff\xd8"
    assert b"<script" not in response.content and b"PK\x03\x04" not in response.content


def test_polyglot_original_only_downloads_never_inline(clerk, polyglot_id):
    response = clerk.get(f"/attachments/{polyglot_id}")
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_item_page_shows_the_thumbnail_not_the_original(clerk, polyglot_id, sessions):
    with sessions() as session:
        item_id = session.get(AttachmentRow, polyglot_id).item_id
    html = clerk.get(f"/items/{item_id}").text
    assert f'src="/attachments/{polyglot_id}/thumbnail"' in html and f'src="/attachments/{polyglot_id}"' not in html


def test_macro_document_downloads_as_an_attachment(clerk, settings, sessions, item_id):
    data = make_docm()
    digest = hashlib.sha256(data).hexdigest()
    with transaction(sessions) as session:
        row = AttachmentRow(item_id=item_id, display_name="信息.docm", content_type="application/octet-stream", kind="docx",
                            size=len(data), sha256=digest, path=store(settings, f"attachments/{digest}", data))
        session.add(row)
        session.flush()
        attachment_id = row.id
    response = clerk.get(f"/attachments/{attachment_id}")
    assert response.headers["content-disposition"].startswith("attachment;") and response.content == data
    assert response.headers["x-content-type-options"] == "nosniff"


def test_item_page_warns_a_clerk_about_a_document_with_macros(clerk, sessions, item_id):
    with transaction(sessions) as session:
        item = session.get(Item, item_id)
        item.document = {**(item.document or {}), "has_macros": True}

    assert "这份 Word 文档含有宏或控件" in clerk.get(f"/items/{item_id}").text


def test_item_page_without_macros_shows_no_macro_warning(clerk, item_id):
    assert "含有宏或控件" not in clerk.get(f"/items/{item_id}").text
