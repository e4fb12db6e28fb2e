"""`baosong import` and `baosong items`: process saved mail as if it had arrived, and look at items."""

from __future__ import annotations

import errno
import sys
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import click
from rich.progress import Progress

from baosong.app import open_app
from baosong.cli import AppContext, pass_app
from baosong.localtime import OFFICE_TZ, show
from baosong.db import transaction
from baosong.models import AuditEntry, Item, utcnow
from baosong.output import VERDICT_NAMES, json_line, judgement_json
from baosong.labels import code_title
from baosong.pipeline import ingest
from intake.mailheaders import arrival_time
from intake.savedmail import read_capped, saved_mails
from scoring.ledger import LedgerError, find_item, find_unit


def _office_time(_ctx: click.Context, _param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"“{value}”不是日期，请写成 2026-01-15 或 2026-01-15 09:30") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=OFFICE_TZ)


def storage_problem(exc: OSError, data_dir: Path) -> str:
    """Why the data folder refused a file, in Chinese, with what to do."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"磁盘空间已满，请清理数据目录 {data_dir} 所在的磁盘后重新导入"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"数据目录 {data_dir} 只读或没有写入权限，请检查后重新导入"
    return f"无法写入数据目录 {data_dir}（{exc.strerror or exc}），请检查后重新导入"


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--received-at",
    callback=_office_time,
    help="把这些邮件都当作在此时间收到（北京时间，如 2026-01-15 09:30）；不填则按每封邮件自己的 Received/Date 时间",
)
@click.option(
    "--no-reply",
    is_flag=True,
    help="不给报送单位发回复（导入以前已处理过的历史邮件时用）；退回的条目直接了结，不进待处理队列",
)
@click.option("--json", "as_json", is_flag=True, help="每封邮件输出一行 JSON")
@pass_app
def import_mail(
    app: AppContext, paths: tuple[Path, ...], received_at: datetime | None, no_reply: bool, as_json: bool
) -> None:
    """把 .eml 文件、装 .eml 的文件夹或 maildir 文件夹当作收到的邮件处理（登记、查重、排队回复）。

    每封邮件按它到达邮箱的时间（最新的 Received，其次 Date）计入当天和当月，可用 --received-at 指定。
    导入历史邮件时加 --no-reply，以免给各单位补发几个月前的回复。
    """
    settings = app.settings
    if no_reply:  # history: the units were answered back then, by hand
        settings = replace(settings, replies=replace(settings.replies, enabled=False))
    opened = open_app(settings, seed_units=True)
    limit = opened.organisation.checks.max_message_bytes
    messages = saved_mails(paths)
    show_progress = sys.stderr.isatty() and not as_json and len(messages) > 1
    failed = 0
    with Progress(disable=not show_progress, transient=True) as progress:
        task = progress.add_task("导入邮件", total=len(messages))
        for saved in messages:
            source = saved.source
            try:
                with saved.open() as stream:
                    mail = read_capped(stream, limit)
                arrival = received_at or arrival_time(mail.raw, now=utcnow())
                outcome = ingest(
                    opened, mail.raw, source="import", received_at=arrival, declared_size=mail.declared_size
                )
            except OSError as exc:  # the mail could not be archived: nothing recorded, the rest go on
                failed += 1
                click.echo(f"{source}：未能保存，没有处理：{storage_problem(exc, opened.data_dir)}", err=True)
                continue
            finally:
                progress.advance(task)
            if outcome.error:
                failed += 1
                click.echo(f"{source}：处理失败（系统原因，已保存原始邮件，将重试）：{outcome.error}", err=True)
                continue
            if no_reply and not outcome.repeated and outcome.item_id is not None and outcome.verdict != "ignored":
                _settle_history(opened, outcome.item_id)
            if as_json:
                if outcome.judgement is not None:
                    record = judgement_json(source, outcome.judgement, receipt=outcome.receipt)
                else:
                    record = {"source": source, "verdict": outcome.verdict, "receipt": outcome.receipt, "repeated": True}
                click.echo(json_line(record))
            else:
                note = "（重复投递，已处理过）" if outcome.repeated else ""
                verdict = VERDICT_NAMES.get(outcome.verdict or "", outcome.verdict)
                click.echo(f"{source}：{verdict} {outcome.receipt or ''}{note}")
    sys.exit(1 if failed else 0)


HISTORY_NOTE = "历史邮件导入（--no-reply），未给单位发回复"


def _settle_history(opened, item_id: int) -> None:  # noqa: ANN001 - baosong.app.App
    """An imported old mail got no reply: the item says why, and a rejected one does not wait for a clerk."""
    with transaction(opened.sessions) as session:
        item = session.get(Item, item_id)
        session.add(AuditEntry(actor="system", action="no_reply", item_id=item_id, reason=HISTORY_NOTE, details={}))
        if item is not None and item.verdict == "rejected" and item.settled_at is None:
            item.settled_at = utcnow()


@click.group()
def items() -> None:
    """查看已处理的信息条目。"""


def _item_record(item: Item) -> dict:
    return {
        "id": item.id,
        "receipt": item.receipt,
        "verdict": item.verdict,
        "unit": item.unit.name if item.unit else None,
        "category": item.category,
        "title": item.title,
        "sender": item.sender,
        "subject": item.subject,
        "received_at": item.received_at.isoformat(),
        "settled_at": item.settled_at.isoformat() if item.settled_at else None,  # out of the queue since
        "resubmission_of": item.resubmission_of_id,  # the rejected item this one corrects
        "codes": [f.code for f in item.findings],
    }


def _day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"“{value}”不是日期，请写成 2026-01-15") from None


@items.command("list")
@click.option("--q", "text", default="", help="收件编号，或标题/邮件主题中的词（几个词用空格隔开，须都出现）")
@click.option("--unit", default="", help="单位名称或别名")
@click.option("--from", "date_from", callback=_day, help="收到日期从（含），如 2026-03-01")
@click.option("--to", "date_to", callback=_day, help="收到日期到（含），如 2026-03-31")
@click.option(
    "--verdict", type=click.Choice(["queue", "rejected", "review", "settled", "accepted", "ignored", "all"]),
    default="all", show_default=True,
    help="queue 待处理，rejected 已退回待处理，review 待人工审核，settled 已了结，accepted 已接收，ignored 已忽略，all 全部",
)
@click.option("--limit", default=50, show_default=True, help="每页最多显示几条")
@click.option("--page", default=1, show_default=True, help="页码")
@click.option("--json", "as_json", is_flag=True, help="每条输出一行 JSON")
@pass_app
def list_items(
    app: AppContext, text: str, unit: str, date_from: date | None, date_to: date | None, verdict: str,
    limit: int, page: int, as_json: bool,
) -> None:
    """查找信息条目：按收件编号、标题中的词、单位、收到日期和状态，最新的在前。"""
    from baosong.search import ItemFilters, search

    opened = open_app(app.settings)
    with opened.sessions() as session:
        try:
            unit_id = find_unit(session, unit).id if unit.strip() else None
        except LedgerError as exc:
            raise click.ClickException(str(exc)) from exc
        filters = ItemFilters(
            verdict="" if verdict == "queue" else verdict, text=text.strip(), unit_id=unit_id,
            date_from=date_from, date_to=date_to,
        )
        result = search(session, filters, page, is_admin=True, page_size=max(1, min(limit, 1000)))
        for row in result.rows:
            item = row.item
            if as_json:
                click.echo(json_line(_item_record(item)))
            else:
                unit_name = item.unit.name if item.unit else "未识别单位"
                verdict_name = VERDICT_NAMES.get(item.verdict, item.verdict)
                settled = "（已了结）" if item.settled_at and item.verdict != "accepted" else ""
                click.echo(f"{item.receipt or '-':<16} {show(item.received_at)}  {verdict_name}{settled}  "
                           f"{unit_name}  {item.title[:40] or item.subject[:40]}")
        if not as_json:
            click.echo(f"共 {result.total} 条，第 {result.page}/{result.pages} 页。")


@items.command("show")
@click.argument("item_ref", metavar="ITEM")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@pass_app
def show_item(app: AppContext, item_ref: str, as_json: bool) -> None:
    """显示一条信息的详细情况和发现的问题。ITEM 是条目编号或收件编号。"""
    opened = open_app(app.settings)
    with opened.sessions() as session:
        try:
            item = find_item(session, item_ref)
        except LedgerError as exc:
            raise click.ClickException(str(exc)) from exc
        record = _item_record(item)
        record["fields"] = item.fields
        record["findings"] = [
            {"code": f.code, "severity": f.severity, "message": f.message, "evidence": f.evidence} for f in item.findings
        ]
        if as_json:
            click.echo(json_line(record))
            return
        click.echo(f"条目 {item.id}  收件编号 {item.receipt or '-'}  {VERDICT_NAMES.get(item.verdict, item.verdict)}")
        click.echo(f"单位：{record['unit'] or '未识别'}  发件人：{item.sender}")
        click.echo(f"标题：{item.title or '（无）'}")
        for number, finding in enumerate(item.findings, start=1):
            click.echo(f"  {number}. {code_title(finding.code, opened.organisation.checks.field_names)}：{finding.message}")


@items.command("category")
@click.argument("item_ref", metavar="ITEM")
@click.argument("category")
@click.option("--reason", default="", help="改动的理由（记入操作记录）")
@pass_app
def set_category(app: AppContext, item_ref: str, category: str, reason: str) -> None:
    """设定信息的类别（如 动态、专报、参阅，见规则集 scoring.toml 的 categories）。ITEM 是条目编号或收件编号。"""
    from baosong import actions
    from baosong.cli.console import _act, _actor, _find

    opened = open_app(app.settings)
    categories = opened.ruleset.categories
    item = _act(
        opened,
        lambda s: actions.set_category(s, _find(s, item_ref).id, _actor(), category, reason, categories=categories),
    )
    click.echo(f"条目 {item.id}（{item.receipt or '无收件编号'}）的类别已改为“{item.category}”。")


@items.command("import-oa")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="输出一行 JSON")
@pass_app
def import_oa(app: AppContext, path: Path, as_json: bool) -> None:
    """从 OA 平台导出的表格（.xlsx 或 .csv，列：日期、单位、标题、类别）登记报送的信息。

    先逐行检查，有任何一行不对就一条也不登记，并按行列出问题；导入过的行不会重复登记。
    """
    from baosong.cli.console import _actor
    from baosong.db import transaction
    from baosong.oa_import import OaImportError, import_rows, read_export, validate

    opened = open_app(app.settings, seed_units=True)
    ruleset = opened.ruleset
    try:
        with transaction(opened.sessions) as session:
            rows = validate(session, read_export(path), ruleset)
            result = import_rows(
                session, rows, ruleset, receipt_prefix=opened.organisation.checks.receipt_prefix,
                actor=_actor(), source=path.name,
            )
    except OaImportError as exc:
        if as_json:
            click.echo(json_line({"file": path.name, "added": [], "problems": exc.problems}))
        else:
            click.echo(f"{path.name} 未导入（有问题的行需先改正，整张表一条也没有登记）：", err=True)
            for problem in exc.problems:
                click.echo(f"  {problem}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json_line({"file": path.name, "added": result.added, "skipped": result.skipped, "problems": []}))
        return
    text = f"{path.name}：新登记 {len(result.added)} 条"
    if result.added:
        text += f"（收件编号 {result.added[0]} 至 {result.added[-1]}）"
    if result.skipped:
        text += f"，{result.skipped} 条此前已导入，未重复登记"
    click.echo(text + "。")


COMMANDS = [import_mail, items]
