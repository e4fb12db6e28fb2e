"""Files uuencoded into a text body (`begin 644 name` … `end`), or as a part's transfer encoding
(x-uuencode), as old clients still send them."""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass

MAX_FILES = 10

_BEGIN = re.compile(r"^begin [0-7]{3,4} ([^\r\n]*\S)[ \t]*\r?$", re.MULTILINE)
_END = re.compile(r"^end[ \t]*\r?$\n?", re.MULTILINE)


@dataclass(frozen=True)
class UuFile:
    name: str
    payload: bytes


def extract_uuencoded(text: str) -> tuple[list[UuFile], str]:
    """The files found (at most MAX_FILES) and the text with their blocks removed.

    One forward scan: each `begin` looks for its `end` once, so a body of many `begin` lines
    without an `end` costs a few passes over the text, never one per line."""
    if "begin " not in text:
        return [], text
    files: list[UuFile] = []
    kept: list[str] = []
    position = 0
    while len(files) < MAX_FILES and (begin := _BEGIN.search(text, position)):
        end = _END.search(text, begin.end())
        if end is None:
            break
        files.append(UuFile(begin.group(1), _decode_lines(text[begin.end() : end.start()].splitlines())))
        kept.append(text[position : begin.start()])
        position = end.end()
    kept.append(text[position:])
    return files, "".join(kept)


def decode_uuencoded_part(body: bytes) -> bytes:
    """The bytes of a MIME part sent with Content-Transfer-Encoding x-uuencode (its own
    `begin` … `end` block, or bare encoded lines)."""
    text = body.decode("ascii", errors="ignore")
    files, _rest = extract_uuencoded(text)
    return files[0].payload if files else _decode_lines(text.splitlines())


def _decode_lines(lines: list[str]) -> bytes:
    chunks = []
    for line in lines:
        encoded = line.encode("ascii", errors="ignore")
        if not encoded or encoded in (b"`", b" "):
            continue
        try:
            chunks.append(binascii.a2b_uu(encoded))
        except binascii.Error:
            # Some encoders pad lines oddly: decode exactly the length the line announces.
            announced = (((encoded[0] - 32) & 63) * 4 + 5) // 3
            try:
                chunks.append(binascii.a2b_uu(encoded[:announced]))
            except binascii.Error:
                continue
    return b"".join(chunks)
