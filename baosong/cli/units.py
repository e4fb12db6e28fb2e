"""`baosong units import|list`: the unit registry clerks keep in Excel."""

from __future__ import annotations

from pathlib import Path

import click

from baosong.app import open_app
from baosong.cli import AppContext, pass_app
from baosong.db import transaction
from baosong.output import json_line
from baosong.registry import RegistryError, import_units, read_sheet, unit_refs


@click.group()
def units() -> None:
    """单位名录：导入、查看。"""


@units.command("import")
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_app
def import_(app: AppContext, sheet: Path) -> None:
    """从 .csv 或 .xlsx 导入单位名录（列：单位名称、别名、类别、邮箱；多个值用分号分隔）。重复导入只更新，不会重复。"""
    try:
        rows = read_sheet(sheet)
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from exc
    opened = open_app(app.settings)
    with transaction(opened.sessions) as session:
        result = import_units(session, rows)
    click.echo(f"导入完成：新增 {result.added} 个单位，更新 {result.updated} 个，名录共 {opened.unit_count()} 个单位。")


@units.command("list")
@click.option("--json", "as_json", is_flag=True, help="每个单位输出一行 JSON")
@pass_app
def list_(app: AppContext, as_json: bool) -> None:
    """列出单位名录。"""
    opened = open_app(app.settings)
    with opened.sessions() as session:
        refs = unit_refs(session)
    for unit in refs:
        if as_json:
            record = {"id": unit.id, "name": unit.name, "aliases": list(unit.aliases), "category": unit.category}
            click.echo(json_line({**record, "emails": list(unit.emails)}))
        else:
            aliases = f"（别名：{'、'.join(unit.aliases)}）" if unit.aliases else ""
            click.echo(f"{unit.id:>4}  {unit.name}{aliases}  [{unit.category}]  {'；'.join(unit.emails)}")
    if not as_json:
        click.echo(f"共 {len(refs)} 个单位。")


COMMANDS = [units]
