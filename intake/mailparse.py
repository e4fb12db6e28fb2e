"""Raw .eml bytes → ParsedMail, safe on any input: never raises, records what went wrong.

Bodies are the first text/plain and text/html leaves without a file name; every other leaf is
examined as an attachment, whatever its disposition. Forwarded mails (message/rfc822, also
base64-encoded) and Outlook winmail.dat are opened and their files marked with `nested` and
`origin`; a .zip gives the files in it (origin "zip"); S/MIME signatures are dropped; uuencoded
blocks in a text body become attachments.
What a file is comes from its bytes (intake.sniff). Limits hit become `defects`.
"""

from __future__ import annotations

import binascii
import logging
import re
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import unquote

from intake.autosubmitted import automatic_reason
from intake.charsets import decode_bytes
from intake.cloudlinks import find_cloud_links
from intake.displayname import display_name
from intake.mailheaders import Envelope, first_headers, mailbox, read_envelope
from intake.mailnames import attachment_name
from intake.message import MailAttachment, ParsedMail
from intake.mimetree import MAX_DEPTH, MAX_HEADER_BYTES, Budget, Leaf, read_headers, split_mail
from intake.sniff import OLE2_MAGIC, TNEF_MAGIC, ZIP_MAGICS, image_format_of, sniff
from intake.tnef import TnefUnreadable, is_tnef, unpack_tnef
from intake.uuencode import decode_uuencoded_part, extract_uuencoded
from intake.ziparchive import ZipUnreadable, unpack_zip

log = logging.getLogger(__name__)

_FORWARDED_TYPES = {"message/rfc822", "message/global"}
_SIGNATURE_TYPES = {"application/pkcs7-signature", "application/x-pkcs7-signature"}
_SMIME_TYPES = {"application/pkcs7-mime", "application/x-pkcs7-mime"}
# Parts of a delivery report that describe the delivery, not files anyone attached.
_REPORT_TYPES = {"message/delivery-status", "message/disposition-notification", "text/rfc822-headers"}
_BODY_TYPES = {"text/plain", "text/html"}
_FILE_KINDS = {"docx", "doc", "wps", "image", "zip", "pdf", "tnef"}
_BINARY_MAGICS = (*ZIP_MAGICS, OLE2_MAGIC, TNEF_MAGIC, b"%PDF-")
_UNTYPED = "application/octet-stream"
_CID_REFERENCE = re.compile(r"cid:([^\"'\s<>)]+)", re.IGNORECASE)
_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/]")
# Limits that stop the reading part-way: such a mail keeps no body and no attachment at all, so
# no verdict rests on the first parts while a later one (a 秘密★ document) goes unseen.
CUT_SHORT = frozenset({"too_many_parts", "nesting_too_deep", "text_too_large"})
# Bodies are a few lines (uuencoded photos in them a few MB); five 19 MB text parts held 220 MB.
MAX_TEXT_BYTES = 16 * 1024 * 1024
_UUENCODINGS = {"x-uuencode", "uuencode", "x-uue", "x-uu"}
_ZIP_TYPES = {"application/zip", "application/x-zip-compressed", "application/x-zip"}


@dataclass(frozen=True)
class _File:
    """An attachment before it is numbered and named for display."""

    name: str
    content_type: str
    payload: bytes
    nested: int
    origin: str
    content_id: str = ""
    problem: str | None = None


@dataclass
class _Found:
    files: list[_File] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    text_parts: list[str] = field(default_factory=list)  # every body at any level: links, cid: references
    html_parts: list[str] = field(default_factory=list)
    forwarded_from: str | None = None
    text_bytes: int = 0  # decoded bytes of all bodies so far, against MAX_TEXT_BYTES


def parse_mail(raw: bytes) -> ParsedMail:
    """Parse any bytes; the caller decides the verdict from the fields and `defects`."""
    try:
        return _parse(raw)
    except Exception as exc:  # noqa: BLE001 - parse_mail must never raise; the raw mail is kept anyway
        log.exception("mail parser failed on %d bytes", len(raw))
        return _headers_only(raw, f"parser_error:{type(exc).__name__}")


def _parse(raw: bytes) -> ParsedMail:
    found = _Found(defects=_line_defects(raw))
    headers, fallbacks, (text_body, html_body) = _walk(raw, 0, 0, "part", Budget(), found)
    envelope = read_envelope(headers, fallbacks, found.defects)
    if CUT_SHORT.intersection(found.defects):  # judged on nothing rather than on the part read (SPEC §4)
        found, text_body, html_body = _Found(defects=found.defects), "", ""
    return _assemble(raw, envelope, headers.get_content_type(), found, text_body, html_body)


def _walk(
    raw: bytes, depth: int, nested: int, origin: str, budget: Budget, found: _Found
) -> tuple[Message, tuple[str, ...], tuple[str, str]]:
    """Collect the files of one message and of the messages inside it. Returns its headers, the
    charsets it declares (how to read its raw 8-bit headers) and its own (text, html) bodies."""
    tree = split_mail(raw, depth, budget)
    found.defects.extend(tree.defects)
    fallbacks = _declared_charsets(tree.headers, *(leaf.headers for leaf in tree.leaves))
    bodies: dict[str, str] = {}
    for leaf in tree.leaves:
        content_type = leaf.headers.get_content_type()
        if content_type in _SIGNATURE_TYPES or content_type in _REPORT_TYPES:
            continue  # smime.p7s is a signature, not a file the unit chose
        if content_type in _SMIME_TYPES:
            signed = "signed-data" in str(leaf.headers.get_param("smime-type", "")).lower()
            found.defects.append("smime_opaque_signed" if signed else "smime_encrypted")
            continue
        name = attachment_name(leaf.headers, fallbacks)
        payload = _payload(leaf, found.defects)
        if content_type in _FORWARDED_TYPES and sniff(payload).kind not in _FILE_KINDS:
            _forwarded(payload, leaf.depth + 1, nested + 1, budget, found)
        elif _is_body(leaf.headers, content_type, name, payload):
            found.text_bytes += len(payload)
            if found.text_bytes > MAX_TEXT_BYTES:
                found.defects.append("text_too_large")
                break
            text = _text(payload, leaf.headers.get_content_charset(), fallbacks, found.defects)
            if content_type == "text/plain":
                files, text = extract_uuencoded(text)
                found.files.extend(_File(f.name, _UNTYPED, f.payload, nested, "uuencode") for f in files)
            (found.html_parts if content_type == "text/html" else found.text_parts).append(text)
            bodies.setdefault(content_type, text)
        else:
            content_id = _raw_header(leaf.headers, "content-id").strip().strip("<>").strip().lower()
            file = _File(name, content_type, payload, nested, origin, content_id)
            found.files.extend(_files_in(file, found.defects))
    return tree.headers, fallbacks, (bodies.get("text/plain", ""), bodies.get("text/html", ""))


def _forwarded(payload: bytes, depth: int, nested: int, budget: Budget, found: _Found) -> None:
    if depth > MAX_DEPTH:
        found.defects.append("nesting_too_deep")
        return
    headers, fallbacks, _bodies = _walk(payload, depth, nested, "rfc822", budget, found)
    if found.forwarded_from is None:
        found.forwarded_from = mailbox(first_headers(headers).get("from", ""), fallbacks)[0] or None


def _files_in(file: _File, defects: list[str]) -> list[_File]:
    """A winmail.dat or a .zip gives the files packed in it; any other file is itself."""
    if is_tnef(file.content_type, file.name, file.payload):
        return _tnef_files(file, defects)
    if _is_plain_zip(file):
        return _zip_files(file, defects)
    return [file]


def _is_plain_zip(file: _File) -> bool:
    """A .zip a person packed, not an Office or OpenDocument file (which are zips too)."""
    named_zip = file.name.lower().endswith(".zip") or file.content_type in _ZIP_TYPES
    return named_zip and file.payload.startswith(ZIP_MAGICS) and sniff(file.payload, file.name).kind == "zip"


def _zip_files(blob: _File, defects: list[str]) -> list[_File]:
    try:
        members = unpack_zip(blob.payload)
    except ZipUnreadable as unreadable:
        problem = f"zip_unreadable:{unreadable.reason}"
        defects.append(problem)
        return [_File(blob.name, blob.content_type, blob.payload, blob.nested, blob.origin, blob.content_id, problem)]
    return [_File(member.name, _UNTYPED, member.payload, blob.nested, "zip") for member in members]


def _tnef_files(blob: _File, defects: list[str]) -> list[_File]:
    try:
        files = unpack_tnef(blob.payload)
    except TnefUnreadable:
        defects.append("tnef_unreadable")
        return [_File(blob.name, blob.content_type, blob.payload, blob.nested, blob.origin, blob.content_id, "tnef_unreadable")]
    return [_File(f.name, _UNTYPED, f.payload, blob.nested + 1, "tnef") for f in files]


def _is_body(headers: Message, content_type: str, name: str, payload: bytes) -> bool:
    """Text the sender wrote: text/plain or text/html, no file name, not `attachment`, and not
    a document or picture mislabelled as text."""
    if content_type not in _BODY_TYPES or name or headers.get_content_disposition() == "attachment":
        return False
    return not payload.startswith(_BINARY_MAGICS) and image_format_of(payload) is None


def _payload(leaf: Leaf, defects: list[str]) -> bytes:
    """The body with its transfer encoding undone; damaged base64 decodes as far as it goes."""
    encoding = _raw_header(leaf.headers, "content-transfer-encoding").strip().lower()
    if encoding == "base64":
        try:
            return binascii.a2b_base64(leaf.body)
        except binascii.Error:
            defects.append("bad_base64")
            clean = _NOT_BASE64.sub(b"", leaf.body.tobytes())
            clean = clean[: len(clean) // 4 * 4] if len(clean) % 4 == 1 else clean  # a lone 6-bit tail is no byte
            return binascii.a2b_base64(clean + b"=" * (-len(clean) % 4))
    if encoding == "quoted-printable":
        return binascii.a2b_qp(leaf.body)
    if encoding in _UUENCODINGS:
        return decode_uuencoded_part(leaf.body.tobytes())
    return leaf.body.tobytes()


def _attachments(found: _Found) -> list[MailAttachment]:
    referenced = {unquote(cid).strip("<>").lower() for html in found.html_parts for cid in _CID_REFERENCE.findall(html)}
    attachments = []
    for index, file in enumerate(found.files, start=1):
        sniffed = sniff(file.payload, file.name, file.content_type)
        attachments.append(
            MailAttachment(
                display_name=display_name(file.name, kind=sniffed.kind, image_format=sniffed.image_format, index=index),
                content_type=file.content_type,
                payload=file.payload,
                kind="other" if file.problem else sniffed.kind,
                image_format=sniffed.image_format,
                inline_cid=sniffed.kind == "image" and bool(file.content_id) and file.content_id in referenced,
                nested=file.nested,
                origin=file.origin,
                problem=file.problem,
            )
        )
    return attachments


WORD_KINDS = {"docx", "doc", "wps"}


def _automatic(envelope: Envelope, content_type: str, attachments: list[MailAttachment]) -> str | None:
    """A subject alone (休假…, 自动回复…) does not make a mail carrying a Word file automatic."""
    reason = automatic_reason(envelope.raw_headers, envelope.sender, envelope.subject, content_type)
    if reason and reason.startswith("subject:") and any(a.kind in WORD_KINDS for a in attachments):
        return None
    return reason


def _assemble(raw: bytes, envelope: Envelope, content_type: str, found: _Found, text_body: str, html_body: str) -> ParsedMail:
    attachments = _attachments(found)
    return ParsedMail(
        sender=envelope.sender,
        sender_name=envelope.sender_name,
        reply_to=envelope.reply_to,
        subject=envelope.subject,
        date=envelope.date,
        message_id=envelope.message_id,
        in_reply_to=envelope.in_reply_to,
        references=envelope.references,
        forwarded_from=found.forwarded_from,
        auto_submitted=_automatic(envelope, content_type, attachments),
        text_body=text_body,
        html_body=html_body,
        attachments=attachments,
        cloud_links=find_cloud_links(*found.text_parts, *found.html_parts),
        defects=list(dict.fromkeys(found.defects)),
        size=len(raw),
        headers=envelope.headers,
        authentication_results=envelope.authentication_results,
    )


def _headers_only(raw: bytes, defect: str) -> ParsedMail:
    """What the top header block still tells after an unexpected failure; no attachments."""
    found = _Found(defects=[defect])
    try:
        headers, _body_start = read_headers(raw, 0, len(raw), found.defects)
        envelope = read_envelope(headers, _declared_charsets(headers), found.defects)
        content_type = headers.get_content_type()
    except Exception:  # noqa: BLE001 - last resort: an empty result with the reason
        log.exception("mail header parser failed on %d bytes", len(raw))
        envelope = Envelope("", "", None, "", None, None, None, [], {}, {})
        content_type = ""
    return _assemble(raw, envelope, content_type, found, "", "")


def _declared_charsets(*parts: Message) -> tuple[str, ...]:
    """Charsets the message declares in its parts: evidence for reading its unlabelled 8-bit headers."""
    declared = (part.get_content_charset() for part in parts)
    return tuple(dict.fromkeys(charset for charset in declared if charset))


def _raw_header(headers: Message, name: str) -> str:
    return first_headers(headers).get(name, "")


def _line_defects(raw: bytes) -> list[str]:
    """Line-end damage in the top header block (counting over a whole 10 MB mail costs more than
    parsing it; the headers show what the sending client does)."""
    head = raw[:MAX_HEADER_BYTES]
    line_feeds, crlfs = head.count(b"\n"), head.count(b"\r\n")
    if line_feeds == crlfs:
        return []
    return ["bare_lf_line_endings" if crlfs == 0 else "mixed_line_endings"]


def _text(payload: bytes, declared: str | None, fallbacks: tuple[str, ...], defects: list[str]) -> str:
    """A body as text, without NUL characters (PostgreSQL text cannot hold them)."""
    text = decode_bytes(payload, declared, fallbacks)
    if "\x00" in text:
        defects.append("nul_bytes")
        text = text.replace("\x00", "")
    return text
