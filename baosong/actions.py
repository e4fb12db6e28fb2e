"""Clerk actions on queued items: one service function per action, each audited.

The console, the `baosong queue` commands and the tests all call these. Each function works
inside the caller's transaction and never commits; each writes one AuditEntry (who, what, why).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from baosong.labels import VERDICTS
from baosong.localtime import as_local
from baosong.models import Adoption, AuditEntry, Endorsement, Item, OutboxMessage, RawMessage, Unit, utcnow
from baosong.models.outbox import OUTBOX_STATE_LABELS
from baosong import pipeline
from baosong.app import App
from baosong.pipeline import index_accepted
from baosong.receipts import next_receipt
from scoring.ledger import MAX_ID_DIGITS
from validators.duplicates import DuplicateStore
from intake.outbox import queue_followup, release


class ActionError(Exception):
    """A clerk action that cannot be done; the message is Chinese and shown as is."""


def accept(
    session: Session, item_id: int, actor: str, reason: str, *, receipt_prefix: str, reply: bool = False
) -> Item:
    """Accept despite findings: the item then counts exactly like an automatically accepted one."""
    item = _item(session, item_id)
    if item.verdict == "accepted":
        raise ActionError(f"条目 {item_id} 已经是“已接收”状态")
    if not reason.strip():
        raise ActionError("请填写接收的理由")
    if item.unit_id is None:
        raise ActionError("请先设定报送单位，再接收")
    if item.verdict == "ignored" and not (item.title or item.text):  # judged as not a submission: nothing was read
        raise ActionError(
            "这封邮件被判为“不予处理”，系统没有读取其中的文档，不能直接接收。如确为单位报送的信息，"
            "请把发件邮箱登记到该单位的名录（“邮箱”列），再点“重新审核”（命令行：baosong queue rejudge）。"
        )
    before = item.verdict
    now = utcnow()
    item.verdict = "accepted"
    item.accepted_at = now
    item.decided_at = now
    if item.receipt is None:
        item.receipt = next_receipt(session, receipt_prefix, as_local(now).year)
    _index_as_accepted(session, item, now)
    _audit(session, actor, "accept", item, reason, {"from": before, "receipt": item.receipt})
    if reply:
        _queue_reply(session, item, "accepted_by_clerk", actor, reason)
    return item


def reject(session: Session, item_id: int, actor: str, reason: str = "", *, reply: bool = False) -> Item:
    """Confirm the rejection (a `review` item becomes `rejected`), or revoke an acceptance made in error."""
    item = _item(session, item_id)
    before = item.verdict
    if before == "accepted":
        _revoke_acceptance(session, item, reason)
    item.verdict = "rejected"
    item.decided_at = utcnow()
    _audit(session, actor, "revoke" if before == "accepted" else "reject", item, reason, {"from": before})
    if reply:
        _queue_reply(session, item, "rejected_by_clerk", actor, reason)
        item.settled_at = item.settled_at or item.decided_at  # answered: it leaves the queue
    return item


def settle(session: Session, item_id: int, actor: str, reason: str) -> Item:
    """Take a rejected or held item out of the queue without a decision mail (told by phone, sent again…)."""
    item = _item(session, item_id)
    if item.verdict not in ("rejected", "review"):
        raise ActionError(f"条目 {item.receipt or item_id} 不在待处理队列中，无需了结")
    if item.settled_at is not None:
        raise ActionError(f"条目 {item.receipt or item_id} 已经了结")
    if not reason.strip():
        raise ActionError("请填写了结的理由")
    item.settled_at = utcnow()
    _audit(session, actor, "settle", item, reason, {"verdict": item.verdict})
    return item


BULK_ACTIONS = ("accept", "reject", "settle")


def bulk(
    session: Session, item_ids: list[int], action: str, actor: str, reason: str, *,
    receipt_prefix: str, reply: bool = False,
) -> list[Item]:
    """One action with one reason on several items: all of them, or none (the first refusal names its item)."""
    if action not in BULK_ACTIONS:
        raise ActionError("请选择要做的操作：接收、退回或了结")
    if not item_ids:
        raise ActionError("请先勾选要处理的条目")
    if not reason.strip():
        raise ActionError("批量处理须填写理由")
    done = []
    for item_id in dict.fromkeys(item_ids):
        try:
            if action == "accept":
                done.append(accept(session, item_id, actor, reason, receipt_prefix=receipt_prefix, reply=reply))
            elif action == "reject":
                done.append(reject(session, item_id, actor, reason, reply=reply))
            else:
                done.append(settle(session, item_id, actor, reason))
        except ActionError as exc:
            raise ActionError(f"没有做任何改动：{exc}") from exc
    return done


def _revoke_acceptance(session: Session, item: Item, reason: str) -> None:
    """An accepted item leaves the counts and the 首报 index; what the books record about it stays."""
    if not reason.strip():
        raise ActionError("撤销接收须填写理由")
    on_books = session.scalar(select(func.count()).select_from(Adoption).where(Adoption.item_id == item.id))
    on_books += session.scalar(select(func.count()).select_from(Endorsement).where(Endorsement.item_id == item.id))
    if on_books:
        raise ActionError(f"条目 {item.id} 已登记了采用或批示，请先在台账中删除这些记录，再撤销接收")
    item.accepted_at = None
    DuplicateStore.remove_item(session, item.id)


def rejudge(app: App, session: Session, item_id: int, actor: str, reason: str = "") -> Item:
    """Judge an ignored message again with today's registry and rules (its sender registered
    since, say): the verdict, findings and receipt replace the ignored item's, and the reply the
    unit never got is queued. Only ignored mail: every other verdict was answered, or decided by a clerk."""
    item = _item(session, item_id)
    if item.verdict != "ignored":
        raise ActionError(
            f"条目 {item.receipt or item_id} 的状态是“{VERDICTS.get(item.verdict, item.verdict)}”，"
            "只有“已忽略”的邮件可以重新审核"
        )
    if item.raw_message_id is None:
        raise ActionError(f"条目 {item_id} 没有保存的原始邮件，无法重新审核")
    before = {"verdict": item.verdict, "codes": [finding.code for finding in item.findings]}
    judgement = pipeline.rejudge(app, session, item)
    item.decided_at = utcnow()
    details = {"from": before, "verdict": item.verdict, "codes": [f.code for f in judgement.findings],
               "receipt": item.receipt}
    _audit(session, actor, "rejudge", item, reason, details)
    return item


def mark_not_duplicate(session: Session, item_id: int, actor: str, reason: str = "") -> Item:
    item = _item(session, item_id)
    before = item.duplicate_of_id
    item.not_duplicate = True
    item.duplicate_of_id = None
    _audit(session, actor, "mark_not_duplicate", item, reason, {"was_duplicate_of": before})
    return item


def mark_duplicate_of(
    session: Session, item_id: int, actor: str, original: str, reason: str = "", *, see_classified: bool = True
) -> Item:
    """Mark as a duplicate of an earlier item, named by its receipt number or its id.

    Without `see_classified` (a clerk who is not an administrator) a classified original is
    answered exactly like a missing one, so the action cannot tell whether it exists.
    """
    item = _item(session, item_id)
    first = _find_original(session, original.strip())
    if first is None or (first.classified and not see_classified):
        raise ActionError(f"找不到回执号或编号为“{original.strip()}”的条目")
    if first.id == item.id:
        raise ActionError("不能标记为与自身重复")
    if item.verdict == "accepted":
        raise ActionError(f"条目 {item_id} 已被接收，不能再标记为重复")
    item.duplicate_of_id = first.id
    item.not_duplicate = False
    item.verdict = "rejected"
    item.decided_at = utcnow()
    item.settled_at = item.settled_at or item.decided_at  # the first report counts; nothing is left to decide
    _audit(session, actor, "mark_duplicate", item, reason, {"duplicate_of": first.id, "receipt": first.receipt})
    return item


def set_unit(session: Session, item_id: int, actor: str, unit_id: int, reason: str = "") -> Item:
    item = _item(session, item_id)
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise ActionError(f"找不到编号为 {unit_id} 的单位")
    before = item.unit.name if item.unit else None
    item.unit = unit
    if item.verdict == "accepted":  # the 首报 index names the first reporter and drops its own names
        _index_as_accepted(session, item, item.accepted_at or utcnow())
    _audit(session, actor, "set_unit", item, reason, {"from": before, "to": unit.name})
    return item


def set_category(
    session: Session, item_id: int, actor: str, category: str, reason: str = "", *, categories: tuple[str, ...]
) -> Item:
    """Mark an item 动态, 专报, 参阅… (one of the rule set's categories): its points and quotas follow."""
    item = _item(session, item_id)
    wanted = category.strip()
    if wanted not in categories:
        raise ActionError(f"类别「{wanted}」不是本规则集的类别（可选：{'、'.join(categories)}）")
    if wanted == item.category:
        raise ActionError(f"条目 {item_id} 已经是“{wanted}”类")
    before = item.category
    item.category = wanted
    _audit(session, actor, "set_category", item, reason, {"from": before, "to": wanted})
    return item


def add_note(session: Session, item_id: int, actor: str, note: str) -> Item:
    """Append a dated note; earlier notes are kept."""
    item = _item(session, item_id)
    text = note.strip()
    if not text:
        raise ActionError("备注不能为空")
    stamp = as_local(utcnow()).strftime("%Y-%m-%d %H:%M")
    line = f"[{stamp} {actor}] {text}"
    item.note = f"{item.note}\n{line}" if item.note else line
    _audit(session, actor, "note", item, text, {})
    return item


def retry_message(session: Session, raw_message_id: int, actor: str) -> RawMessage:
    """Put a message that failed on our side back in line; the worker processes it again."""
    raw = session.get(RawMessage, raw_message_id)
    if raw is None:
        raise ActionError(f"找不到编号为 {raw_message_id} 的原始邮件")
    if raw.state != "failed":
        raise ActionError("这封邮件没有处理失败，无需重试")
    raw.state, raw.attempts = "archived", 0
    session.add(
        AuditEntry(
            actor=actor, action="retry_message", reason="", details={"raw_message_id": raw.id, "error": raw.last_error}
        )
    )
    return raw


def release_reply(session: Session, outbox_id: int, actor: str, reason: str = "") -> OutboxMessage:
    """Send a held, uncertain or failed reply after all (the outbox audits the release)."""
    try:
        return release(session, outbox_id, actor=actor, reason=reason.strip())
    except ValueError as exc:
        row = session.get(OutboxMessage, outbox_id)
        if row is None:
            raise ActionError(f"找不到编号为 {outbox_id} 的回复邮件") from exc
        raise ActionError(f"这封回复当前状态为“{OUTBOX_STATE_LABELS.get(row.state, row.state)}”，无需重新发送") from exc


def reply_promised(session: Session, item_id: int) -> bool:
    """The automatic reply told the unit "审核结果将另行邮件通知": the clerk's decision is mailed by default."""
    found = select(OutboxMessage.id).where(OutboxMessage.item_id == item_id, OutboxMessage.kind == "review").limit(1)
    return session.scalar(found) is not None


def reply_queued(session: Session, item_id: int) -> str | None:
    """Where the item's automatic reply goes (queued or sent), or None when it got none."""
    found = select(OutboxMessage.recipient).where(OutboxMessage.item_id == item_id, OutboxMessage.automatic.is_(True))
    return session.scalar(found.order_by(OutboxMessage.id).limit(1))


def _item(session: Session, item_id: int) -> Item:
    item = session.get(Item, item_id)
    if item is None:
        raise ActionError(f"找不到编号为 {item_id} 的条目")
    return item


def _find_original(session: Session, reference: str) -> Item | None:
    found = session.scalars(select(Item).where(Item.receipt == reference)).one_or_none()
    if found is None and reference.isdigit() and len(reference) <= MAX_ID_DIGITS:
        found = session.get(Item, int(reference))
    return found


def _audit(session: Session, actor: str, action: str, item: Item, reason: str, details: dict) -> None:
    session.add(AuditEntry(actor=actor, action=action, item_id=item.id, reason=reason.strip(), details=details))


def _index_as_accepted(session: Session, item: Item, now: datetime) -> None:
    """Make a clerk-accepted item an earlier item for the 首报 duplicate check, like any accepted one."""
    names = (item.unit.name, *item.unit.aliases) if item.unit else ()
    index_accepted(session, item, names, as_local(now).date())


def _queue_reply(session: Session, item: Item, kind: str, actor: str, note: str) -> None:
    """Tell the unit through the outbox (retries, rate limits and headers are the outbox's job)."""
    try:
        queue_followup(session, item=item, kind=kind, actor=actor, note=note)
    except ValueError as exc:
        raise ActionError(f"无法发送通知邮件：{exc}") from exc
