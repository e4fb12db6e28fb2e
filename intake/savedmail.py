"""Mail saved as files (.eml, folders of .eml, maildir), listed first and read one at a time.

A saved mail over the organisation's size limit is read as IMAP reads it: only its header block,
with the file's size declared, so `import` and `check` never hold more than the limit in memory.
"""

from __future__ import annotations

import mailbox
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

HEADER_BLOCK_MAX = 1024 * 1024  # more header than this is not a mail anyone sent


@dataclass(frozen=True)
class SavedMail:
    source: str  # the path (or maildir entry) as the user knows it
    open: Callable[[], AbstractContextManager[BinaryIO]]


@dataclass(frozen=True)
class MailBytes:
    raw: bytes  # the whole mail, or only its header block when it is over the limit
    declared_size: int | None  # the mail's real size when only its header block was read


def saved_mails(paths: tuple[Path, ...]) -> list[SavedMail]:
    """Every mail under `paths`, in the order given (entries of a folder sorted by name)."""
    return [mail for path in paths for mail in _under(path)]


def _under(path: Path) -> Iterator[SavedMail]:
    if path.is_dir() and (path / "cur").is_dir() and (path / "new").is_dir():
        box = mailbox.Maildir(path, factory=None, create=False)
        for key in sorted(box.keys()):
            yield SavedMail(f"{path}/{key}", lambda key=key: box.get_file(key))
    elif path.is_dir():
        for file in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".eml"):
            yield SavedMail(str(file), lambda file=file: file.open("rb"))
    else:
        yield SavedMail(str(path), lambda: path.open("rb"))


def read_capped(stream: BinaryIO, limit: int) -> MailBytes:
    """The mail from `stream`, or its header block and size when it holds more than `limit` bytes."""
    raw = stream.read(limit + 1)
    if len(raw) <= limit:
        return MailBytes(raw, None)
    size = len(raw)
    while chunk := stream.read(1024 * 1024):
        size += len(chunk)
    return MailBytes(header_block(raw[:HEADER_BLOCK_MAX]), size)


def header_block(raw: bytes) -> bytes:
    """The headers up to and including the blank line that ends them (all of `raw` when none)."""
    ends = [found + len(blank) for blank in (b"\r\n\r\n", b"\n\n") if (found := raw.find(blank)) >= 0]
    return raw[: min(ends)] if ends else raw
