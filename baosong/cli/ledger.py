"""`baosong books …`: a month's adoptions from one sheet; put right or take back an adoption,
endorsement, adjustment or commission."""

from __future__ import annotations

import getpass
import json
import sys
from datetime import datetime
from pathlib import Path

import click

from baosong.cli import AppContext, pass_app
from baosong.db import transaction
from scoring.ledger import ENTRY_NAMES, LedgerError, correct_entry, delete_entry, late_proof_warning

ENTRIES = click.Choice(list(ENTRY_NAMES))
DATE = click.DateTime(formats=["%Y-%m-%d"])
# option → (entries it applies to, the entry's field); --date is each entry's own date
OPTIONS = {
    "outlet": (("adoption",), "outlet"),
    "proof_date": (("adoption",), "proof_received_on"),
    "note": (("adoption", "endorsement"), "note"),
    "level": (("endorsement",), "level"),
    "leader": (("endorsement",), "leader"),
    "points": (("adjustment",), "points"),
    "percent": (("adjustment",), "percent"),
    "text": (("adjustment",), "reason"),
    "kind": (("adjustment",), "kind"),
    "group": (("adjustment",), "score_group"),
    "topic": (("commission",), "topic"),
    "delivered": (("commission",), "delivered_on"),
}
DATES = {"adoption": "adopted_on", "endorsement": "endorsed_on", "adjustment": "dated_on", "commission": "due_on"}


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


@click.group()
def books() -> None:
    """台账：导入原有台账；批量登记采用；更正或删除采用（adoption）、批示（endorsement）、加减分（adjustment）、约稿（commission）。

    记录编号见管理台的条目页和“加减分与约稿”页，或登记时命令的输出。
    """


@books.command("adoptions")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="输出一行 JSON")
@pass_app
def adoptions(app: AppContext, path: Path, as_json: bool) -> None:
    """从一张表格（.xlsx 或 .csv）登记一批采用。

    列：收件编号 或 标题（指明信息）、刊物、采用日期，可选 证明日期、备注。先逐行检查，
    有任何一行不对就一条也不登记，并按行列出问题（退出码 1）。
    """
    from baosong.cli.books import _open
    from scoring.batch import BatchError, late_proofs, read_rows, record_batch

    opened, ruleset = _open(app)
    try:
        with transaction(opened.sessions) as session:
            recorded = record_batch(session, ruleset, read_rows(path), actor=_actor(), source=path.name)
            ids = [row.id for row in recorded]
            late = late_proofs(ruleset, recorded)
    except BatchError as exc:
        problems = {str(line): wrong for line, wrong in sorted(exc.problems.items())}
        if as_json:
            click.echo(json.dumps({"file": path.name, "adoptions": [], "problems": problems}, ensure_ascii=False))
        else:
            click.echo(f"{path.name}：没有登记任何采用，请改正以下各行后重新导入：", err=True)
            for line, wrong in problems.items():
                click.echo(f"  第 {line} 行：{'；'.join(wrong)}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps({"file": path.name, "adoptions": ids, "problems": {}, "late_proofs": late},
                              ensure_ascii=False))
    else:
        click.echo(f"已从 {path.name} 登记 {len(ids)} 条采用。")
        for line in late:
            click.echo(f"  {line}")


@books.command("correct")
@click.argument("entry", type=ENTRIES)
@click.argument("entry_id", type=int)
@click.option("--reason", required=True, help="更正的理由（必填，记入操作记录）")
@click.option("--date", "day", type=DATE, help="新的日期：采用的刊发日期、批示日期、加减分的计分日期或约稿期限")
@click.option("--outlet", help="采用：新的刊物或媒体")
@click.option("--proof-date", "proof_date", type=DATE, help="采用：收到刊发证明的日期")
@click.option("--note", help="采用、批示：新的备注")
@click.option("--level", help="批示：新的批示级别")
@click.option("--leader", help="批示：批示领导")
@click.option("--points", type=float, help="加减分：新的分值（扣分写负数）")
@click.option("--percent", type=float, help="加减分：新的全年总分百分比")
@click.option("--text", help="加减分：新的加减分原因")
@click.option("--kind", help="加减分：规则集中的加减分项目")
@click.option("--group", help="加减分：计入的分组")
@click.option("--topic", help="约稿：新的题目")
@click.option("--delivered", type=DATE, help="约稿：交稿日期")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@pass_app
def correct(app: AppContext, entry: str, entry_id: int, reason: str, day, as_json: bool, **given) -> None:  # noqa: ANN001
    """更正一条台账记录：只改给出的项，其余不变；通报按更正后的台账计算。"""
    from baosong.cli.books import _open

    changes = {}
    for option, value in given.items():
        if value is None:
            continue
        entries, field = OPTIONS[option]
        if entry not in entries:
            raise click.UsageError(f"{ENTRY_NAMES[entry]}记录没有 --{option.replace('_', '-')} 这一项")
        changes[field] = value.date() if isinstance(value, datetime) else value
    if day is not None:
        changes[DATES[entry]] = day.date()
    if entry == "adjustment" and "points" in changes:
        changes.setdefault("percent", None)
    elif entry == "adjustment" and "percent" in changes:
        changes["points"] = None
    if not changes:
        raise click.UsageError("请给出要更正的项，如 --date 2026-03-09")
    opened, ruleset = _open(app)
    try:
        with transaction(opened.sessions) as session:
            row = correct_entry(session, ruleset, entry, entry_id, changes, reason=reason, actor=_actor())
            late = late_proof_warning(ruleset, row) if entry == "adoption" else ""
    except LedgerError as exc:
        raise click.ClickException(str(exc)) from exc
    shown = {key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in changes.items()}
    text = f"已更正{ENTRY_NAMES[entry]}记录 {entry_id}，通报随之更新。" + (f"\n{late}" if late else "")
    payload = {"entry": entry, "id": entry_id, "changed": shown, "late_proof": late}
    click.echo(json.dumps(payload, ensure_ascii=False) if as_json else text)


@books.command("delete")
@click.argument("entry", type=ENTRIES)
@click.argument("entry_id", type=int)
@click.option("--reason", required=True, help="删除的理由（必填，记入操作记录）")
@pass_app
def delete(app: AppContext, entry: str, entry_id: int, reason: str) -> None:
    """删除一条台账记录（操作记录中保留它原来的内容）；通报随之更新。"""
    from baosong.cli.books import _open

    opened, _ruleset = _open(app)
    try:
        with transaction(opened.sessions) as session:
            delete_entry(session, entry, entry_id, reason=reason, actor=_actor())
    except LedgerError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"已删除{ENTRY_NAMES[entry]}记录 {entry_id}，通报随之更新。")


COMMANDS = [books]
