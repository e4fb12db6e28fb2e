"""The one function that decodes an attachment's file name from its MIME headers.

Covers RFC 2231 (`filename*=gbk''%CD%F5…`, continuations `filename*0*=…; filename*1=…`),
RFC 2047 encoded words (quoted or not: `name==?GB2312?B?…?=`), raw UTF-8 and raw GBK bytes.
The stdlib's own `get_filename()` misses several of these, so parameters are split by the stdlib
but every value is decoded here, from its original bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from email.message import Message

from intake.charsets import decode_bytes
from intake.headertext import MAX_HEADER_CHARS, decode_header_text, header_bytes

_FOLD = re.compile(r"\r?\n(?=[ \t])")
# (header, parameter) in order of preference
_SOURCES = (("content-disposition", "filename"), ("content-type", "name"))


def attachment_name(part: Message, fallbacks: Iterable[str] = ()) -> str:
    """The decoded (not yet sanitised) file name of a MIME part, or "" when it has none."""
    fallbacks = tuple(fallbacks)
    raw_headers = {name.lower(): value for name, value in reversed(list(part.raw_items()))}
    for header, parameter in _SOURCES:
        value = raw_headers.get(header)
        if value is None:
            continue
        name = _parameter_text(value, parameter, fallbacks)
        if name:
            return name
    return ""


def _parameter_text(value: str, parameter: str, fallbacks: tuple[str, ...]) -> str:
    """Decode one parameter of a raw header value; RFC 2231 forms win over plain ones."""
    # Map each original byte to one Latin-1 character so the stdlib splits parameters without
    # touching the bytes; they are recovered exactly with .encode("latin-1") below.
    latin1 = header_bytes(_FOLD.sub("", value))[:MAX_HEADER_CHARS].decode("latin-1")
    scratch = Message()
    scratch["X-Params"] = latin1
    plain = ""
    for key, param in scratch.get_params(header="x-params", failobj=[]):
        if key.strip().lower() != parameter:
            continue
        if isinstance(param, tuple):
            charset, _language, text = param
            return decode_bytes(text.encode("latin-1", errors="replace"), charset, fallbacks).strip()
        if not plain:
            unquoted = param.strip().strip('"')
            plain = decode_header_text(unquoted.encode("latin-1", errors="replace"), fallbacks).strip()
    return plain
