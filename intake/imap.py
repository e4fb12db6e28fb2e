"""IMAP intake: mailbox → archive → verdict, exactly once (SPEC §5).

One cycle, in this order, committing per message:
1. mark on the server (flag or move) messages whose verdict is committed but not yet marked;
2. list UIDs above the stored cursor with their RFC822.SIZE, then for each one: download it with
   BODY.PEEK (never \\Seen) — or only its header block when the server's size is over the limit —,
   archive it, record it in the (mailbox, folder, UIDVALIDITY, UID) ledger and advance the cursor in
   one transaction, judge it, and only after that commit mark it on the server;
3. retry messages archived earlier whose processing failed on our side or was cut short, the least
   tried first, and mark those judged now. New mail comes first: a message that kills the worker
   every time it is judged delays nothing that arrives after it.

A crash anywhere leaves either an archived message (retried by step 3) or a committed verdict
(marked by step 1); a re-fetch is a no-op through the ledger and the raw-hash check. UIDVALIDITY
changes reset the cursor; the re-fetched messages dedupe by their bytes.

`intake.imap_login` opens, logs in and identifies (ID), imap-tools selects; raw FETCH and STORE go
through its imaplib client because `MailMessage` re-serialises the bytes (we archive them exactly
as received) and `MailBox.flag()` expunges the whole folder after every STORE.
"""

from __future__ import annotations

import imaplib
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from imap_tools.mailbox import BaseMailBox
from imap_tools.utils import encode_folder
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from baosong.app import App
from baosong.crashpoints import crash_point
from baosong.db import transaction
from baosong.models import Item, MailboxCursor, MailboxMessage, utcnow
from baosong.pipeline import Outcome, archive, pending, process
from baosong.settings import MailboxSettings
from intake import lease
from intake.imap_idle import IdleError, IdleTracker, idle_wait
from intake.imap_login import capabilities, connect, disconnect
from validators.case import DuplicateFinder

log = logging.getLogger(__name__)

RECONNECTS = 3  # within one cycle; after that the cycle ends and the next one starts afresh
LEASE_SECONDS = 300.0
_FETCH_ITEM = re.compile(rb"UID (\d+)|RFC822\.SIZE (\d+)")

# Errors of the connection (retry with a new one) as opposed to errors on our side.
CONNECTION_ERRORS = (imaplib.IMAP4.abort, IdleError, OSError, EOFError)


class FetchRefused(Exception):
    """The server answered NO/BAD to fetching a message that is still in the folder."""


class LocalFailure(Exception):
    """Archiving failed on our side (disk, database): the message stays on the server, unmarked."""


@dataclass(frozen=True)
class MessageResult:
    uid: int | None  # None: a message archived earlier, retried now
    size: int | None
    raw_id: int | None
    outcome: Outcome | None
    marked: bool = False
    oversized: bool = False


@dataclass
class CycleReport:
    mailbox: str
    folder: str
    uidvalidity: int | None = None
    busy: bool = False  # another worker holds this folder's lease
    results: list[MessageResult] = field(default_factory=list)
    retried: list[Outcome] = field(default_factory=list)
    marked: int = 0
    reconnects: int = 0
    error: str | None = None
    server_errors: list[str] = field(default_factory=list)  # the server refused a fetch, flag or move; retried next cycle

    def add(self, result: MessageResult) -> None:
        """Keep the result without its judgement: the parsed mail (photos and all) must not pile up."""
        outcome = result.outcome
        self.results.append(result if outcome is None else replace(result, outcome=replace(outcome, judgement=None)))


MessageCallback = Callable[[CycleReport, MessageResult], None]


@dataclass(frozen=True)
class FolderState:
    uidvalidity: int
    idle: bool  # the server advertises IDLE
    move: bool  # the server advertises MOVE


def mailbox_name(settings: MailboxSettings) -> str:
    return f"{settings.user}@{settings.host}"


def lease_name(settings: MailboxSettings) -> str:
    return f"{mailbox_name(settings)}/{settings.folder}"


def download_limit(app: App) -> int:
    """Messages above the organisation's limit are judged from their headers (OVERSIZED_MESSAGE), never downloaded.

    One owner for the limit (`[limits] max_message_bytes` in the organisation's checks.toml), so the
    download decision and the judge's verdict can never disagree.
    """
    return app.organisation.checks.max_message_bytes


def select_folder(box: BaseMailBox, folder: str) -> FolderState:
    announced = capabilities(box.client)
    box.folder.set(folder)
    _, data = box.client.response("UIDVALIDITY")
    if not data or data[0] is None:
        raise imaplib.IMAP4.error("服务器没有给出 UIDVALIDITY")
    return FolderState(int(data[0]), "IDLE" in announced, "MOVE" in announced)


def _ok(result: tuple, what: str) -> list:
    status, data = result
    if status != "OK":
        raise imaplib.IMAP4.error(f"{what} 失败：{data!r}")
    return data


def list_new(box: BaseMailBox, after_uid: int) -> list[tuple[int, int]]:
    """(UID, server size) of every message above `after_uid`, in UID order."""
    data = _ok(box.client.uid("FETCH", f"{after_uid + 1}:*", "(UID RFC822.SIZE)"), "列出新邮件")
    found = {}
    for line in data:
        text = line[0] if isinstance(line, tuple) else line
        if not isinstance(text, bytes):
            continue
        uid = size = None
        for match in _FETCH_ITEM.finditer(text):
            uid = int(match.group(1)) if match.group(1) else uid
            size = int(match.group(2)) if match.group(2) else size
        if uid is not None and uid > after_uid:  # "n:*" always includes the newest message
            found[uid] = size or 0
    return sorted(found.items())


def fetch_bytes(box: BaseMailBox, uid: int, *, headers_only: bool) -> tuple[bytes, datetime | None] | None:
    """The message exactly as stored on the server (or its header block) and its INTERNALDATE
    (when it reached the mailbox); None if it is gone."""
    section = "BODY.PEEK[HEADER]" if headers_only else "BODY.PEEK[]"
    data = _ok(box.client.uid("FETCH", str(uid), f"(INTERNALDATE {section})"), "下载邮件")
    for part in data:
        if isinstance(part, tuple) and len(part) == 2 and isinstance(part[1], bytes):
            stamp = imaplib.Internaldate2tuple(part[0]) if isinstance(part[0], bytes) else None
            arrived = datetime.fromtimestamp(time.mktime(stamp), UTC) if stamp else None
            return part[1], arrived
    return None


def mark(box: BaseMailBox, settings: MailboxSettings, state: FolderState, uid: int) -> None:
    """Flag the message processed, or move it to the processed folder when one is configured."""
    if settings.processed_folder:
        target = encode_folder(settings.processed_folder)
        if state.move:
            _ok(box.client.uid("MOVE", str(uid), target), "移动邮件")
            return
        _ok(box.client.uid("COPY", str(uid), target), "复制邮件")
        _ok(box.client.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Deleted)"), "标记邮件")
        return  # no EXPUNGE: it would also remove what a person marked deleted
    _ok(box.client.uid("STORE", str(uid), "+FLAGS.SILENT", f"({settings.processed_flag})"), "标记邮件")


class ImapIntake:
    """One worker's view of the configured folder: connection, lease, cursor and cycles."""

    def __init__(
        self,
        app: App,
        *,
        duplicates: DuplicateFinder | None = None,
        holder: str | None = None,
        on_message: MessageCallback | None = None,
    ) -> None:
        self.app = app
        self.on_message = on_message
        self.settings = app.settings.mailbox
        self.duplicates = duplicates
        self.holder = holder or lease.new_holder()
        self.mailbox = mailbox_name(self.settings)
        self.folder = self.settings.folder
        self.box: BaseMailBox | None = None
        self.state: FolderState | None = None
        self._cursor_held = False  # a refused message keeps the cursor below it for this cycle
        self.idle_tracker = IdleTracker()

    # -- connection and lease --

    def take_lease(self, seconds: float = LEASE_SECONDS) -> bool:
        return lease.acquire(self.app.sessions, lease_name(self.settings), self.holder, seconds)

    def open(self) -> FolderState:
        self.close_connection()
        self.box = connect(self.settings)
        self.idle_tracker = IdleTracker()
        self.state = select_folder(self.box, self.folder)
        return self.state

    def close_connection(self) -> None:
        disconnect(self.box)
        self.box = self.state = None

    def close(self) -> None:
        self.close_connection()
        lease.release(self.app.sessions, lease_name(self.settings), self.holder)

    # -- one cycle --

    def cycle(self) -> CycleReport:
        """One intake cycle, reconnecting with backoff when the connection drops mid-batch."""
        report = CycleReport(self.mailbox, self.folder)
        for attempt in range(RECONNECTS + 1):
            try:
                if self.box is None:
                    self.open()
                self._run(report)
                # the folder was read even when the server refused a message: no "mailbox not read" alarm
                self._record_health(read=True, error=report.server_errors[0] if report.server_errors else None)
                return report
            except CONNECTION_ERRORS as exc:
                log.warning("IMAP connection lost (%s), attempt %s", exc, attempt + 1)
                report.error = f"邮箱连接中断：{type(exc).__name__}: {exc}"
                self.close_connection()
                if attempt < RECONNECTS:
                    report.reconnects += 1
                    time.sleep(min(0.5 * 2**attempt, 10.0))
            except (LocalFailure, imaplib.IMAP4.error) as exc:
                report.error = str(exc)
                break
            except Exception as exc:  # noqa: BLE001 - e.g. the database is down: report it, try again later
                log.exception("intake cycle failed")
                report.error = f"收件处理出错：{type(exc).__name__}: {exc}"
                break
        self._record_health(read=False, error=report.error)
        return report

    def _run(self, report: CycleReport) -> None:
        state = self.state
        report.uidvalidity = state.uidvalidity
        last_uid = self._cursor(state.uidvalidity)
        report.error = None
        retries = pending(self.app)  # taken before the new mail, retried after it
        self._mark_judged(state, report)
        self._cursor_held = False
        for uid, size in list_new(self.box, last_uid):
            self.take_lease()
            if self._known(state.uidvalidity, uid):  # taken in while a refused message held the cursor back
                self._advance(state, uid, size, None)
                continue
            try:
                result = self._take_in(state, uid, size, report)
            except FetchRefused as exc:
                # Keep going with the rest; the cursor stays below the refused message so the next
                # cycle asks for it again, and the health view shows the refusal to a clerk.
                log.warning("%s", exc)
                report.server_errors.append(str(exc))
                self._cursor_held = True
                continue
            if self.on_message is not None:
                self.on_message(report, result)
            report.add(result)
        for raw_id in retries:
            outcome = process(self.app, raw_id, duplicates=self.duplicates)
            if self.on_message is not None:
                self.on_message(report, MessageResult(None, None, raw_id, outcome))
            report.retried.append(replace(outcome, judgement=None))
        if retries:
            self._mark_judged(state, report)

    def _mark_judged(self, state: FolderState, report: CycleReport) -> None:
        for uid in self._ledger_unmarked(state.uidvalidity):
            report.marked += self._mark(state, uid, report)

    def _cursor(self, uidvalidity: int) -> int:
        """The last UID already archived; reset when the server's UIDVALIDITY changed."""
        with transaction(self.app.sessions) as session:
            cursor = self._cursor_row(session)
            if cursor.uidvalidity != uidvalidity:
                if cursor.uidvalidity is not None:
                    log.warning("UIDVALIDITY of %s/%s changed %s → %s: rescanning",
                                self.mailbox, self.folder, cursor.uidvalidity, uidvalidity)
                cursor.uidvalidity, cursor.last_uid = uidvalidity, 0
            return cursor.last_uid

    def _cursor_row(self, session: Session) -> MailboxCursor:
        query = select(MailboxCursor).where(MailboxCursor.mailbox == self.mailbox, MailboxCursor.folder == self.folder)
        cursor = session.scalar(query)
        if cursor is None:
            try:
                with session.begin_nested():
                    cursor = MailboxCursor(mailbox=self.mailbox, folder=self.folder, last_uid=0)
                    session.add(cursor)
            except IntegrityError:  # another worker created it a moment ago
                cursor = session.scalar(query)
        return cursor

    def _record_health(self, *, read: bool, error: str | None) -> None:
        try:
            with transaction(self.app.sessions) as session:
                cursor = self._cursor_row(session)
                if read:
                    cursor.last_success_at = utcnow()
                if error is not None:
                    cursor.last_error, cursor.last_error_at = error[:2000], utcnow()
        except Exception:  # noqa: BLE001 - the database itself may be what failed
            log.exception("could not record intake health")

    def _ledger_unmarked(self, uidvalidity: int) -> list[int]:
        """UIDs whose verdict is committed but whose server mark is not yet recorded."""
        with self.app.sessions() as session:
            query = (
                select(MailboxMessage.uid)
                .join(Item, Item.raw_message_id == MailboxMessage.raw_message_id)
                .where(
                    MailboxMessage.mailbox == self.mailbox,
                    MailboxMessage.folder == self.folder,
                    MailboxMessage.uidvalidity == uidvalidity,
                    MailboxMessage.marked_at.is_(None),
                )
                .order_by(MailboxMessage.uid)
            )
            return list(session.scalars(query))

    def _known(self, uidvalidity: int, uid: int) -> bool:
        with self.app.sessions() as session:
            query = select(MailboxMessage.id).where(
                MailboxMessage.mailbox == self.mailbox,
                MailboxMessage.folder == self.folder,
                MailboxMessage.uidvalidity == uidvalidity,
                MailboxMessage.uid == uid,
            )
            return session.scalar(query) is not None

    def _still_there(self, uid: int) -> bool:
        data = _ok(self.box.client.uid("FETCH", str(uid), "(UID)"), "查询邮件")
        return any(isinstance(line, bytes) and b"UID" in line for line in data)

    def _mark(self, state: FolderState, uid: int, report: CycleReport) -> bool:
        """Mark one message on the server, then record that; False when the server refused."""
        try:
            mark(self.box, self.settings, state, uid)
        except imaplib.IMAP4.abort:
            raise
        except imaplib.IMAP4.error as exc:
            if self._still_there(uid):
                log.warning("marking UID %s failed: %s", uid, exc)
                report.server_errors.append(f"无法在服务器上标记已处理的邮件（UID {uid}）：{exc}")
                return False
            # gone from the folder already (moved before a crash, or by a person): nothing left to mark
        crash_point("after_flag")
        with transaction(self.app.sessions) as session:
            row = session.scalar(
                select(MailboxMessage).where(
                    MailboxMessage.mailbox == self.mailbox,
                    MailboxMessage.folder == self.folder,
                    MailboxMessage.uidvalidity == state.uidvalidity,
                    MailboxMessage.uid == uid,
                )
            )
            row.marked_at = utcnow()
        return True

    def _take_in(self, state: FolderState, uid: int, size: int, report: CycleReport) -> MessageResult:
        oversized = size > download_limit(self.app)
        try:
            fetched = fetch_bytes(self.box, uid, headers_only=oversized)
        except imaplib.IMAP4.abort:
            raise
        except imaplib.IMAP4.error as exc:
            if self._still_there(uid):
                raise FetchRefused(f"服务器拒绝提供邮件（UID {uid}），下次收件时重试：{exc}") from exc
            fetched = None
        if fetched is None:  # deleted on the server between listing and fetching: nothing to keep
            self._advance(state, uid, size, None)
            return MessageResult(uid, size, None, None)
        raw, arrived = fetched
        try:
            raw_id, _ = archive(
                self.app, raw, source="imap", declared_size=size if oversized else None, received_at=arrived
            )
        except Exception as exc:
            log.exception("archiving UID %s failed", uid)
            raise LocalFailure(f"邮件归档失败（UID {uid}）：{type(exc).__name__}: {exc}") from exc
        del raw
        crash_point("after_archive")
        if not self._advance(state, uid, size, raw_id):
            return MessageResult(uid, size, raw_id, None, oversized=oversized)  # another worker has it
        outcome = process(self.app, raw_id, duplicates=self.duplicates)
        crash_point("after_commit")
        if outcome.error is not None or outcome.item_id is None:
            return MessageResult(uid, size, raw_id, outcome, oversized=oversized)
        marked = self._mark(state, uid, report)
        return MessageResult(uid, size, raw_id, outcome, marked=marked, oversized=oversized)

    def _advance(self, state: FolderState, uid: int, size: int, raw_id: int | None) -> bool:
        """Record the UID in the ledger and move the cursor past it, in one transaction."""
        try:
            with transaction(self.app.sessions) as session:
                cursor = self._cursor_row(session)
                if raw_id is not None:
                    session.add(
                        MailboxMessage(
                            mailbox=self.mailbox,
                            folder=self.folder,
                            uidvalidity=state.uidvalidity,
                            uid=uid,
                            size=size,
                            raw_message_id=raw_id,
                        )
                    )
                if cursor.uidvalidity == state.uidvalidity and not self._cursor_held:
                    cursor.last_uid = max(cursor.last_uid, uid)
            return True
        except IntegrityError:
            return False
        except Exception as exc:
            raise LocalFailure(f"登记邮件失败（UID {uid}）：{type(exc).__name__}: {exc}") from exc

    # -- waiting for mail --

    def wait_for_mail(self, stop: threading.Event) -> bool:
        """IDLE until the server reports news, the renew period ends, or `stop` is set."""
        return idle_wait(
            self.box.client,
            seconds=self.settings.idle_renew_seconds,
            timeout=self.settings.timeout_seconds,
            stop=stop,
            tracker=self.idle_tracker,
        )


def poll_once(
    app: App, *, duplicates: DuplicateFinder | None = None, on_message: MessageCallback | None = None
) -> CycleReport:
    """One intake cycle of the configured folder (`baosong poll --once`, the demo, the tests).

    `on_message` sees each message with its full judgement as it is done; the returned report
    keeps only the outcomes (verdict, receipt), so memory stays flat however long the backlog.
    """
    intake = ImapIntake(app, duplicates=duplicates, on_message=on_message)
    if not intake.take_lease():
        return CycleReport(intake.mailbox, intake.folder, busy=True)
    try:
        return intake.cycle()
    finally:
        intake.close()


def watch(
    app: App,
    stop: threading.Event,
    *,
    idle: bool | None = None,
    duplicates: DuplicateFinder | None = None,
    on_cycle: Callable[[CycleReport], None] | None = None,
    on_message: MessageCallback | None = None,
) -> None:
    """Run intake until `stop` is set: a cycle, then IDLE (or sleep) until there is news. Never raises."""
    settings = app.settings.mailbox
    use_idle = settings.idle if idle is None else idle
    failures = 0
    while not stop.is_set():
        intake = ImapIntake(app, duplicates=duplicates, on_message=on_message)
        try:
            if not intake.take_lease():
                stop.wait(settings.poll_seconds)  # another worker reads this folder; stand by
                continue
            while not stop.is_set():
                report = intake.cycle()
                if on_cycle is not None:
                    on_cycle(report)
                failures = failures + 1 if report.error else 0
                if report.error or intake.box is None:
                    break
                intake.take_lease(settings.idle_renew_seconds + 2 * settings.timeout_seconds + LEASE_SECONDS)
                if use_idle and intake.state.idle:
                    try:
                        intake.wait_for_mail(stop)
                    except CONNECTION_ERRORS as exc:
                        log.warning("IDLE interrupted (%s); polling instead", exc)
                        intake.close_connection()
                else:
                    intake.close_connection()
                    stop.wait(settings.poll_seconds)
        except Exception:  # noqa: BLE001 - the worker must outlive any single failure
            log.exception("intake failed")
            failures += 1
        finally:
            try:
                intake.close()
            except Exception:  # noqa: BLE001
                log.exception("could not release the intake lease")
        if failures and not stop.is_set():
            stop.wait(min(2.0**failures, float(settings.poll_seconds)))

