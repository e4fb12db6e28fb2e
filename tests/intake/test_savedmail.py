"""Saved mail is read as IMAP reads it: over the size limit, only the header block and the real size."""

from __future__ import annotations

import io
import mailbox
from pathlib import Path

import pytest

from intake.savedmail import header_block, read_capped, saved_mails
from tests.factories.mail import DOCX_TYPE, Attachment, build_mail

MAIL = build_mail(attachments=[Attachment("单位+标题.docx", b"x" * 5000, DOCX_TYPE)])


def test_mail_within_the_limit_is_read_whole() -> None:
    read = read_capped(io.BytesIO(MAIL), len(MAIL))

    assert (read.raw, read.declared_size) == (MAIL, None)


def test_mail_over_the_limit_gives_its_header_block_and_its_size() -> None:
    read = read_capped(io.BytesIO(MAIL), 1000)

    assert read.declared_size == len(MAIL)
    assert read.raw == MAIL[: MAIL.index(b"\r\n\r\n") + 4] and b"Subject:" in read.raw


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"From: a@b.cn\nSubject: x\n\nbody\r\n\r\nmore", b"From: a@b.cn\nSubject: x\n\n"),
        (b"From: a@b.cn\r\n\r\nbody\n\nmore", b"From: a@b.cn\r\n\r\n"),
        (b"From: a@b.cn\r\nSubject: cut off", b"From: a@b.cn\r\nSubject: cut off"),
    ],
    ids=["lf", "crlf", "no-blank-line"],
)
def test_header_block_ends_at_the_first_blank_line(raw: bytes, expected: bytes) -> None:
    assert header_block(raw) == expected


def test_saved_mails_lists_files_folders_and_maildirs_without_reading_them(tmp_path: Path) -> None:
    single = tmp_path / "单封.eml"
    single.write_bytes(MAIL)
    folder = tmp_path / "历史"
    (folder / "二月").mkdir(parents=True)
    (folder / "二月" / "b.eml").write_bytes(b"B")
    (folder / "a.EML").write_bytes(b"A")
    (folder / "说明.txt").write_bytes(b"not mail")
    box = mailbox.Maildir(tmp_path / "maildir", create=True)
    box.add(b"M")

    found = saved_mails((single, folder, tmp_path / "maildir"))

    contents = []
    for mail in found:
        with mail.open() as stream:
            contents.append(stream.read())
    assert contents == [MAIL, b"A", b"B", b"M"]
    assert found[1].source.endswith("a.EML")
