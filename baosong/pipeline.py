"""Intake pipeline: archive the raw message first, then judge and record it exactly once.

`archive` and `process` are the two steps every path shares (IMAP poll, `import`, the demo,
tests). A crash between them, or inside `process`, leaves the message archived: the next run
picks it up, and the unique item per raw message makes a repeat a no-op.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from email.parser import BytesHeaderParser
from email.policy import compat32

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from baosong.app import App
from baosong.crashpoints import crash_point
from baosong.db import transaction
from baosong.localtime import as_local
from baosong.models import AttachmentRow, AuditEntry, FindingRow, Item, RawMessage, utcnow
from baosong.receipts import next_receipt
from intake.archive import content_key, read_blob, store_blob
from intake.mailparse import parse_mail
from intake.message import ParsedMail
from intake.outbox import queue_reply
from intake.replies import reply_recipient
from baosong.resubmission import link_resubmission
from validators.case import DuplicateFinder
from validators.duplicates import DuplicateStore
from validators.firstreport import comparable_text
from validators.findings import Finding, Verdict
from validators.judge import JudgeContext, judge_mail
from validators.judgement import Judgement
from validators.tags import message_tags

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5  # failures on our side (or crashes while judging) before a message waits for a clerk
INTERRUPTED = "处理这封邮件时程序多次中断（可能被系统终止或崩溃），已停止自动重试，请排查后在运行状态页重新处理"
HEADER_PEEK_BYTES = 65536


@dataclass(frozen=True)
class Outcome:
    raw_id: int
    item_id: int | None
    verdict: str | None
    receipt: str | None
    judgement: Judgement | None = None
    repeated: bool = False  # this message (same bytes, or same Message-ID and content) was seen before
    error: str | None = None


def _message_id(raw: bytes) -> str | None:
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(raw[:HEADER_PEEK_BYTES])
        value = headers.get("Message-ID")
        return str(value).strip()[:998] if value else None
    except Exception:  # noqa: BLE001 - a header we cannot read simply means "no Message-ID"
        return None


def archive(
    app: App, raw: bytes, *, source: str, declared_size: int | None = None, received_at: datetime | None = None
) -> tuple[int, bool]:
    """Store the bytes and commit a RawMessage row; returns (raw id, seen before).

    `received_at` is when the mail reached the mailbox (IMAP INTERNALDATE, or the saved mail's own
    stamps on import); the item's day, month and timeliness follow it. Unknown means now.
    """
    digest, path = store_blob(app.data_dir, raw, "raw")
    message_id = _message_id(raw)
    key = content_key(raw, message_id)
    for _ in range(2):
        try:
            with transaction(app.sessions) as session:
                existing = session.scalar(select(RawMessage).where(RawMessage.sha256 == digest))
                if existing is None and message_id:
                    existing = session.scalar(
                        select(RawMessage).where(RawMessage.content_key == key, RawMessage.message_id == message_id)
                    )
                if existing is not None:
                    return existing.id, True
                row = RawMessage(
                    sha256=digest,
                    content_key=key,
                    path=path,
                    size=len(raw),
                    declared_size=declared_size,
                    message_id=message_id,
                    source=source,
                    received_at=received_at.astimezone(UTC) if received_at else utcnow(),  # SQLite keeps no zone
                )
                session.add(row)
                session.flush()
                return row.id, False
        except IntegrityError:
            continue  # another worker archived the same bytes a moment ago
    raise RuntimeError("could not archive message")


def _received_day(row: RawMessage) -> datetime:
    received = row.received_at
    return received if received.tzinfo else received.replace(tzinfo=utcnow().tzinfo)


def _finding_row(finding: Finding) -> FindingRow:
    location = finding.location
    return FindingRow(
        code=finding.code,
        severity=str(finding.severity),
        message=finding.message,
        params=finding.params,
        evidence=finding.evidence,
        location=None
        if location is None
        else {"part": location.part, "paragraph": location.paragraph, "start": location.start, "end": location.end},
    )


def _document(judgement: Judgement) -> dict:
    submission = judgement.submission
    if submission is None:
        return {}
    return {
        "title_paragraph": submission.title_paragraph,
        "paragraphs": [{"index": p.index, "text": p.text, "part": p.part} for p in submission.paragraphs],
        "has_macros": submission.has_macros,  # macro/ActiveX parts: never open the original in Word unchecked
    }


def record(app: App, session: Session, row: RawMessage, judgement: Judgement) -> Item:
    """Write the verdict, findings and attachments of one message (inside the caller's transaction)."""
    mail = judgement.mail
    item = Item(raw_message_id=row.id)
    _write_verdict(app, session, item, row, judgement)
    session.add(item)
    session.flush()
    session.add(
        AuditEntry(
            actor="system",
            action="judged",
            item_id=item.id,
            details={
                "verdict": item.verdict,
                "codes": [f.code for f in judgement.findings],
                "receipt": item.receipt,
                "defects": list(mail.defects) if mail else [],  # what the parser found damaged or cut
            },
        )
    )
    if mail is not None and mail.defects:
        log.info("message %s (raw %s) parsed with defects: %s", mail.message_id, row.id, ", ".join(mail.defects))
    return item


def _write_verdict(app: App, session: Session, item: Item, row: RawMessage, judgement: Judgement) -> None:
    """Put a judgement on a new item, or in place of an ignored item's (its findings replaced)."""
    mail = judgement.mail
    verdict = judgement.verdict
    received = _received_day(row)
    if verdict != Verdict.IGNORED and item.receipt is None:
        item.receipt = next_receipt(session, app.organisation.checks.receipt_prefix, as_local(received).year)
    submission = judgement.submission
    item.unit_id = judgement.unit.id if judgement.unit else None
    item.verdict = item.original_verdict = str(verdict)
    item.category = app.ruleset.category_of(message_tags(mail, judgement.docx, submission))
    item.title = submission.title if submission else ""
    item.text = submission.body_text if submission else ""
    item.fields = judgement.fields
    item.document = _document(judgement)
    item.sender = mail.sender if mail else ""
    item.subject = mail.subject if mail else ""
    item.message_id = mail.message_id if mail else None
    item.received_at = received
    item.accepted_at = received if verdict == Verdict.ACCEPTED else None  # an accepted mail counts from its arrival
    item.classified = judgement.has("CLASSIFIED_MARKING")
    item.findings = [_finding_row(f) for f in judgement.findings]
    if mail is not None and verdict != Verdict.IGNORED and not item.attachments:
        for attachment in mail.attachments:
            digest, path = store_blob(app.data_dir, attachment.payload, "att")
            item.attachments.append(
                AttachmentRow(
                    display_name=attachment.display_name[:300],
                    content_type=attachment.content_type[:200],
                    kind=attachment.kind,
                    size=attachment.size,
                    sha256=digest,
                    path=path,
                )
            )


def index_accepted(session: Session, item: Item, unit_names: tuple[str, ...], accepted_on: date) -> None:
    """Make an accepted item count for 首报: later copies of it are duplicates."""
    DuplicateStore.index_item(
        session,
        item_id=item.id,
        text=comparable_text(item.title, item.text),
        unit_name=unit_names[0] if unit_names else "",
        receipt=item.receipt,
        accepted_on=accepted_on,
        unit_names=unit_names,
    )


def settle_first_report(
    session: Session, mail: ParsedMail, context: JudgeContext, day: date, judgement: Judgement
) -> Judgement:
    """Take the 首报 lock (held until the caller commits) before an acceptance is recorded, then
    look again: an item another worker or a clerk accepted while this mail was judged is seen
    now, and the mail is judged again against it. Of two copies judged at once, one is first."""
    if judgement.verdict != Verdict.ACCEPTED or context.duplicates is None or judgement.submission is None:
        return judgement
    DuplicateStore.serialise(session)
    submission = judgement.submission
    names = judgement.unit.names if judgement.unit else ()
    if context.duplicates.find(comparable_text(submission.title, submission.body_text), unit_names=names, on=day):
        return judge_mail(mail, context, today=day)
    return judgement


def _claim(app: App, raw_id: int) -> Outcome | None:
    """Count the attempt before judging, in its own commit: a message that kills the process while
    it is judged (a crash in a C library, the OOM killer) is tried MAX_ATTEMPTS times, then waits
    for a clerk instead of stopping the intake for good. An Outcome means: do not judge it now."""
    with transaction(app.sessions) as session:
        row = session.scalar(select(RawMessage).where(RawMessage.id == raw_id).with_for_update(skip_locked=True))
        if row is None:
            return Outcome(raw_id, None, None, None, repeated=True)  # another worker has it
        if row.state != "archived":
            return None  # done or retried by hand: the verdict transaction sorts it out
        if row.attempts >= MAX_ATTEMPTS:
            row.state, row.last_error = "failed", row.last_error or INTERRUPTED
            return Outcome(raw_id, None, None, None, error=row.last_error)
        row.attempts += 1
    return None


EXIT_STUCK = 70  # EX_SOFTWARE: the service manager restarts the worker, the claim counts the attempt


@contextmanager
def _time_limit(seconds: float, raw_id: int) -> Iterator[None]:
    """End the process if judging one message takes longer than `seconds`.

    A Python thread cannot be stopped from outside, so a message that makes the judge hang (a
    pathological input no size cap foresaw) would stall the intake for good. Exiting is safe: the
    message is archived, its attempt is counted, the next run goes on, and after MAX_ATTEMPTS the
    message waits for a clerk.
    """

    def give_up() -> None:
        log.critical("judging raw message %s took over %s s: exiting so the worker restarts", raw_id, seconds)
        logging.shutdown()
        os._exit(EXIT_STUCK)

    timer = threading.Timer(seconds, give_up)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def process(app: App, raw_id: int, *, duplicates: DuplicateFinder | None = None) -> Outcome:
    """Judge and record one archived message, once. Our own failures are counted, never blamed on the sender."""
    try:
        if (claimed := _claim(app, raw_id)) is not None:
            return claimed
        crash_point("while_judging", raw_id)
        context = app.judge_context(duplicates)  # the 首报 index is loaded before the time limit starts
        with _time_limit(app.settings.rules.max_judge_seconds, raw_id), transaction(app.sessions) as session:
            row = session.scalar(
                select(RawMessage).where(RawMessage.id == raw_id).with_for_update(skip_locked=True)
            )
            if row is None:
                return Outcome(raw_id, None, None, None, repeated=True)
            done = session.scalar(select(Item).where(Item.raw_message_id == raw_id))
            if done is not None:
                row.state = "done"
                return Outcome(raw_id, done.id, done.verdict, done.receipt, repeated=True)
            mail, today = _archived_mail(app, row)
            judgement = settle_first_report(session, mail, context, today, judge_mail(mail, context, today=today))
            item = record(app, session, row, judgement)
            _follow_verdict(app, session, item, judgement, today)
            row.state, row.processed_at, row.last_error = "done", utcnow(), None
            return Outcome(raw_id, item.id, item.verdict, item.receipt, judgement)
    except Exception as exc:
        log.exception("processing raw message %s failed", raw_id)
        with transaction(app.sessions) as session:
            row = session.get(RawMessage, raw_id)
            if row is not None:
                row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                row.state = "failed" if row.attempts >= MAX_ATTEMPTS else "archived"
        return Outcome(raw_id, None, None, None, error=f"{type(exc).__name__}: {exc}")


def _archived_mail(app: App, row: RawMessage) -> tuple[ParsedMail, date]:
    """The archived message as judged, and the office-local day it arrived (its timeliness, its 首报 day)."""
    mail = parse_mail(read_blob(app.data_dir, row.path))
    if row.declared_size:
        mail = replace(mail, size=row.declared_size)
    return mail, as_local(row.received_at).date()


def _follow_verdict(app: App, session: Session, item: Item, judgement: Judgement, today: date) -> None:
    """What a recorded verdict sets going: the 首报 index, the resubmission link, the one automatic reply."""
    if judgement.verdict == Verdict.ACCEPTED:
        index_accepted(session, item, judgement.unit.names if judgement.unit else (), today)
    link_resubmission(session, item)
    reply = queue_reply(
        session, item=item, judgement=judgement, settings=app.settings, organisation_name=app.organisation.name
    )
    if reply is not None and item.verdict == "rejected" and reply_recipient(judgement).registered:
        # the unit was told what to correct: nothing waits for a clerk. A sender not in the
        # registry was told so, and its item stays in the queue for a clerk to place.
        item.settled_at = utcnow()


def rejudge(app: App, session: Session, item: Item) -> Judgement:
    """Judge an item's archived message again with today's registry and rules, exactly as
    `process` does, and put the verdict in place of the item's (inside the caller's transaction):
    a receipt, findings, attachments, the 首报 index and the reply the new verdict calls for."""
    row = session.get(RawMessage, item.raw_message_id)
    mail, today = _archived_mail(app, row)
    context = app.judge_context()
    judgement = judge_mail(mail, context, today=today, exclude_item_id=item.id)
    judgement = settle_first_report(session, mail, context, today, judgement)
    _write_verdict(app, session, item, row, judgement)
    session.flush()
    session.expire(item, ["unit"])  # set by id: the relationship loads the unit found now
    _follow_verdict(app, session, item, judgement, today)
    return judgement


def pending(app: App, limit: int = 100) -> list[int]:
    """Archived messages still waiting for a verdict (after a crash or a failure on our side),
    the least tried first: a message that keeps failing waits behind every other one."""
    with app.sessions() as session:
        query = (
            select(RawMessage.id)
            .where(RawMessage.state == "archived")
            .order_by(RawMessage.attempts, RawMessage.id)
            .limit(limit)
        )
        return list(session.scalars(query))


def ingest(
    app: App,
    raw: bytes,
    *,
    source: str,
    duplicates: DuplicateFinder | None = None,
    received_at: datetime | None = None,
    declared_size: int | None = None,
) -> Outcome:
    raw_id, seen = archive(app, raw, source=source, received_at=received_at, declared_size=declared_size)
    outcome = process(app, raw_id, duplicates=duplicates)
    return Outcome(**{**outcome.__dict__, "repeated": seen or outcome.repeated})
