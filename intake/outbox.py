"""The outbox: replies queued with the verdict, delivered later, at most once.

States (baosong.models.outbox.OutboxState):

    pending ──claim──▶ sending ──▶ sent
       ▲                  │ ├────▶ retry ──(backoff)──▶ claimed again
       │                  │ ├────▶ failed     (a permanent refusal, or too many attempts)
       │                  │ └────▶ uncertain  (cut off after the data went out)
     held (over the daily cap) and uncertain/failed rows wait for a clerk: `release()`.

What a refusal means comes from the providers' own words (intake.smtp_answers). When the
provider says the account has reached its daily limit, or refuses `[replies] refusals_before_pause`
replies in a row without naming the recipient as the reason, sending pauses for every worker until
the next office-local day (`SendingAccount`); the refused replies go back in the queue for then.

"sending" is committed, with the reply's fixed Message-ID, BEFORE the SMTP transaction starts. A
row still in "sending" long after its attempt began belongs to a worker that died mid-send. It is
never resent blindly: when `[replies] sent_folder` names the folder where the server keeps sent
mail, the reply's Message-ID is looked up there (found → sent); otherwise, or when not found, it
becomes "uncertain" and a clerk decides. At most one reply is the promise; a missing reply can be
sent by hand, a duplicate cannot be taken back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone

from imap_tools import AND, H
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from baosong.localtime import today_bounds
from baosong.models import AuditEntry, Item, OutboxMessage, OutboxState, SendingAccount, utcnow
from baosong.organisation import load_organisation
from baosong.settings import Settings
from intake.annotate import annotate_docx
from intake.autosubmitted import robot_address
from intake.imap_login import connect, disconnect
from intake.replies import (
    FOLLOWUP_KINDS,
    Envelope,
    FileAttachment,
    OfficeFacts,
    ReplyKind,
    ReplyTemplates,
    build_message,
    clean_text,
    new_message_id,
    office_facts,
    refusal_reason,
    reply_context,
    reply_recipient,
    reply_kind,
    reply_subject,
    unverified_sender_reason,
    valid_address,
    with_sender,
)
from intake.smtp_answers import Meaning
from intake.smtp_send import Attempt, Outcome, deliver
from validators.judgement import Judgement

log = logging.getLogger(__name__)

CHINA = timezone(timedelta(hours=8))  # the office's day, for the daily cap (no DST in China)
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_LONGEST = timedelta(hours=1)
DUE_STATES = (OutboxState.PENDING, OutboxState.RETRY)
DOCX = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")

DAILY_CAP_SUBJECT = "【提示】今日自动回复已达上限"
SentLookup = Callable[[str], bool | None]  # Message-ID → found in the Sent folder? None: could not tell


@dataclass(frozen=True)
class Failure:
    outbox_id: int
    recipient: str
    text: str  # the Chinese explanation with the server's own words


@dataclass
class SendReport:
    sent: int = 0
    retry: int = 0
    failed: int = 0
    uncertain: int = 0
    held: int = 0  # due replies kept back because sending is paused; they go out when it resumes
    recovered: int = 0  # interrupted attempts found delivered in the Sent folder
    paused_until: datetime | None = None
    pause_reason: str = ""
    failures: list[Failure] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def counts(self) -> dict:
        """The pass as `baosong poll --once --json` shows it."""
        return {
            "sent": self.sent, "held": self.held, "failed": self.failed, "retry": self.retry,
            "uncertain": self.uncertain, "recovered": self.recovered,
            "paused_until": self.paused_until.isoformat() if self.paused_until else None,
            "failures": [{"outbox_id": f.outbox_id, "recipient": f.recipient, "error": f.text} for f in self.failures],
        }


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time stored here is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _day_start(now: datetime) -> datetime:
    local = _aware(now).astimezone(CHINA)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes, at most an hour, after the n-th failed attempt."""
    return min(BACKOFF_FIRST * 2 ** max(attempts - 1, 0), BACKOFF_LONGEST)


# ---------------------------------------------------------------- queueing


def _replies_today(session: Session, recipient: str, now: datetime) -> int:
    query = select(func.count(OutboxMessage.id)).where(
        OutboxMessage.recipient == recipient,
        OutboxMessage.automatic.is_(True),
        OutboxMessage.kind != ReplyKind.DAILY_CAP_NOTICE,
        OutboxMessage.state != OutboxState.HELD,
        OutboxMessage.created_at >= _day_start(now),
    )
    return session.scalar(query) or 0


def _notice_sent_today(session: Session, recipient: str, now: datetime) -> bool:
    query = select(OutboxMessage.id).where(
        OutboxMessage.recipient == recipient,
        OutboxMessage.kind == ReplyKind.DAILY_CAP_NOTICE,
        OutboxMessage.created_at >= _day_start(now),
    )
    return session.scalar(query.limit(1)) is not None


def _compose(
    settings: Settings, *, kind: ReplyKind, recipient: str, subject: str, context: dict, office: OfficeFacts,
    in_reply_to: str | None, references: tuple[str, ...], now: datetime, automatic: bool,
    attachments: tuple[FileAttachment, ...] = (),
) -> tuple[str, str, bytes]:
    """(Message-ID, subject, bytes) of a reply rendered from config/replies/."""
    templates = ReplyTemplates(settings.config_dir, settings.rules.organisation)
    text, html = templates.render(kind, context)
    message_id = new_message_id(settings.replies.message_id_domain)
    envelope = Envelope(
        sender=settings.smtp_sender,
        sender_name=office.name,
        recipient=recipient,
        subject=subject,
        message_id=message_id,
        in_reply_to=in_reply_to,
        date=_aware(now),
        references=references,
        kind=kind,
        automatic=automatic,
        attachments=attachments,
    )
    return message_id, subject, build_message(envelope, text, html).as_bytes()


def _annotated_docx(judgement: Judgement) -> tuple[FileAttachment, ...]:
    if judgement.docx is None or judgement.submission is None:
        return ()
    try:
        data = annotate_docx(judgement.docx.payload, judgement.findings, judgement.submission)
    except Exception:  # a document the parser read but python-docx cannot rewrite: reply without it
        log.warning("could not annotate %s", judgement.docx.sha256, exc_info=True)
        return ()
    return (FileAttachment(judgement.docx.display_name or "信息.docx", *DOCX, data),)


def _office(settings: Settings, organisation_name: str) -> OfficeFacts:
    facts = office_facts(load_organisation(settings.config_dir, settings.rules.organisation).checks)
    return replace(facts, name=organisation_name or facts.name)


def queue_reply(
    session: Session, *, item: Item, judgement: Judgement, settings: Settings, organisation_name: str
) -> OutboxMessage | None:
    """Queue the one automatic reply to a judged message, in the caller's transaction.

    None when no reply is due: replies disabled, ignored mail, automatic mail or our own reply
    coming back, a registered From the receiving server did not vouch for, no valid address. Over the recipient's daily cap the reply is kept "held" for a
    clerk, and the first time that day a short notice goes out instead.
    """
    mail = judgement.mail
    kind = reply_kind(judgement)
    if not settings.replies.enabled or kind is None or mail is None:
        return None
    reason = refusal_reason(
        mail, our_domain=settings.replies.message_id_domain, our_address=settings.smtp_sender
    ) or unverified_sender_reason(judgement)
    chosen = reply_recipient(judgement)
    recipient = chosen.address
    if reason or recipient is None:
        _note_no_reply(session, item, reason or chosen.reason)
        return None
    if item.id is not None:
        existing = session.scalar(
            select(OutboxMessage).where(OutboxMessage.item_id == item.id, OutboxMessage.automatic.is_(True))
        )
        if existing is not None:
            return existing
    now = utcnow()
    office = _office(settings, organisation_name)
    references = (*mail.references, mail.message_id) if mail.message_id else tuple(mail.references)
    held = _replies_today(session, recipient, now) >= settings.replies.daily_cap
    if held and not _notice_sent_today(session, recipient, now):
        context = {"office": office, "cap": settings.replies.daily_cap}
        notice = _compose(
            settings, kind=ReplyKind.DAILY_CAP_NOTICE, recipient=recipient,
            subject=DAILY_CAP_SUBJECT, context=context, office=office,  # no outcome: this mail decides nothing
            in_reply_to=mail.message_id, references=references, now=now, automatic=True,
        )
        session.add(_row(ReplyKind.DAILY_CAP_NOTICE, item, recipient, notice, now, OutboxState.PENDING))
    attachments = _annotated_docx(judgement) if kind == ReplyKind.REJECTED and chosen.registered else ()
    context = reply_context(
        kind, judgement, receipt=item.receipt, title=item.title, office=office,
        received=_aware(item.received_at or now).astimezone(CHINA), annotated=bool(attachments),
        unregistered="" if chosen.registered else recipient,
    )
    composed = _compose(
        settings, kind=kind, recipient=recipient, subject=reply_subject(mail.subject, item.receipt, kind),
        context=context, office=office, in_reply_to=mail.message_id, references=references, now=now,
        automatic=True, attachments=attachments,
    )
    row = _row(kind, item, recipient, composed, now, OutboxState.HELD if held else OutboxState.PENDING)
    session.add(row)
    session.flush()
    return row


def _note_no_reply(session: Session, item: Item, reason: str) -> None:
    """The clerk sees on the item page why its sender was not answered."""
    log.info("no reply for item %s: %s", item.id, reason)
    if item.id is not None:
        session.add(AuditEntry(actor="system", action="no_reply", item_id=item.id, reason=reason, details={}))


def _row(
    kind: ReplyKind, item: Item, recipient: str, composed: tuple[str, str, bytes], now: datetime, state: OutboxState
) -> OutboxMessage:
    message_id, subject, eml = composed
    return OutboxMessage(
        item=item, raw_message_id=item.raw_message_id, kind=kind, automatic=True, recipient=recipient,
        message_id=message_id, subject=subject, eml=eml, state=state, created_at=now,
    )


def queue_followup(session: Session, *, item: Item, kind: str, actor: str, note: str = "") -> OutboxMessage:
    """Queue a clerk's follow-up (e.g. "accepted_by_clerk") to the unit; composed when it is sent."""
    reply = ReplyKind(kind)
    if reply not in FOLLOWUP_KINDS:
        raise ValueError(f"未知的通知类型：{kind}")
    earlier = session.scalar(
        select(OutboxMessage).where(OutboxMessage.item_id == item.id).order_by(OutboxMessage.id.desc()).limit(1)
    )
    recipient = earlier.recipient if earlier is not None else valid_address(item.sender)
    if recipient is None:
        raise ValueError(f"无法确定回复地址：{clean_text(item.sender)}")
    if robot_address(recipient):
        raise ValueError(f"{recipient} 是不接收回信的自动发信地址，请另行通知报送单位")
    row = OutboxMessage(
        item=item, raw_message_id=item.raw_message_id, kind=reply, automatic=False, recipient=recipient,
        context={"note": clean_text(note, 1000)}, actor=actor, state=OutboxState.PENDING, created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def _compose_followup(row: OutboxMessage, settings: Settings, now: datetime) -> None:
    item = row.item
    office = _office(settings, "")
    title = "" if item is None or item.classified else item.title
    context = {
        "office": office,
        "receipt": clean_text(item.receipt if item else "", 50),
        "title": clean_text(title, 120),
        "note": row.context.get("note", ""),
        "unit": clean_text(item.unit.name) if item is not None and item.unit is not None else "",
    }
    subject_source = "" if item is None or item.classified else item.subject
    kind = ReplyKind(row.kind)
    message_id = item.message_id if item else None
    row.message_id, row.subject, row.eml = _compose(
        settings, kind=kind, recipient=row.recipient,
        subject=reply_subject(subject_source, item.receipt if item else None, kind), context=context,
        office=office, in_reply_to=message_id, references=(message_id,) if message_id else (), now=now,
        automatic=False,
    )


def release(session: Session, outbox_id: int, *, actor: str, reason: str = "") -> OutboxMessage:
    """A clerk sends a held, uncertain or failed reply after all."""
    row = session.get(OutboxMessage, outbox_id)
    if row is None:
        raise ValueError(f"找不到回复 #{outbox_id}")
    if row.state not in (OutboxState.HELD, OutboxState.UNCERTAIN, OutboxState.FAILED):
        raise ValueError(f"回复 #{outbox_id} 当前状态为 {row.state}，无需人工发送")
    session.add(
        AuditEntry(actor=actor, action="reply_release", item_id=row.item_id, reason=reason,
                   details={"outbox_id": row.id, "from_state": row.state})
    )
    row.state, row.next_attempt_at, row.actor = OutboxState.PENDING, None, actor
    return row


# ---------------------------------------------------------------- sending


@dataclass(frozen=True)
class Claim:
    id: int
    message: bytes
    envelope_sender: str
    recipient: str


def sending_account(settings: Settings) -> str:
    """The account whose daily limit the provider counts: the SMTP login."""
    return (settings.smtp.user or settings.mailbox.user or settings.smtp_sender).lower()


def _paused(account: SendingAccount | None, now: datetime) -> bool:
    return account is not None and account.paused_until is not None and _aware(account.paused_until) > now


def _standing(sessions: sessionmaker[Session], settings: Settings, now: datetime) -> tuple[datetime | None, str]:
    """(resumes at, why) while sending is paused, else (None, ""); the account's row is made here."""
    key = sending_account(settings)
    try:
        with sessions() as session, session.begin():
            account = session.get(SendingAccount, key)
            if account is None:
                session.add(SendingAccount(account=key))
            elif _paused(account, now):
                return _aware(account.paused_until), account.pause_reason or ""
    except IntegrityError:  # another worker made the row first
        pass
    return None, ""


def _claim_next(sessions: sessionmaker[Session], settings: Settings, now: datetime) -> Claim | None:
    """Mark the next due row "sending" and commit, before any byte goes to the SMTP server.

    None when nothing is due, or when another worker has just paused sending.
    """
    with sessions() as session, session.begin():
        if _paused(session.get(SendingAccount, sending_account(settings)), now):
            return None
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.state.in_(DUE_STATES))
            .where((OutboxMessage.next_attempt_at.is_(None)) | (OutboxMessage.next_attempt_at <= now))
            .order_by(OutboxMessage.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        row = session.scalars(query).first()
        if row is None:
            return None
        if row.eml is None:
            _compose_followup(row, settings, now)
        row.eml = with_sender(row.eml, settings.smtp_sender)  # queued before [smtp] sender was set or changed
        row.state, row.attempts, row.sending_at = OutboxState.SENDING, row.attempts + 1, now
        null_sender = row.automatic and settings.replies.null_sender
        return Claim(row.id, row.eml, "" if null_sender else settings.smtp_sender, row.recipient)


def _record(sessions: sessionmaker[Session], claim: Claim, attempt: Attempt, settings: Settings,
            now: datetime) -> OutboxState:
    """The attempt's outcome on its row and on the account's run of refusals; HELD when it paused sending."""
    with sessions() as session, session.begin():
        row = session.get(OutboxMessage, claim.id, with_for_update=True)
        state = OutboxState(attempt.outcome.value)
        if state == OutboxState.RETRY and row.attempts >= settings.replies.max_attempts:
            state = OutboxState.FAILED
        row.state, row.last_error = state, (None if state == OutboxState.SENT else attempt.detail)
        row.sent_at = now if state == OutboxState.SENT else None
        row.next_attempt_at = now + backoff(row.attempts) if state == OutboxState.RETRY else None
        if state == OutboxState.FAILED and row.automatic and row.item is not None and row.item.verdict == "rejected":
            row.item.settled_at = None  # the unit was never told what to correct: back in the clerks' queue
        account = session.get(SendingAccount, sending_account(settings), with_for_update=True)
        if account is None:
            return state
        if state == OutboxState.SENT:
            account.refused_ids = []
            return state
        refusal = attempt.refusal
        if refusal is None or refusal.meaning == Meaning.RECIPIENT or not (
            refusal.permanent or refusal.meaning == Meaning.DAILY_LIMIT
        ):
            return state  # no answer, a temporary one, or one about the recipient: nothing about the account
        account.refused_ids = [*account.refused_ids, row.id]
        if refusal.meaning == Meaning.DAILY_LIMIT or len(account.refused_ids) >= settings.replies.refusals_before_pause:
            _pause(session, account, attempt.detail, now)
            return OutboxState.HELD
        return state


def _pause(session: Session, account: SendingAccount, reason: str, now: datetime) -> None:
    """No sending until the office's next day; the refused replies of this run go back in the queue for then."""
    resume = today_bounds(now)[1]
    account.paused_until, account.pause_reason = resume, reason
    for row in session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(account.refused_ids))):
        if row.state in (OutboxState.FAILED, OutboxState.RETRY):
            row.state, row.next_attempt_at = OutboxState.RETRY, resume
    account.refused_ids = []
    log.warning("sending paused until %s: %s", resume.isoformat(), reason)


def sent_folder_lookup(settings: Settings) -> SentLookup | None:
    """Looks a Message-ID up in `[replies] sent_folder` over IMAP; None when no folder is configured."""
    mailbox, folder = settings.mailbox, settings.replies.sent_folder
    if not folder or not mailbox.host:
        return None

    def lookup(message_id: str) -> bool | None:
        box = None
        try:
            box = connect(mailbox)
            box.folder.set(folder)
            return bool(box.uids(AND(header=H("Message-ID", message_id))))
        except Exception:  # imap-tools raises several unrelated types; the answer is "cannot tell"
            log.warning("could not look %s up in %s", message_id, folder, exc_info=True)
            return None
        finally:
            disconnect(box)

    return lookup


def stale_after(settings: Settings) -> timedelta:
    """How long an attempt may run before its worker is presumed dead (well past every timeout)."""
    return timedelta(seconds=4 * settings.smtp.timeout_seconds + 60)


def _resolve_interrupted(sessions: sessionmaker[Session], settings: Settings, now: datetime,
                         lookup: SentLookup | None, report: SendReport) -> None:
    with sessions() as session, session.begin():
        query = select(OutboxMessage).where(
            OutboxMessage.state == OutboxState.SENDING, OutboxMessage.sending_at < now - stale_after(settings)
        )
        for row in session.scalars(query.with_for_update(skip_locked=True)):
            found = lookup(row.message_id) if lookup and row.message_id else None
            if found:
                row.state, row.sent_at, row.last_error = OutboxState.SENT, row.sending_at, None
                report.recovered += 1
            else:
                row.state = OutboxState.UNCERTAIN
                row.last_error = "发送过程中断，无法确认对方是否已收到；为避免重复回复，请工作人员核实后决定是否重发。"
                report.uncertain += 1


def send_pending(
    sessions: sessionmaker[Session], settings: Settings, *, now: datetime | None = None, limit: int = 100,
    sent_lookup: SentLookup | None = None,
) -> SendReport:
    """One pass: settle interrupted attempts, then deliver every due reply (at most `limit`)."""
    now = _aware(now or utcnow()).astimezone(UTC)  # SQLite compares the stored UTC wall time as text
    report = SendReport()
    _resolve_interrupted(sessions, settings, now, sent_lookup or sent_folder_lookup(settings), report)
    if not settings.smtp.host:
        report.errors.append("未配置发信服务器（[smtp] host），回复暂不发送。")
        return report
    _standing(sessions, settings, now)
    for _ in range(limit):
        claim = _claim_next(sessions, settings, now)
        if claim is None:
            break
        attempt = deliver(claim.message, envelope_sender=claim.envelope_sender, recipient=claim.recipient,
                          settings=settings)
        state = _record(sessions, claim, attempt, settings, now)
        if state != OutboxState.HELD:  # held replies are counted once the pass is over
            setattr(report, state.value, getattr(report, state.value) + 1)
        if state == OutboxState.FAILED:
            report.failures.append(Failure(claim.id, claim.recipient, attempt.detail))
        if state == OutboxState.RETRY:
            report.errors.append(attempt.detail)
        if attempt.outcome == Outcome.RETRY:
            break  # the server is down or refusing: the rest wait for the next pass
    report.paused_until, report.pause_reason = _standing(sessions, settings, now)
    if report.paused_until is not None:
        _count_held(sessions, report.paused_until, report)
    return report


def _count_held(sessions: sessionmaker[Session], resume: datetime, report: SendReport) -> None:
    """While paused: the replies waiting for sending to resume, this pass's requeued refusals among them."""
    waiting = (OutboxMessage.next_attempt_at.is_(None)) | (OutboxMessage.next_attempt_at <= resume)
    with sessions() as session:
        report.held = session.scalar(
            select(func.count(OutboxMessage.id)).where(OutboxMessage.state.in_(DUE_STATES), waiting)
        ) or 0
        failed = {f.outbox_id for f in report.failures}
        requeued = set(session.scalars(
            select(OutboxMessage.id).where(OutboxMessage.id.in_(failed), OutboxMessage.state == OutboxState.RETRY)
        ))
    report.failures = [f for f in report.failures if f.outbox_id not in requeued]
    report.failed -= len(requeued)
