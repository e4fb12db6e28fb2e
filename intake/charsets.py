"""Turn bytes from mail into text when the declared charset lies or is missing.

Chinese clients label GBK bytes as gb2312 (even Exchange does), Big5 as big5 without the
Hong Kong extensions, or send raw 8-bit headers with no label at all. The rule: decode the
GB family as gb18030 (a strict superset), Big5 as big5hkscs, and try strict UTF-8, then the
charsets the message declares elsewhere, then gb18030 before accepting replacement characters.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable

_GB_FAMILY = ("gb2312", "gbk", "gb18030", "x-gbk", "gb_2312-80", "csgb2312", "x-euc-cn", "cp936")
_BIG5_FAMILY = ("big5", "big5hkscs", "cp950", "x-big5", "cn-big5", "csbig5")
_SUPERSETS = {label: "gb18030" for label in _GB_FAMILY} | {label: "big5hkscs" for label in _BIG5_FAMILY}
# Labels that claim "plain Western text": when the bytes are 8-bit anyway, the label is not evidence.
_WEAK_LABELS = {"ascii", "latin-1", "iso8859-1", "cp1252"}
_LAST_RESORT = "gb18030"


def codec_for(label: str | None) -> str | None:
    """The Python codec to use for a declared charset label, or None when unknown."""
    if not label:
        return None
    cleaned = label.strip().strip("\"'").lower()
    if cleaned in {"", "unknown-8bit", "x-unknown", "unknown", "default"}:
        return None
    if cleaned in _SUPERSETS:
        return _SUPERSETS[cleaned]
    try:
        name = codecs.lookup(cleaned).name
    except (LookupError, ValueError):
        return None
    # codecs.lookup maps euc-cn, ms936, 936… to the narrow gb2312/gbk codecs; widen them too.
    return _SUPERSETS.get(name, name)


def candidates(declared: str | None, fallbacks: Iterable[str] = ()) -> list[str]:
    """Codecs to try in order: the declared one (unless weak), UTF-8, the message's others, gb18030."""
    order: list[str] = []
    declared_codec = codec_for(declared)
    if declared_codec and declared_codec not in _WEAK_LABELS:
        order.append(declared_codec)
    order.append("utf-8")
    order.extend(codec for codec in map(codec_for, fallbacks) if codec and codec not in _WEAK_LABELS)
    order.append(_LAST_RESORT)
    if declared_codec in _WEAK_LABELS:
        order.append(declared_codec)
    return list(dict.fromkeys(order))


def decode_bytes(data: bytes, declared: str | None = None, fallbacks: Iterable[str] = ()) -> str:
    """Decode with the first codec that accepts the bytes strictly; never raises.

    A weak label (latin-1) loses to a guess only when the guess reads like real text: a guess that
    loses characters (see _loses_characters) never wins over a label that decodes cleanly."""
    if data.isascii():
        return data.decode("ascii")
    order = candidates(declared, fallbacks)
    labelled = _clean_weak_reading(data, declared)
    for codec in order:
        try:
            text = data.decode(codec)
            if labelled is not None and codec != "utf-8" and _loses_characters(text, codec):
                return labelled
            return text
        except UnicodeDecodeError as exc:
            if exc.reason == "unexpected end of data":  # a value cut mid-character by a length cap
                return data[: exc.start].decode(codec, errors="replace")
        except LookupError:
            continue
    return data.decode(order[0], errors="replace")


_C1_CONTROLS = re.compile("[\u0080-\u009f]")
# a CJK character inside a Latin word (Gr鲞e, M黮ler): two Western letters read as one character
_CJK_IN_WORD = re.compile("(?<=[A-Za-z])[\u3400-\u9fff](?=[A-Za-z])")


def _clean_weak_reading(data: bytes, declared: str | None) -> str | None:
    """The text as a weak (latin-1 family) label reads it, when it reads cleanly: no C1 controls."""
    codec = codec_for(declared)
    if codec not in _WEAK_LABELS:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return None if _C1_CONTROLS.search(text) else text


def _loses_characters(text: str, codec: str) -> bool:
    """A multi-byte guess that merged Western letters into characters: private-use or unassigned
    characters (dropped when shown), or a third of its CJK characters made from an ASCII byte or
    standing alone inside a Latin word."""
    if any(unicodedata.category(char) in ("Co", "Cn") for char in text):
        return True
    cjk = _CJK.findall(text)
    if not cjk:
        return False
    swallowed = sum(1 for char in cjk if any(byte < 0x80 for byte in char.encode(codec, errors="ignore")))
    return 3 * (swallowed + len(_CJK_IN_WORD.findall(text))) >= len(cjk)


_LATIN1_HIGH = re.compile("[\u0080-\u00ff]")
_CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def repair_latin1_mojibake(text: str) -> str:
    """Undo "GBK/UTF-8 bytes read as Latin-1, then re-encoded" when the result is clearly Chinese.

    Only text made of Latin-1 characters, most of them high ones, is considered, so real
    Western names (Müller, café) stay as they are.
    """
    high = len(_LATIN1_HIGH.findall(text))
    if high < 4 or max(map(ord, text)) > 0xFF:
        return text
    if high < 0.4 * len(text.replace(" ", "")):
        return text
    raw = text.encode("latin-1")
    for codec in ("utf-8", "gb18030"):
        try:
            repaired = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        non_ascii = [ch for ch in repaired if ord(ch) > 0x7F]
        if non_ascii and all(_CJK.match(ch) for ch in non_ascii):
            return repaired
    return text
