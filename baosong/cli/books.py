"""The books from the shell: adopt, endorse, adjust, commission, report."""

from __future__ import annotations

import getpass
import json
import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from baosong.cli import AppContext, pass_app
from baosong.cli.ledger import books as ledger_books  # `baosong books import` joins the group's other commands
from baosong.db import transaction
from scoring.compute import compute_month, compute_year
from scoring.data import load_books, quarter_report
from scoring.ledger import (
    LedgerError,
    deliver_commission,
    find_item,
    find_unit,
    late_proof_warning,
    record_adjustment,
    record_adoption,
    record_commission,
    record_endorsement,
)
from scoring.report_docx import format_points
from scoring.ruleset import RuleSet, load_ruleset


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _open(app: AppContext):  # noqa: ANN202 - (App, RuleSet)
    from baosong.app import open_app
    from baosong.organisation import ConfigError

    try:
        opened = open_app(app.settings)
        ruleset = load_ruleset(opened.organisation.config_dir, opened.organisation.key)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    return opened, ruleset


def _today(ruleset: RuleSet) -> date:
    return datetime.now(ZoneInfo(ruleset.timezone)).date()


def _emit(as_json: bool, payload: dict, text: str) -> None:
    click.echo(json.dumps(payload, ensure_ascii=False) if as_json else text)


DATE = click.DateTime(formats=["%Y-%m-%d"])


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


@click.command()
@click.argument("item_ref", metavar="ITEM")
@click.option("--outlet", required=True, help="采用的刊物或媒体（规则集中的名称或简称）")
@click.option("--date", "adopted", type=DATE, help="刊发日期，默认今天")
@click.option("--proof-date", "proof", type=DATE, help="收到刊发证明（截图、用稿通知单）的日期，默认今天")
@click.option("--proof-file", default="", help="刊发证明文件的位置（可选）")
@click.option("--note", default="", help="备注")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@pass_app
def adopt(app: AppContext, item_ref: str, outlet: str, adopted, proof, proof_file: str, note: str, as_json: bool) -> None:  # noqa: ANN001
    """登记信息被刊物或媒体采用。ITEM 为信息编号或回执编号。"""
    opened, ruleset = _open(app)
    today = _today(ruleset)
    try:
        with transaction(opened.sessions) as session:
            item = find_item(session, item_ref)
            row = record_adoption(
                session,
                ruleset,
                item,
                outlet,
                _day(adopted) or today,
                proof_received_on=_day(proof) or today,
                proof_file=proof_file,
                note=note,
                actor=_actor(),
            )
            payload = {
                "adoption": row.id,
                "item": item.id,
                "receipt": item.receipt,
                "outlet": row.outlet,
                "adopted_on": row.adopted_on.isoformat(),
                "proof_received_on": row.proof_received_on.isoformat() if row.proof_received_on else None,
                "late_proof": late_proof_warning(ruleset, row),
            }
            text = f"已登记：信息 {item.receipt or item.id}（{item.title}）被「{row.outlet}」采用，刊发日期 {row.adopted_on}。"
            if payload["late_proof"]:
                text += f"\n{payload['late_proof']}"
    except LedgerError as exc:
        raise click.ClickException(str(exc)) from exc
    _emit(as_json, payload, text)


@click.command()
@click.argument("item_ref", metavar="ITEM")
@click.option("--level", required=True, help="批示级别（规则集中的级别或名称，如 自治区、市级领导批示）")
@click.option("--leader", default="", help="批示领导")
@click.option("--date", "endorsed", type=DATE, help="批示日期，默认今天")
@click.option("--note", default="", help="备注")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@pass_app
def endorse(app: AppContext, item_ref: str, level: str, leader: str, endorsed, note: str, as_json: bool) -> None:  # noqa: ANN001
    """登记领导对信息的批示。ITEM 为信息编号或回执编号。"""
    opened, ruleset = _open(app)
    try:
        with transaction(opened.sessions) as session:
            item = find_item(session, item_ref)
            row = record_endorsement(
                session, ruleset, item, level, _day(endorsed) or _today(ruleset), leader=leader, note=note, actor=_actor()
            )
            payload = {"endorsement": row.id, "item": item.id, "level": row.level, "leader": row.leader,
                       "endorsed_on": row.endorsed_on.isoformat()}
            text = f"已登记：信息 {item.receipt or item.id} 获{row.level}级领导批示（{row.endorsed_on}）。"
    except LedgerError as exc:
        raise click.ClickException(str(exc)) from exc
    _emit(as_json, payload, text)


@click.command()
@click.argument("unit_ref", metavar="UNIT")
@click.option("--points", type=float, help="加分（正数）或扣分（负数）")
@click.option("--percent", type=float, help="按全年总分的百分比加减，如 -20")
@click.option("--kind", default="", help="规则集中的加减分项目名称（自带分值）")
@click.option("--reason", default="", help="原因（使用 --kind 时可省略）")
@click.option("--group", default="", help="计入的分组，如 政务、新闻；默认政务（百分比默认作用于全部分组）")
@click.option("--date", "dated", type=DATE, help="计分日期，默认今天")
@click.option("--force", is_flag=True, help="今天已登记过一笔相同的加减分时，确认再登记一笔")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@pass_app
def adjust(
    app: AppContext, unit_ref: str, points, percent, kind: str, reason: str, group: str, dated, force: bool,  # noqa: ANN001
    as_json: bool,
) -> None:
    """给单位加分或扣分。UNIT 为单位全称或简称。今天已登记过相同的一笔时不再登记，除非加 --force。"""
    opened, ruleset = _open(app)
    try:
        with transaction(opened.sessions) as session:
            unit = find_unit(session, unit_ref)
            row = record_adjustment(
                session, ruleset, unit, dated_on=_day(dated) or _today(ruleset), reason=reason,
                points=points, percent=percent, kind=kind, group=group, actor=_actor(), confirmed=force,
            )
            payload = {"adjustment": row.id, "unit": unit.name, "points": row.points, "percent": row.percent,
                       "group": row.score_group, "kind": row.kind, "reason": row.reason,
                       "dated_on": row.dated_on.isoformat()}
            amount = f"{format_points(row.points)}分" if row.points is not None else f"全年总分的{format_points(row.percent)}%"
            text = f"已登记：{unit.name} {amount}，原因：{row.reason}（{row.dated_on}）。"
    except LedgerError as exc:
        raise click.ClickException(str(exc)) from exc
    _emit(as_json, payload, text)


@click.group()
def commission() -> None:
    """约稿：登记约稿任务和交稿情况。"""


@commission.command("add")
@click.argument("unit_ref", metavar="UNIT")
@click.option("--topic", required=True, help="约稿题目")
@click.option("--due", type=DATE, required=True, help="交稿期限（YYYY-MM-DD）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@pass_app
def commission_add(app: AppContext, unit_ref: str, topic: str, due, as_json: bool) -> None:  # noqa: ANN001
    """向单位约稿。"""
    opened, _ruleset = _open(app)
    try:
        with transaction(opened.sessions) as session:
            unit = find_unit(session, unit_ref)
            row = record_commission(session, unit, topic, due.date(), actor=_actor())
            payload = {"commission": row.id, "unit": unit.name, "topic": row.topic, "due_on": row.due_on.isoformat()}
            text = f"已登记约稿 {row.id}：{unit.name}「{row.topic}」，{row.due_on} 前交稿。"
    except LedgerError as exc:
        raise click.ClickException(str(exc)) from exc
    _emit(as_json, payload, text)


@commission.command("deliver")
@click.argument("commission_id", type=int)
@click.argument("item_ref", metavar="ITEM")
@click.option("--date", "delivered", type=DATE, help="交稿日期，默认今天")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@pass_app
def commission_deliver(app: AppContext, commission_id: int, item_ref: str, delivered, as_json: bool) -> None:  # noqa: ANN001
    """登记约稿已由某条信息交稿。"""
    opened, ruleset = _open(app)
    try:
        with transaction(opened.sessions) as session:
            item = find_item(session, item_ref)
            row = deliver_commission(session, commission_id, item, _day(delivered) or _today(ruleset), actor=_actor())
            on_time = row.delivered_on <= row.due_on
            payload = {"commission": row.id, "item": item.id, "delivered_on": row.delivered_on.isoformat(), "on_time": on_time}
            text = f"已登记约稿 {row.id} 交稿（{row.delivered_on}，{'按时' if on_time else '逾期'}）。"
    except LedgerError as exc:
        raise click.ClickException(str(exc)) from exc
    _emit(as_json, payload, text)


def _formats(value: str) -> tuple[str, ...]:
    from scoring.publish import FORMATS  # matplotlib and the writers load only when a report is made

    chosen = tuple(part.strip().lower() for part in re.split(r"[,，]", value) if part.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(f"格式只能是 {', '.join(FORMATS)}（可用逗号分隔）", param_hint="--format")
    return chosen


def _require_cjk_font() -> None:
    """The 通报's charts need a Chinese font: without one every label is a box, so nothing is written.

    Refusing (exit 1) rather than warning: a warning scrolls by in a cron log while a 通报 with
    unreadable charts goes out to every unit; `--format xlsx` still works without a font.
    """
    from scoring.fonts import INSTALL_HINT, ensure_cjk_font

    if ensure_cjk_font() is None:
        raise click.ClickException(INSTALL_HINT + "\n只需要 Excel 表格时可以用 --format xlsx（不含图表）。")


def _targets_text(row) -> str:  # noqa: ANN001 - scoring.compute.UnitYear
    """（政务 目标300分，差150分；新闻 已完成）: each target and what is still missing of it."""
    parts = [
        f"{group} 目标{format_points(s.target)}分，" + (f"差{format_points(s.gap)}分" if s.gap else "已完成")
        for group, s in row.scores.items() if s.target is not None
    ]
    return f"（{'；'.join(parts)}）" if parts else ""


def _quarter(value: str) -> tuple[int, int]:
    """(year, quarter) from 2026-Q1."""
    match = re.fullmatch(r"(\d{4})-?[Qq]([1-4])", value.strip())
    if not match:
        raise click.BadParameter(f"季度应写成 YYYY-Qn，如 2026-Q1，而不是「{value}」", param_hint="--quarter")
    return int(match.group(1)), int(match.group(2))


def _month_rows(result) -> list[dict]:  # noqa: ANN001 - scoring.compute.MonthReport
    rows = []
    for r in result.units:
        row = {"unit": r.unit.name, "class": r.unit.class_name, "rank": r.rank, "received": r.received,
               "submitted": r.submitted, "submitted_by_group": dict(r.submitted_by_group), "adopted": r.adopted,
               "outlets": dict(r.outlet_counts), "endorsed": r.endorsed, "adjusted": r.adjusted,
               "scores": {g: {"month": s.month, "adoption": s.adoption, "endorsed": s.endorsed, "adjusted": s.adjusted,
                              "year_to_date": s.year_to_date, "target": s.target, "gap": s.gap}
                          for g, s in r.scores.items()}}
        if result.last_year:
            before = result.last_year.get(r.unit.id)
            row["last_year"] = before.month_total if before else 0.0
        rows.append(row)
    return rows


def _month(value: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise click.BadParameter(f"月份应写成 YYYY-MM，如 2026-03，而不是「{value}」", param_hint="--month")
    return int(match.group(1)), int(match.group(2))


@click.command()
@click.option("--month", "month_text", help="月度通报的月份，YYYY-MM")
@click.option("--quarter", "quarter_text", help="季度通报的季度，YYYY-Qn（如 2026-Q1），附与去年同期比较")
@click.option("--year", type=int, help="年度排名与奖励的年份，YYYY")
@click.option("--format", "format_text", default="docx,xlsx", show_default=True, help="输出格式：docx、xlsx")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), help="输出目录，默认数据目录下的 reports/")
@click.option("--date", "issued", type=DATE, help="通报落款日期（YYYY-MM-DD），默认今天")
@click.option("--issue", default="", help="期号，如 7，印作（2026年第7期）；默认月份数")
@click.option("--doc-number", default="", help="文号，如 昌环办〔2026〕12号，印在期号下方")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出得分和生成的文件")
@pass_app
def report(
    app: AppContext, month_text: str | None, quarter_text: str | None, year: int | None, format_text: str,
    out_dir: Path | None, issued, issue: str, doc_number: str, as_json: bool,  # noqa: ANN001
) -> None:
    """生成月度或季度信息工作通报（Word、Excel）或年度排名与奖励。"""
    if sum(value is not None for value in (month_text, quarter_text, year)) != 1:
        raise click.UsageError("请给出 --month YYYY-MM（月度通报）、--quarter YYYY-Qn（季度通报）或 --year YYYY（年度排名）之一")
    formats = _formats(format_text)
    if year is None and "docx" in formats:
        _require_cjk_font()
    from scoring.publish import write_month_reports, write_year_reports

    opened, ruleset = _open(app)
    out_dir = out_dir or opened.settings.data_dir / "reports"
    today = _today(ruleset)
    issued_on = _day(issued) or today
    if year is None:
        with opened.sessions() as session:
            if month_text is not None:
                the_year, the_month = _month(month_text)
                result = compute_month(ruleset, load_books(session, ruleset, the_year), the_year, the_month, as_of=today)
            else:
                result = quarter_report(session, ruleset, *_quarter(quarter_text), today)
        files = write_month_reports(result, out_dir, formats, issued_on, issue=issue, doc_number=doc_number)
        rows = _month_rows(result)
        text = f"{result.period_label}：{len(result.units)}个单位，报送{result.submitted}条，采用{result.adopted}条。"
    else:
        with opened.sessions() as session:
            books = load_books(session, ruleset, year)
        result = compute_year(ruleset, books, year, as_of=today)
        files = write_year_reports(result, out_dir, formats, issued_on)
        rows = [
            {"unit": r.unit.name, "class": r.unit.class_name, "rank": r.rank,
             "scores": {g: s.year_to_date for g, s in r.scores.items()}, "total": r.total,
             "targets": {g: s.target for g, s in r.scores.items() if s.target is not None},
             "gaps": {g: s.gap for g, s in r.scores.items() if s.target is not None}}
            for r in result.units
        ]
        lines = [f"{year}年度排名："]
        for class_name, members in result.by_class():
            lines.append(f"【{class_name}】")
            lines += [f"  {r.rank:>2}. {r.unit.name}  {format_points(r.total)}分{_targets_text(r)}" for r in members]
        if result.rewards:
            lines.append("奖励：")
            lines += [f"  {w.unit.name}  {w.reason}  {format_points(w.yuan)}元" for w in result.rewards]
        if any(a.author for a in result.authors):
            lines.append("撰稿人：")
            lines += [
                f"  {a.unit.name}  {a.author}  报送{a.submitted}条、采用{a.adopted}条、{format_points(a.points)}分"
                + (f"、奖金{format_points(a.yuan)}元" if a.yuan else "")
                for a in result.authors if a.author
            ]
        text = "\n".join(lines)
    payload = {"units": rows, "files": [str(f) for f in files]}
    _emit(as_json, payload, text + "\n已生成：\n" + "\n".join(f"  {f}" for f in files))


@ledger_books.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--template", is_flag=True, help="不导入，而是在 PATH 写一份空白台账模板（信息、采用、批示三张表）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@pass_app
def books_import(app: AppContext, path: Path, template: bool, as_json: bool) -> None:
    """导入原有台账（.xlsx；可先用 --template 生成空白模板）。

    「信息」表：编号、日期、单位、标题、类别、撰稿人；「采用」表：信息、刊物、采用日期、证明日期；
    「批示」表：信息、批示级别、批示日期、批示领导。

    采用、批示表的「信息」填「信息」表的编号，或已在系统中的收件编号。先逐行检查，
    有任何一行不对就一条也不导入，并按表和行列出问题；同一份台账再次导入不会重复登记。
    """
    from baosong.app import open_app
    from baosong.history_import import HistoryImportError, import_history, write_template

    if template:
        if path.exists():
            raise click.ClickException(f"{path} 已存在，未覆盖：请换一个文件名")
        write_template(path)
        _emit(as_json, {"template": str(path)}, f"已生成空白台账模板：{path}（填好后用 baosong books import {path.name} 导入）")
        return
    if not path.is_file():
        raise click.ClickException(f"找不到文件 {path}")
    opened = open_app(app.settings, seed_units=True)
    try:
        with transaction(opened.sessions) as session:
            result = import_history(
                session, path, opened.ruleset, receipt_prefix=opened.organisation.checks.receipt_prefix, actor=_actor()
            )
    except HistoryImportError as exc:
        if as_json:
            click.echo(json.dumps({"file": path.name, "problems": exc.problems}, ensure_ascii=False))
        else:
            click.echo(f"{path.name} 未导入（请改正下列问题后重新导入，整份台账一条也没有登记）：", err=True)
            for problem in exc.problems:
                click.echo(f"  {problem}", err=True)
        raise SystemExit(1) from exc
    payload = {"file": path.name, "items": result.items_added, "items_skipped": result.items_skipped,
               "adoptions": result.adoptions, "endorsements": result.endorsements, "skipped": result.entries_skipped}
    text = (f"{path.name}：新登记信息 {len(result.items_added)} 条、采用 {result.adoptions} 条、批示 {result.endorsements} 条")
    if result.items_skipped or result.entries_skipped:
        text += f"；{result.items_skipped + result.entries_skipped} 行此前已导入，未重复登记"
    _emit(as_json, payload, text + "。")


COMMANDS = [adopt, endorse, adjust, commission, report]
