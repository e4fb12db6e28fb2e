"""An office's existing 台账 brought into baosong: the items, adoptions and endorsements it kept by hand.

The workbook has three sheets (`write_template` makes an empty one):
- 信息: 编号, 日期, 单位, 标题, 类别 (and 撰稿人) — items sent before baosong; 编号 is the sheet's own
  number that the other sheets use (an item already in baosong is named by its 收件编号 instead);
- 采用: 信息, 刊物, 采用日期 (and 证明日期) — the item (编号 or 收件编号) and where it was published;
- 批示: 信息, 批示级别, 批示日期 (and 批示领导).

Every row of every sheet is checked first: item rows with the OA import's checks (baosong.oa_import),
adoptions and endorsements by scoring.ledger as they are written, inside one transaction. Any problem
leaves the database as it was and lists every bad row by sheet and row. Importing the same 台账 again
adds nothing: its items are found again (same unit, title and date) and their entries skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zipfile import BadZipFile

from sqlalchemy import select
from sqlalchemy.orm import Session

from baosong.models import Adoption, Endorsement, Item
from baosong.oa_import import (
    AUTHOR_COLUMN,
    COLUMNS,
    OaImportError,
    check_item_row,
    import_rows,
    parse_date,
    sheet_records,
    unit_index,
)
from scoring.ledger import LedgerError, record_adoption, record_endorsement
from scoring.ruleset import RuleSet

ITEMS, ADOPTIONS, ENDORSEMENTS = "信息", "采用", "批示"
NUMBER = "编号"
SHEETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {  # sheet → (required columns, optional ones)
    ITEMS: ((NUMBER, *COLUMNS.values()), (AUTHOR_COLUMN,)),
    ADOPTIONS: (("信息", "刊物", "采用日期"), ("证明日期",)),
    ENDORSEMENTS: (("信息", "批示级别", "批示日期"), ("批示领导",)),
}


class HistoryImportError(ValueError):
    """The 台账 cannot be imported; `problems` lists every bad row by sheet and row, in Chinese."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Entry:
    """An adoption or endorsement row: the item it names, what, when."""

    sheet: str
    line: int
    item_ref: str
    name: str  # the outlet or the endorsement level
    on: date
    proof_on: date | None = None
    leader: str = ""


@dataclass(frozen=True)
class HistoryImportResult:
    items_added: list[str]  # receipt numbers of the new items
    items_skipped: int  # item rows imported before
    adoptions: int
    endorsements: int
    entries_skipped: int  # adoption and endorsement rows on the books before


def write_template(path: Path) -> Path:
    """An empty 台账 with the three sheets and their headers, for the clerk to fill."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, (required, optional) in SHEETS.items():
        sheet = workbook.create_sheet(name)
        sheet.append([*required, *optional])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            sheet.column_dimensions[cell.column_letter].width = 40 if cell.value == "标题" else 16
        sheet.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def _where(sheet: str, line: int) -> str:
    return f"「{sheet}」表第 {line} 行"


def read_workbook(path: Path) -> dict[str, list[tuple[int, dict[str, object]]]]:
    """Each sheet's non-empty rows; a missing sheet is an empty one, a missing column an error."""
    from openpyxl import load_workbook

    if path.suffix.lower() != ".xlsx":
        raise HistoryImportError([f"不支持的文件类型：{path.name}（请用 Excel .xlsx 文件，可先用 --template 生成模板）"])
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError, BadZipFile) as exc:
        raise HistoryImportError([f"{path.name} 不是可以读取的 Excel 文件，请用 Excel 或 WPS 另存为 .xlsx 后再导入"]) from exc
    if not any(name in workbook.sheetnames for name in SHEETS):
        raise HistoryImportError([f"{path.name} 中没有「信息」「采用」「批示」工作表（可先用 --template 生成模板）"])
    records, problems = {}, []
    for name, (required, _optional) in SHEETS.items():
        values = [list(row) for row in workbook[name].iter_rows(values_only=True)] if name in workbook.sheetnames else []
        try:
            records[name] = sheet_records(values, required, f"「{name}」表") if values else []
        except OaImportError as exc:
            problems += exc.problems
    if problems:
        raise HistoryImportError(problems)
    return records


def _text(record: dict[str, object], column: str) -> str:
    value = record.get(column)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed into Excel comes back as 3.0
    return str(value if value is not None else "").strip()


def _entry(sheet: str, line: int, record: dict[str, object]) -> tuple[Entry | None, list[str]]:
    name_column, date_column = ("刊物", "采用日期") if sheet == ADOPTIONS else ("批示级别", "批示日期")
    wrong = []
    item_ref, name = _text(record, "信息"), _text(record, name_column)
    on = parse_date(record.get(date_column))
    proof_on = parse_date(record.get("证明日期")) if _text(record, "证明日期") else None
    if not item_ref:
        wrong.append("缺少信息（「信息」表的编号或收件编号）")
    if not name:
        wrong.append(f"缺少{name_column}")
    if not _text(record, date_column):
        wrong.append(f"缺少{date_column}")
    elif on is None:
        wrong.append(f"{date_column}「{_text(record, date_column)}」无法识别（请写成 2026-03-05）")
    if _text(record, "证明日期") and proof_on is None:
        wrong.append(f"证明日期「{_text(record, '证明日期')}」无法识别（请写成 2026-03-05）")
    if wrong:
        return None, wrong
    return Entry(sheet, line, item_ref, name, on, proof_on, _text(record, "批示领导")), []


def _parse(session: Session, sheets: dict[str, list[tuple[int, dict[str, object]]]], ruleset: RuleSet):  # noqa: ANN202
    """(item rows, their 编号 → row number, entries), or HistoryImportError with every problem."""
    units = unit_index(session)
    rows, numbers, entries, problems = [], {}, [], []
    for line, record in sheets[ITEMS]:
        row, wrong = check_item_row(line, record, units, ruleset)
        number = _text(record, NUMBER)
        if not number:
            wrong.append("缺少编号（采用、批示表用它指明信息）")
        elif number in numbers:
            wrong.append(f"编号「{number}」与第 {numbers[number]} 行重复")
        else:
            numbers[number] = line
        if wrong:
            problems.append(f"{_where(ITEMS, line)}：{'；'.join(wrong)}")
        else:
            rows.append(row)
    for sheet in (ADOPTIONS, ENDORSEMENTS):
        for line, record in sheets[sheet]:
            entry, wrong = _entry(sheet, line, record)
            if wrong:
                problems.append(f"{_where(sheet, line)}：{'；'.join(wrong)}")
            else:
                entries.append(entry)
    if problems:
        raise HistoryImportError(problems)
    return rows, numbers, entries


def _item_for(session: Session, ref: str, numbers: dict[str, int], items_by_line: dict[int, int]) -> Item | None:
    """The item a row names: the 信息 sheet's 编号 first, else a 收件编号 already in baosong."""
    if ref in numbers:
        return session.get(Item, items_by_line[numbers[ref]])
    return session.scalar(select(Item).where(Item.receipt.in_({ref, ref.upper()})))


def _canonical(ruleset: RuleSet, entry: Entry) -> str:
    """The outlet or level as the books store it (an alias or label resolved), else as written."""
    if entry.sheet == ADOPTIONS:
        outlet = ruleset.outlet(entry.name)
        return outlet.name if outlet else entry.name
    level = ruleset.endorsement(entry.name)
    return level.level if level else entry.name


def _on_the_books(session: Session, sheet: str, item: Item, name: str) -> bool:
    if sheet == ADOPTIONS:
        found = select(Adoption.id).where(Adoption.item_id == item.id, Adoption.outlet == name)
    else:
        found = select(Endorsement.id).where(Endorsement.item_id == item.id, Endorsement.level == name)
    return session.scalar(found) is not None


def import_history(
    session: Session, path: Path, ruleset: RuleSet, *, receipt_prefix: str, actor: str
) -> HistoryImportResult:
    """Import the 台账 at `path` inside the caller's transaction; HistoryImportError lists every bad row.

    On an error the caller rolls back: the items written before the error was found go too."""
    rows, numbers, entries = _parse(session, read_workbook(path), ruleset)
    written = import_rows(
        session, rows, ruleset, receipt_prefix=receipt_prefix, actor=actor, source=path.name, action="import_ledger"
    )
    counts = {ADOPTIONS: 0, ENDORSEMENTS: 0, "skipped": 0}
    problems, lines = [], {}
    for entry in entries:
        item = _item_for(session, entry.item_ref, numbers, written.items)
        if item is None:
            problems.append(f"{_where(entry.sheet, entry.line)}：找不到信息「{entry.item_ref}」（请填「信息」表的编号或已有的收件编号）")
            continue
        key = (entry.sheet, item.id, _canonical(ruleset, entry))
        if key in lines:
            problems.append(f"{_where(entry.sheet, entry.line)}：与第 {lines[key]} 行重复")
            continue
        lines[key] = entry.line
        if _on_the_books(session, entry.sheet, item, key[2]):
            counts["skipped"] += 1
            continue
        note = f"台账导入：{path.name} {_where(entry.sheet, entry.line)}"
        try:
            if entry.sheet == ADOPTIONS:
                record_adoption(session, ruleset, item, entry.name, entry.on, proof_received_on=entry.proof_on, note=note, actor=actor)
            else:
                record_endorsement(session, ruleset, item, entry.name, entry.on, leader=entry.leader, note=note, actor=actor)
        except LedgerError as exc:
            problems.append(f"{_where(entry.sheet, entry.line)}：{exc}")
            continue
        counts[entry.sheet] += 1
    if problems:
        raise HistoryImportError(problems)
    return HistoryImportResult(written.added, written.skipped, counts[ADOPTIONS], counts[ENDORSEMENTS], counts["skipped"])
