"""Mailbox commands: `mailbox test` tries the configured IMAP and SMTP accounts step by step."""

from __future__ import annotations

import sys

import click

from baosong.cli import AppContext, pass_app

MARKS = {"通过": "[通过]", "注意": "[注意]", "失败": "[失败]"}


@click.group()
def mailbox() -> None:
    """检查收件邮箱和发信账号的设置。"""


@mailbox.command("test")
@click.option("--send-test", is_flag=True, help="再给邮箱自己发一封测试邮件，并等它到达")
@click.option("--wait", "wait_seconds", type=click.FloatRange(min=0), default=60.0, show_default=True,
              help="--send-test 时最多等待测试邮件多少秒")
@pass_app
def test(app: AppContext, send_test: bool, wait_seconds: float) -> None:
    """登录 IMAP 和 SMTP，打开文件夹，核对发件地址；有问题时说明原因和处理办法。"""
    from intake.mailbox_check import Result, run_checks

    def show(result: Result) -> None:
        click.echo(f"{MARKS[result.level]} {result.step}：{result.text}", err=result.level == "失败")

    if run_checks(app.settings, show, send_test=send_test, wait_seconds=wait_seconds):
        click.echo("邮箱设置检查通过。" if send_test else "邮箱设置检查通过（加 --send-test 可再实际收发一封测试邮件）。")
        return
    click.echo("邮箱设置有问题，请按上面的说明修改后再运行 baosong mailbox test。", err=True)
    sys.exit(1)


COMMANDS = [mailbox]
