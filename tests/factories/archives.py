"""Archives units pack their photos in: zips as Windows and macOS write them, hostile zips, and
the other formats (tar.gz, tar.xz, RAR, 7z) that the intake does not open.

    make_zip([("执法检查现场.jpg", jpeg)], names="gbk")  # Chinese Windows: GBK names, no UTF-8 flag
    make_zip(files, macos_clutter=True)                # __MACOSX/._… resource forks beside the files
"""

from __future__ import annotations

import io
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Sequence

from tests.factories.docx import _bomb_stream, _raw_zip, _RawMember

_LOCAL_HEADER = b"PK\x03\x04"
_CENTRAL_HEADER = b"PK\x01\x02"


def make_zip(files: Sequence[tuple[str, bytes]], *, names: str = "utf-8", macos_clutter: bool = False) -> bytes:
    """A zip of `files` (name, bytes), deflated. names="gbk" writes the names as GBK bytes without
    the UTF-8 flag, as the Windows "send to compressed folder" of a Chinese system does."""
    placeholders = (
        {"abcdefghijklmnopqrstuvwxyz"[index] + "0" * _width(name): name for index, (name, _) in enumerate(files)}
        if names == "gbk"
        else {name: name for name, _ in files}
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for (_, payload), stored_name in zip(files, placeholders):
            archive.writestr(stored_name, payload)
        if macos_clutter:
            archive.writestr("__MACOSX/._照片.jpg", b"\x00\x05\x16\x07" + b"\x00" * 60)
            archive.writestr(".DS_Store", b"\x00\x00\x00\x01Bud1")
    data = buffer.getvalue()
    if names == "gbk":
        for placeholder, name in placeholders.items():
            data = data.replace(placeholder.encode("ascii"), name.encode("gbk"))
    return data


def _width(name: str) -> int:
    """Zeros after the placeholder's letter that make it exactly as long as the GBK name (the
    replacement keeps every offset); a different letter per file keeps placeholders distinct."""
    return len(name.encode("gbk")) - 1


def make_encrypted_zip(files: Sequence[tuple[str, bytes]]) -> bytes:
    """A zip whose members carry the "encrypted" flag (ZipCrypto), as 7-Zip or WinRAR write with a password."""
    data = bytearray(make_zip(files))
    for signature, flag_offset in ((_LOCAL_HEADER, 6), (_CENTRAL_HEADER, 8)):
        position = data.find(signature)
        while position >= 0:
            (flags,) = struct.unpack_from("<H", data, position + flag_offset)
            struct.pack_into("<H", data, position + flag_offset, flags | 0x1)
            position = data.find(signature, position + 4)
    return bytes(data)


def make_zip_bomb(inflated_bytes: int = 1 << 30, name: str = "现场照片.jpg") -> bytes:
    """A zip of one 'photo' that really inflates to `inflated_bytes` (1 GiB by default) from about 1 MB."""
    compressed, crc, size = _bomb_stream(inflated_bytes)
    return _raw_zip([_RawMember(name, compressed, crc, size)])


def make_tar(files: Sequence[tuple[str, bytes]], compression: str = "gz") -> bytes:
    """A .tar.gz (or .tar.xz) of `files`, as Linux and macOS users send."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=f"w:{compression}") as archive:
        for name, payload in files:
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))
    return buffer.getvalue()


def make_empty_rar() -> bytes:
    """A valid RAR 5 archive (signature, main header, end header): what WinRAR writes, minus the files."""
    return b"Rar!\x1a\x07\x01\x00" + _rar_header(b"\x01\x00\x00") + _rar_header(b"\x05\x00\x00")


def _rar_header(fields: bytes) -> bytes:
    body = bytes([len(fields)]) + fields  # header size as a one-byte vint, then type, flags, …
    return struct.pack("<I", zlib.crc32(body)) + body


def make_empty_7z() -> bytes:
    """A valid 7z archive with no files: the signature header pointing to an empty next header."""
    start_header = struct.pack("<QQI", 0, 0, 0)
    return b"7z\xbc\xaf\x27\x1c\x00\x04" + struct.pack("<I", zlib.crc32(start_header)) + start_header
