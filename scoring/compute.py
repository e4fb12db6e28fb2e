"""Scores from plain ledger data under a rule set: per unit and month, and per year.

No database and no I/O here: scoring.data turns rows into the records below, the reports and
the CLI turn the results into documents and text. Every point is credited to a calendar month
of the organisation's time zone:
- an accepted item's submission points to the month it was accepted;
- adoption and endorsement points to the month of the adoption or endorsement; under the
  "highest" policy a later, better adoption adds only the difference;
- a commissioned piece (约稿) to the month it was due;
- quota shortfalls to the last month of the quota's period; the monthly bonus to its month;
- percentage adjustments scale the year-to-date total from their date on (never a month's points);
  a deduction takes its share of a positive total only (a negative total is not raised).
A report is "as of" a day: a quota period still running then, or a commission not yet due, costs
nothing yet; no quota period that began before the rule set's start_date is charged or listed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from scoring.ruleset import Quota, RuleSet

# ---------------------------------------------------------------- input records


@dataclass(frozen=True)
class UnitRecord:
    id: int
    name: str
    class_name: str


@dataclass(frozen=True)
class ItemRecord:
    id: int
    unit_id: int | None
    on: date  # the local date it was accepted (or received, when not accepted)
    accepted: bool
    category: str
    title: str
    author: str = ""  # 撰稿人 as written in the document (C pays per-article money to the author)


@dataclass(frozen=True)
class AdoptionRecord:
    item_id: int
    outlet: str
    on: date
    proof_on: date | None  # when proof of publication arrived; None: not tracked


@dataclass(frozen=True)
class EndorsementRecord:
    item_id: int
    level: str
    on: date


@dataclass(frozen=True)
class CommissionRecord:
    unit_id: int
    due_on: date
    delivered_on: date | None


@dataclass(frozen=True)
class AdjustmentRecord:
    unit_id: int
    on: date
    group: str | None  # None: the default group (fixed points) or every group (percentages)
    points: float | None
    percent: float | None
    reason: str


@dataclass(frozen=True)
class Books:
    units: tuple[UnitRecord, ...]
    items: tuple[ItemRecord, ...] = ()
    adoptions: tuple[AdoptionRecord, ...] = ()
    endorsements: tuple[EndorsementRecord, ...] = ()
    commissions: tuple[CommissionRecord, ...] = ()
    adjustments: tuple[AdjustmentRecord, ...] = ()
    # The day the office's books begin (its first recorded item): the start for a rule set without
    # start_date. None: unknown, every period counts.
    started_on: date | None = None


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class GroupScore:
    month: float  # everything credited this month: the parts below and the adoption points
    year_to_date: float
    target: float | None
    endorsed: float = 0.0  # this month's 批示 points
    adjusted: float = 0.0  # this month's 加减分: adjustments, commissions, quota shortfalls, monthly bonus

    @property
    def adoption(self) -> float:
        """本月采用得分: submission and adoption points alone, without 批示 and 加减分."""
        return self.month - self.endorsed - self.adjusted

    @property
    def gap(self) -> float | None:
        """与总任务差额分值: points still missing to the annual target (0 once reached)."""
        return None if self.target is None else max(0.0, self.target - self.year_to_date)


@dataclass(frozen=True)
class QuotaStatus:
    quota: Quota
    period: str  # e.g. 2026年第1季度
    actual: int
    ended: bool  # the period is over: a shortfall now costs points

    @property
    def required(self) -> int:
        return self.quota.required

    @property
    def missing(self) -> int:
        return max(0, self.required - self.actual)

    @property
    def deduction(self) -> float:
        return self.missing * self.quota.per_missing if self.ended else 0.0


@dataclass(frozen=True)
class UnitMonth:
    unit: UnitRecord
    received: int  # every non-ignored item the unit sent this month
    submitted: int  # 报送数量: accepted items
    submitted_by_group: Mapping[str, int]  # 报送数量 per group (政务 / 新闻) by the items' categories
    adopted: int  # items first adopted this month
    outlet_counts: Mapping[str, int]  # adoptions this month per outlet name
    scores: Mapping[str, GroupScore]  # per group name
    quotas: tuple[QuotaStatus, ...]
    bonus_earned: bool | None  # None: the unit's class has no monthly bonus
    rank: int  # within its class, by year-to-date total

    @property
    def month_total(self) -> float:
        return sum(score.month for score in self.scores.values())

    @property
    def endorsed(self) -> float:
        return sum(score.endorsed for score in self.scores.values())

    @property
    def adjusted(self) -> float:
        return sum(score.adjusted for score in self.scores.values())

    @property
    def year_to_date_total(self) -> float:
        return sum(score.year_to_date for score in self.scores.values())


@dataclass(frozen=True)
class AdoptedItem:
    """信息采用条目: an item adopted or endorsed in the month, and the points that brought it."""

    unit: UnitRecord
    item_id: int
    title: str
    outlets: tuple[str, ...]  # outlets that adopted it this month (counting ones)
    endorsements: tuple[str, ...]  # 批示 labels given this month
    points: float  # what the item gained this month (adoptions and 批示, all groups)


@dataclass(frozen=True)
class LateProof:
    """An adoption whose proof of publication came after the deadline: on the books, not scored."""

    unit: UnitRecord
    title: str
    outlet: str
    adopted_on: date
    proof_on: date
    deadline: date


@dataclass(frozen=True)
class MonthReport:
    ruleset: RuleSet
    year: int
    month: int
    units: tuple[UnitMonth, ...]  # class by class (rule-set order), best first
    adopted_items: tuple[AdoptedItem, ...] = ()  # best first
    late_proofs: tuple[LateProof, ...] = ()  # proofs that became late this month
    first_month: int = 0  # a quarterly 通报 counts months first_month..month (0: the month alone)
    last_year: Mapping[int, UnitMonth] = field(default_factory=dict)  # unit id → the same period a year before

    @property
    def months(self) -> range:
        return range(self.first_month or self.month, self.month + 1)

    @property
    def period_label(self) -> str:
        """2026年3月, or 2026年第1季度 for a quarter."""
        if len(self.months) == 3 and self.months[0] % 3 == 1:
            return f"{self.year}年第{self.month // 3}季度"
        if len(self.months) > 1:
            return f"{self.year}年{self.months[0]}—{self.month}月"
        return f"{self.year}年{self.month}月"

    def with_last_year(self, before: MonthReport) -> MonthReport:
        """This report with `before` (the same months a year earlier) to compare each unit against."""
        return replace(self, last_year={row.unit.id: row for row in before.units})

    def by_class(self) -> list[tuple[str, list[UnitMonth]]]:
        grouped: dict[str, list[UnitMonth]] = defaultdict(list)
        for row in self.units:
            grouped[row.unit.class_name].append(row)
        return [(name, grouped[name]) for name in self.ruleset.class_order() if grouped.get(name)]

    @property
    def submitted(self) -> int:
        return sum(row.submitted for row in self.units)

    @property
    def adopted(self) -> int:
        return sum(row.adopted for row in self.units)

    @property
    def submitting_units(self) -> int:
        """How many units had at least one item accepted (报送) in the period."""
        return sum(1 for row in self.units if row.submitted)

    def silent_units(self) -> list[UnitMonth]:
        """未报送信息的单位: units that sent nothing this month (a unit whose mail was rejected did send)."""
        return [row for row in self.units if row.received == 0]

    def shortfalls(self) -> list[tuple[UnitMonth, QuotaStatus]]:
        """Quota periods that ended short this month (monthly minimums, quarterly and annual quotas)."""
        return [(row, quota) for row in self.units for quota in row.quotas if quota.ended and quota.missing]

    def best_units(self, count: int = 3) -> list[UnitMonth]:
        scored = [row for row in self.units if row.month_total > 0]
        return sorted(scored, key=lambda row: (-row.month_total, row.unit.name))[:count]


@dataclass(frozen=True)
class Reward:
    unit: UnitRecord
    reason: str
    yuan: float
    author: str = ""  # per-article money goes to the author (撰稿人), not the unit


@dataclass(frozen=True)
class AuthorYear:
    """One author's year (优秀信息员, per-article rewards): the items written for one unit."""

    unit: UnitRecord
    author: str
    submitted: int
    adopted: int
    points: float
    yuan: float


@dataclass(frozen=True)
class UnitYear:
    unit: UnitRecord
    submitted: int
    adopted: int
    outlet_counts: Mapping[str, int]
    scores: Mapping[str, GroupScore]  # year_to_date is the year's total
    shortfalls: tuple[QuotaStatus, ...]  # periods of the year that ended short
    rank: int

    @property
    def total(self) -> float:
        return sum(score.year_to_date for score in self.scores.values())


@dataclass(frozen=True)
class YearReport:
    ruleset: RuleSet
    year: int
    units: tuple[UnitYear, ...]  # class by class, best first
    rewards: tuple[Reward, ...]
    authors: tuple[AuthorYear, ...] = ()  # by unit, then points, best first

    def by_class(self) -> list[tuple[str, list[UnitYear]]]:
        grouped: dict[str, list[UnitYear]] = defaultdict(list)
        for row in self.units:
            grouped[row.unit.class_name].append(row)
        return [(name, grouped[name]) for name in self.ruleset.class_order() if grouped.get(name)]

    @property
    def reward_total(self) -> float:
        return sum(reward.yuan for reward in self.rewards)

    @property
    def targeted_groups(self) -> list[str]:
        """Groups some unit has an annual target in: the report shows target and gap for these."""
        return [g.name for g in self.ruleset.groups if any(row.scores[g.name].target is not None for row in self.units)]


# ---------------------------------------------------------------- item rules


def proof_deadline(adopted_on: date, day: int) -> date | None:
    """Proof is due by the first `day` of a month on or after publication (None: no deadline)."""
    if day == 0:
        return None
    if adopted_on.day <= day:
        return adopted_on.replace(day=day)
    return _first_of_next_month(adopted_on).replace(day=day)


def _first_of_next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def missed_proof_deadline(adopted_on: date, proof_on: date | None, day: int) -> date | None:
    """The deadline that proof of publication came after (逾期不予计分); None when it came in time."""
    deadline = proof_deadline(adopted_on, day)
    if deadline is None or proof_on is None or proof_on <= deadline:
        return None
    return deadline


def adoption_counts(adoption: AdoptionRecord, ruleset: RuleSet) -> bool:
    """False when proof of publication came after the rule set's deadline (逾期不予计分)."""
    return missed_proof_deadline(adoption.on, adoption.proof_on, ruleset.proof_deadline_day) is None


def item_points(ruleset: RuleSet, category: str, outlets: Iterable[str], levels: Iterable[str]) -> dict[str, float]:
    """Points per group of one item adopted by `outlets` and endorsed at `levels`."""
    adopted = [o for o in (ruleset.outlet(name) for name in set(outlets)) if o is not None]
    values: dict[str, list[float]] = defaultdict(list)
    for outlet in adopted:
        others = [o for o in adopted if o.group == outlet.group and o.name != outlet.name]
        extras = sum(
            extra.points
            for extra in outlet.extras
            if any(extra.also_outlet == o.name or extra.also_level == o.level for o in others)
        )
        values[outlet.group].append(outlet.points_for(category) + extras)
    points = {
        group: (max(found) if ruleset.group(group).policy == "highest" else sum(found))
        for group, found in values.items()
    }
    endorsed = sum(e.points for e in (ruleset.endorsement(level) for level in set(levels)) if e is not None)
    if endorsed:
        points[ruleset.endorsement_group] = points.get(ruleset.endorsement_group, 0.0) + endorsed
    return points


def submission_points(ruleset: RuleSet, category: str) -> float:
    return ruleset.submission_points + ruleset.submission_category_points.get(category, 0.0)


# ---------------------------------------------------------------- the year's tally


@dataclass
class _Tally:
    """One unit's year, month by month (index 1..12)."""

    received: list[int] = field(default_factory=lambda: [0] * 13)
    submitted: list[list[ItemRecord]] = field(default_factory=lambda: [[] for _ in range(13)])
    adopted: list[list[ItemRecord]] = field(default_factory=lambda: [[] for _ in range(13)])
    outlets: list[Counter[str]] = field(default_factory=lambda: [Counter() for _ in range(13)])
    points: list[defaultdict[str, float]] = field(default_factory=lambda: [defaultdict(float) for _ in range(13)])
    endorsed: list[defaultdict[str, float]] = field(default_factory=lambda: [defaultdict(float) for _ in range(13)])
    adjusted: list[defaultdict[str, float]] = field(default_factory=lambda: [defaultdict(float) for _ in range(13)])
    percents: list[tuple[date, str | None, float]] = field(default_factory=list)
    item_points: defaultdict[int, float] = field(default_factory=lambda: defaultdict(float))  # per item, all groups
    entries: list[list[tuple[ItemRecord, tuple[str, ...], tuple[str, ...], float]]] = field(
        default_factory=lambda: [[] for _ in range(13)]
    )  # per month: (item, outlets, 批示 labels, points gained)
    late: list[list[tuple[ItemRecord, AdoptionRecord, date]]] = field(default_factory=lambda: [[] for _ in range(13)])

    def adjust(self, month: int, group: str, points: float) -> None:
        """Credit 加减分 (adjustments, commissions, quotas, bonuses): in the month's points and apart."""
        self.points[month][group] += points
        self.adjusted[month][group] += points


def _period_months(period: str, month: int) -> range:
    if period == "month":
        return range(month, month + 1)
    if period == "quarter":
        first = (month - 1) // 3 * 3 + 1
        return range(first, first + 3)
    return range(1, 13)


def _period_label(year: int, period: str, month: int) -> str:
    if period == "month":
        return f"{year}年{month}月"
    if period == "quarter":
        return f"{year}年第{(month - 1) // 3 + 1}季度"
    return f"{year}年"


def _matches(item: ItemRecord, quota: Quota) -> bool:
    return (not quota.category or item.category == quota.category) and quota.title_contains in item.title


def _quota_status(tally: _Tally, quota: Quota, year: int, month: int, as_of: date | None) -> QuotaStatus:
    """The quota's period containing `month`, counted up to `month`; ended once its last day is past `as_of`."""
    months = _period_months(quota.period, month)
    source = tally.submitted if quota.measure == "submitted" else tally.adopted
    actual = sum(1 for m in months if m <= month for item in source[m] if _matches(item, quota))
    last_day = _first_of_next_month(date(year, months[-1], 1)) - timedelta(days=1)
    ended = month == months[-1] and (as_of is None or as_of > last_day)
    return QuotaStatus(quota=quota, period=_period_label(year, quota.period, month), actual=actual, ended=ended)


def _started(ruleset: RuleSet, books: Books) -> RuleSet:
    """The rule set's own start_date, else the day the books begin: an office that installs baosong
    in November is not charged for the quarters it never kept books in."""
    if ruleset.start_date is not None or books.started_on is None:
        return ruleset
    return replace(ruleset, start_date=books.started_on)


def _quotas_in_force(ruleset: RuleSet, unit: UnitRecord, year: int, month: int) -> tuple[Quota, ...]:
    """The unit's quotas whose period containing `month` began on or after the rule set's start date."""
    quotas = ruleset.quotas_for(unit.name, unit.class_name)
    if ruleset.start_date is None:
        return quotas
    return tuple(q for q in quotas if date(year, _period_months(q.period, month)[0], 1) >= ruleset.start_date)


def _bonus_earned(ruleset: RuleSet, tally: _Tally, unit: UnitRecord, month: int) -> bool | None:
    cls = ruleset.unit_class(unit.class_name)
    if cls is None or cls.monthly_bonus is None:
        return None
    bonus = cls.monthly_bonus
    submitted = len(tally.submitted[month])
    adopted = len(tally.adopted[month])
    return submitted >= bonus.min_submitted and submitted > 0 and adopted / submitted >= bonus.min_adoption_rate


class _YearBooks:
    """The books of one year, tallied per unit and month, ready to be read for any month."""

    def __init__(self, ruleset: RuleSet, books: Books, year: int, as_of: date | None) -> None:
        self.ruleset = ruleset
        self.year = year
        self.as_of = as_of
        self.units = books.units
        self.tallies: dict[int, _Tally] = {unit.id: _Tally() for unit in books.units}
        self._tally_items(books)
        self._tally_adoptions(books)
        self._tally_commissions(books)
        self._tally_adjustments(books)
        self._tally_quotas_and_bonuses()

    def _tally_items(self, books: Books) -> None:
        for item in books.items:
            tally = self.tallies.get(item.unit_id) if item.unit_id is not None else None
            if tally is None or item.on.year != self.year:
                continue
            tally.received[item.on.month] += 1
            if item.accepted:
                tally.submitted[item.on.month].append(item)
                points = submission_points(self.ruleset, item.category)
                tally.points[item.on.month][self.ruleset.group_of(item.category)] += points
                tally.item_points[item.id] += points

    def _tally_adoptions(self, books: Books) -> None:
        events: dict[int, list[tuple[date, str, str]]] = defaultdict(list)  # item → (date, kind, name)
        late: list[AdoptionRecord] = []
        for adoption in books.adoptions:
            if adoption.on.year == self.year and adoption_counts(adoption, self.ruleset):
                events[adoption.item_id].append((adoption.on, "outlet", adoption.outlet))
            elif adoption.on.year == self.year:
                late.append(adoption)
        for endorsement in books.endorsements:
            if endorsement.on.year == self.year:
                events[endorsement.item_id].append((endorsement.on, "level", endorsement.level))
        items = {item.id: item for item in books.items}
        for item_id, found in events.items():
            item = items.get(item_id)
            tally = self.tallies.get(item.unit_id) if item and item.unit_id is not None else None
            if item is None or tally is None:
                continue
            self._credit_item(tally, item, sorted(found))
        for adoption in late:
            item = items.get(adoption.item_id)
            tally = self.tallies.get(item.unit_id) if item and item.unit_id is not None else None
            deadline = proof_deadline(adoption.on, self.ruleset.proof_deadline_day)
            if tally is not None and deadline is not None and deadline.year == self.year:
                tally.late[deadline.month].append((item, adoption, deadline))

    def _credit_item(self, tally: _Tally, item: ItemRecord, events: list[tuple[date, str, str]]) -> None:
        outlets: set[str] = set()
        levels: set[str] = set()
        before: dict[str, float] = {}
        endorsed_before = 0.0
        first_adopted = None
        for month in sorted({on.month for on, _, _ in events}):
            new_outlets, new_labels = [], []
            for on, kind, name in events:
                if on.month != month:
                    continue
                if kind == "level":
                    endorsement = self.ruleset.endorsement(name)
                    if endorsement is not None and endorsement.level not in levels:
                        new_labels.append(endorsement.label)
                    levels.add(name)
                    continue
                outlet = self.ruleset.outlet(name)
                if outlet is None:
                    continue
                outlets.add(outlet.name)
                new_outlets.append(outlet.name)
                tally.outlets[month][outlet.name] += 1
                first_adopted = first_adopted or month
            now = item_points(self.ruleset, item.category, outlets, levels)
            for group in now.keys() | before.keys():
                tally.points[month][group] += now.get(group, 0.0) - before.get(group, 0.0)
            endorsed_now = sum(e.points for e in (self.ruleset.endorsement(level) for level in levels) if e is not None)
            tally.endorsed[month][self.ruleset.endorsement_group] += endorsed_now - endorsed_before
            gained = sum(now.values()) - sum(before.values())
            tally.item_points[item.id] += gained
            if new_outlets or new_labels:
                tally.entries[month].append((item, tuple(new_outlets), tuple(new_labels), gained))
            before, endorsed_before = now, endorsed_now
        if first_adopted:
            tally.adopted[first_adopted].append(item)

    def _tally_commissions(self, books: Books) -> None:
        rules = self.ruleset.commissions
        for commission in books.commissions:
            tally = self.tallies.get(commission.unit_id)
            if tally is None or commission.due_on.year != self.year:
                continue
            if commission.delivered_on is None and self.as_of is not None and self.as_of <= commission.due_on:
                continue  # not due yet on the day of the report
            if commission.delivered_on is None:
                points = rules.missing
            elif commission.delivered_on <= commission.due_on:
                points = rules.on_time
            else:
                points = rules.late
            tally.adjust(commission.due_on.month, rules.group, points)

    def _tally_adjustments(self, books: Books) -> None:
        for adjustment in books.adjustments:
            tally = self.tallies.get(adjustment.unit_id)
            if tally is None or adjustment.on.year != self.year:
                continue
            if adjustment.percent is not None:
                tally.percents.append((adjustment.on, adjustment.group, adjustment.percent))
            if adjustment.points is not None:
                tally.adjust(adjustment.on.month, adjustment.group or self.ruleset.default_group, adjustment.points)

    def _tally_quotas_and_bonuses(self) -> None:
        for unit in self.units:
            tally = self.tallies[unit.id]
            cls = self.ruleset.unit_class(unit.class_name)
            for month in range(1, 13):
                for quota in _quotas_in_force(self.ruleset, unit, self.year, month):
                    status = _quota_status(tally, quota, self.year, month, self.as_of)
                    if status.deduction:
                        tally.adjust(month, quota.group, status.deduction)
                if cls and cls.monthly_bonus and _bonus_earned(self.ruleset, tally, unit, month):
                    tally.adjust(month, cls.monthly_bonus.group, cls.monthly_bonus.points)

    def scores(self, unit: UnitRecord, month: int, first: int | None = None) -> dict[str, GroupScore]:
        """Per group: the points of months `first`..`month` (default: `month` alone) and the year to `month`."""
        tally = self.tallies[unit.id]
        period = range(first or month, month + 1)
        targets = self.ruleset.targets_for(unit.name, unit.class_name)
        next_month = _first_of_next_month(date(self.year, month, 1))
        scores = {}
        for group in self.ruleset.groups:
            year_to_date = sum(tally.points[m][group.name] for m in range(1, month + 1))
            percent = sum(p for on, g, p in tally.percents if on < next_month and g in (None, group.name))
            scores[group.name] = GroupScore(
                month=sum(tally.points[m][group.name] for m in period),
                year_to_date=year_to_date + max(year_to_date, 0.0) * percent / 100,
                target=targets.get(group.name),
                endorsed=sum(tally.endorsed[m][group.name] for m in period),
                adjusted=sum(tally.adjusted[m][group.name] for m in period),
            )
        return scores


def _ranks(rows: list, total: Callable[[object], float]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4) within each class, best total first."""
    ranks: dict[int, int] = {}
    by_class: dict[str, list] = defaultdict(list)
    for row in rows:
        by_class[row.unit.class_name].append(row)
    for members in by_class.values():
        ordered = sorted(members, key=lambda r: -total(r))
        for position, row in enumerate(ordered, start=1):
            same = position > 1 and total(ordered[position - 2]) == total(row)
            ranks[row.unit.id] = ranks[ordered[position - 2].unit.id] if same else position
    return ranks


def _ordered(ruleset: RuleSet, rows: list, ranks: dict[int, int]) -> list:
    order = {name: i for i, name in enumerate(ruleset.class_order())}
    return sorted(rows, key=lambda r: (order.get(r.unit.class_name, len(order)), ranks[r.unit.id], r.unit.name))


def compute_month(
    ruleset: RuleSet, books: Books, year: int, month: int, as_of: date | None = None, first_month: int | None = None
) -> MonthReport:
    """Every unit's month: counts per outlet, month and year-to-date points, targets, quotas, rank.

    `as_of`: the day the report is made (None: every period of the month is over).
    `first_month`: a period of several months ending with `month` (a quarter: 1, 4, 7 or 10), counted together;
    its monthly minimums are listed month by month, quarterly and annual quotas as of `month`."""
    if not 1 <= month <= 12 or not 1 <= (first_month or month) <= month:
        raise ValueError(f"月份应为 1–12：{first_month or month}–{month}")
    ruleset = _started(ruleset, books)
    tallied = _YearBooks(ruleset, books, year, as_of)
    period = range(first_month or month, month + 1)
    rows = []
    for unit in books.units:
        tally = tallied.tallies[unit.id]
        submitted = [item for m in period for item in tally.submitted[m]]
        outlets: Counter[str] = Counter()
        for m in period:
            outlets.update(tally.outlets[m])
        rows.append(
            UnitMonth(
                unit=unit,
                received=sum(tally.received[m] for m in period),
                submitted=len(submitted),
                submitted_by_group=_by_group(ruleset, submitted),
                adopted=sum(len(tally.adopted[m]) for m in period),
                outlet_counts=dict(outlets),
                scores=tallied.scores(unit, month, period[0]),
                quotas=tuple(
                    _quota_status(tally, q, year, m, as_of)
                    for m in period
                    for q in _quotas_in_force(ruleset, unit, year, m)
                    if m == month or q.period == "month"
                ),
                bonus_earned=_bonus_earned(ruleset, tally, unit, month),
                rank=0,
            )
        )
    ranks = _ranks(rows, lambda r: r.year_to_date_total)
    ranked = [replace(row, rank=ranks[row.unit.id]) for row in rows]
    adopted = [
        AdoptedItem(unit, item.id, item.title, outlets, labels, points)
        for unit in books.units
        for m in period
        for item, outlets, labels, points in tallied.tallies[unit.id].entries[m]
    ]
    late = [
        LateProof(unit, item.title, adoption.outlet, adoption.on, adoption.proof_on, deadline)
        for unit in books.units
        for m in period
        for item, adoption, deadline in tallied.tallies[unit.id].late[m]
    ]
    return MonthReport(
        ruleset=ruleset,
        year=year,
        month=month,
        first_month=period[0],
        units=tuple(_ordered(ruleset, ranked, ranks)),
        adopted_items=tuple(sorted(adopted, key=lambda a: (-a.points, a.unit.name, a.title))),
        late_proofs=tuple(sorted(late, key=lambda p: (p.unit.name, p.adopted_on))),
    )


def _by_group(ruleset: RuleSet, items: list[ItemRecord]) -> dict[str, int]:
    counts = {group.name: 0 for group in ruleset.groups}
    for item in items:
        counts[ruleset.group_of(item.category)] += 1
    return counts


def _shortfalls(ruleset: RuleSet, tally: _Tally, unit: UnitRecord, year: int, as_of: date | None) -> tuple[QuotaStatus, ...]:
    found = []
    for month in range(1, 13):
        for quota in _quotas_in_force(ruleset, unit, year, month):
            status = _quota_status(tally, quota, year, month, as_of)
            if status.ended and status.missing:
                found.append(status)
    return tuple(found)


def _rewards(ruleset: RuleSet, books: Books, rows: list[UnitYear], year: int) -> list[Reward]:
    rewards = []
    for top in ruleset.top_rewards:
        for row in sorted((r for r in rows if r.unit.class_name == top.class_name), key=lambda r: (r.rank, r.unit.name)):
            if row.rank <= top.top and row.total > 0:
                rewards.append(Reward(unit=row.unit, reason=f"{top.class_name}第{row.rank}名", yuan=top.yuan))
    units = {unit.id: unit for unit in books.units}
    for (unit_id, author), amounts in sorted(_article_money(ruleset, books, year).items(), key=lambda kv: (units[kv[0][0]].name, kv[0][1])):
        who = f"撰稿人{author}：" if author else ""
        reason = f"{who}信息被上级刊物采用 {len(amounts)} 篇次"
        rewards.append(Reward(unit=units[unit_id], reason=reason, yuan=sum(amounts), author=author))
    return rewards


def _article_money(ruleset: RuleSet, books: Books, year: int) -> dict[tuple[int, str], list[float]]:
    """Per-adoption money per (unit, author): 奖金 goes to the 撰稿人, added up as an item climbs levels."""
    units = {unit.id for unit in books.units}
    items = {item.id: item for item in books.items}
    found: dict[tuple[int, str], list[float]] = defaultdict(list)
    for adoption in books.adoptions:
        outlet = ruleset.outlet(adoption.outlet)
        item = items.get(adoption.item_id)
        if outlet and outlet.reward_yuan and item and item.unit_id in units and adoption.on.year == year:
            if adoption_counts(adoption, ruleset):
                found[(item.unit_id, item.author)].append(outlet.reward_yuan)
    return found


def _authors(ruleset: RuleSet, books: Books, tallied: _YearBooks, year: int) -> tuple[AuthorYear, ...]:
    """The per-author tally: items accepted and adopted this year, their points and money."""
    units = {unit.id: unit for unit in books.units}
    money = _article_money(ruleset, books, year)
    adopted_ids = {item.id for tally in tallied.tallies.values() for month in tally.adopted for item in month}
    rows: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0, 0, 0.0])
    for item in books.items:
        if item.unit_id not in units or not item.accepted or item.on.year != year:
            continue
        row = rows[(item.unit_id, item.author)]
        row[0] += 1
        row[1] += item.id in adopted_ids
        row[2] += tallied.tallies[item.unit_id].item_points.get(item.id, 0.0)
    found = [
        AuthorYear(units[unit_id], author, int(n), int(adopted), points, sum(money.get((unit_id, author), ())))
        for (unit_id, author), (n, adopted, points) in rows.items()
    ]
    return tuple(sorted(found, key=lambda a: (a.unit.name, -a.points, a.author)))


def compute_year(ruleset: RuleSet, books: Books, year: int, as_of: date | None = None) -> YearReport:
    """The year's totals per unit (percentages applied), ranks within each class, rewards and authors."""
    ruleset = _started(ruleset, books)
    tallied = _YearBooks(ruleset, books, year, as_of)
    rows = []
    for unit in books.units:
        tally = tallied.tallies[unit.id]
        outlet_counts: Counter[str] = Counter()
        for month in range(1, 13):
            outlet_counts.update(tally.outlets[month])
        rows.append(
            UnitYear(
                unit=unit,
                submitted=sum(len(tally.submitted[m]) for m in range(1, 13)),
                adopted=sum(len(tally.adopted[m]) for m in range(1, 13)),
                outlet_counts=dict(outlet_counts),
                scores=tallied.scores(unit, 12),
                shortfalls=_shortfalls(ruleset, tally, unit, year, as_of),
                rank=0,
            )
        )
    ranks = _ranks(rows, lambda r: r.total)
    ranked = _ordered(ruleset, [replace(row, rank=ranks[row.unit.id]) for row in rows], ranks)
    return YearReport(
        ruleset=ruleset, year=year, units=tuple(ranked), rewards=tuple(_rewards(ruleset, books, ranked, year)),
        authors=_authors(ruleset, books, tallied, year),
    )


__all__ = [
    "AdjustmentRecord",
    "AdoptedItem",
    "AuthorYear",
    "AdoptionRecord",
    "Books",
    "CommissionRecord",
    "EndorsementRecord",
    "GroupScore",
    "ItemRecord",
    "LateProof",
    "MonthReport",
    "QuotaStatus",
    "Reward",
    "UnitMonth",
    "UnitRecord",
    "UnitYear",
    "YearReport",
    "adoption_counts",
    "missed_proof_deadline",
    "compute_month",
    "compute_year",
    "item_points",
    "proof_deadline",
    "submission_points",
]
