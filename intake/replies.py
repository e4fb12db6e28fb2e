"""Composing replies to units: who gets one, which kind, its text and its headers.

Pure functions: they build an `EmailMessage` (policy SMTP) and never touch the network or the
database. Every piece of text taken from a received mail passes through `clean_text` first, so a
subject or name carrying CR/LF cannot add a header.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.utils import format_datetime, make_msgid
from enum import StrEnum
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from baosong.organisation import CheckRules
from intake.autosubmitted import ROBOT_SENDER, robot_address
from intake.message import ParsedMail
from validators.findings import Finding, Severity, Verdict
from validators.judgement import Judgement
from validators.template import TITLE_PLACEHOLDER

OUR_HEADER = "X-Baosong-Reply"  # marks our own replies, so one that comes back is recognised


class ReplyKind(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    REVIEW = "review"
    CLASSIFIED = "classified"
    DUPLICATE = "duplicate"
    DAILY_CAP_NOTICE = "daily_cap_notice"
    ACCEPTED_BY_CLERK = "accepted_by_clerk"
    REJECTED_BY_CLERK = "rejected_by_clerk"


FOLLOWUP_KINDS = frozenset({ReplyKind.ACCEPTED_BY_CLERK, ReplyKind.REJECTED_BY_CLERK})

_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
_MSGID = re.compile(r"<[!-;=?-~]{1,990}>")  # printable ASCII without < and >
_REPLY_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|回复|答复|转发)\s*[:：]\s*)+", re.IGNORECASE)
_OUTCOME_PREFIX = re.compile(r"^\s*【(已接收|退回|待审核)】")  # a unit answering our reply keeps our prefix
_RECEIPT_SUFFIX = re.compile(r"(\s*\[[A-Za-z]{1,16}-\d{4}-\d{1,8}\])+\s*$")  # our earlier reply's receipt
_BIDI = {"\u200e", "\u200f", "\u061c"} | {chr(c) for c in range(0x202A, 0x202F)} | {chr(c) for c in range(0x2066, 0x206A)}


def clean_text(value: str | None, limit: int = 200) -> str:
    """One line of display text from untrusted input: no control or bidi characters, bounded length."""
    if not value:
        return ""
    text = unicodedata.normalize("NFC", value)
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text if ch not in _BIDI)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def valid_address(value: str | None) -> str | None:
    """The address, lower-cased, when it is one plain ASCII mailbox; otherwise None."""
    if not value:
        return None
    candidate = value.strip().strip("<>").lower()
    return candidate if _ADDRESS.match(candidate) else None


@dataclass(frozen=True)
class Recipient:
    """Where the automatic reply goes, or why none goes (`address` None, `reason` for the clerk)."""

    address: str | None
    registered: bool = False  # registered for the judged unit: may carry the annotated document
    reason: str = ""


def reply_recipient(judgement: Judgement) -> Recipient:
    """The registered address that sent the mail, or its Reply-To when that is registered for the
    same unit; an unregistered sender is answered at its From, without attachments. Never a foreign
    Reply-To (a forged From would relay our reply, and the sender's document, to anyone), never a
    robot address (no-reply@, postmaster@…)."""
    mail = judgement.mail
    sender = valid_address(mail.sender) if mail else None
    reply_to = valid_address(mail.reply_to) if mail else None
    registered = judgement.unit.emails if judgement.unit and sender in judgement.unit.emails else ()
    candidates = [a for a in (reply_to, sender) if a and a in registered] or ([sender] if sender else [])
    if not candidates:
        return Recipient(None, reason="发件地址无效，无法自动回复")
    usable = [a for a in candidates if not robot_address(a)]
    if not usable:
        return Recipient(None, reason=f"发件地址 {candidates[0]} 是不接收回信的自动发信地址，未自动回复，请另行通知报送单位")
    return Recipient(usable[0], registered=usable[0] in registered)


def _on_domain(message_id: str | None, domain: str) -> bool:
    return bool(message_id) and message_id.strip().strip("<>").lower().endswith("@" + domain.lower())


def refusal_reason(mail: ParsedMail, *, our_domain: str, our_address: str) -> str | None:
    """Why this mail must get no automatic reply, or None. The parser already judged the RFC 3834
    signals, list headers and bounces (ParsedMail.auto_submitted); this adds loops. A robot sender
    address (no-reply@…) is left to `reply_recipient`, which says so to the clerk.

    A mail whose In-Reply-To points at one of our replies is NOT refused: that is how a unit
    resubmits (it answers our rejection with the corrected file attached).
    """
    if mail.auto_submitted and not mail.auto_submitted.startswith(ROBOT_SENDER):
        return f"自动邮件（{clean_text(mail.auto_submitted, 80)}），不自动回复"
    if _on_domain(mail.message_id, our_domain) or OUR_HEADER.lower() in mail.headers:
        return "本系统发出的回信被退回或转回，不再回复"
    sender = (mail.sender or "").lower()
    if not sender:
        return "邮件没有发件地址，无法自动回复"
    if our_address and sender == our_address.lower():
        return "邮件来自本邮箱自身，不自动回复"
    return None


UNVERIFIED_SENDER = (
    "收件服务器未能证实这封邮件确由登记的单位邮箱发出（SPF/DKIM/DMARC 未通过），可能是他人冒用该地址，"
    "未自动回复；核实后接收或退回时，可选择邮件通知报送单位"
)


def unverified_sender_reason(judgement: Judgement) -> str | None:
    """Why a mail whose registered From the receiving server did not vouch for gets no automatic
    reply: it very likely did not come from that address, so its owner is told nothing yet."""
    return UNVERIFIED_SENDER if judgement.has("SENDER_NOT_AUTHENTICATED") else None


def reply_kind(judgement: Judgement) -> ReplyKind | None:
    """The reply a verdict calls for; None for ignored mail."""
    if judgement.verdict == Verdict.IGNORED:
        return None
    if judgement.has("CLASSIFIED_MARKING"):
        return ReplyKind.CLASSIFIED
    if judgement.verdict == Verdict.REJECTED and judgement.has("DUPLICATE"):
        return ReplyKind.DUPLICATE
    return ReplyKind(judgement.verdict.value)


OUTCOMES = {  # what the unit reads first in its inbox
    ReplyKind.ACCEPTED: "【已接收】",
    ReplyKind.ACCEPTED_BY_CLERK: "【已接收】",
    ReplyKind.REJECTED: "【退回】",
    ReplyKind.REJECTED_BY_CLERK: "【退回】",
    ReplyKind.DUPLICATE: "【退回】",
    ReplyKind.CLASSIFIED: "【退回】",
    ReplyKind.REVIEW: "【待审核】",
}


def reply_subject(original: str, receipt: str | None, kind: ReplyKind) -> str:
    """【outcome】回复：<original subject> [receipt]; a classified reply repeats nothing of the original."""
    if kind == ReplyKind.CLASSIFIED:
        topic = "关于您报送邮件的处理意见"
    else:
        topic = _RECEIPT_SUFFIX.sub("", clean_text(original, limit=120))
        while (bare := _REPLY_PREFIX.sub("", _OUTCOME_PREFIX.sub("", topic))) != topic:  # 回复：【退回】回复：…
            topic = bare
        topic = topic or "（无主题）"
    suffix = f" [{clean_text(receipt, limit=50)}]" if receipt else ""
    return f"{OUTCOMES.get(kind, '')}回复：{topic}{suffix}"


def new_message_id(domain: str) -> str:
    return make_msgid(domain=domain)


@dataclass(frozen=True)
class Problem:
    """One finding as a unit reads it: the rendered message and the offending text, if any."""

    message: str
    quote: str = ""


_QUOTE_KEYS = ("context", "value", "text", "name")


def problem_of(finding: Finding) -> Problem:
    message = clean_text(finding.message, limit=1000) or finding.code
    for key in _QUOTE_KEYS:
        value = finding.evidence.get(key)
        if isinstance(value, str) and value.strip():
            quote = clean_text(value, limit=120)
            return Problem(message, "" if quote in message else quote)
    return Problem(message)


def problems(findings: list[Finding], severity: Severity) -> list[Problem]:
    return [problem_of(f) for f in findings if f.severity == severity]


def duplicate_facts(findings: list[Finding]) -> dict[str, str]:
    """The first report's receipt, unit, date and title from the DUPLICATE finding."""
    for finding in findings:
        if finding.code == "DUPLICATE":
            facts = {**finding.params, **finding.evidence}

            def pick(*keys: str) -> str:
                return next((clean_text(str(facts[k])) for k in keys if facts.get(k) not in (None, "")), "")

            return {
                "receipt": pick("receipt", "first_receipt"),
                "unit": pick("unit", "first_unit"),
                "date": pick("first_date", "date"),
                "title": pick("title", "first_title"),
                "similarity": pick("similarity_text", "similarity"),
            }
    return {"receipt": "", "unit": "", "date": "", "title": "", "similarity": ""}


@dataclass(frozen=True)
class ReplyTemplates:
    """config/replies/<kind>.txt.j2 and .html.j2; an organisation may override any of them in
    config/replies/<organisation>/."""

    config_dir: Path
    organisation: str = ""

    def _environment(self, html: bool) -> Environment:
        base = self.config_dir / "replies"
        loaders = [FileSystemLoader(base / self.organisation)] if self.organisation else []
        return Environment(
            loader=ChoiceLoader([*loaders, FileSystemLoader(base)]),
            autoescape=html,
            undefined=StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def render(self, kind: ReplyKind, context: dict[str, Any]) -> tuple[str, str]:
        """(plain text, HTML) for one kind of reply."""
        text = self._environment(html=False).get_template(f"{kind.value}.txt.j2").render(context)
        html = self._environment(html=True).get_template(f"{kind.value}.html.j2").render(context)
        return text, html


@dataclass(frozen=True)
class FileAttachment:
    filename: str
    maintype: str
    subtype: str
    data: bytes


@dataclass(frozen=True)
class Envelope:
    """Header facts of one reply. `automatic` selects RFC 3834 auto-replied vs auto-generated."""

    sender: str
    sender_name: str
    recipient: str
    subject: str
    message_id: str
    in_reply_to: str | None
    date: datetime
    references: tuple[str, ...] = ()
    kind: ReplyKind = ReplyKind.ACCEPTED
    automatic: bool = True
    attachments: tuple[FileAttachment, ...] = field(default_factory=tuple)


def _msgid(value: str | None) -> str | None:
    """The first <…> token of a received id, safe to repeat in a header; None when there is none."""
    match = _MSGID.search(value or "")
    return match.group(0) if match else None


def build_message(envelope: Envelope, text: str, html: str) -> EmailMessage:
    """The reply as an RFC 5322 message (policy SMTP: CRLF line ends, folded, encoded headers)."""
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = Address(display_name=clean_text(envelope.sender_name, 60), addr_spec=envelope.sender)
    message["To"] = Address(addr_spec=envelope.recipient)
    message["Subject"] = clean_text(envelope.subject, limit=200)
    message["Date"] = format_datetime(envelope.date)
    message["Message-ID"] = envelope.message_id
    parent = _msgid(envelope.in_reply_to)
    if parent:
        message["In-Reply-To"] = parent
        chain = [m for m in (_msgid(r) for r in envelope.references[-10:]) if m and m != parent]
        message["References"] = " ".join([*chain, parent])
    message["Auto-Submitted"] = "auto-replied" if envelope.automatic else "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message["Precedence"] = "auto_reply"
    message[OUR_HEADER] = envelope.kind.value
    message.set_content(text, cte="base64")
    message.add_alternative(html, subtype="html", cte="base64")
    for attachment in envelope.attachments:
        message.add_attachment(
            attachment.data,
            maintype=attachment.maintype,
            subtype=attachment.subtype,
            filename=clean_text(attachment.filename, limit=120) or "attachment",
        )
    return message


_FROM_LINE = re.compile(rb"^From:[^\r\n]*\r\n(?:[ \t][^\r\n]*\r\n)*", re.IGNORECASE | re.MULTILINE)


def with_sender(eml: bytes, sender: str) -> bytes:
    """A stored reply whose From names `sender`: the SMTP account it goes out through is the one at
    sending time, not when it was queued (NetEase refuses a From other than its login: 553). Only
    the From header changes, keeping its display name; the Message-ID and the body stay as stored."""
    head, blank, body = eml.partition(b"\r\n\r\n")
    current = BytesHeaderParser(policy=policy.SMTP).parsebytes(head + blank)["From"]
    addresses = current.addresses if current is not None else ()
    if not blank or (addresses and addresses[0].addr_spec.lower() == sender.lower()):
        return eml
    header = EmailMessage(policy=policy.SMTP)
    header["From"] = Address(display_name=addresses[0].display_name if addresses else "", addr_spec=sender)
    line = header.as_bytes().partition(b"\r\n\r\n")[0] + b"\r\n"
    block, found = _FROM_LINE.subn(lambda _: line, head + b"\r\n", count=1)
    return (block if found else line + block) + b"\r\n" + body


@dataclass(frozen=True)
class OfficeFacts:
    """What replies say about the receiving office, from its organisation's configuration."""

    name: str
    signature: str  # the office that signs replies (checks.toml `signature`)
    mailbox: str = ""
    secure_channel: str = "传真或机要渠道"
    reminder: tuple[str, ...] = ()


def _size_text(size: int) -> str:
    return f"{size / 1048576:g}MB" if size >= 1048576 else f"{size / 1024:g}KB"


def office_facts(rules: CheckRules) -> OfficeFacts:
    """The office's name, signature, mailbox, secure channel and a reminder of the template rules it sets (only those)."""
    labels = [rules.labels[name][0] for name in rules.required_fields if rules.labels.get(name)]
    vague = [*rules.vague.place[:2], *rules.vague.time[:2]]
    on = {code for code in ("PHOTO_IN_BODY", "PHOTO_TOO_SMALL", "VAGUE_WORDING", "FILENAME_FORMAT") if code not in rules.disabled}
    photos = ["照片作为邮件附件单独发送，不要插入文档"] if "PHOTO_IN_BODY" in on else []
    if "PHOTO_TOO_SMALL" in on and rules.photo_min_bytes:
        photos.append(f"每张照片大于{_size_text(rules.photo_min_bytes)}，并按照片内容命名")
    reminder = [f"{'；'.join(photos)}。"] if photos else []
    one_matter = "一事一报：" if "MULTIPLE_ITEMS" not in rules.disabled else ""  # A's words ("采用一事一报方式报送")
    reminder.append(f"{one_matter}每封邮件只报送一条信息，只附一个 .docx 文件。")
    if labels:
        reminder.append(f"文末写明{'、'.join(labels)}。")
    if vague and "VAGUE_WORDING" in on:
        quoted = "、".join(f"“{word}”" for word in vague)
        reminder.append(f"不用{quoted}等模糊表述，写明单位全称和具体日期（×月×日）。")
    if "FILENAME_FORMAT" in on:
        reminder.append("文件名按“单位+信息标题”命名。")
    return OfficeFacts(rules.name, rules.signature, rules.mailbox, rules.secure_channel, tuple(reminder))


def _chinese_date(moment: datetime) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日"


def reply_context(
    kind: ReplyKind, judgement: Judgement, *, receipt: str | None, title: str, office: OfficeFacts,
    received: datetime, annotated: bool, unregistered: str = "",
) -> dict[str, Any]:
    """Everything a reply template may show. A classified reply gets nothing from the mail or document.
    `unregistered` is the address answered when it is not registered for the unit: the reply says so."""
    common: dict[str, Any] = {
        "office": office,
        "receipt": clean_text(receipt, 50),
        "received": _chinese_date(received),
    }
    if kind == ReplyKind.CLASSIFIED:
        return common
    mail = judgement.mail
    return common | {
        "unit": clean_text(judgement.unit.name) if judgement.unit else "",
        "subject": clean_text(mail.subject if mail else "", 120),
        "title": "" if title == TITLE_PLACEHOLDER else clean_text(title, 120),  # unfilled template: name the mail
        "errors": problems(judgement.findings, Severity.ERROR),
        "warnings": problems(judgement.findings, Severity.WARNING),
        "photo_count": len(judgement.photos),
        "duplicate": duplicate_facts(judgement.findings),
        "annotated": annotated,
        "docx_name": clean_text(judgement.docx.display_name, 120) if judgement.docx else "",
        "unregistered": clean_text(unregistered, 120),
    }
