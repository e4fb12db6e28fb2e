"""`baosong`: the single command-line entry point (SPEC §6). Messages to the user are Chinese."""

from __future__ import annotations

import os
import os
from pathlib import Path

import click

from baosong.cli.chinese import install as speak_chinese
from baosong.settings import Settings, load_settings

speak_chinese()  # before any command is declared: click fills in some help texts as they are declared


# Commands that work without a configuration file: they make one, or keep nothing of their own.
WITHOUT_CONFIG = frozenset({"init", "check", "template", "demo"})
# Environment settings that say where the data lives, standing in for a configuration file.
DATA_LOCATION_ENV = ("BAOSONG_PATHS_DATA", "BAOSONG_DATABASE_URL")


class AppContext:
    """Lazily loaded settings shared by every sub-command."""

    def __init__(self, config_path: Path, *, config_required: bool = True) -> None:
        self.config_path = config_path
        self.config_required = config_required
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            if self.config_required and not self.config_path.is_file() and not any(map(os.environ.get, DATA_LOCATION_ENV)):
                raise click.ClickException(
                    f"找不到配置文件 {self.config_path}：请在放配置的目录里运行，或用 --config 指定配置文件；"
                    "第一次使用请先运行 baosong init 生成配置并建库。"
                )
            try:
                self._settings = load_settings(self.config_path)
            except (ValueError, OSError) as exc:
                raise click.ClickException(f"无法读取配置：{exc}") from exc
        return self._settings


pass_app = click.make_pass_decorator(AppContext)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("baosong.toml"),
    show_default=True,
    help="配置文件路径",
)
@click.version_option(package_name="baosong")
@click.pass_context
def main(ctx: click.Context, config_path: Path) -> None:
    """baosong（报送）：政务信息邮箱自动收件、审核、回复与考核统计。"""
    ctx.obj = AppContext(config_path, config_required=ctx.invoked_subcommand not in WITHOUT_CONFIG)


def run() -> None:
    """The `baosong` command. Everything it creates (database, mail, attachments, reports) is
    private to the account that runs it: umask 077."""
    os.umask(0o077)
    main()


def _register() -> None:
    from baosong.cli import books, check, console, demo, intake, ledger, mailbox, records, setup, units

    for module in (setup, mailbox, check, units, records, console, books, ledger, intake, demo):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
