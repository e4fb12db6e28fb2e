"""Set-up commands: init."""

from __future__ import annotations

from pathlib import Path

import click

from baosong.cli import AppContext, pass_app
from baosong.settings import commented_toml


@click.command()
@click.option("--force", is_flag=True, help="覆盖已有的配置文件")
@pass_app
def init(app: AppContext, force: bool) -> None:
    """写出带注释的 baosong.toml，创建数据目录和数据库（含示例单位名录）。"""
    from baosong.app import open_app
    from intake.mailbox_check import sender_mismatch

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
    warning = sender_mismatch(opened.settings)
    if warning:
        click.echo(f"注意：{warning}", err=True)
    click.echo("下一步：填好 [mailbox] 和 [smtp]，用环境变量提供授权码，然后运行 baosong mailbox test 检查邮箱设置。")


@click.command()
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=Path("信息报送模板.docx"), show_default=True
)
@pass_app
def template(app: AppContext, output: Path) -> None:
    """写出本规则集的空白信息报送模板（.docx），附本单位的填报须知。"""
    from baosong.organisation import ConfigError, load_organisation
    from validators.template import write_template

    try:
        organisation = load_organisation(app.settings.config_dir, app.settings.rules.organisation)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    write_template(output, organisation.checks)
    click.echo(f"已写出{organisation.name}的报送模板：{output}")


COMMANDS = [init, template]
