"""A month's adoptions entered at once: from one sheet (xlsx/csv) or one console form of many rows.

Units send proof of publication by the 25th (截图、用稿通知单); the clerk enters them together.
Each row names the item by its 收件编号 or its exact title, the outlet, the adoption date and
optionally the date the proof arrived and a note. Every row is checked first and then written
through scoring.ledger inside the caller's transaction; any problem lists every bad row by its
number and nothing is recorded (the caller rolls back).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy import select
from sqlalchemy.orm import Session

from baosong.models import Adoption, Item
from baosong.oa_import import OaImportError, parse_date, read_sheet_values, sheet_records
from scoring.ledger import LedgerError, late_proof_warning, record_adoption
from scoring.ruleset import RuleSet

ITEM_COLUMNS = ("收件编号", "标题")  # either names the item
OUTLET, ADOPTED, PROOF, NOTE = "刊物", "采用日期", "证明日期", "备注"
COLUMNS = (*ITEM_COLUMNS, OUTLET, ADOPTED, PROOF, NOTE)


class BatchError(ValueError):
    """The batch cannot be recorded; `problems` maps each bad row number to what is wrong, in Chinese."""

    def __init__(self, problems: dict[int, list[str]]) -> None:
        super().__init__("\n".join(f"第 {line} 行：{'；'.join(wrong)}" for line, wrong in sorted(problems.items())))
        self.problems = problems


@dataclass(frozen=True)
class AdoptionRow:
    line: int  # the row number the clerk sees (Excel's, or the form's)
    receipt: str = ""
    title: str = ""
    outlet: str = ""
    adopted_on: str = ""
    proof_received_on: str = ""
    note: str = ""

    @property
    def blank(self) -> bool:
        return not any((self.receipt, self.title, self.outlet, self.adopted_on, self.proof_received_on, self.note))


def read_rows(path: Path) -> list[AdoptionRow]:
    """The rows of a sheet with the columns 收件编号 or 标题, 刊物, 采用日期 (证明日期 and 备注 optional)."""
    try:
        values = read_sheet_values(path)
        header = [str(value or "").strip() for value in values[0]]
        if not any(column in header for column in ITEM_COLUMNS):
            raise OaImportError(["表头缺少列：收件编号或标题（至少一列，用来指明信息）"])
        records = sheet_records(values, (OUTLET, ADOPTED))
    except OaImportError as exc:
        raise BatchError({1: exc.problems}) from exc
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, UnicodeDecodeError) as exc:
        raise BatchError({1: [f"{path.name} 无法读取：请用 Excel 或 WPS 另存为 .xlsx 后再试"]}) from exc
    return [
        AdoptionRow(line, *(_cell(record.get(column)) for column in COLUMNS)) for line, record in records
    ]


def _cell(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value if value is not None else "").strip()


def record_batch(session: Session, ruleset: RuleSet, rows: list[AdoptionRow], *, actor: str, source: str) -> list[Adoption]:
    """Record every row; BatchError with every bad row when any is wrong (the caller rolls back)."""
    rows = [row for row in rows if not row.blank]
    if not rows:
        raise BatchError({1: ["没有要登记的采用"]})
    items = _items(session, rows)
    problems: dict[int, list[str]] = {}
    checked = []
    for row in rows:
        wrong = []
        item = items.get(row.receipt.upper()) if row.receipt else items.get(("title", row.title))
        if not row.receipt and not row.title:
            wrong.append("请填写收件编号或标题")
        elif isinstance(item, str):
            wrong.append(item)
        elif item is None:
            wrong.append(f"找不到信息「{row.receipt or row.title}」")
        outlet = ruleset.outlet(row.outlet)
        if not row.outlet:
            wrong.append("请填写刊物")
        elif outlet is None:
            wrong.append(f"规则集中没有刊物「{row.outlet}」")
        adopted, proof = parse_date(row.adopted_on), parse_date(row.proof_received_on)
        if adopted is None:
            wrong.append(f"采用日期「{row.adopted_on}」无法识别（请写成 2026-03-05）" if row.adopted_on else "请填写采用日期")
        if row.proof_received_on and proof is None:
            wrong.append(f"证明日期「{row.proof_received_on}」无法识别（请写成 2026-03-05）")
        if wrong:
            problems[row.line] = wrong
        else:
            checked.append((row, item, outlet.name, adopted, proof))
    seen: dict[tuple[int, str], int] = {}
    recorded = []
    for row, item, outlet, adopted, proof in checked:
        if (item.id, outlet) in seen:
            problems.setdefault(row.line, []).append(f"与第 {seen[(item.id, outlet)]} 行重复")
            continue
        seen[(item.id, outlet)] = row.line
        note = row.note or f"批量登记：{source}"
        try:
            recorded.append(record_adoption(session, ruleset, item, outlet, adopted, proof_received_on=proof,
                                            note=note, actor=actor))
        except LedgerError as exc:
            problems.setdefault(row.line, []).append(str(exc))
    if problems:
        raise BatchError(problems)
    return recorded


def late_proofs(ruleset: RuleSet, recorded: list[Adoption]) -> list[str]:
    """One line per adoption just recorded whose proof came after the deadline (it will not score)."""
    lines = []
    for adoption in recorded:
        warning = late_proof_warning(ruleset, adoption)
        if warning:
            lines.append(f"信息 {adoption.item.receipt or adoption.item_id}（{adoption.outlet}）：{warning}")
    return lines


def _items(session: Session, rows: list[AdoptionRow]) -> dict[object, Item | str]:
    """The items the rows name, in two queries: by 收件编号, and by exact title among accepted items
    (a title shared by several accepted items is a problem for that row: its 收件编号 is needed)."""
    found: dict[object, Item | str] = {}
    receipts = {row.receipt.upper() for row in rows if row.receipt}
    if receipts:
        for item in session.scalars(select(Item).where(Item.receipt.in_(receipts))):
            found[item.receipt] = item
    titles = {row.title for row in rows if row.title and not row.receipt}
    if titles:
        for item in session.scalars(select(Item).where(Item.title.in_(titles), Item.verdict == "accepted")):
            key = ("title", item.title)
            found[key] = f"标题「{item.title}」对应多条已接收的信息，请填写收件编号" if key in found else item
    return found
