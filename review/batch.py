"""Console page for a month's adoptions at once: one form of many rows, or one uploaded sheet.

Both go through scoring.batch: every row is checked first, the errors are shown beside their rows
(422), and nothing is recorded unless every row is good (then 303 back with how many were).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from baosong.models import User
from baosong.search import RECEIPT
from review.forms import clean_text
from review.web import Csrf, CurrentUser, Db, _back, _flash, _int, _page, _state, _today
from scoring.batch import AdoptionRow, BatchError, late_proofs, read_rows, record_batch

ROWS, MAX_ROWS = 10, 500
COLUMNS = ("item", "outlet", "adopted_on", "proof_received_on", "note")  # one input of each per row
SHEET_TYPES = (".xlsx", ".csv")


def _view(
    request: Request, user: User, rows: list[AdoptionRow], problems: dict[int, list[str]] | None = None,
    sheet_problems: list[str] | None = None,
) -> HTMLResponse:
    return _page(
        request, "books_batch.html", user, nav="books", rows=rows, problems=problems or {},
        sheet_problems=sheet_problems or [], ruleset=_state(request).ruleset, today=_today(request),
        more=min(len(rows) + ROWS, MAX_ROWS),
    )


def _record(request: Request, db: Session, user: User, rows: list[AdoptionRow], source: str, done: str) -> None:
    """Record every row (BatchError: none), then say how many, and which proofs came too late to score."""
    ruleset = _state(request).ruleset
    recorded = record_batch(db, ruleset, rows, actor=user.name, source=source)
    late = late_proofs(ruleset, recorded)
    db.commit()
    text = f"{done}登记 {len(recorded)} 条采用，每条都记入了操作记录。"
    _flash(request, " ".join([text, *late]), "warn" if late else "ok")


async def _rows_form(request: Request) -> FormData:
    """The form, parsed with room for MAX_ROWS rows (Starlette stops at 1,000 fields by default);
    parsed before the CSRF check, which then reads the same parsed form."""
    return await request.form(max_fields=MAX_ROWS * len(COLUMNS) + 10)


def routes() -> APIRouter:
    router = APIRouter()

    @router.get("/books/adoptions", response_class=HTMLResponse)
    def batch_page(request: Request, user: CurrentUser, rows: str = "") -> HTMLResponse:
        count = min(max(_int(rows) or ROWS, 1), MAX_ROWS)
        return _view(request, user, [AdoptionRow(line) for line in range(1, count + 1)])

    @router.post("/books/adoptions", dependencies=[Depends(_rows_form), *Csrf])
    def batch_form(request: Request, db: Db, user: CurrentUser, form: Annotated[FormData, Depends(_rows_form)]) -> Response:
        columns = [[str(value) for value in form.getlist(name)] for name in COLUMNS]
        count = min(max(map(len, columns)), MAX_ROWS)
        rows = []
        for line in range(1, count + 1):
            named, *rest = (clean_text(column[line - 1], 200) if line <= len(column) else "" for column in columns)
            receipt, title = (named, "") if RECEIPT.fullmatch(named) else ("", named)
            rows.append(AdoptionRow(line, receipt, title, *rest))
        try:
            _record(request, db, user, rows, "管理台批量登记", "已")
        except BatchError as exc:
            db.rollback()
            response = _view(request, user, rows, exc.problems)
            response.status_code = 422
            return response
        return _back("/books/adoptions")

    @router.post("/books/adoptions/sheet", dependencies=Csrf)
    def batch_sheet(request: Request, db: Db, user: CurrentUser, sheet: Annotated[UploadFile, File()]) -> Response:
        name = Path(sheet.filename or "").name
        blank = [AdoptionRow(line) for line in range(1, ROWS + 1)]
        if Path(name).suffix.lower() not in SHEET_TYPES:
            response = _view(request, user, blank, sheet_problems=["请上传 .xlsx 或 .csv 表格"])
            response.status_code = 422
            return response
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"sheet{Path(name).suffix.lower()}"
            path.write_bytes(sheet.file.read())
            try:
                _record(request, db, user, read_rows(path), name, f"已从「{name}」")
            except BatchError as exc:
                db.rollback()
                problems = [f"第 {line} 行：{'；'.join(wrong)}" for line, wrong in sorted(exc.problems.items())]
                response = _view(request, user, blank, sheet_problems=[f"「{name}」没有登记任何采用：", *problems])
                response.status_code = 422
                return response
        return _back("/books/adoptions")

    return router
