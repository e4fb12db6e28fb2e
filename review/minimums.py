"""Each unit's monthly minimum of submissions, read from the organisation's scoring rule set."""

from __future__ import annotations

from collections.abc import Callable

from baosong.models import Unit
from scoring.ruleset import RuleSet


def monthly_minimum(ruleset: RuleSet) -> Callable[[Unit], int | None]:
    """The unit's plain monthly "items submitted" quota (not the themed ones such as 扶贫), if any."""

    def minimum(unit: Unit) -> int | None:
        class_name = ruleset.class_of(unit.name, unit.category)
        counts = [
            quota.required
            for quota in ruleset.quotas_for(unit.name, class_name)
            if quota.period == "month" and quota.measure == "submitted"
            and not quota.title_contains and not quota.category
        ]
        return max(counts) if counts else None

    return minimum
