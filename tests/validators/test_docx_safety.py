"""Hostile Word files (BAD-INPUTS "Word files"): each ends as DocxRejected, fast and small."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.factories.docx import (
    make_billion_laughs,
    make_docm,
    make_docx,
    make_encrypted_docx,
    make_external_entity,
    make_legacy_doc,
    make_many_parts,
    make_nested_tables,
    make_truncated_docx,
    make_xlsx,
    make_zip_bomb,
    rewrite_docx,
)
from validators.docx_safety import REASONS, DocxRejected, ZipLimits, check_package
from validators.document import parse_docx

ROOT = Path(__file__).resolve().parents[2]
GIB = 1 << 30
MIB = 1 << 20

# Runs parse_docx in a fresh interpreter and reports the peak RSS growth the call caused.
_MEASURE = """
import json, resource, sys, time
from validators.document import DocxRejected, parse_docx
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    parse_docx(data)
    reason = None
except DocxRejected as rejected:
    reason = rejected.reason
seconds = time.perf_counter() - start
grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"reason": reason, "seconds": seconds, "grown_mib": grown_kib / 1024}))
"""


def _measure_in_subprocess(data: bytes, tmp_path: Path) -> dict:
    sample = tmp_path / "sample.docx"
    sample.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(sample)], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(done.stdout)


def _reason(data: bytes, limits: ZipLimits = ZipLimits()) -> str:
    with pytest.raises(DocxRejected) as rejected:
        parse_docx(data, limits=limits)
    assert rejected.value.reason in REASONS
    return rejected.value.reason


def _inflate_head(data: bytes, member: str, size: int) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(member) as stream:
        return stream.read(size)


# --- zip bombs ---------------------------------------------------------------------------------


def test_zip_bomb_factory_really_inflates_to_a_gigabyte_from_about_one_megabyte():
    bomb = make_zip_bomb(GIB)
    info = zipfile.ZipFile(io.BytesIO(bomb)).getinfo("word/document.xml")
    assert len(bomb) < 2 * MIB and info.file_size >= GIB
    assert _inflate_head(bomb, "word/document.xml", 4 * MIB).endswith(b"A" * MIB)


def test_zip_bomb_of_one_gigabyte_is_rejected_within_two_seconds_and_200_mb(tmp_path):
    measured = _measure_in_subprocess(make_zip_bomb(GIB), tmp_path)
    assert measured["reason"] == "too_large"
    assert measured["seconds"] < 2
    assert measured["grown_mib"] < 200


def test_zip_bomb_that_declares_a_small_size_stops_at_it_as_damaged(tmp_path):
    measured = _measure_in_subprocess(make_zip_bomb(GIB, declared_bytes=3 * MIB), tmp_path)  # under the parse limit
    assert measured["reason"] == "damaged"
    assert measured["seconds"] < 2
    assert measured["grown_mib"] < 200


def test_member_inflating_over_200_times_its_size_is_rejected_for_its_ratio():
    padded = rewrite_docx(make_docx(), add={"word/padding.xml": b"<a>" + b" " * (4 * MIB) + b"</a>"})
    assert _reason(padded) == "ratio"


def test_small_member_with_a_high_ratio_is_accepted():
    padded = rewrite_docx(make_docx(), add={"word/padding.xml": b"<a>" + b" " * (512 * 1024) + b"</a>"})
    assert parse_docx(padded).title


def test_total_declared_size_over_the_cap_is_rejected():
    assert _reason(make_docx(), ZipLimits(max_total_bytes=100_000)) == "too_large"


# --- hostile XML -------------------------------------------------------------------------------


def test_billion_laughs_is_rejected_within_two_seconds_and_200_mb(tmp_path):
    measured = _measure_in_subprocess(make_billion_laughs(), tmp_path)
    assert measured["reason"] == "hostile_xml"
    assert measured["seconds"] < 2
    assert measured["grown_mib"] < 200


def test_external_entity_is_rejected_as_hostile_xml():
    assert _reason(make_external_entity()) == "hostile_xml"


def test_entity_declaration_in_a_utf16_part_is_found():
    assert _reason(make_billion_laughs(encoding="utf-16")) == "hostile_xml"


def test_doctype_in_a_part_other_than_the_document_is_rejected():
    def with_doctype(styles: bytes) -> bytes:
        return styles.replace(b"<w:styles", b"<!DOCTYPE w:styles><w:styles", 1)

    data = rewrite_docx(make_docx(), replace={"word/styles.xml": with_doctype})
    assert _reason(data) == "hostile_xml"


def test_rejection_names_the_member_and_marker_as_evidence():
    with pytest.raises(DocxRejected) as rejected:
        parse_docx(make_external_entity())
    assert rejected.value.detail == {"member": "word/document.xml", "marker": "<!DOCTYPE"}


def test_tables_nested_100_deep_are_rejected_as_xml_error():
    assert _reason(make_nested_tables(100)) == "xml_error"


# --- not a readable Word file ------------------------------------------------------------------


def test_empty_file_is_rejected_as_empty():
    assert _reason(b"") == "empty"


def test_text_file_named_docx_is_rejected_as_not_zip():
    assert _reason("请查收本月信息，谢谢！".encode()) == "not_zip"


def test_truncated_docx_is_rejected_as_truncated():
    assert _reason(make_truncated_docx()) == "truncated"


def test_member_with_corrupted_data_is_rejected_as_damaged():
    data = bytearray(make_docx())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    data_start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[data_start + info.compress_size // 2] ^= 0xFF
    assert _reason(bytes(data)) == "damaged"


def test_password_protected_docx_is_rejected_as_encrypted():
    assert _reason(make_encrypted_docx()) == "encrypted"


def test_legacy_doc_renamed_docx_is_rejected_as_legacy_word():
    assert _reason(make_legacy_doc()) == "legacy_word"


def test_spreadsheet_renamed_docx_is_rejected_as_not_word():
    assert _reason(make_xlsx()) == "not_word"


def test_zip_without_a_word_document_is_rejected_as_not_word():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photos/现场.txt", "不是文档")
    assert _reason(buffer.getvalue()) == "not_word"


# --- sizes of the directory --------------------------------------------------------------------


def test_forty_thousand_parts_are_rejected_from_the_end_record_fast():
    data = make_many_parts(40_000)
    timings = []
    for _ in range(3):  # best of three: the test machine is shared, only the check's own cost counts
        start = time.perf_counter()
        assert _reason(data) == "too_many_entries"
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.1


def test_just_over_a_thousand_entries_is_too_many():
    assert _reason(make_many_parts(1_000)) == "too_many_entries"


def test_zip64_directory_is_read():
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(make_docx())) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            with target.open(info.filename, "w", force_zip64=True) as member:
                member.write(source.read(info))
    assert parse_docx(output.getvalue()).title


# --- macros ------------------------------------------------------------------------------------


def test_macro_enabled_document_is_read_and_flagged():
    submission = parse_docx(make_docm())
    assert submission.has_macros and submission.title


def test_stray_vba_project_in_a_docx_is_flagged():
    assert parse_docx(make_docx(stray_vba_project=True)).has_macros


def test_plain_docx_has_no_macros():
    assert check_package(make_docx()).has_macros is False


def test_doctype_after_a_long_comment_in_the_prolog_is_found():
    def with_doctype(document: bytes) -> bytes:
        comment = b"<!-- " + b"<w:p> " * 400_000 + b"-->"
        return document.replace(b"<w:document", comment + b"<!DOCTYPE w:document><w:document", 1)

    data = rewrite_docx(make_docx(), replace={"word/document.xml": with_doctype})
    assert _reason(data, ZipLimits(max_ratio=100_000)) == "hostile_xml"


def test_doctype_text_after_the_root_element_is_harmless_text():
    def with_text(document: bytes) -> bytes:
        return document.replace(b"</w:body>", b"<w:p><w:r><w:t>&lt;!DOCTYPE&gt;</w:t></w:r></w:p></w:body>", 1)

    submission = parse_docx(rewrite_docx(make_docx(), replace={"word/document.xml": with_text}))
    assert submission.body[-1].text == "<!DOCTYPE>"


def test_parts_nobody_reads_are_not_inflated():
    checked = check_package(make_docx(picture_in="body"))
    assert checked.archive.getinfo("word/styles.xml").file_size > 100_000
    assert "word/media/image1.png" in checked.member_names


def test_activex_control_in_a_docx_is_flagged():
    control = b'<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX" ax:classid="{8BD21D40-EC42-11CE-9E0D-00AA006002F3}"/>'
    assert parse_docx(rewrite_docx(make_docx(), add={"word/activeX/activeX1.xml": control})).has_macros
