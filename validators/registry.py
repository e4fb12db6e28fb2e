"""The unit registry as the validators see it: lookups by address, name prefix and mention."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from validators.judgement import UnitRef


@dataclass(frozen=True)
class Registry:
    units: tuple[UnitRef, ...]

    @classmethod
    def of(cls, units: Sequence[UnitRef]) -> Registry:
        return cls(tuple(units))

    def by_email(self, address: str | None) -> UnitRef | None:
        address = (address or "").strip().lower()
        return next((u for u in self.units if address and address in u.emails), None)

    def _names_longest_first(self) -> list[tuple[str, UnitRef]]:
        pairs = [(name, unit) for unit in self.units for name in unit.names if name]
        return sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)

    def by_prefix(self, text: str) -> UnitRef | None:
        """The unit whose name or alias the text starts with (file names: 单位+信息标题)."""
        return next((u for name, u in self._names_longest_first() if text.startswith(name)), None)

    def mentioned_in(self, text: str) -> UnitRef | None:
        """The unit named earliest in the text (longest name wins at the same position)."""
        best: tuple[int, int, UnitRef] | None = None
        for name, unit in self._names_longest_first():
            position = text.find(name)
            if position >= 0 and (best is None or (position, -len(name)) < (best[0], best[1])):
                best = (position, -len(name), unit)
        return best[2] if best else None

