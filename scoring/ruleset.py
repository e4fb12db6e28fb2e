"""Load and validate an organisation's scoring rule set (config/orgs/<key>/scoring.toml).

The file is data: outlets, groups, combination policies, categories, endorsements, deductions,
unit classes with quotas and targets, bonuses and rewards. The engine in scoring.compute runs any
rule set; nothing in code names an organisation. docs/rulesets.md documents the format.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from baosong.organisation import ConfigError, load_layered

POLICIES = ("highest", "cumulative")
PERIODS = ("month", "quarter", "year")
MEASURES = ("submitted", "adopted")
UNCLASSED = "未分类"


@dataclass(frozen=True)
class Group:
    """政务 / 新闻: points are kept, targeted and reported per group."""

    name: str
    policy: str  # highest: an item scores at its best outlet only (就高不就低); cumulative: every level adds
    categories: tuple[str, ...]  # items of these categories are this group's (报送数量 per group); () for none


@dataclass(frozen=True)
class Extra:
    """Points an outlet adds when the same item is also adopted by another outlet or level."""

    points: float
    also_outlet: str | None
    also_level: str | None


@dataclass(frozen=True)
class Outlet:
    name: str
    short: str
    group: str
    level: str
    points: float
    category_points: Mapping[str, float]
    reward_yuan: float
    extras: tuple[Extra, ...]
    aliases: tuple[str, ...]

    def points_for(self, category: str) -> float:
        return self.category_points.get(category, self.points)


@dataclass(frozen=True)
class EndorsementLevel:
    level: str
    label: str
    points: float


@dataclass(frozen=True)
class CommissionPoints:
    """约稿: points for a piece delivered on time, late, or not at all once due."""

    on_time: float
    late: float
    missing: float
    group: str


@dataclass(frozen=True)
class AdjustmentKind:
    """A named deduction or bonus the clerk records with `baosong adjust --kind`."""

    name: str
    points: float | None
    percent: float | None  # of the year's total (e.g. -20)


@dataclass(frozen=True)
class Quota:
    label: str
    period: str  # month | quarter | year
    measure: str  # submitted | adopted
    count: float
    per_missing: float  # points per missing item, applied when the period ends (negative)
    category: str
    title_contains: str
    group: str

    @property
    def required(self) -> int:
        return math.ceil(self.count)


@dataclass(frozen=True)
class MonthlyBonus:
    """Points for a month in which a unit sends enough items and enough of them are adopted."""

    min_submitted: int
    min_adoption_rate: float
    points: float
    group: str


@dataclass(frozen=True)
class UnitClass:
    name: str
    members: tuple[str, ...]
    targets: Mapping[str, float]
    quotas: tuple[Quota, ...]
    monthly_bonus: MonthlyBonus | None


@dataclass(frozen=True)
class UnitOverride:
    unit: str
    targets: Mapping[str, float]
    quotas: tuple[Quota, ...] | None


@dataclass(frozen=True)
class TopReward:
    class_name: str
    top: int
    yuan: float


@dataclass(frozen=True)
class RuleSet:
    key: str
    name: str
    report_title: str
    issuer: str
    reminder: str  # the rules reminder closing the 通报's summary
    timezone: str
    proof_deadline_day: int  # 0: proof may come any time
    start_date: date | None  # the office started keeping its books here: no quota period before it is charged
    default_group: str
    levels: tuple[str, ...]
    categories: tuple[str, ...]  # item categories (动态, 专报, 参阅…); the first is an untagged item's
    groups: tuple[Group, ...]
    outlets: tuple[Outlet, ...]
    submission_points: float
    submission_category_points: Mapping[str, float]
    endorsement_group: str
    endorsements: tuple[EndorsementLevel, ...]
    commissions: CommissionPoints
    adjustment_kinds: tuple[AdjustmentKind, ...]
    classes: tuple[UnitClass, ...]
    overrides: tuple[UnitOverride, ...]
    top_rewards: tuple[TopReward, ...]

    @property
    def default_category(self) -> str:
        return self.categories[0]

    def category_of(self, tags: list[str]) -> str:
        """The first tag (【专报】…) that names one of the categories, else the default category."""
        return next((tag for tag in tags if tag in self.categories), self.default_category)

    @property
    def splits_submissions(self) -> bool:
        """报送数量 is counted per group when a group claims categories (A: 政务 and 新闻 apart)."""
        return any(group.categories for group in self.groups)

    def group_of(self, category: str) -> str:
        """The group an item of `category` is submitted to: the group listing it, else the default group."""
        return next((g.name for g in self.groups if category in g.categories), self.default_group)

    def group(self, name: str) -> Group:
        for group in self.groups:
            if group.name == name:
                return group
        raise KeyError(name)

    def outlet(self, name: str) -> Outlet | None:
        """The outlet called `name` (full name, short name or alias), or None."""
        wanted = name.strip()
        for outlet in self.outlets:
            if wanted in (outlet.name, outlet.short, *outlet.aliases):
                return outlet
        return None

    def outlets_of(self, group: str) -> tuple[Outlet, ...]:
        return tuple(o for o in self.outlets if o.group == group)

    def endorsement(self, level: str) -> EndorsementLevel | None:
        wanted = level.strip()
        for endorsement in self.endorsements:
            if wanted in (endorsement.level, endorsement.label):
                return endorsement
        return None

    def adjustment_kind(self, name: str) -> AdjustmentKind | None:
        return next((kind for kind in self.adjustment_kinds if kind.name == name.strip()), None)

    def unit_class(self, name: str) -> UnitClass | None:
        return next((cls for cls in self.classes if cls.name == name), None)

    def class_of(self, unit_name: str, registry_category: str) -> str:
        """The registry's 类别 when it names a class, else the class listing the unit as a member."""
        if self.unit_class(registry_category):
            return registry_category
        for cls in self.classes:
            if unit_name in cls.members:
                return cls.name
        return UNCLASSED

    def _override(self, unit_name: str) -> UnitOverride | None:
        return next((o for o in self.overrides if o.unit == unit_name), None)

    def targets_for(self, unit_name: str, class_name: str) -> Mapping[str, float]:
        cls = self.unit_class(class_name)
        targets = dict(cls.targets) if cls else {}
        override = self._override(unit_name)
        if override:
            targets.update(override.targets)
        return targets

    def quotas_for(self, unit_name: str, class_name: str) -> tuple[Quota, ...]:
        override = self._override(unit_name)
        if override and override.quotas is not None:
            return override.quotas
        cls = self.unit_class(class_name)
        return cls.quotas if cls else ()

    def class_order(self) -> tuple[str, ...]:
        return (*(cls.name for cls in self.classes), UNCLASSED)


class _Table:
    """One TOML table read strictly: unknown keys are an error, so typos never pass silently."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, dict):
            raise ConfigError(f"{where} 应当是一个表（table）")
        self.data = data
        self.where = where
        self.used: set[str] = set()

    def get(self, key: str, default: Any = ..., kind: type | tuple[type, ...] | None = None) -> Any:
        self.used.add(key)
        if key not in self.data:
            if default is ...:
                raise ConfigError(f"{self.where} 缺少 {key}")
            return default
        value = self.data[key]
        numeric = kind in (int, float, (int, float))
        if kind is not None and (not isinstance(value, kind) or numeric and isinstance(value, bool)):
            raise ConfigError(f"{self.where} 的 {key} 类型不对：{value!r}")
        return value

    def number(self, key: str, default: Any = ...) -> float:
        return float(self.get(key, default, (int, float)))

    def tables(self, key: str) -> list[_Table]:
        values = self.get(key, [], list)
        return [_Table(value, f"{self.where}.{key}[{i + 1}]") for i, value in enumerate(values)]

    def done(self) -> None:
        unknown = set(self.data) - self.used
        if unknown:
            raise ConfigError(f"{self.where} 中有未知的设置项：{', '.join(sorted(unknown))}")


def _points_map(table: _Table, key: str, allowed: tuple[str, ...] | None = None) -> dict[str, float]:
    raw = table.get(key, {}, dict)
    result: dict[str, float] = {}
    for name, value in raw.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{table.where}.{key}.{name} 应当是数字")
        if allowed is not None and name not in allowed:
            raise ConfigError(f"{table.where}.{key} 中的「{name}」不是已定义的分组")
        result[name] = float(value)
    return result


def _check_choice(value: str, choices: tuple[str, ...], where: str) -> str:
    if value not in choices:
        raise ConfigError(f"{where} 应为 {' / '.join(choices)} 之一，而不是「{value}」")
    return value


def _quota(table: _Table, groups: tuple[str, ...], default_group: str) -> Quota:
    quota = Quota(
        label=table.get("label", kind=str),
        period=_check_choice(table.get("period", kind=str), PERIODS, f"{table.where}.period"),
        measure=_check_choice(table.get("measure", kind=str), MEASURES, f"{table.where}.measure"),
        count=table.number("count"),
        per_missing=table.number("per_missing", 0),
        category=table.get("category", "", str),
        title_contains=table.get("title_contains", "", str),
        group=_check_choice(table.get("group", default_group, str), groups, f"{table.where}.group"),
    )
    table.done()
    return quota


def _outlet(table: _Table, groups: tuple[str, ...], levels: tuple[str, ...]) -> Outlet:
    name = table.get("name", kind=str)
    extras = []
    for extra in table.tables("extras"):
        also_outlet = extra.get("also_outlet", None, str)
        also_level = extra.get("also_level", None, str)
        if (also_outlet is None) == (also_level is None):
            raise ConfigError(f"{extra.where} 需要且只能有 also_outlet 或 also_level 之一")
        if also_level is not None:
            _check_choice(also_level, levels, f"{extra.where}.also_level")
        extras.append(Extra(points=extra.number("points"), also_outlet=also_outlet, also_level=also_level))
        extra.done()
    outlet = Outlet(
        name=name,
        short=table.get("short", name, str),
        group=_check_choice(table.get("group", kind=str), groups, f"{table.where}.group"),
        level=_check_choice(table.get("level", kind=str), levels, f"{table.where}.level"),
        points=table.number("points"),
        category_points=_points_map(table, "category_points"),
        reward_yuan=table.number("reward_yuan", 0),
        extras=tuple(extras),
        aliases=tuple(table.get("aliases", [], list)),
    )
    table.done()
    return outlet


def _classes(root: _Table, groups: tuple[str, ...], default_group: str) -> tuple[UnitClass, ...]:
    classes = []
    for table in root.tables("classes"):
        bonus = None
        if "monthly_bonus" in table.data:
            raw = _Table(table.get("monthly_bonus", kind=dict), f"{table.where}.monthly_bonus")
            bonus = MonthlyBonus(
                min_submitted=int(raw.number("min_submitted")),
                min_adoption_rate=raw.number("min_adoption_rate"),
                points=raw.number("points"),
                group=_check_choice(raw.get("group", default_group, str), groups, f"{raw.where}.group"),
            )
            raw.done()
        classes.append(
            UnitClass(
                name=table.get("name", kind=str),
                members=tuple(table.get("members", [], list)),
                targets=_points_map(table, "targets", groups),
                quotas=tuple(_quota(q, groups, default_group) for q in table.tables("quotas")),
                monthly_bonus=bonus,
            )
        )
        table.done()
    names = [cls.name for cls in classes]
    if len(set(names)) != len(names):
        raise ConfigError("classes 中有重名的单位类别")
    return tuple(classes)


def parse_ruleset(key: str, data: dict[str, Any]) -> RuleSet:
    """Validate a parsed scoring.toml into a RuleSet; ConfigError (Chinese) on any problem."""
    root = _Table(data, "scoring.toml")
    org = _Table(root.get("organisation", kind=dict), "[organisation]")
    levels = tuple(org.get("levels", kind=list))
    categories = tuple(org.get("categories", ["动态"], list))
    if not categories or not all(isinstance(name, str) and name for name in categories):
        raise ConfigError("[organisation] categories 应当列出至少一个类别名称，如 [\"动态\", \"专报\"]")
    group_list = []
    for table in root.tables("groups"):
        policy = _check_choice(table.get("policy", kind=str), POLICIES, f"{table.where}.policy")
        group_categories = tuple(table.get("categories", [], list))
        group_list.append(Group(name=table.get("name", kind=str), policy=policy, categories=group_categories))
        table.done()
    groups = tuple(group_list)
    group_names = tuple(g.name for g in groups)
    if not group_names:
        raise ConfigError("scoring.toml 至少要定义一个分组（[[groups]]）")
    default_group = _check_choice(org.get("default_group", group_names[0], str), group_names, "default_group")

    outlets = tuple(_outlet(t, group_names, levels) for t in root.tables("outlets"))
    outlet_names = {o.name for o in outlets}
    for outlet in outlets:
        for extra in outlet.extras:
            if extra.also_outlet is not None and extra.also_outlet not in outlet_names:
                raise ConfigError(f"刊物「{outlet.name}」的 extras 引用了未定义的刊物「{extra.also_outlet}」")

    submission = _Table(root.get("submission", {}, dict), "[submission]")
    submission_points = submission.number("points", 0)
    submission_category_points = _points_map(submission, "category_points")
    submission.done()

    endorse = _Table(root.get("endorsements", {}, dict), "[endorsements]")
    endorsement_group = _check_choice(endorse.get("group", default_group, str), group_names, "[endorsements].group")
    endorsements = []
    for table in endorse.tables("levels"):
        endorsements.append(
            EndorsementLevel(
                level=_check_choice(table.get("level", kind=str), levels, f"{table.where}.level"),
                label=table.get("label", kind=str),
                points=table.number("points"),
            )
        )
        table.done()
    endorse.done()

    commission = _Table(root.get("commissions", {}, dict), "[commissions]")
    commissions = CommissionPoints(
        on_time=commission.number("on_time", 0),
        late=commission.number("late", 0),
        missing=commission.number("missing", 0),
        group=_check_choice(commission.get("group", default_group, str), group_names, "[commissions].group"),
    )
    commission.done()

    kinds = []
    for table in root.tables("adjustment_kinds"):
        points = table.get("points", None, (int, float))
        percent = table.get("percent", None, (int, float))
        if (points is None) == (percent is None):
            raise ConfigError(f"{table.where} 需要且只能有 points 或 percent 之一")
        kinds.append(
            AdjustmentKind(
                name=table.get("name", kind=str),
                points=None if points is None else float(points),
                percent=None if percent is None else float(percent),
            )
        )
        table.done()

    classes = _classes(root, group_names, default_group)
    overrides = []
    for table in root.tables("unit_overrides"):
        quotas = table.tables("quotas") if "quotas" in table.data else None
        overrides.append(
            UnitOverride(
                unit=table.get("unit", kind=str),
                targets=_points_map(table, "targets", group_names),
                quotas=None if quotas is None else tuple(_quota(q, group_names, default_group) for q in quotas),
            )
        )
        table.done()

    rewards = _Table(root.get("rewards", {}, dict), "[rewards]")
    top_rewards = []
    class_names = {cls.name for cls in classes}
    for table in rewards.tables("top"):
        top_rewards.append(
            TopReward(
                class_name=_check_choice(table.get("class", kind=str), tuple(class_names), f"{table.where}.class"),
                top=int(table.number("top")),
                yuan=table.number("yuan"),
            )
        )
        table.done()
    rewards.done()

    ruleset = RuleSet(
        key=key,
        name=org.get("name", kind=str),
        report_title=org.get("report_title", kind=str),
        issuer=org.get("issuer", "", str),
        reminder=org.get("reminder", "", str),
        timezone=org.get("timezone", "Asia/Shanghai", str),
        proof_deadline_day=int(org.number("proof_deadline_day", 0)),
        start_date=_start_date(org.get("start_date", None, date)),
        default_group=default_group,
        levels=levels,
        categories=categories,
        groups=groups,
        outlets=outlets,
        submission_points=submission_points,
        submission_category_points=submission_category_points,
        endorsement_group=endorsement_group,
        endorsements=tuple(endorsements),
        commissions=commissions,
        adjustment_kinds=tuple(kinds),
        classes=classes,
        overrides=tuple(overrides),
        top_rewards=tuple(top_rewards),
    )
    org.done()
    root.done()
    if not 0 <= ruleset.proof_deadline_day <= 28:
        raise ConfigError("proof_deadline_day 应在 0 到 28 之间（0 表示不设期限）")
    _check_categories(ruleset)
    return ruleset


def _start_date(value: date | None) -> date | None:
    """TOML dates (start_date = 2026-03-01) come as date; a date-time is refused by its type."""
    if value is not None and isinstance(value, datetime):
        raise ConfigError(f"[organisation] start_date 应为日期（如 2026-03-01），而不是「{value}」")
    return value


def _check_categories(ruleset: RuleSet) -> None:
    """Every category a points table or quota names must be one of [organisation] categories."""
    named = [("[submission].category_points", name) for name in ruleset.submission_category_points]
    named += [(f"刊物「{o.name}」的 category_points", name) for o in ruleset.outlets for name in o.category_points]
    quotas = [q for cls in ruleset.classes for q in cls.quotas] + [q for o in ruleset.overrides for q in o.quotas or ()]
    named += [(f"定额「{q.label}」的 category", q.category) for q in quotas if q.category]
    named += [(f"分组「{g.name}」的 categories", name) for g in ruleset.groups for name in g.categories]
    for where, name in named:
        if name not in ruleset.categories:
            raise ConfigError(f"{where} 中的类别「{name}」不在 [organisation] categories（{'、'.join(ruleset.categories)}）中")


def load_ruleset(config_dir: Path, key: str) -> RuleSet:
    """Read config/orgs/<key>/scoring.toml (following `extends`) and validate it."""
    return parse_ruleset(key, load_layered(config_dir / "orgs", key, "scoring.toml"))
