"""Files uuencoded into a text body (`begin 644 name` … `end`), as old clients still send them."""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass

MAX_FILES = 10

_BLOCK = re.compile(
    r"^begin(?:-base64)? [0-7]{3,4} ([^\r\n]+?)[ \t]*\r?\n(.*?)^end[ \t]*$\r?\n?",
    re.MULTILINE | re.DOTALL,
)


@dataclass(frozen=True)
class UuFile:
    name: str
    payload: bytes


def extract_uuencoded(text: str) -> tuple[list[UuFile], str]:
    """The files found (at most MAX_FILES) and the text with their blocks removed."""
    if "begin " not in text:
        return [], text
    files: list[UuFile] = []

    def take(match: re.Match[str]) -> str:
        if len(files) >= MAX_FILES:
            return match.group(0)
        files.append(UuFile(match.group(1), _decode_lines(match.group(2).splitlines())))
        return ""

    return files, _BLOCK.sub(take, text)


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
