"""`baosong demo`: the whole product on the embedded default, on loopback only.

Starts a local IMAP server (pymap) and an SMTP capture (aiosmtpd), fills the mailbox with
realistic submissions, processes them through the real intake path, sends the replies,
records a few adoptions, writes this month's 通报 and serves the console.
"""

from __future__ import annotations

import secrets
import tempfile
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import select

from baosong.app import App, open_app
from baosong.db import transaction
from baosong.demo.samples import OFFICE, samples
from baosong.models import Item
from baosong.output import VERDICT_NAMES
from baosong.settings import MailboxSettings, PathsSettings, Settings, SmtpSettings, WebSettings
from baosong.pipeline import Outcome
from intake.imap import CycleReport, ImapIntake, MessageResult
from intake.local_imap import LocalImapServer
from intake.outbox import send_pending
from intake.smtp_capture import SmtpCapture
from review.auth import add_user
from baosong.labels import code_title
from scoring.compute import compute_month
from scoring.data import load_books
from scoring.ledger import record_adoption
from scoring.publish import write_month_reports
from scoring.ruleset import load_ruleset

DEMO_USER = "demo"
# Adoptions recorded so the books are not empty: (position among accepted items, outlet).
DEMO_ADOPTIONS = [(0, "州党委政府信息刊物"), (0, "州局工作简报"), (1, "自治区生态环境厅政务信息刊物"), (2, "州局微信平台")]


@dataclass
class DemoRun:
    data_dir: Path
    settings: Settings
    rows: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # label, sender, verdict, expected, reasons
    replies_dir: Path | None = None
    reply_count: int = 0
    reports: list[Path] = field(default_factory=list)
    password: str = ""

    @property
    def as_expected(self) -> bool:
        return all(verdict == expected for _, _, verdict, expected, _ in self.rows)


def _settings(data_dir: Path, imap: LocalImapServer, smtp: SmtpCapture, host: str, port: int) -> Settings:
    base = Settings()
    return replace(
        base,
        mailbox=replace(
            MailboxSettings(), host="127.0.0.1", port=imap.port, user=imap.user, password=imap.password, ssl=False,
            idle=False,
        ),
        smtp=replace(SmtpSettings(), host="127.0.0.1", port=smtp.port, ssl=False, starttls=False, sender=OFFICE),
        paths=replace(PathsSettings(), data=str(data_dir)),
        web=replace(WebSettings(), host=host, port=port),
    )


@dataclass(frozen=True)
class Taken:
    """What the summary shows of one processed message."""

    sender: str
    verdict: str
    reasons: str  # the findings' short Chinese titles


def _taken(outcome: Outcome) -> Taken:
    judgement = outcome.judgement
    titles = dict.fromkeys(code_title(f.code) for f in judgement.findings) if judgement else {}
    sender = judgement.mail.sender if judgement and judgement.mail else ""
    return Taken(sender, outcome.verdict or "", "、".join(titles))


def _process(app: App, expected_total: int, console: Console) -> list[Taken]:
    """The real intake path, one message at a time, with a progress bar."""
    taken: list[Taken] = []

    def seen(_report: CycleReport, result: MessageResult) -> None:
        if result.outcome is not None:  # the judgement is at hand only now: the cycle's report drops it
            taken.append(_taken(result.outcome))

    intake = ImapIntake(app, on_message=seen)
    try:
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("正在收取并审核邮件", total=expected_total)
            while len(taken) < expected_total:
                if not intake.cycle().results:
                    break
                progress.update(task, completed=len(taken))
    finally:
        intake.close()
    return taken


def _record_books(app: App, today: datetime) -> list[Path]:
    ruleset = load_ruleset(app.organisation.config_dir, app.organisation.key)
    with transaction(app.sessions) as session:
        accepted = list(session.scalars(select(Item).where(Item.verdict == "accepted").order_by(Item.id)))
        for position, outlet in DEMO_ADOPTIONS:
            if position < len(accepted):
                record_adoption(session, ruleset, accepted[position], outlet, today.date(), actor="demo")
    with app.sessions() as session:
        books = load_books(session, ruleset, today.year)
    month = compute_month(ruleset, books, today.year, today.month, as_of=today.date())
    return write_month_reports(month, app.data_dir / "reports", ("docx", "xlsx"), today.date())


def _save_replies(smtp: SmtpCapture, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    captured = smtp.messages
    for number, message in enumerate(captured, start=1):
        (folder / f"{number:02d}.eml").write_bytes(message.data)
    return len(captured)


def run_demo(console: Console, *, host: str = "127.0.0.1", port: int = 8000, data_dir: Path | None = None) -> tuple[DemoRun, App, LocalImapServer, SmtpCapture]:
    """Everything up to serving the console; the caller stops the servers."""
    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="baosong-demo-"))
    imap = LocalImapServer()
    imap.start()
    smtp = SmtpCapture().start()
    settings = _settings(data_dir, imap, smtp, host, port)
    app = open_app(settings, seed_units=True)
    run = DemoRun(data_dir, settings)
    zone = ZoneInfo("Asia/Shanghai")
    today = datetime.now(zone)
    demo_samples = samples(today.date())
    console.print(f"[bold]本地收件服务器[/] IMAP 127.0.0.1:{imap.port}　[bold]发信捕获[/] SMTP 127.0.0.1:{smtp.port}")
    console.print(f"正在向信息专用邮箱投递 {len(demo_samples)} 封示例邮件……")
    for sample in demo_samples:
        imap.append(sample.raw)
    for sample, taken in zip(demo_samples, _process(app, len(demo_samples), console), strict=False):
        run.rows.append((sample.label, taken.sender, taken.verdict, sample.expect, taken.reasons))
    send_pending(app.sessions, settings)
    run.replies_dir = data_dir / "replies"
    run.reply_count = _save_replies(smtp, run.replies_dir)
    run.reports = _record_books(app, today)
    run.password = secrets.token_urlsafe(9)
    with transaction(app.sessions) as session:
        add_user(session, DEMO_USER, "clerk", run.password)
    return run, app, imap, smtp


def summary_table(run: DemoRun) -> Table:
    table = Table(title="示例邮件处理结果", show_lines=False)
    table.add_column("#", justify="right")
    table.add_column("示例")
    table.add_column("发件人")
    table.add_column("结论")
    table.add_column("发现的问题")
    colours = {"accepted": "green", "rejected": "red", "review": "yellow", "ignored": "dim"}
    for number, (label, sender, verdict, expected, reasons) in enumerate(run.rows, start=1):
        shown = VERDICT_NAMES.get(verdict, verdict)
        if verdict != expected:
            shown += f"（预期：{VERDICT_NAMES.get(expected, expected)}）"
        table.add_row(str(number), label, sender, f"[{colours.get(verdict, 'white')}]{shown}[/]", reasons or "—")
    return table
