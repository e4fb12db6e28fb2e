"""`baosong`: the single command-line entry point (SPEC §6). Messages to the user are Chinese."""

from __future__ import annotations

from pathlib import Path

import click

from baosong.settings import Settings, load_settings


class AppContext:
    """Lazily loaded settings shared by every sub-command."""

    def __init__(self, config_path: Path) -> None:
        self.config_path = config_path
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
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
    ctx.obj = AppContext(config_path)


def _register() -> None:
    from baosong.cli import books, check, console, demo, intake, records, setup, units

    for module in (setup, check, units, records, console, books, intake, demo):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
