"""`baosong demo`: the embedded default, start to finish."""

from __future__ import annotations

import sys

import click
from rich.console import Console


@click.command()
@click.option("--serve/--no-serve", default=True, help="处理完后是否启动管理台（--no-serve 用于脚本和测试）")
@click.option("--host", default="127.0.0.1", show_default=True, help="管理台监听地址")
@click.option("--port", default=8000, show_default=True, help="管理台端口")
def demo(serve: bool, host: str, port: int) -> None:
    """演示：启动本地收发信服务器，投递示例邮件，自动审核、回复、记账，并打开管理台。"""
    from baosong.cli.console import build_console, web_server
    from baosong.demo.run import DEMO_USER, run_demo, summary_table

    console = Console()
    run, app, imap, smtp = run_demo(console, host=host, port=port)
    try:
        console.print(summary_table(run))
        console.print(f"数据目录（演示结束后可删除）：{run.data_dir}")
        console.print(f"已发出自动回复 {run.reply_count} 封，保存在：{run.replies_dir}")
        for path in run.reports:
            if path.suffix in (".docx", ".xlsx"):  # the chart images are inside the Word file
                console.print(f"本月通报：{path}")
        if not run.as_expected:
            console.print("[red]有示例的结论与预期不同，请检查上表。[/]")
        if serve:
            console.print(
                f"\n[bold]管理台[/]：http://{host}:{port}/　账号 [bold]{DEMO_USER}[/]　密码 [bold]{run.password}[/]"
            )
            console.print("按 Ctrl-C 结束演示。")
            web_server(build_console(app), host, port).run()
    finally:
        imap.stop()
        smtp.stop()
        app.close()
    sys.exit(0 if run.as_expected else 1)


COMMANDS = [demo]
