"""Judge one message: read what it carries, run every rule, decide once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from baosong.organisation import CheckRules
from intake.message import MailAttachment, ParsedMail
from validators import catalogue
from validators.case import Case, DuplicateFinder
from validators.document import DocxRejected, parse_docx
from validators.findings import decide
from validators.judgement import Judgement
from validators.photos import named_as_image
from validators.registry import Registry
from validators.units import identify_unit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JudgeContext:
    """What stays the same from one message to the next."""

    rules: CheckRules
    registry: Registry
    messages: dict[str, catalogue.MessageTemplate]
    duplicates: DuplicateFinder | None = None
    trusted_authserv: tuple[str, ...] = ()  # `[mailbox] authserv_id`: whose Authentication-Results count


def _is_photo(attachment: MailAttachment) -> bool:
    if attachment.kind == "image":
        return not attachment.inline_cid
    return named_as_image(attachment.display_name)


def _read_document(case: Case) -> None:
    if case.docx is None or case.docx_problem is not None:
        return
    try:
        case.submission = parse_docx(case.docx.payload, case.rules.labels)
    except DocxRejected as rejected:
        case.docx_problem = (rejected.reason, rejected.detail)
    except Exception as exc:  # noqa: BLE001 - any parser failure is the file's problem, never a crash
        log.warning("unexpected error reading %s: %r", case.docx.display_name, exc)
        case.docx_problem = ("xml_error", {"error": type(exc).__name__})


def _finish(case: Case, ctx: JudgeContext) -> Judgement:
    for gate in catalogue.GATES:
        findings = catalogue.run((gate,), case, ctx.messages)
        if findings:
            return Judgement(decide(findings), findings, case.unit, case.unit_source, case.mail, None, case.docx, [])
    _read_document(case)
    if case.unit is None:
        case.unit, case.unit_source = identify_unit(case)
    findings = catalogue.run(catalogue.RULES, case, ctx.messages)
    return Judgement(
        decide(findings), findings, case.unit, case.unit_source, case.mail, case.submission, case.docx, case.photos
    )


def judge_mail(
    mail: ParsedMail, ctx: JudgeContext, *, today: date, exclude_item_id: int | None = None
) -> Judgement:
    attachments = mail.attachments
    word_files = [a for a in attachments if a.kind == "docx"]
    case = Case(
        rules=ctx.rules,
        registry=ctx.registry,
        today=today,
        mail=mail,
        word_files=word_files,
        legacy_files=[a for a in attachments if a.kind in {"doc", "wps"}],
        photos=[a for a in attachments if _is_photo(a)],
        docx=word_files[0] if len(word_files) == 1 else None,
        duplicates=ctx.duplicates,
        exclude_item_id=exclude_item_id,
        trusted_authserv=ctx.trusted_authserv,
    )
    case.unit, case.unit_source = identify_unit(case)
    return _finish(case, ctx)


def judge_docx(
    document: MailAttachment, ctx: JudgeContext, *, today: date, problem: tuple[str, dict] | None = None
) -> Judgement:
    """A bare .docx (a unit testing its file with `baosong check`): no mail, so no mail rules.
    `problem` is a reason it cannot be read that was found without opening it (it is not opened)."""
    case = Case(
        rules=ctx.rules,
        registry=ctx.registry,
        today=today,
        mail=None,
        word_files=[document],
        docx=document,
        duplicates=ctx.duplicates,
        docx_problem=problem,
    )
    return _finish(case, ctx)
