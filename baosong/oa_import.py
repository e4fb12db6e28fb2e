"""Items from an OA platform's export: for an organisation whose units submit through its OA
system instead of by email (B: "必须通过昆区人民政府OA协同办公平台信息报送模块报送信息").

The export is a sheet with the columns 日期, 单位, 标题, 类别. Every row is checked first; if any row
is wrong, nothing is written and every problem is listed by row. Each good row becomes an accepted
item with a receipt number, counted like any other; a row imported before is not imported again.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from baosong.models import AuditEntry, Item, Unit
from baosong.receipts import next_receipt
from scoring.ruleset import RuleSet
from validators.tags import tags_in

COLUMNS = {"on": "日期", "unit": "单位", "title": "标题", "category": "类别"}
AUTHOR_COLUMN = "撰稿人"  # optional: the author as the clerk's sheet names them
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


class OaImportError(ValueError):
    """The sheet cannot be imported; `problems` lists every bad row in Chinese."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class OaRow:
    line: int  # the row number the clerk sees in Excel
    on: date
    unit_id: int
    title: str
    category: str
    author: str = ""


@dataclass(frozen=True)
class OaImportResult:
    added: list[str]  # receipt numbers of the new items
    skipped: int  # rows imported before
    items: dict[int, int]  # row number → the item it became (or was imported as before)


def read_export(path: Path) -> list[tuple[int, dict[str, object]]]:
    """(row number, {column: value}) for every non-empty row of a .xlsx or .csv export."""
    return sheet_records(read_sheet_values(path), tuple(COLUMNS.values()))


def read_sheet_values(path: Path) -> list[list[object]]:
    """The cells of the first sheet of a .xlsx, or of a .csv (UTF-8 or GB18030), row by row; never empty."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).active
        values = [list(row) for row in sheet.iter_rows(values_only=True)]
    elif suffix == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")
        values = list(csv.reader(io.StringIO(text)))
    else:
        raise OaImportError([f"不支持的文件类型：{path.name}（请用 .xlsx 或 .csv 表格）"])
    if not values:
        raise OaImportError([f"{path.name} 是空表"])
    return values


def sheet_records(values: list[list[object]], required: tuple[str, ...], where: str = "") -> list[tuple[int, dict[str, object]]]:
    """(row number, {column: value}) for every row below the header that has something in a `required` column.

    `where` names the sheet in the message when a required column is missing ("「采用」表")."""
    header = [str(value or "").strip() for value in (values[0] if values else [])]
    missing = [title for title in required if title not in header]
    if missing:
        raise OaImportError([f"{where}表头缺少列：{'、'.join(missing)}（需要：{'、'.join(required)}）"])
    records = []
    for number, row in enumerate(values[1:], start=2):
        record = dict(zip(header, row, strict=False))
        if any(str(record.get(title) or "").strip() for title in required):
            records.append((number, record))
    return records


def parse_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _DATE.match(str(value or ""))
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def unit_index(session: Session) -> dict[str, int]:
    """Unit id by full name and by every alias."""
    units: dict[str, int] = {}
    for unit in session.scalars(select(Unit)):
        for name in (unit.name, *unit.aliases):
            units.setdefault(name, unit.id)
    return units


def check_item_row(number: int, record: dict[str, object], units: dict[str, int], ruleset: RuleSet) -> tuple[OaRow | None, list[str]]:
    """One sheet row as an item (日期, 单位, 标题, 类别, optional 撰稿人), or what is wrong with it."""
    text = {key: str(record.get(title) or "").strip() for key, title in COLUMNS.items()}
    on = parse_date(record.get(COLUMNS["on"]))
    category = text["category"] or ruleset.category_of(tags_in([text["title"]]))
    wrong = []
    if on is None:
        wrong.append(f"日期「{text['on']}」无法识别（请写成 2026-03-05）")
    if text["unit"] not in units:
        wrong.append(f"单位「{text['unit']}」不在单位名录中" if text["unit"] else "缺少单位")
    if not text["title"]:
        wrong.append("缺少标题")
    if category not in ruleset.categories:
        wrong.append(f"类别「{category}」不是本规则集的类别（可选：{'、'.join(ruleset.categories)}）")
    if wrong:
        return None, wrong
    author = str(record.get(AUTHOR_COLUMN) or "").strip()
    return OaRow(number, on, units[text["unit"]], text["title"], category, author), []


def validate(session: Session, records: list[tuple[int, dict[str, object]]], ruleset: RuleSet) -> list[OaRow]:
    """Every row checked; OaImportError lists all problems by row."""
    units = unit_index(session)
    rows, problems = [], []
    for number, record in records:
        row, wrong = check_item_row(number, record, units, ruleset)
        if wrong:
            problems.append(f"第 {number} 行：{'；'.join(wrong)}")
        else:
            rows.append(row)
    if problems:
        raise OaImportError(problems)
    return rows


def import_rows(
    session: Session,
    rows: list[OaRow],
    ruleset: RuleSet,
    *,
    receipt_prefix: str,
    actor: str,
    source: str,
    action: str = "import_oa",
) -> OaImportResult:
    """Write the validated rows as accepted items (inside the caller's transaction), each audited as `action`."""
    zone = ZoneInfo(ruleset.timezone)
    seen = {
        (unit_id, title, moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(zone).date()): item_id
        for item_id, unit_id, title, moment in session.execute(
            select(Item.id, Item.unit_id, Item.title, Item.received_at).where(Item.unit_id.in_({row.unit_id for row in rows}))
        )
    }
    added, skipped, items = [], 0, {}
    for row in rows:
        key = (row.unit_id, row.title, row.on)
        if key in seen:
            skipped += 1
            items[row.line] = seen[key]
            continue
        moment = datetime.combine(row.on, time(12), zone).astimezone(UTC)
        item = Item(
            unit_id=row.unit_id,
            verdict="accepted",
            original_verdict="accepted",
            receipt=next_receipt(session, receipt_prefix, row.on.year),
            category=row.category,
            title=row.title,
            fields={"author": row.author} if row.author else {},
            received_at=moment,
            decided_at=moment,
            accepted_at=moment,
        )
        session.add(item)
        session.flush()
        session.add(AuditEntry(actor=actor, action=action, item_id=item.id, details={"file": source, "row": row.line}))
        added.append(item.receipt)
        seen[key] = items[row.line] = item.id
    return OaImportResult(added, skipped, items)
