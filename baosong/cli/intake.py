"""Intake commands: `poll` (one IMAP cycle, or polling until Ctrl-C) and `run` (the worker)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Mapping

import click

from baosong.cli import AppContext, pass_app
from baosong.output import VERDICT_NAMES, json_line, judgement_json, judgement_text


MAIL_INTAKE_OFF = (
    "本规则集不通过邮箱收取信息（checks.toml 中 [intake] mail = false），信息从 OA 导出表导入："
    "baosong items import-oa 文件.xlsx。如需收取邮件，请把 mail 改为 true。"
)


def _source(report, result) -> str:  # noqa: ANN001 - intake.imap.CycleReport / MessageResult
    if result.uid is None:
        return f"imap://{report.mailbox}/{report.folder}（重试，存档 #{result.raw_id}）"
    return f"imap://{report.mailbox}/{report.folder};UIDVALIDITY={report.uidvalidity}/;UID={result.uid}"


def _shower(as_json: bool, field_names: Mapping[str, str]):  # noqa: ANN202
    """A callback printing one line (JSON) or one block (text) per message as soon as it is done."""

    def show(report, result) -> None:  # noqa: ANN001
        outcome = result.outcome
        source = _source(report, result)
        if outcome is None:
            return  # deleted on the server before download, or another worker took it
        if outcome.error:
            click.echo(f"{source}：处理失败（系统原因，原始邮件已保存，下次自动重试）：{outcome.error}", err=True)
        elif as_json and outcome.judgement is not None:
            click.echo(json_line(judgement_json(source, outcome.judgement, receipt=outcome.receipt)))
        elif as_json:
            click.echo(json_line({"source": source, "verdict": outcome.verdict, "receipt": outcome.receipt, "repeated": True}))
        elif outcome.judgement is not None:
            click.echo(judgement_text(source, outcome.judgement, field_names=field_names, receipt=outcome.receipt))
        else:
            verdict = VERDICT_NAMES.get(outcome.verdict or "", outcome.verdict)
            click.echo(f"{source}：与之前收到的邮件相同，不再重复登记（{verdict} {outcome.receipt or ''}）")

    return show


def _summary(report) -> str:  # noqa: ANN001
    if report.busy:
        return "另一个收件进程正在读取这个邮箱，本次跳过。"
    taken = sum(1 for r in report.results if r.outcome and not r.outcome.error)
    text = f"邮箱 {report.mailbox} 的 {report.folder}：本轮收取 {len(report.results)} 封，处理完成 {taken} 封"
    if report.retried:
        text += f"，重试此前失败的 {len(report.retried)} 封"
    if report.reconnects:
        text += f"，断线重连 {report.reconnects} 次"
    return text + "。"


def _send_replies(opened):  # noqa: ANN001, ANN202 - baosong.app.App → intake.outbox.SendReport
    """The outbox pass `baosong run` makes: every reply that is due goes out now."""
    from intake.outbox import send_pending

    return send_pending(opened.sessions, opened.settings)


def _show_sending(sending, as_json: bool) -> None:  # noqa: ANN001 - intake.outbox.SendReport
    """The outbox pass in Chinese (stdout), each refusal on stderr; with --json one `replies` line."""
    from baosong.localtime import show

    if as_json:
        click.echo(json_line({"replies": sending.counts()}))
    else:
        text = (
            f"回复：本轮发出 {sending.sent} 封，暂缓 {sending.held} 封，发送失败 {sending.failed} 封，"
            f"稍后自动重试 {sending.retry} 封"
        )
        if sending.uncertain:
            text += f"，不确定是否已发出 {sending.uncertain} 封（请在管理台“运行状态”页核对）"
        click.echo(text + "。")
    for failure in sending.failures:
        click.echo(f"回复 #{failure.outbox_id}（收件人 {failure.recipient}）：{failure.text}", err=True)
    if sending.paused_until is not None:
        click.echo(f"发信已暂停，{show(sending.paused_until)}（北京时间）恢复：{sending.pause_reason}", err=True)
    for problem in sending.errors:
        click.echo(problem, err=True)


@click.command()
@click.option("--once", is_flag=True, help="只收取一轮、发出到期的回复，然后退出（适合 cron 定时任务）")
@click.option("--no-send", is_flag=True, help="只收件审核，不发送回复（回复留在发件箱里待发）")
@click.option("--json", "as_json", is_flag=True, help="每封邮件输出一行 JSON，最后一行是回复发送情况")
@pass_app
def poll(app: AppContext, once: bool, no_send: bool, as_json: bool) -> None:
    """从 IMAP 邮箱收取新邮件并审核，然后发出到期的回复；不加 --once 则按 poll_seconds 间隔持续轮询，Ctrl+C 停止。"""
    from baosong.app import open_app
    from intake.imap import poll_once, watch

    if not app.settings.mailbox.host:
        raise click.ClickException("尚未配置收件邮箱：请在 baosong.toml 的 [mailbox] 中填写 host、user，密码用环境变量 BAOSONG_MAILBOX_PASSWORD 提供。")
    opened = open_app(app.settings, seed_units=True)
    if not opened.organisation.checks.mail_intake:
        raise click.ClickException(MAIL_INTAKE_OFF)

    def after_intake(report) -> None:  # noqa: ANN001 - intake.imap.CycleReport
        if not as_json:
            click.echo(_summary(report))
        for problem in report.server_errors:
            click.echo(problem, err=True)
        if not no_send:
            _show_sending(_send_replies(opened), as_json)

    if once:
        report = poll_once(opened, on_message=_shower(as_json, opened.organisation.checks.asked_field_names))
        after_intake(report)
        if report.error:
            click.echo(f"本轮收件未完成：{report.error}（已收下的邮件不受影响，下次运行会接着处理）", err=True)
            sys.exit(1)
        return
    stop = threading.Event()
    click.echo("开始轮询邮箱（按 Ctrl+C 停止）……", err=True)
    try:
        watch(opened, stop, idle=False, on_message=_shower(as_json, opened.organisation.checks.asked_field_names), on_cycle=after_intake)
    except KeyboardInterrupt:
        stop.set()


@click.command()
@click.option("--no-web", is_flag=True, help="不启动审核管理台，只收件和发信")
@pass_app
def run(app: AppContext, no_web: bool) -> None:
    """常驻运行：收件（IMAP IDLE 或定时轮询）、发送回复，并提供审核管理台。SIGTERM 或 Ctrl+C 停止。"""
    from baosong.app import open_app
    from intake.scheduler import Worker

    settings = app.settings
    opened = open_app(settings, seed_units=True)
    web = None
    if not no_web:
        from baosong.cli.console import build_console, web_server

        web = web_server(build_console(opened), settings.web.host, settings.web.port)
    worker = Worker(opened, web=web)

    def ready() -> None:
        mailbox = settings.mailbox
        if mailbox.host:
            mode = "IMAP IDLE（服务器不支持时改为轮询）" if mailbox.idle else f"每 {mailbox.poll_seconds} 秒轮询"
            click.echo(f"收件：{mailbox.user}@{mailbox.host} 的 {mailbox.folder}，{mode}")
        else:
            click.echo("未配置收件邮箱（[mailbox] host），只发送回复。")
        if not opened.organisation.checks.mail_intake:
            click.echo(MAIL_INTAKE_OFF)
        if web is not None:
            click.echo(f"管理台：http://{settings.web.host}:{settings.web.port}/")
        click.echo("运行中，按 Ctrl+C 或发送 SIGTERM 停止。")

    worker.run_until_stopped(on_ready=ready)
    click.echo("已停止。")


COMMANDS = [poll, run]
