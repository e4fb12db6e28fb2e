"""Console commands: `serve`, `user add|list|passwd|disable|enable`, and `queue list|show|accept|reject|settle|rejudge|note` from the shell."""

from __future__ import annotations

import json
import getpass
import sys
from typing import TYPE_CHECKING

import click
from sqlalchemy.orm import Session

from baosong.cli import AppContext, pass_app
from baosong.db import transaction
from baosong.models import Item
from baosong.output import signoff_lines

if TYPE_CHECKING:
    import uvicorn
    from fastapi import FastAPI

SHELL_ACTOR_PREFIX = "shell:"


def build_console(opened) -> FastAPI:  # noqa: ANN001 - baosong.app.App, imported lazily
    """The clerk console for an opened app; `baosong run` serves the same thing."""
    from review.minimums import monthly_minimum
    from review.web import create_console
    from scoring.ruleset import load_ruleset

    ruleset = load_ruleset(opened.settings.config_dir, opened.organisation.key)
    return create_console(
        opened.settings,
        opened.sessions,
        receipt_prefix=opened.organisation.checks.receipt_prefix,
        monthly_minimum=monthly_minimum(ruleset),
        ruleset=ruleset,
    )


def web_server(console: FastAPI, host: str, port: int) -> uvicorn.Server:
    """The console's HTTP server. uvicorn's own proxy-header handling is off (by default it believes
    `X-Forwarded-For` from any loopback peer); the console trusts only `[web] trusted_proxies`."""
    import uvicorn

    return uvicorn.Server(uvicorn.Config(console, host=host, port=port, log_level="warning", proxy_headers=False))


def _open(app: AppContext):
    from baosong.app import open_app

    return open_app(app.settings)


@click.command()
@click.option("--host", default=None, help="监听地址（默认取配置 [web] host）")
@click.option("--port", type=int, default=None, help="端口（默认取配置 [web] port）")
@pass_app
def serve(app: AppContext, host: str | None, port: int | None) -> None:
    """只启动审核管理台（网页）。"""
    opened = _open(app)
    host = host or app.settings.web.host
    port = port or app.settings.web.port
    click.echo(f"管理台地址：http://{host}:{port}/  （按 Ctrl+C 停止）")
    web_server(build_console(opened), host, port).run()


@click.group()
def user() -> None:
    """管理台账号。"""


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["clerk", "admin"]), required=True, help="clerk 审核员 / admin 管理员")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（用于脚本）")
@pass_app
def user_add(app: AppContext, name: str, role: str, password_stdin: bool) -> None:
    """新建管理台账号 NAME。"""
    from review.auth import AccountError, add_user

    password = _password(password_stdin, "两次输入的密码不一致，账号未创建。")
    opened = _open(app)
    try:
        with transaction(opened.sessions) as session:
            add_user(session, name, role, password)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"已创建账号“{name}”（{'管理员' if role == 'admin' else '审核员'}）。")


def _password(password_stdin: bool, again: str) -> str:
    """A password from one line of stdin, or asked twice without echo; never from the command line."""
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("请输入密码：")
    if getpass.getpass("请再输入一次：") != password:
        raise click.ClickException(again)
    return password


@user.command("list")
@pass_app
def user_list(app: AppContext) -> None:
    """列出管理台账号：角色、状态、上次登录时间。"""
    from baosong.localtime import show
    from review.auth import all_users

    with _open(app).sessions() as session:
        for account in all_users(session):
            role = "管理员" if account.is_admin else "审核员"
            status = "已停用" if account.disabled else "正常"
            last = show(account.last_login) if account.last_login else "从未登录"
            click.echo(f"{account.name}  {role}  {status}  上次登录：{last}")


@user.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取新密码（用于脚本）")
@pass_app
def user_passwd(app: AppContext, name: str, password_stdin: bool) -> None:
    """修改账号 NAME 的密码；该账号的所有登录随即退出。"""
    from review.auth import set_password

    password = _password(password_stdin, "两次输入的密码不一致，密码未修改。")
    _account_change(app, name, lambda session, account: set_password(session, account, password))
    click.echo(f"已修改账号“{name}”的密码，该账号原有的登录都已退出。")


@user.command("disable")
@click.argument("name")
@pass_app
def user_disable(app: AppContext, name: str) -> None:
    """停用账号 NAME：立即退出登录，之后不能再登录。"""
    from review.auth import set_disabled

    _account_change(app, name, lambda session, account: set_disabled(session, account, True))
    click.echo(f"已停用账号“{name}”，该账号原有的登录都已退出。")


@user.command("enable")
@click.argument("name")
@pass_app
def user_enable(app: AppContext, name: str) -> None:
    """重新启用账号 NAME。"""
    from review.auth import set_disabled

    _account_change(app, name, lambda session, account: set_disabled(session, account, False))
    click.echo(f"已启用账号“{name}”。")


def _account_change(app: AppContext, name: str, change) -> None:  # noqa: ANN001
    from review.auth import AccountError, find_user

    try:
        with transaction(_open(app).sessions) as session:
            change(session, find_user(session, name))
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group()
def queue() -> None:
    """待处理队列：查看、接收、退回、了结、重新审核、备注。"""


@queue.command("list")
@click.option("--verdict", type=click.Choice(["rejected", "review"]), default=None, help="只看某种状态")
@click.option("--page", type=int, default=1, show_default=True, help="页码（每页 50 条）")
@click.option("--json", "as_json", is_flag=True, help="每行输出一个 JSON 对象")
@pass_app
def queue_list(app: AppContext, verdict: str | None, page: int, as_json: bool) -> None:
    """列出待处理的条目：还没了结的退回和待人工审核（含涉密条目：命令行视为管理员）。已了结的用 items list --verdict settled 查看。"""
    from baosong.labels import VERDICTS, code_title
    from baosong.localtime import show
    from baosong.search import ItemFilters, search

    opened = _open(app)
    with opened.sessions() as session:
        result = search(session, ItemFilters(verdict=verdict or ""), page, is_admin=True)
        for row in result.rows:
            item = row.item
            if as_json:
                click.echo(json.dumps(_summary(item, row.codes), ensure_ascii=False))
            else:
                unit = item.unit.name if item.unit else "（未确定单位）"
                codes = "、".join(code_title(c, opened.organisation.checks.field_names) for c in row.codes)
                click.echo(f"{item.id:>6}  {show(item.received_at)}  {VERDICTS[item.verdict]}  {unit}  "
                           f"{item.title or item.subject}  [{codes}]")
        if not as_json:
            click.echo(f"共 {result.total} 条，第 {result.page}/{result.pages} 页。")


@queue.command("show")
@click.argument("item_ref", metavar="ITEM")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@pass_app
def queue_show(app: AppContext, item_ref: str, as_json: bool) -> None:
    """显示一个条目的问题和署名信息。ITEM 是条目编号或收件编号。"""
    from baosong.labels import VERDICTS, code_title

    opened = _open(app)
    with opened.sessions() as session:
        item = _find(session, item_ref)
        summary = _summary(item, [f.code for f in item.findings])
        summary["findings"] = [
            {"code": f.code, "severity": f.severity, "message": f.message, "evidence": f.evidence}
            for f in item.findings
        ]
        if as_json:
            click.echo(json.dumps(summary, ensure_ascii=False))
            return
        click.echo(f"条目 {item.id}：{item.title or '（无标题）'}")
        click.echo(f"状态：{VERDICTS[item.verdict]}  收件编号：{item.receipt or '—'}  "
                   f"单位：{summary['unit'] or '（未确定）'}")
        click.echo(f"发件人：{item.sender}  主题：{item.subject}")
        for line in signoff_lines(item.fields, opened.organisation.checks.asked_field_names, missing="（缺）"):
            click.echo(line)
        for n, finding in enumerate(item.findings, start=1):
            click.echo(f"  {n}. [{code_title(finding.code, opened.organisation.checks.field_names)}] {finding.message}")
        if item.note:
            click.echo(f"备注：\n{item.note}")


REPLY_HELP = "是否发邮件告知报送单位；不指定时，自动回复说过“审核结果将另行邮件通知”的条目默认发送"


def _reply(session: Session, item_id: int, wanted: bool | None) -> bool:
    from baosong import actions

    return actions.reply_promised(session, item_id) if wanted is None else wanted


@queue.command("accept")
@click.argument("item_ref", metavar="ITEM")
@click.option("--reason", required=True, help="仍予接收的理由（必填）")
@click.option("--reply/--no-reply", default=None, help=REPLY_HELP)
@pass_app
def queue_accept(app: AppContext, item_ref: str, reason: str, reply: bool | None) -> None:
    """仍予接收一个条目（计入该单位的报送数量）。ITEM 是条目编号或收件编号。"""
    from baosong import actions

    opened = _open(app)
    prefix = opened.organisation.checks.receipt_prefix

    def accept(session: Session):  # noqa: ANN202
        item_id = _find(session, item_ref).id
        return actions.accept(session, item_id, _actor(), reason, receipt_prefix=prefix,
                              reply=_reply(session, item_id, reply))

    item = _act(opened, accept)
    click.echo(f"已接收条目 {item.id}，收件编号 {item.receipt}。")


@queue.command("reject")
@click.argument("item_ref", metavar="ITEM")
@click.option("--reason", default="", help="退回说明（撤销已接收的条目时必填）")
@click.option("--reply/--no-reply", default=None, help=REPLY_HELP)
@pass_app
def queue_reject(app: AppContext, item_ref: str, reason: str, reply: bool | None) -> None:
    """确认退回一个条目；对已接收的条目即撤销接收。ITEM 是条目编号或收件编号。"""
    from baosong import actions

    def reject(session: Session):  # noqa: ANN202
        item_id = _find(session, item_ref).id
        return actions.reject(session, item_id, _actor(), reason, reply=_reply(session, item_id, reply))

    item = _act(_open(app), reject)
    click.echo(f"已确认退回条目 {item.id}。")


@queue.command("settle")
@click.argument("item_refs", metavar="ITEM…", nargs=-1, required=True)
@click.option("--reason", required=True, help="了结的理由（必填，记入每个条目的操作记录）")
@pass_app
def queue_settle(app: AppContext, item_refs: tuple[str, ...], reason: str) -> None:
    """了结一个或几个条目（移出待处理队列，不发邮件）；任何一个不能了结就都不改。ITEM 是条目编号或收件编号。"""
    from baosong import actions

    opened = _open(app)
    prefix = opened.organisation.checks.receipt_prefix
    done = _act(opened, lambda s: [
        item.receipt or str(item.id)
        for item in actions.bulk(s, [_find(s, ref).id for ref in item_refs], "settle", _actor(), reason,
                                 receipt_prefix=prefix)
    ])
    click.echo(f"已了结 {len(done)} 条：{'、'.join(done)}。")


@queue.command("rejudge")
@click.argument("item_ref", metavar="ITEM")
@click.option("--reason", default="", help="重新审核的原因（可选，记入操作记录），如：发件邮箱已登记")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@pass_app
def queue_rejudge(app: AppContext, item_ref: str, reason: str, as_json: bool) -> None:
    """按现在的单位名录和规则重新审核一封已忽略的邮件（如发件邮箱刚登记），并按结论给单位回信。ITEM 是条目编号。"""
    from baosong import actions
    from baosong.labels import VERDICTS

    opened = _open(app)

    def rejudge(session: Session) -> dict:
        item = actions.rejudge(opened, session, _find(session, item_ref).id, _actor(), reason)
        return {**_summary(item, [f.code for f in item.findings]),
                "messages": [f.message for f in item.findings], "reply": actions.reply_queued(session, item.id)}

    result = _act(opened, rejudge)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    receipt = f"，收件编号 {result['receipt']}" if result["receipt"] else ""
    click.echo(f"已重新审核条目 {result['id']}：{VERDICTS[result['verdict']]}{receipt}。")
    for n, message in enumerate(result["messages"], start=1):
        click.echo(f"  {n}. {message}")
    click.echo(f"已排队回信给 {result['reply']}。" if result["reply"] else "没有给单位回信（原因见条目的操作记录）。")


@queue.command("note")
@click.argument("item_ref", metavar="ITEM")
@click.argument("text")
@pass_app
def queue_note(app: AppContext, item_ref: str, text: str) -> None:
    """给条目添加备注。ITEM 是条目编号或收件编号。"""
    from baosong import actions

    item = _act(_open(app), lambda s: actions.add_note(s, _find(s, item_ref).id, _actor(), text))
    click.echo(f"已给条目 {item.id} 添加备注。")


def _find(session: Session, ref: str) -> Item:
    from scoring.ledger import LedgerError, find_item

    try:
        return find_item(session, ref)
    except LedgerError as exc:
        raise click.ClickException(str(exc)) from exc


def _act(opened, do):  # noqa: ANN001
    from baosong.actions import ActionError

    try:
        with transaction(opened.sessions) as session:
            return do(session)
    except ActionError as exc:
        raise click.ClickException(str(exc)) from exc


def _actor() -> str:
    """Shell actions are audited under the operating-system account that ran them."""
    return f"{SHELL_ACTOR_PREFIX}{getpass.getuser()}"


def _summary(item: Item, codes: list[str]) -> dict:
    return {
        "id": item.id,
        "verdict": item.verdict,
        "receipt": item.receipt,
        "unit": item.unit.name if item.unit else None,
        "title": item.title,
        "subject": item.subject,
        "sender": item.sender,
        "received_at": item.received_at.isoformat(),
        "codes": codes,
        "fields": item.fields,
        "note": item.note,
    }


COMMANDS = [serve, user, queue]
