"""What a file is, from its bytes; the name only breaks ties."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

from intake.sniff import sniff
from tests.factories.docx import make_compound_file, make_docx, make_encrypted_docx, make_legacy_doc, make_truncated_docx, make_xlsx
from tests.factories.images import make_gif, make_jpeg, make_png


def _image(image_format: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 20, 30)).save(out, image_format)
    return out.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_docx_by_its_document_part():
    assert sniff(make_docx(), "随便.bin").kind == "docx"


def test_docx_by_content_types_without_word_document_xml():
    types = b'<Types><Override ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    assert sniff(_zip({"[Content_Types].xml": types, "word/document2.xml": b"<w/>"})).kind == "docx"


def test_plain_zip_is_zip():
    assert sniff(_zip({"a.txt": b"hello"}), "材料.zip").kind == "zip"


def test_xlsx_is_not_docx():
    assert sniff(make_xlsx(), "表.xlsx").kind == "zip"


def test_truncated_docx_under_a_docx_name_stays_docx_for_the_document_reader():
    assert sniff(make_truncated_docx(), "信息.docx").kind == "docx"


def test_legacy_doc_by_word_document_stream():
    assert sniff(make_legacy_doc(), "信息.bin").kind == "doc"


def test_legacy_doc_renamed_docx_is_doc():
    assert sniff(make_legacy_doc(), "信息.docx").kind == "doc"


def test_password_protected_docx_is_docx():
    assert sniff(make_encrypted_docx(), "信息.docx").kind == "docx"


def test_password_protected_xlsx_is_not_docx():
    assert sniff(make_encrypted_docx(), "表.xlsx").kind == "other"


def test_wps_name_on_an_ole_file_is_wps():
    assert sniff(make_compound_file({"Contents": b"x" * 100}), "信息.wps").kind == "wps"


def test_rtf_saved_as_doc_is_doc():
    assert sniff(b"{\\rtf1\\ansi hello}", "信息.doc").kind == "doc"


@pytest.mark.parametrize("image_format, expected", [("JPEG", "JPEG"), ("PNG", "PNG"), ("GIF", "GIF"), ("BMP", "BMP"), ("WEBP", "WEBP"), ("TIFF", "TIFF")])
def test_images_by_magic(image_format, expected):
    sniffed = sniff(_image(image_format), "x.dat")
    assert (sniffed.kind, sniffed.image_format) == ("image", expected)


def test_heic_by_ftyp_brand():
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    assert (sniff(heic, "IMG_0001.HEIC").kind, sniff(heic).image_format) == ("image", "HEIF")


def test_jpeg_named_gif_is_a_jpeg():
    assert sniff(make_jpeg(2000), "a.gif", "image/gif").image_format == "JPEG"


def test_png_named_jpg_is_a_png():
    assert sniff(make_png(), "a.jpg", "image/jpeg").image_format == "PNG"


def test_gif_factory_gives_a_gif():
    assert sniff(make_gif()).image_format == "GIF"


def test_text_named_jpg_is_other():
    sniffed = sniff(b"this is not a picture", "现场.jpg", "image/jpeg")
    assert (sniffed.kind, sniffed.image_format) == ("other", None)


def test_pdf():
    assert sniff(b"%PDF-1.7\n...", "a.pdf").kind == "pdf"


def test_tnef_signature():
    assert sniff(b"\x78\x9f\x3e\x22\x01\x00rest").kind == "tnef"


def test_empty_payload_is_other():
    assert sniff(b"", "信息.bin").kind == "other"


def test_empty_payload_under_a_docx_name_stays_docx_for_the_document_reader():
    assert sniff(b"", "信息.docx").kind == "docx"
