"""The rule catalogue: one explicit list from code to check, default severity and summary.

Messages live in config/messages.toml (rendered when shown); organisations override
severities in config/orgs/<key>/checks.toml.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from string import Formatter
from typing import Any

from validators import attachments, authentication, dates, firstreport, message, photos, signoff, structure, units, wording
from validators.case import Case, Hit, Rule
from validators.findings import Finding, Severity

E, W, R, I = Severity.ERROR, Severity.WARNING, Severity.REVIEW, Severity.IGNORED

# Gates: when one hits, the message is decided on it alone.
GATES: tuple[Rule, ...] = (
    Rule("AUTO_SUBMITTED", I, "Bounce, auto-reply or list mail (RFC 3834 signals): never answered.", message.auto_submitted),
    Rule("OVERSIZED_MESSAGE", E, "Message larger than the configured limit, judged before download.", message.oversized_message),
    Rule("NOT_A_SUBMISSION", I, "Unregistered sender and no Word attachment: spam or chatter.", message.not_a_submission),
)

RULES: tuple[Rule, ...] = (
    Rule("NO_DOCX", E, "No .docx attached.", attachments.no_docx),
    Rule("LEGACY_WORD_FORMAT", E, ".doc or .wps instead of .docx.", attachments.legacy_word_format),
    Rule("MULTIPLE_DOCX", E, "More than one .docx: one matter per report.", attachments.multiple_docx),
    Rule("MULTIPLE_ITEMS", E, "One .docx holding several items, each with its own title, text and date.", structure.multiple_items),
    Rule("CORRUPT_DOCX", E, "The .docx cannot be read safely: damaged, encrypted, bomb, hostile XML.", attachments.corrupt_docx),
    Rule("CLOUD_ATTACHMENT_LINK", E, "A 'large attachment' download link instead of a real attachment.", attachments.cloud_attachment_link),
    Rule("MISSING_TITLE", E, "The document has no title.", structure.missing_title),
    Rule("EMPTY_BODY", E, "No body text beyond title and sign-off fields.", structure.empty_body),
    Rule("TEMPLATE_NOT_FILLED", E, "The template's placeholder title, body or notes are still in the document.", structure.template_not_filled),
    Rule("MISSING_REVIEWER", E, "No reviewing leader (审核领导), or the field is empty.", signoff.missing_reviewer),
    Rule("MISSING_AUTHOR", E, "No author (撰稿人), or the field is empty.", signoff.missing_author),
    Rule("MISSING_PHONE", E, "No phone (手机号), or the field is empty.", signoff.missing_phone),
    Rule("INVALID_PHONE", E, "Not a mainland mobile number.", signoff.invalid_phone),
    Rule("PHOTO_IN_BODY", E, "A picture embedded in the document.", structure.photo_in_body),
    Rule("PHOTO_TOO_SMALL", E, "A photo attachment under the minimum size.", photos.photo_too_small),
    Rule("PHOTO_NOT_IMAGE", E, "An attachment named as an image that is not a readable image.", photos.photo_not_image),
    Rule("PHOTO_ARCHIVE", W, "Photos packed in an archive that is not opened (RAR, 7z…) or an unreadable .zip.", photos.photo_archive),
    Rule("CLASSIFIED_MARKING", E, "A classification marking: never by email; quote nothing.", wording.classified_marking),
    Rule("VAGUE_WORDING", E, "我局/近日-style vague references instead of full names and exact dates.", wording.vague_wording),
    Rule("DUPLICATE", E, "Substantially the same as an earlier accepted item (首报 rule).", firstreport.duplicate),
    Rule("POSSIBLE_DUPLICATE", R, "Similar to an earlier item, below the duplicate threshold.", firstreport.possible_duplicate),
    Rule("UNKNOWN_UNIT", R, "The unit cannot be determined.", units.unknown_unit),
    Rule("SENDER_NOT_REGISTERED", R, "The unit is named by the file name, the document or a forwarded header, not by a registered sender.", units.sender_not_registered),
    Rule("SENDER_NOT_AUTHENTICATED", R, "A registered address the trusted receiving server did not verify (SPF/DKIM/DMARC).", authentication.sender_not_authenticated),
    Rule("FILENAME_FORMAT", W, "Attachment name is not 单位+信息标题.", attachments.filename_format),
    Rule("PHOTO_NAME_UNDESCRIBED", W, "Camera-default photo names (IMG_1234.JPG, 微信图片_…).", photos.photo_name_undescribed),
    Rule("NO_EXPLICIT_DATE", W, "The body names no exact date (X月X日).", dates.no_explicit_date),
    Rule("STALE_EVENT", W, "The latest date in the body is older than the organisation's limit.", dates.stale_event),
)

ALL_RULES: tuple[Rule, ...] = GATES + RULES
CODES: tuple[str, ...] = tuple(rule.code for rule in ALL_RULES)

# A flood of one problem (10,000 × 我局) lists the first ones and counts the rest in one more
# finding (the MORE message), so replies, the console and the Word comments stay readable.
MAX_FINDINGS_PER_CODE = 30
MORE = "MORE"
_SEVERITY_ORDER = (I, E, R, W)  # as validators.findings.decide weighs them


@dataclass(frozen=True)
class MessageTemplate:
    message: str
    fix: str

    def placeholders(self) -> set[str]:
        return {name for text in (self.message, self.fix) for _, name, _, _ in Formatter().parse(text) if name}


def load_messages(config_dir: Path) -> dict[str, MessageTemplate]:
    data = tomllib.loads((config_dir / "messages.toml").read_text(encoding="utf-8"))
    return {code: MessageTemplate(entry["message"], entry["fix"]) for code, entry in data.items()}


class _Lenient(dict):
    def __missing__(self, key: str) -> str:
        return ""


def render(code: str, params: dict[str, Any], messages: dict[str, MessageTemplate]) -> str:
    """What is wrong, then how to fix it, in one Chinese sentence pair."""
    template = messages[code]
    values = _Lenient(params)
    return f"{template.message.format_map(values)}{template.fix.format_map(values)}"


def run(rules: tuple[Rule, ...], case: Case, messages: dict[str, MessageTemplate]) -> list[Finding]:
    findings = []
    for rule in rules:
        if rule.code in case.rules.disabled:
            continue
        findings += _findings(rule, case.rules.severity.get(rule.code, rule.severity), case, messages)
    return findings


def _findings(rule: Rule, severity: Severity, case: Case, messages: dict[str, MessageTemplate]) -> list[Finding]:
    """The rule's first MAX_FINDINGS_PER_CODE hits, then one finding that counts the rest."""
    findings: list[Finding] = []
    unlisted: list[Hit] = []
    for hit in rule.check(case):
        if len(findings) < MAX_FINDINGS_PER_CODE:
            message = render(rule.code, hit.params, messages)
            findings.append(Finding(rule.code, hit.severity or severity, hit.params, hit.evidence, hit.location, message))
        else:
            unlisted.append(hit)
    if unlisted:
        findings.append(_more(rule.code, severity, unlisted, messages))
    return findings


def _more(code: str, severity: Severity, unlisted: list[Hit], messages: dict[str, MessageTemplate]) -> Finding:
    """One finding for the hits past the cap, as severe as the worst of them; it names the words."""
    words = Counter(str(hit.evidence["word"]) for hit in unlisted if "word" in hit.evidence)
    examples = "".join(f"“{word}”" for word, _ in words.most_common(5))
    params = {"count": len(unlisted), "shown": MAX_FINDINGS_PER_CODE, "examples": f"（{examples}）" if examples else ""}
    evidence = {"unlisted": len(unlisted), "shown": MAX_FINDINGS_PER_CODE, "words": dict(words.most_common(20))}
    worst = min((hit.severity or severity for hit in unlisted), key=_SEVERITY_ORDER.index)
    return Finding(code, worst, params, evidence, None, render(MORE, params, messages))
