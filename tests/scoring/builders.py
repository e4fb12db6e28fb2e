"""Plain ledger records for computation tests: units, items and adoptions in a few words."""

from __future__ import annotations

from datetime import date
from itertools import count
from pathlib import Path

from baosong import BUNDLED_CONFIG
from scoring.compute import AdoptionRecord, Books, EndorsementRecord, ItemRecord, UnitRecord
from scoring.ruleset import RuleSet, load_ruleset

YEAR = 2026


def ruleset(key: str, config_dir: Path = BUNDLED_CONFIG) -> RuleSet:
    return load_ruleset(config_dir, key)


class Ledger:
    """Builds Books for one organisation: ids are handed out in order."""

    def __init__(self) -> None:
        self.units: list[UnitRecord] = []
        self.items: list[ItemRecord] = []
        self.adoptions: list[AdoptionRecord] = []
        self.endorsements: list[EndorsementRecord] = []
        self.commissions: list = []
        self.adjustments: list = []
        self._ids = count(1)

    def unit(self, name: str, class_name: str) -> UnitRecord:
        unit = UnitRecord(id=len(self.units) + 1, name=name, class_name=class_name)
        self.units.append(unit)
        return unit

    def item(
        self, unit: UnitRecord, on: date, category: str = "动态", title: str = "信息", accepted: bool = True, author: str = ""
    ) -> ItemRecord:
        item = ItemRecord(
            id=next(self._ids), unit_id=unit.id, on=on, accepted=accepted, category=category, title=title, author=author
        )
        self.items.append(item)
        return item

    def items_for(self, unit: UnitRecord, on: date, how_many: int, category: str = "动态") -> list[ItemRecord]:
        return [self.item(unit, on, category) for _ in range(how_many)]

    def adopt(self, item: ItemRecord, outlet: str, on: date, proof_on: date | None = None) -> None:
        self.adoptions.append(AdoptionRecord(item_id=item.id, outlet=outlet, on=on, proof_on=proof_on))

    def endorse(self, item: ItemRecord, level: str, on: date) -> None:
        self.endorsements.append(EndorsementRecord(item_id=item.id, level=level, on=on))

    def books(self) -> Books:
        return Books(
            units=tuple(self.units),
            items=tuple(self.items),
            adoptions=tuple(self.adoptions),
            endorsements=tuple(self.endorsements),
            commissions=tuple(self.commissions),
            adjustments=tuple(self.adjustments),
        )


def row_of(report, unit: UnitRecord):  # noqa: ANN001, ANN201 - MonthReport/YearReport row
    return next(row for row in report.units if row.unit.id == unit.id)
