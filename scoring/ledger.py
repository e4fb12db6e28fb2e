"""Recording the books: one service function per clerk action, each leaving an audit entry.

The CLI, the console and the tests call these; the caller owns the transaction. A refused
entry raises LedgerError with a Chinese message a clerk can act on.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from baosong.models import Adjustment, Adoption, AuditEntry, Commission, Endorsement, Item, Unit, utcnow
from scoring.compute import missed_proof_deadline
from scoring.data import local_date
from scoring.ruleset import RuleSet


class LedgerError(ValueError):
    """An entry that cannot be recorded; the message says why, in Chinese."""


class NeedsConfirmation(LedgerError):
    """An entry that looks like one already made today: recorded only when the clerk confirms."""


STATES = {"accepted": "已接收", "rejected": "已退回", "review": "待人工审核", "ignored": "已忽略"}
MAX_ID_DIGITS = 18  # ids are 64-bit; a longer number cannot be one, and would overflow the query
MAX_ADJUSTMENT_POINTS = 10_000  # one adjustment; the console's form has the same bound


def _fits(entry_id: int) -> bool:
    """Whether a number typed as a books id can be one (else it is "not found", not an overflow)."""
    return 0 < entry_id < 10**MAX_ID_DIGITS


def find_item(session: Session, ref: str) -> Item:
    """An item by its number or its receipt number (收件编号, any letter case)."""
    ref = ref.strip()
    item = session.get(Item, int(ref)) if ref.isdigit() and len(ref) <= MAX_ID_DIGITS else None
    item = item or session.scalar(select(Item).where(Item.receipt.in_({ref, ref.upper()})))
    if item is None:
        raise LedgerError(f"找不到信息「{ref}」：请填写条目编号或收件编号（如 CJHB-2026-00006）")
    return item


def find_unit(session: Session, ref: str) -> Unit:
    """A unit by its full name or one of its aliases."""
    ref = ref.strip()
    unit = session.scalar(select(Unit).where(Unit.name == ref))
    if unit is None:
        matches = [u for u in session.scalars(select(Unit)) if ref in (u.aliases or [])]
        if len(matches) > 1:
            raise LedgerError(f"简称「{ref}」对应多个单位，请填写全称：{'、'.join(u.name for u in matches)}")
        unit = matches[0] if matches else None
    if unit is None:
        raise LedgerError(f"单位名录中没有「{ref}」：请填写单位全称或简称")
    return unit


def _audit(session: Session, actor: str, action: str, reason: str, details: dict, item_id: int | None = None) -> None:
    session.add(AuditEntry(actor=actor, action=action, item_id=item_id, reason=reason, details=details))


def _insert_once(session: Session, row: Adoption | Endorsement, already: str) -> None:
    """Insert `row`; when another clerk (or a double click) recorded the same entry a moment ago,
    the unique key refuses it and the clerk reads `already` instead of an error page.

    No savepoint: on SQLite pysqlite starts no transaction before a SAVEPOINT, so its RELEASE would
    commit the entry early. The caller rolls its transaction back, as for any LedgerError."""
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:
        raise LedgerError(already) from exc


def _accepted(item: Item) -> None:
    if item.verdict != "accepted":
        state = STATES.get(item.verdict, item.verdict)
        raise LedgerError(f"信息 {item.receipt or item.id} 未被接收（当前状态：{state}），不能登记采用或批示")


def _not_before_item(ruleset: RuleSet, item: Item, on: date, what: str) -> None:
    """An item cannot be adopted or endorsed before it reached the office (a mistyped date)."""
    received = local_date(item.received_at, ZoneInfo(ruleset.timezone))
    if on < received:
        raise LedgerError(f"{what}（{on}）早于信息 {item.receipt or item.id} 的收到日期（{received}），请核对")


def record_adoption(
    session: Session,
    ruleset: RuleSet,
    item: Item,
    outlet: str,
    adopted_on: date,
    *,
    proof_received_on: date | None = None,
    proof_file: str = "",
    note: str = "",
    actor: str = "system",
) -> Adoption:
    """Record that `outlet` used `item` on `adopted_on`; proof after the rule set's deadline still
    goes on the books (the computation leaves it out), so the clerk sees why it did not score."""
    _accepted(item)
    _not_before_item(ruleset, item, adopted_on, "采用日期")
    known = ruleset.outlet(outlet)
    if known is None:
        names = "、".join(o.name for o in ruleset.outlets)
        raise LedgerError(f"规则集中没有刊物「{outlet}」。可选：{names}")
    if proof_received_on is not None and proof_received_on < adopted_on:
        raise LedgerError(f"收到刊发证明的日期（{proof_received_on}）早于采用日期（{adopted_on}），请核对")
    exists = session.scalar(select(Adoption).where(Adoption.item_id == item.id, Adoption.outlet == known.name))
    if exists is not None:
        raise LedgerError(f"信息 {item.receipt or item.id} 已登记过被「{known.name}」采用（{exists.adopted_on}）")
    adoption = Adoption(
        item_id=item.id,
        outlet=known.name,
        adopted_on=adopted_on,
        proof_received_on=proof_received_on,
        proof_file=proof_file,
        category=item.category,
        note=note,
        recorded_by=actor,
    )
    _insert_once(session, adoption, f"信息 {item.receipt or item.id} 刚刚已登记过被「{known.name}」采用，请刷新页面查看")
    details = {"adoption_id": adoption.id, "outlet": known.name, "adopted_on": adopted_on.isoformat()}
    if proof_received_on:
        details["proof_received_on"] = proof_received_on.isoformat()
    _audit(session, actor, "adopt", note, details, item.id)
    return adoption


def late_proof_warning(ruleset: RuleSet, adoption: Adoption) -> str:
    """What a clerk is told on recording an adoption whose proof came after the rule set's
    deadline ("" when in time): it stays on the books, scores nothing and the 通报 criticises it."""
    deadline = missed_proof_deadline(adoption.adopted_on, adoption.proof_received_on, ruleset.proof_deadline_day)
    if deadline is None:
        return ""
    return (f"注意：刊发证明 {adoption.proof_received_on} 才收到，晚于报送期限 {deadline}"
            f"（每月{ruleset.proof_deadline_day}日前），按规则这条采用不计分、不计入采用数，"
            f"{deadline.year}年{deadline.month}月的通报将把它列入通报批评。")


def record_endorsement(
    session: Session,
    ruleset: RuleSet,
    item: Item,
    level: str,
    endorsed_on: date,
    *,
    leader: str = "",
    note: str = "",
    actor: str = "system",
) -> Endorsement:
    """Record a leader's endorsement (批示) of `item` at `level` (a level name or its label)."""
    _accepted(item)
    _not_before_item(ruleset, item, endorsed_on, "批示日期")
    known = ruleset.endorsement(level)
    if known is None:
        labels = "、".join(f"{e.level}（{e.label}）" for e in ruleset.endorsements) or "（本规则集不计批示分）"
        raise LedgerError(f"规则集中没有批示级别「{level}」。可选：{labels}")
    exists = session.scalar(select(Endorsement).where(Endorsement.item_id == item.id, Endorsement.level == known.level))
    if exists is not None:
        raise LedgerError(f"信息 {item.receipt or item.id} 已登记过{known.label}（{exists.endorsed_on}）")
    endorsement = Endorsement(
        item_id=item.id, level=known.level, leader=leader, endorsed_on=endorsed_on, note=note, recorded_by=actor
    )
    _insert_once(session, endorsement, f"信息 {item.receipt or item.id} 刚刚已登记过{known.label}，请刷新页面查看")
    details = {"endorsement_id": endorsement.id, "level": known.level, "leader": leader, "endorsed_on": endorsed_on.isoformat()}
    _audit(session, actor, "endorse", note, details, item.id)
    return endorsement


def record_commission(session: Session, unit: Unit, topic: str, due_on: date, *, actor: str = "system") -> Commission:
    """Record a piece commissioned from `unit` (约稿), due on `due_on`."""
    if not topic.strip():
        raise LedgerError("约稿题目不能为空")
    commission = Commission(unit_id=unit.id, topic=topic.strip(), due_on=due_on, recorded_by=actor)
    session.add(commission)
    session.flush()
    details = {"commission_id": commission.id, "unit": unit.name, "topic": commission.topic, "due_on": due_on.isoformat()}
    _audit(session, actor, "commission", "", details)
    return commission


def deliver_commission(
    session: Session, commission_id: int, item: Item, delivered_on: date, *, actor: str = "system"
) -> Commission:
    """Mark a commissioned piece as delivered by `item` on `delivered_on`."""
    commission = session.get(Commission, commission_id) if _fits(commission_id) else None
    if commission is None:
        raise LedgerError(f"找不到约稿 {commission_id}")
    if item.unit_id != commission.unit_id:
        raise LedgerError(f"信息 {item.receipt or item.id} 不是约稿单位报送的")
    _accepted(item)
    commission.item_id = item.id
    commission.delivered_on = delivered_on
    details = {"commission_id": commission.id, "delivered_on": delivered_on.isoformat(), "due_on": commission.due_on.isoformat()}
    _audit(session, actor, "commission_delivered", "", details, item.id)
    return commission


def record_adjustment(
    session: Session,
    ruleset: RuleSet,
    unit: Unit,
    *,
    dated_on: date,
    reason: str,
    points: float | None = None,
    percent: float | None = None,
    kind: str = "",
    group: str = "",
    actor: str = "system",
    confirmed: bool = False,
) -> Adjustment:
    """Record a deduction or bonus: fixed `points`, a `percent` of the year's total, or a named
    `kind` from the rule set that supplies either. The same adjustment recorded again on the same
    day needs `confirmed` (a double entry from the console and the shell is the usual cause)."""
    if kind:
        known = ruleset.adjustment_kind(kind)
        if known is None:
            names = "、".join(k.name for k in ruleset.adjustment_kinds) or "（无）"
            raise LedgerError(f"规则集中没有加减分项目「{kind}」。可选：{names}")
        if points is None and percent is None:
            points, percent = known.points, known.percent
        reason = reason or known.name
    if (points is None) == (percent is None):
        raise LedgerError("请给出加减分的分值（--points）或占全年总分的百分比（--percent），二者选一")
    _check_amount(points, percent)
    if group and group not in {g.name for g in ruleset.groups}:
        raise LedgerError(f"规则集中没有分组「{group}」。可选：{'、'.join(g.name for g in ruleset.groups)}")
    if not reason.strip():
        raise LedgerError("请写明加减分的原因")
    if not confirmed:
        _refuse_same_adjustment_today(session, ruleset, unit, dated_on, points, percent, kind, group)
    adjustment = Adjustment(
        unit_id=unit.id,
        dated_on=dated_on,
        points=points,
        percent=percent,
        score_group=group,
        kind=kind,
        reason=reason.strip(),
        recorded_by=actor,
    )
    session.add(adjustment)
    session.flush()
    details = {
        "adjustment_id": adjustment.id,
        "unit": unit.name,
        "points": points,
        "percent": percent,
        "group": group,
        "kind": kind,
        "dated_on": dated_on.isoformat(),
    }
    _audit(session, actor, "adjust", adjustment.reason, details)
    return adjustment


def _refuse_same_adjustment_today(
    session: Session, ruleset: RuleSet, unit: Unit, dated_on: date,
    points: float | None, percent: float | None, kind: str, group: str,
) -> None:
    zone = ZoneInfo(ruleset.timezone)
    today = local_date(utcnow(), zone)
    same = session.scalars(select(Adjustment).where(
        Adjustment.unit_id == unit.id, Adjustment.dated_on == dated_on, Adjustment.kind == kind,
        Adjustment.score_group == group,
        Adjustment.points.is_(None) if points is None else Adjustment.points == points,
        Adjustment.percent.is_(None) if percent is None else Adjustment.percent == percent,
    ))
    for earlier in same:
        if local_date(earlier.recorded_at, zone) == today:
            at = earlier.recorded_at if earlier.recorded_at.tzinfo else earlier.recorded_at.replace(tzinfo=ZoneInfo("UTC"))
            raise NeedsConfirmation(
                f"今天 {at.astimezone(zone):%H:%M} {earlier.recorded_by} 已给{unit.name}登记过一笔相同的加减分"
                f"（{_amount(earlier)}，计分日期 {dated_on}，原因：{earlier.reason}）。确实要再登记一笔吗？"
            )


def _amount(adjustment: Adjustment) -> str:
    if adjustment.points is not None:
        return f"{adjustment.points:+g} 分"
    return f"全年总分 {adjustment.percent:+g}%"


# Corrections: every entry on the books can be corrected or deleted, with a reason, audited with
# what it was before; the 通报 is computed from the books, so it follows.

ENTRY_NAMES = {"adoption": "采用", "endorsement": "批示", "adjustment": "加减分", "commission": "约稿"}
_ENTRY_MODELS = {"adoption": Adoption, "endorsement": Endorsement, "adjustment": Adjustment, "commission": Commission}
_FIELDS = {
    "adoption": ("outlet", "adopted_on", "proof_received_on", "note"),
    "endorsement": ("level", "leader", "endorsed_on", "note"),
    "adjustment": ("points", "percent", "dated_on", "reason", "kind", "score_group"),
    "commission": ("topic", "due_on", "delivered_on"),
}


def find_entry(session: Session, entry: str, entry_id: int) -> Adoption | Endorsement | Adjustment | Commission:
    model = _ENTRY_MODELS.get(entry)
    if model is None:
        raise LedgerError(f"没有“{entry}”这种台账记录（可选：{'、'.join(ENTRY_NAMES.values())}）")
    row = session.get(model, entry_id) if _fits(entry_id) else None
    if row is None:
        raise LedgerError(f"找不到编号为 {entry_id} 的{ENTRY_NAMES[entry]}记录")
    return row


def delete_entry(session: Session, entry: str, entry_id: int, *, reason: str, actor: str = "system") -> None:
    """Delete an adoption, endorsement, adjustment or commission; the log keeps what it was."""
    row = find_entry(session, entry, entry_id)
    _need_reason(reason)
    before = _snapshot(entry, row)
    item_id = getattr(row, "item_id", None)
    session.delete(row)
    session.flush()
    _audit(session, actor, f"delete_{entry}", reason.strip(), {"entry_id": entry_id, "before": before}, item_id)


def correct_entry(
    session: Session, ruleset: RuleSet, entry: str, entry_id: int, changes: dict[str, Any], *,
    reason: str, actor: str = "system",
):
    """Change some fields of an entry (only the keys given); checked as a new entry would be."""
    row = find_entry(session, entry, entry_id)
    _need_reason(reason)
    unknown = set(changes) - set(_FIELDS[entry])
    if unknown:
        raise LedgerError(f"{ENTRY_NAMES[entry]}记录没有这些项：{'、'.join(sorted(unknown))}")
    before = _snapshot(entry, row)
    for key, value in changes.items():
        setattr(row, key, value)
    _CHECKS[entry](session, ruleset, row)
    after = _snapshot(entry, row)
    changed = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if not changed:
        raise LedgerError("没有任何改动")
    try:
        session.flush()
    except IntegrityError as exc:
        raise LedgerError(f"改动后与已有的{ENTRY_NAMES[entry]}记录重复") from exc
    _audit(session, actor, f"correct_{entry}", reason.strip(), {"entry_id": entry_id, "changed": changed},
           getattr(row, "item_id", None))
    return row


def _need_reason(reason: str) -> None:
    if not reason.strip():
        raise LedgerError("更正或删除台账记录须写明理由")


def _snapshot(entry: str, row) -> dict[str, Any]:  # noqa: ANN001 - any entry model
    values = {key: getattr(row, key) for key in _FIELDS[entry]}
    return {key: value.isoformat() if isinstance(value, (date, datetime)) else value for key, value in values.items()}


def _check_adoption(session: Session, ruleset: RuleSet, row: Adoption) -> None:
    known = ruleset.outlet(row.outlet)
    if known is None:
        raise LedgerError(f"规则集中没有刊物「{row.outlet}」。可选：{'、'.join(o.name for o in ruleset.outlets)}")
    row.outlet = known.name
    _not_before_item(ruleset, row.item, row.adopted_on, "采用日期")
    if row.proof_received_on is not None and row.proof_received_on < row.adopted_on:
        raise LedgerError(f"收到刊发证明的日期（{row.proof_received_on}）早于采用日期（{row.adopted_on}），请核对")
    other = session.scalar(select(Adoption.id).where(
        Adoption.item_id == row.item_id, Adoption.outlet == row.outlet, Adoption.id != row.id))
    if other is not None:
        raise LedgerError(f"信息 {row.item.receipt or row.item_id} 已登记过被「{row.outlet}」采用")


def _check_endorsement(session: Session, ruleset: RuleSet, row: Endorsement) -> None:
    known = ruleset.endorsement(row.level)
    if known is None:
        raise LedgerError(f"规则集中没有批示级别「{row.level}」")
    row.level = known.level
    _not_before_item(ruleset, row.item, row.endorsed_on, "批示日期")
    other = session.scalar(select(Endorsement.id).where(
        Endorsement.item_id == row.item_id, Endorsement.level == row.level, Endorsement.id != row.id))
    if other is not None:
        raise LedgerError(f"信息 {row.item.receipt or row.item_id} 已登记过{known.label}")


def _check_adjustment(session: Session, ruleset: RuleSet, row: Adjustment) -> None:
    if (row.points is None) == (row.percent is None):
        raise LedgerError("加减分须有分值或百分比，二者选一")
    _check_amount(row.points, row.percent)
    if row.kind and ruleset.adjustment_kind(row.kind) is None:
        raise LedgerError(f"规则集中没有加减分项目「{row.kind}」")
    if row.score_group and row.score_group not in {g.name for g in ruleset.groups}:
        raise LedgerError(f"规则集中没有分组「{row.score_group}」")
    if not (row.reason or "").strip():
        raise LedgerError("请写明加减分的原因")


def _check_amount(points: float | None, percent: float | None) -> None:
    """Points and percentages an office could mean, as the console bounds them (inf, nan, typos refused)."""
    if points is not None and not (math.isfinite(points) and abs(points) <= MAX_ADJUSTMENT_POINTS):
        raise LedgerError(f"加减分的分值应在 -{MAX_ADJUSTMENT_POINTS} 到 {MAX_ADJUSTMENT_POINTS} 之间")
    if percent is not None and not (math.isfinite(percent) and abs(percent) <= 100):
        raise LedgerError("加减分的百分比应在 -100 到 100 之间")


def _check_commission(session: Session, ruleset: RuleSet, row: Commission) -> None:
    if not (row.topic or "").strip():
        raise LedgerError("约稿题目不能为空")


_CHECKS = {
    "adoption": _check_adoption, "endorsement": _check_endorsement,
    "adjustment": _check_adjustment, "commission": _check_commission,
}
