"""Real .eml bytes for tests, written byte by byte so every client quirk can be reproduced.

    raw = build_mail(
        sender="xxb@qingshan.example.cn",
        subject="青山县自然资源局开展耕地保护执法检查",
        attachments=[Attachment("青山县自然资源局+耕地保护.docx", docx_bytes, DOCX_TYPE)],
    )

`Attachment.name_encoding` picks how the file name is written (RFC 2231, RFC 2047 quoted or
unquoted, raw 8-bit bytes…) and `charset` the label, so "GBK bytes labelled gb2312" is
`Attachment(name, data, name_encoding="rfc2047", charset="gb2312")`. A `bytes` item in
`attachments` is a complete hand-written MIME part (headers, blank line, body). Other builders:
forwarded mail (message/rfc822), Outlook winmail.dat (TNEF), S/MIME signed and encrypted,
bounces (multipart/report), out-of-office replies and uuencoded blocks.
"""

from __future__ import annotations

import base64
import binascii
import quopri
import random
import re
import struct
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from email.header import Header
from urllib.parse import quote

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CRLF = "\r\n"
DEFAULT_DATE = "Mon, 03 Mar 2025 09:30:00 +0800"
OFFICE = "xxk@office.example.cn"

# Python codecs for labels that name a smaller charset than the bytes real clients put under them.
_WRITE_AS = {"gb2312": "gbk", "euc-cn": "gbk", "big5": "big5hkscs"}


@dataclass(frozen=True)
class Attachment:
    name: str | None
    payload: bytes
    content_type: str = "application/octet-stream"
    disposition: str | None = "attachment"  # attachment | inline | None: no Content-Disposition at all
    # rfc2231 | rfc2231-continued | rfc2047 | rfc2047-unquoted | raw (8-bit bytes in `charset`) | ascii
    name_encoding: str = "rfc2231"
    charset: str = "utf-8"
    content_id: str | None = None
    transfer_encoding: str = "base64"  # base64 | quoted-printable | x-uuencode | 7bit | 8bit | binary


def build_mail(
    sender: str = "xxb@unit.example.cn",
    subject: str = "报送信息",
    body: str = "请审核附件中的信息。",
    *,
    sender_name: str | None = None,
    to: str = OFFICE,
    html: str | None = None,
    attachments: Sequence[Attachment | bytes] = (),
    headers: Mapping[str, str | bytes | None] | None = None,
    body_charset: str = "utf-8",
    message_id: str | None = "<20250303093000.1@unit.example.cn>",
    date: str | None = DEFAULT_DATE,
    boundary: str = "=_part_boundary_1",
    linesep: str = CRLF,
) -> bytes:
    """One mail. `headers` adds raw headers (a None value removes a default one)."""
    top = _top_headers(sender, sender_name, to, subject, message_id, date, headers or {})
    bodies = _body_parts(body, html, body_charset, boundary)
    if attachments:
        parts = [bodies, *(_part(a) if isinstance(a, Attachment) else a for a in attachments)]
        entity = multipart("mixed", parts, boundary=boundary + "_mixed")
    else:
        entity = bodies
    return _with_linesep(top + entity, linesep)


def multipart(subtype: str, parts: Iterable[bytes], *, boundary: str, params: str = "", closed: bool = True) -> bytes:
    """A multipart entity (its Content-Type header, blank line, then the parts)."""
    head = f'Content-Type: multipart/{subtype}; boundary="{boundary}"{params}\r\n\r\n'.encode()
    body = b"".join(b"--" + boundary.encode() + b"\r\n" + part + b"\r\n" for part in parts)
    end = b"--" + boundary.encode() + b"--\r\n" if closed else b""
    return head + body + end


def text_part(text: str, subtype: str = "plain", charset: str = "utf-8") -> bytes:
    data = text.encode(_WRITE_AS.get(charset, charset))
    return (
        f"Content-Type: text/{subtype}; charset={charset}\r\nContent-Transfer-Encoding: base64\r\n\r\n".encode()
        + base64.encodebytes(data).replace(b"\n", b"\r\n")
    )


def forward_as_attachment(
    inner: bytes,
    *,
    sender: str = "xxb@unit.example.cn",
    subject: str = "转发：报送信息",
    body: str = "转发的信息见附件。",
    transfer_encoding: str = "7bit",
    name: str | None = None,
    attachments: Sequence[Attachment | bytes] = (),
    **options,
) -> bytes:
    """A mail forwarding `inner` as a message/rfc822 part, after its own `attachments`; the part
    base64-encoded or carrying a file name when asked, as some clients send it."""
    name_param = f'; name="{name}"' if name else ""
    encoded = base64.encodebytes(inner).replace(b"\n", b"\r\n") if transfer_encoding == "base64" else inner
    part = (
        f"Content-Type: message/rfc822{name_param}\r\nContent-Transfer-Encoding: {transfer_encoding}\r\n"
        "Content-Disposition: attachment\r\n\r\n"
    ).encode() + encoded
    options.setdefault("boundary", "=_forward_boundary")  # never the inner mail's own
    return build_mail(sender, subject, body, attachments=[*attachments, part], **options)


def tnef_blob(files: Sequence[tuple[str | bytes, bytes]], *, codepage: int = 936) -> bytes:
    """An Outlook winmail.dat carrying `files` (name, payload); a str name is written in the
    code page (936 = GBK), as Outlook does for attAttachTitle."""
    out = struct.pack("<IH", 0x223E9F78, 0x0001)
    out += _tnef_attribute(1, 0x00089006, struct.pack("<I", 0x00010000))  # attTnefVersion
    out += _tnef_attribute(1, 0x00069007, struct.pack("<II", codepage, 0))  # attOemCodepage
    out += _tnef_attribute(1, 0x00078008, b"IPM.Microsoft Mail.Note\x00")  # attMessageClass
    for name, payload in files:
        title = name if isinstance(name, bytes) else name.encode(f"cp{codepage}")
        out += _tnef_attribute(2, 0x00069002, struct.pack("<HiiiiI", 1, -1, -1, 0, 0, 0))  # attAttachRendData
        out += _tnef_attribute(2, 0x00018010, title + b"\x00")  # attAttachTitle
        out += _tnef_attribute(2, 0x0006800F, payload)  # attAttachData
    return out


def winmail_mail(files: Sequence[tuple[str | bytes, bytes]], **options) -> bytes:
    """A mail as Outlook sends it with rich text on: the files inside winmail.dat."""
    blob = Attachment("winmail.dat", tnef_blob(files), "application/ms-tnef", name_encoding="ascii")
    return build_mail(attachments=[blob], **options)


def smime_signed_mail(attachments: Sequence[Attachment] = (), *, body: str = "请审核。", **options) -> bytes:
    """multipart/signed: the content, then smime.p7s (random bytes: nothing here verifies it)."""
    content = multipart("mixed", [text_part(body), *map(_part, attachments)], boundary="=_signed_content")
    signature = Attachment("smime.p7s", random.Random(7).randbytes(600), "application/pkcs7-signature", name_encoding="ascii")
    signed = multipart(
        "signed", [content, _part(signature)], boundary="=_signed",
        params='; protocol="application/pkcs7-signature"; micalg=sha-256',
    )  # fmt: skip
    return _replace_body(build_mail(**options), signed)


def smime_encrypted_mail(**options) -> bytes:
    """application/pkcs7-mime enveloped data: nothing inside can be read without the key."""
    entity = (
        b'Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"\r\n'
        b'Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="smime.p7m"\r\n\r\n'
        + base64.encodebytes(random.Random(8).randbytes(2000)).replace(b"\n", b"\r\n")
    )
    return _replace_body(build_mail(**options), entity)


def bounce_mail(
    original: bytes,
    *,
    recipient: str = "nobody@unit.example.cn",
    sender: str = "MAILER-DAEMON@mx.example.cn",
    return_path: str | None = "<>",
) -> bytes:
    """A delivery failure report (multipart/report) quoting the original; null Return-Path."""
    status = (
        "Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.cn\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
    ).encode()
    quoted = b"Content-Type: message/rfc822\r\n\r\n" + original
    report = multipart(
        "report", [text_part("邮件无法投递。"), status, quoted], boundary="=_report",
        params="; report-type=delivery-status",
    )  # fmt: skip
    raw = build_mail(sender, "Undelivered Mail Returned to Sender", "", headers={"Return-Path": return_path})
    return _replace_body(raw, report)


def out_of_office_mail(subject: str = "自动回复：报送信息", *, headers: Mapping[str, str | None] | None = None, **options) -> bytes:
    """An out-of-office reply; by default with the RFC 3834 header (pass headers to change it)."""
    chosen = {"Auto-Submitted": "auto-replied"} if headers is None else headers
    return build_mail(subject=subject, body="我正在休假，3月10日后回复。", headers=chosen, **options)


def uuencoded(name: str, payload: bytes) -> str:
    """A `begin 644 name` … `end` block, as old clients put files into a text body."""
    lines = [binascii.b2a_uu(payload[i : i + 45]).decode("ascii") for i in range(0, len(payload), 45)]
    return f"begin 644 {name}\n" + "".join(lines) + "`\nend\n"


def _top_headers(
    sender: str, sender_name: str | None, to: str, subject: str, message_id: str | None, date: str | None,
    extra: Mapping[str, str | bytes | None],
) -> bytes:  # fmt: skip
    chosen: dict[str, str | bytes | None] = {
        "From": f"{_encoded_word(sender_name)} <{sender}>" if sender_name else sender,
        "To": to,
        "Subject": _encoded_word(subject),
        "Date": date,
        "Message-ID": message_id,
        "MIME-Version": "1.0",
    }
    lowered = {name.lower(): name for name in chosen}
    for name, value in extra.items():
        chosen[lowered.get(name.lower(), name)] = value
    lines = []
    for name, value in chosen.items():
        if value is None:
            continue
        lines.append(name.encode("ascii") + b": " + (value if isinstance(value, bytes) else value.encode("utf-8")) + b"\r\n")
    return b"".join(lines)


def _body_parts(body: str, html: str | None, charset: str, boundary: str) -> bytes:
    if html is None:
        return text_part(body, "plain", charset)
    return multipart("alternative", [text_part(body, "plain", charset), text_part(html, "html", charset)], boundary=boundary + "_alt")


def _part(attachment: Attachment) -> bytes:
    params = _name_params(attachment)
    lines = [f"Content-Type: {attachment.content_type}" + (f"; {params['name']}" if params else "")]
    if attachment.disposition:
        lines.append(f"Content-Disposition: {attachment.disposition}" + (f"; {params['filename']}" if params else ""))
    if attachment.content_id:
        lines.append(f"Content-ID: <{attachment.content_id}>")
    lines.append(f"Content-Transfer-Encoding: {attachment.transfer_encoding}")
    head = CRLF.join(lines).encode("utf-8", errors="surrogateescape") + b"\r\n\r\n"
    if attachment.transfer_encoding in {"x-uuencode", "uuencode", "x-uue"}:
        return head + uuencoded(attachment.name or "file", attachment.payload).replace("\n", CRLF).encode("ascii", errors="replace")
    return head + _transfer_encode(attachment.payload, attachment.transfer_encoding)


def _name_params(attachment: Attachment) -> dict[str, str]:
    """The name parameter for Content-Type and Content-Disposition, written as asked. Raw 8-bit
    bytes travel as surrogate escapes until the part is encoded."""
    name = attachment.name
    if name is None:
        return {}
    data = name.encode(_WRITE_AS.get(attachment.charset, attachment.charset))
    label = attachment.charset
    encoding = attachment.name_encoding
    if encoding == "ascii":
        values = {key: f'{key}="{name}"' for key in ("name", "filename")}
    elif encoding == "raw":
        raw = data.decode("utf-8", errors="surrogateescape")
        values = {key: f'{key}="{raw}"' for key in ("name", "filename")}
    elif encoding == "rfc2047":
        word = _word(data, label)
        values = {key: f'{key}="{word}"' for key in ("name", "filename")}
    elif encoding == "rfc2047-unquoted":
        word = _word(data, label)
        values = {key: f"{key}={word}" for key in ("name", "filename")}
    elif encoding == "rfc2231":
        values = {key: f"{key}*={label}''{quote(data, safe='')}" for key in ("name", "filename")}
    elif encoding == "rfc2231-continued":
        escapes = re.findall(r"%[0-9A-F]{2}|[^%]", quote(data, safe=""))  # a piece never splits an escape
        pieces = ["".join(escapes[i : i + 10]) for i in range(0, len(escapes), 10)]
        values = {
            key: ";\r\n ".join(
                f"{key}*{i}*={label}''{piece}" if i == 0 else f"{key}*{i}*={piece}" for i, piece in enumerate(pieces)
            )
            for key in ("name", "filename")
        }
    else:
        raise ValueError(f"unknown name_encoding {encoding!r}")
    return values


def _word(data: bytes, label: str) -> str:
    return f"=?{label}?B?{base64.b64encode(data).decode('ascii')}?="


def _encoded_word(text: str) -> str:
    return text if text.isascii() else Header(text, "utf-8").encode()


def _transfer_encode(payload: bytes, encoding: str) -> bytes:
    if encoding == "base64":
        return base64.encodebytes(payload).replace(b"\n", b"\r\n")
    if encoding == "quoted-printable":
        return quopri.encodestring(payload).replace(b"\n", b"\r\n")
    return payload


def _replace_body(raw: bytes, entity: bytes) -> bytes:
    """Swap the single text body of a built mail for another entity (headers and all)."""
    head, _sep, _body = raw.partition(b"Content-Type: text/plain")
    return head + entity


def _tnef_attribute(level: int, attribute: int, data: bytes) -> bytes:
    checksum = sum(data) & 0xFFFF
    return struct.pack("<BII", level, attribute, len(data)) + data + struct.pack("<H", checksum)


def _with_linesep(raw: bytes, linesep: str) -> bytes:
    """CRLF everywhere (the wire format), or bare LF as some clients and mbox files have it."""
    return raw if linesep == CRLF else raw.replace(b"\r\n", linesep.encode("ascii"))
