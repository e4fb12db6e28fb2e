"""Content-addressed, crash-safe storage of raw messages and attachments under the data folder."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def blob_path(digest: str, kind: str) -> str:
    """Relative path of a blob: never derived from anything the sender chose."""
    return f"store/{kind}/{digest[:2]}/{digest[2:4]}/{digest}"


def store_blob(data_dir: Path, data: bytes, kind: str) -> tuple[str, str]:
    """Write bytes once under their sha256 (temp file, fsync, rename); returns (digest, relative path)."""
    digest = sha256_hex(data)
    relative = blob_path(digest, kind)
    target = data_dir / relative
    if target.is_file() and target.stat().st_size == len(data):
        return digest, relative
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return digest, relative


def read_blob(data_dir: Path, relative: str) -> bytes:
    return (data_dir / relative).read_bytes()


def content_key(raw: bytes, message_id: str | None) -> str:
    """Same Message-ID and same content → same key, whatever trace headers a server added.

    Without a Message-ID the key is the raw hash, so a missing or spoofed id never merges two
    different messages.
    """
    if not message_id:
        return sha256_hex(raw)
    for separator in (b"\r\n\r\n", b"\n\n"):
        head, found, body = raw.partition(separator)
        if found:
            return sha256_hex(message_id.encode("utf-8", "replace") + b"\0" + body)
    return sha256_hex(raw)
