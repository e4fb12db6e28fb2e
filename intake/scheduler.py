"""The worker behind `baosong run`: intake (IMAP IDLE or interval polling) and the outbox sender.

APScheduler runs both jobs in its thread pool, each with max_instances=1 and coalescing, so a
slow cycle is never doubled up and missed runs collapse into one. With IDLE the intake job is one
long-running loop (`watch`) that returns only at shutdown. `Worker.run_until_stopped()` handles
SIGTERM and Ctrl-C: it sets the stop event, lets the running jobs finish their current message,
and shuts the scheduler down.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler

from baosong.app import App
from intake.imap import poll_once, watch
from validators.case import DuplicateFinder
from validators.duplicates import DuplicateStore

log = logging.getLogger(__name__)

OUTBOX_SECONDS = 30
SHUTDOWN_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _send_outbox(app: App) -> None:
    from intake.outbox import send_pending, sent_folder_lookup

    report = send_pending(app.sessions, app.settings, sent_lookup=sent_folder_lookup(app.settings))
    log.debug("outbox pass: %s", report)


def build_scheduler(app: App, stop: threading.Event, *, duplicates: DuplicateFinder | None = None) -> BackgroundScheduler:
    """A scheduler with the intake job (when a mailbox is configured) and the outbox job."""
    scheduler = BackgroundScheduler(timezone=UTC)
    mailbox = app.settings.mailbox
    now = datetime.now(UTC)
    jobs = {"max_instances": 1, "coalesce": True, "next_run_time": now}
    if not app.organisation.checks.mail_intake:
        log.warning("the rule set takes no mail ([intake] mail = false): intake is off")
    elif not mailbox.host:
        log.warning("no mailbox configured ([mailbox] host): intake is off")
    elif mailbox.idle:
        scheduler.add_job(watch, args=(app, stop), kwargs={"duplicates": duplicates}, id="intake", **jobs)
    else:
        scheduler.add_job(
            poll_once, "interval", seconds=mailbox.poll_seconds, args=(app,), kwargs={"duplicates": duplicates},
            id="intake", **jobs,
        )
    if isinstance(duplicates, DuplicateStore):  # later workers and `baosong check` replay at most a day
        scheduler.add_job(duplicates.save_snapshot, "interval", hours=24, id="duplicates-snapshot", max_instances=1)
    if app.settings.smtp.host and app.settings.replies.enabled:
        scheduler.add_job(_send_outbox, "interval", seconds=OUTBOX_SECONDS, args=(app,), id="outbox", **jobs)
    return scheduler


class Worker:
    """Scheduler plus, optionally, a web server thread; stopped together."""

    def __init__(self, app: App, *, duplicates: DuplicateFinder | None = None, web=None) -> None:  # noqa: ANN001
        self.app = app
        self.stop = threading.Event()
        # the 首报 index is built (or loaded from its snapshot) now, before any mail is judged
        self.duplicates = app.duplicates if duplicates is None else duplicates
        self.scheduler = build_scheduler(app, self.stop, duplicates=self.duplicates)
        self.web = web  # a uvicorn.Server, run in a thread so that signals stay with us
        self._web_thread: threading.Thread | None = None

    def start(self) -> None:
        if isinstance(self.duplicates, DuplicateStore):
            self.duplicates.save_snapshot()  # the next worker and `baosong check` start from it
        self.scheduler.start()
        if self.web is not None:
            self._web_thread = threading.Thread(target=self.web.run, name="console", daemon=True)
            self._web_thread.start()

    def shutdown(self) -> None:
        self.stop.set()
        if self.web is not None:
            self.web.should_exit = True
        self.scheduler.shutdown(wait=True)
        if self._web_thread is not None:
            self._web_thread.join(10)

    def run_until_stopped(self, on_ready: Callable[[], None] | None = None) -> None:
        """Start, wait for SIGTERM or Ctrl-C (or `stop` set elsewhere), then shut down cleanly."""
        previous = {sig: signal.signal(sig, lambda *_: self.stop.set()) for sig in SHUTDOWN_SIGNALS}
        try:
            self.start()
            if on_ready is not None:
                on_ready()
            while not self.stop.wait(1.0):
                pass
        finally:
            self.shutdown()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
