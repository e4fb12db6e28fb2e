"""The unit registry in the database: import from the clerks' sheet, list, and load for checks."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from baosong.models import Unit
from validators.judgement import UnitRef

COLUMNS = {"name": "单位名称", "aliases": "别名", "category": "类别", "emails": "邮箱"}
_SEPARATORS = re.compile(r"[;；]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class RegistryError(ValueError):
    """The sheet cannot be imported; the message tells the clerk which row and why."""


@dataclass(frozen=True)
class UnitRow:
    name: str
    aliases: tuple[str, ...]
    category: str
    emails: tuple[str, ...]


def _split(cell: object) -> tuple[str, ...]:
    return tuple(part.strip() for part in _SEPARATORS.split(str(cell or "")) if part.strip())


def _rows_from_records(records: list[dict[str, object]]) -> list[UnitRow]:
    if not records:
        return []
    missing = [title for title in COLUMNS.values() if title not in records[0]]
    if missing:
        raise RegistryError(f"表格缺少列：{'、'.join(missing)}（需要：{'、'.join(COLUMNS.values())}）")
    rows = []
    for number, record in enumerate(records, start=2):
        name = str(record[COLUMNS["name"]] or "").strip()
        if not name:
            continue
        emails = tuple(e.lower() for e in _split(record[COLUMNS["emails"]]))
        bad = [e for e in emails if not _EMAIL.match(e)]
        if bad:
            raise RegistryError(f"第 {number} 行（{name}）的邮箱格式不对：{'、'.join(bad)}")
        rows.append(
            UnitRow(name, _split(record[COLUMNS["aliases"]]), str(record[COLUMNS["category"]] or "").strip(), emails)
        )
    return rows


def read_sheet(path: Path) -> list[UnitRow]:
    """Rows of a .csv (UTF-8, with or without BOM, or GB18030) or .xlsx registry sheet."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")
        return _rows_from_records(list(csv.DictReader(io.StringIO(text))))
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).active
        values = list(sheet.iter_rows(values_only=True))
        if not values:
            return []
        header = [str(v or "").strip() for v in values[0]]
        return _rows_from_records([dict(zip(header, row, strict=False)) for row in values[1:]])
    raise RegistryError(f"不支持的文件类型：{path.name}（请用 .csv 或 .xlsx）")


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int


def import_units(session: Session, rows: list[UnitRow]) -> ImportResult:
    """Insert new units and update existing ones by name; re-importing never duplicates."""
    existing = {unit.name: unit for unit in session.scalars(select(Unit))}
    added = updated = 0
    for row in rows:
        unit = existing.get(row.name)
        if unit is None:
            unit = Unit(name=row.name)
            session.add(unit)
            existing[row.name] = unit
            added += 1
        elif (tuple(unit.aliases), unit.category, tuple(unit.emails)) != (row.aliases, row.category, row.emails):
            updated += 1
        unit.aliases, unit.category, unit.emails = list(row.aliases), row.category, list(row.emails)
    session.flush()
    return ImportResult(added, updated)


def unit_refs(session: Session) -> list[UnitRef]:
    return [
        UnitRef(u.id, u.name, tuple(u.aliases), u.category, tuple(u.emails))
        for u in session.scalars(select(Unit).order_by(Unit.id))
    ]


def refs_from_sheet(path: Path) -> list[UnitRef]:
    """The registry straight from a sheet, for `check` without a database."""
    return [UnitRef(None, r.name, r.aliases, r.category, r.emails) for r in read_sheet(path)]
