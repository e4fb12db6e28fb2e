"""Console pages that correct or delete an entry on the books (采用, 批示, 加减分, 约稿).

Each entry has one page: its fields as a form to correct (with a reason), and a delete form (with
a reason). Both write through scoring.ledger, which checks the entry as a new one and audits the
change with what it was before; the 通报 is computed from the books, so it follows.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from baosong.models import Item, User
from review.forms import Posted
from review.web import Csrf, CurrentUser, Db, _page, _record, _state
from scoring.ledger import ENTRY_NAMES, MAX_ADJUSTMENT_POINTS, LedgerError, correct_entry, delete_entry, find_entry, late_proof_warning


Field = Annotated[str, Form()]
_FORM_FIELDS = {  # what each entry's correction form posts, besides the reason
    "adoption": ("outlet", "adopted_on", "proof_received_on", "note"),
    "endorsement": ("level", "leader", "endorsed_on", "note"),
    "adjustment": ("points", "percent", "dated_on", "text", "kind", "group"),
    "commission": ("topic", "due_on", "delivered_on"),
}


def _visible_entry(db: Session, entry: str, entry_id: int, user: User) -> Any:
    if entry not in _FORM_FIELDS:
        raise HTTPException(404)
    try:
        row = find_entry(db, entry, entry_id)
    except LedgerError:
        raise HTTPException(404) from None
    item_id = getattr(row, "item_id", None)
    item = db.get(Item, item_id) if item_id else None
    if item is not None and item.classified and not user.is_admin:
        raise HTTPException(404)
    return row


def _back(entry: str, row: Any) -> str:
    if entry in ("adoption", "endorsement"):
        return f"/items/{row.item_id}#books"
    return "/books#adjustments" if entry == "adjustment" else "/books#commissions"


def _view(request: Request, user: User, entry: str, row: Any, posted: Posted | None = None) -> HTMLResponse:
    return _page(
        request, "books_entry.html", user, nav="books", entry=entry, entry_name=ENTRY_NAMES[entry], row=row,
        ruleset=_state(request).ruleset, posted=posted, back=_back(entry, row),
    )


def _changes(entry: str, posted: Posted, ruleset) -> dict[str, Any]:  # noqa: ANN001 - RuleSet
    """The corrected fields of `entry` from the form, each checked as the entry forms check it."""
    if entry == "adoption":
        return {
            "outlet": posted.choice("outlet", "采用的刊物或媒体", {o.name: o for o in ruleset.outlets}),
            "adopted_on": posted.day("adopted_on", "刊发日期"),
            "proof_received_on": posted.day("proof_received_on", "收到刊发证明的日期", required=False),
            "note": posted.text("note", "备注", limit=1000, multiline=True),
        }
    if entry == "endorsement":
        return {
            "level": posted.choice("level", "批示级别", {e.level: e for e in ruleset.endorsements}),
            "leader": posted.text("leader", "批示领导", limit=100),
            "endorsed_on": posted.day("endorsed_on", "批示日期"),
            "note": posted.text("note", "备注", limit=1000, multiline=True),
        }
    if entry == "adjustment":
        amount = posted.number("points", "分值", bound=MAX_ADJUSTMENT_POINTS)
        share = posted.number("percent", "百分比", bound=100)
        if "points" not in posted.errors and "percent" not in posted.errors and (amount is None) == (share is None):
            posted.refuse("分值和百分比填一项（扣分写负数）", "points")
        return {
            "points": amount, "percent": share,
            "dated_on": posted.day("dated_on", "计分日期"),
            "reason": posted.text("text", "加减分原因", limit=500, required=True),
            "kind": posted.choice("kind", "加减分项目", {k.name: k for k in ruleset.adjustment_kinds}, required=False),
            "score_group": posted.choice("group", "计入分组", {g.name: g for g in ruleset.groups}, required=False),
        }
    return {
        "topic": posted.text("topic", "约稿题目", limit=200, required=True),
        "due_on": posted.day("due_on", "交稿期限"),
        "delivered_on": posted.day("delivered_on", "交稿日期", required=False),
    }


def routes() -> APIRouter:
    router = APIRouter()
    entries = "{entry:str}/{entry_id:dbid}"

    @router.get(f"/books/{entries}", response_class=HTMLResponse)
    def entry_page(request: Request, entry: str, entry_id: int, db: Db, user: CurrentUser) -> HTMLResponse:
        return _view(request, user, entry, _visible_entry(db, entry, entry_id, user))

    @router.post(f"/books/{entries}/correct", dependencies=Csrf)
    def correct(
        request: Request, entry: str, entry_id: int, db: Db, user: CurrentUser,
        outlet: Field = "", adopted_on: Field = "", proof_received_on: Field = "", note: Field = "",
        level: Field = "", leader: Field = "", endorsed_on: Field = "",
        points: Field = "", percent: Field = "", dated_on: Field = "", text: Field = "", kind: Field = "",
        group: Field = "", topic: Field = "", due_on: Field = "", delivered_on: Field = "", reason: Field = "",
    ) -> Response:
        row = _visible_entry(db, entry, entry_id, user)
        ruleset = _state(request).ruleset
        typed = {
            "outlet": outlet, "adopted_on": adopted_on, "proof_received_on": proof_received_on, "note": note,
            "level": level, "leader": leader, "endorsed_on": endorsed_on, "points": points, "percent": percent,
            "dated_on": dated_on, "text": text, "kind": kind, "group": group, "topic": topic, "due_on": due_on,
            "delivered_on": delivered_on,
        }
        posted = Posted("correct", {**{key: typed[key] for key in _FORM_FIELDS[entry]}, "reason": reason})
        changes = _changes(entry, posted, ruleset)
        why = posted.text("reason", "更正的理由", limit=500, required=True)
        return _record(
            request, db, posted,
            lambda: correct_entry(db, ruleset, entry, entry_id, changes, reason=why, actor=user.name),
            done=f"已更正这条{ENTRY_NAMES[entry]}记录，通报随之更新。", back=_back(entry, row),
            again=lambda: _view(request, user, entry, row, posted),
            warn=lambda corrected: late_proof_warning(ruleset, corrected) if entry == "adoption" else "",
        )

    @router.post(f"/books/{entries}/delete", dependencies=Csrf)
    def delete(
        request: Request, entry: str, entry_id: int, db: Db, user: CurrentUser, reason: Annotated[str, Form()] = ""
    ) -> Response:
        row = _visible_entry(db, entry, entry_id, user)
        back = _back(entry, row)
        posted = Posted("delete", {"reason": reason})
        why = posted.text("reason", "删除的理由", limit=500, required=True)
        return _record(
            request, db, posted, lambda: delete_entry(db, entry, entry_id, reason=why, actor=user.name),
            done=f"已删除这条{ENTRY_NAMES[entry]}记录，通报随之更新。", back=back,
            again=lambda: _view(request, user, entry, row, posted),
        )

    return router
