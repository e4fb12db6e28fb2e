"""Set-up commands: init."""

from __future__ import annotations

import click

from baosong.cli import AppContext, pass_app
from baosong.settings import commented_toml


@click.command()
@click.option("--force", is_flag=True, help="覆盖已有的配置文件")
@pass_app
def init(app: AppContext, force: bool) -> None:
    """写出带注释的 baosong.toml，创建数据目录和数据库（含示例单位名录）。"""
    from baosong.app import open_app

    path = app.config_path
    if path.exists() and not force:
        click.echo(f"配置文件已存在：{path}（未修改；如需重写请加 --force）")
    else:
        path.write_text(commented_toml(), encoding="utf-8")
        click.echo(f"已写出配置文件：{path}")
    opened = open_app(app.settings, seed_units=True)
    click.echo(f"数据目录：{opened.settings.data_dir}")
    click.echo(f"数据库：{opened.settings.database_url}")
    click.echo(f"单位名录：{opened.unit_count()} 个单位")


COMMANDS = [init]
