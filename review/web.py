"""The clerk console: server-rendered Chinese pages over the review queue (FastAPI + Jinja2).

Every page needs a logged-in account; every form carries the session's CSRF token; files are
looked up by database id and always downloaded, never shown inline (photos only as re-encoded
thumbnails).
"""

from __future__ import annotations

import math
import secrets
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Form, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session, sessionmaker
from starlette.convertors import Convertor, register_url_convertor
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.templating import Jinja2Templates

from baosong.app import App
from baosong.models import AttachmentRow, Item, RawMessage, Unit, User, utcnow
from baosong.organisation import load_organisation
from baosong.settings import Settings
from baosong import actions, search
from review import books, queries, reports
from review.auth import (
    AccountError,
    LoginThrottle,
    Network,
    SessionPolicy,
    authenticate,
    client_address,
    end_session,
    open_session,
    password_matches,
    proxy_networks,
    session_user,
    set_password,
)
from review.csrf import SESSION_KEY as CSRF_KEY
from review.csrf import csrf_token, require_csrf
from review.forms import FORM_ERROR, Posted, clean_text, for_form, month_text, parse_month
from review.highlight import highlight, located
from baosong.labels import (
    ACTIONS,
    CODES,
    actor_label,
    OUTBOX_STATES,
    REPLY_KINDS,
    SEVERITIES,
    SIGN_OFF_TITLES,
    VERDICTS,
    audit_details,
    code_title,
    fix_templates,
    suggestion,
)
from baosong.localtime import as_local, show
from review.thumbnails import NoThumbnail, cached_thumbnail
from scoring.ledger import (
    MAX_ADJUSTMENT_POINTS,
    MAX_ID_DIGITS,
    LedgerError,
    NeedsConfirmation,
    deliver_commission,
    find_item,
    late_proof_warning,
    record_adjustment,
    record_adoption,
    record_commission,
    record_endorsement,
)
from scoring.report_docx import format_points
from scoring.ruleset import RuleSet, load_ruleset

HERE = Path(__file__).resolve().parent
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
DOWNLOAD_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
SESSION_KEY = "session"  # the cookie's log-in token; the sessions table holds its hash
MAX_FORM_BYTES = 256 * 1024  # the longest form (a 1,000-character note) is under 10 KB
_INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}  # control, format (bidi overrides), line/paragraph separators


class DatabaseId(Convertor[int]):
    """A row id in a URL: a longer number cannot be one (and would overflow the query), so the
    route does not match and the answer is 404."""

    regex = f"[0-9]{{1,{MAX_ID_DIGITS}}}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("dbid", DatabaseId())


class LoginRequired(Exception):
    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


@dataclass
class ConsoleState:
    settings: Settings
    sessions: sessionmaker[Session]
    app: App  # what judging a message again needs: data folder, organisation, registry, 首报 index
    receipt_prefix: str
    monthly_minimum: queries.MonthlyMinimum
    ruleset: RuleSet
    field_names: dict[str, str]  # what the organisation calls reviewer, author, phone (审核领导 / 审签人 …)
    throttle: LoginThrottle
    policy: SessionPolicy
    proxies: tuple[Network, ...]
    templates: Jinja2Templates
    clock: Callable[[], datetime]

    def address(self, request: Request) -> str:
        """The client's address, from `X-Forwarded-For` only when a configured proxy connected."""
        peer = request.client.host if request.client else None
        return client_address(peer, request.headers.get("x-forwarded-for"), self.proxies)


def create_console(
    settings: Settings,
    sessions: sessionmaker[Session],
    *,
    receipt_prefix: str,
    monthly_minimum: queries.MonthlyMinimum | None = None,
    ruleset: RuleSet | None = None,
    throttle: LoginThrottle | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> FastAPI:
    """The console as an ASGI app; `baosong serve` and `baosong run` hand it to uvicorn.

    `ruleset` scores the books (outlets, endorsement levels, adjustment kinds, the 通报); by
    default the one of the organisation named in the settings. `throttle` limits failed log-ins;
    by default as `[web]` sets it.
    """
    web = settings.web
    organisation = load_organisation(settings.config_dir, settings.rules.organisation)
    app = FastAPI(title="baosong 管理台", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.console = ConsoleState(
        settings=settings,
        sessions=sessions,
        app=App(settings, sessions.kw["bind"], sessions, organisation),
        receipt_prefix=receipt_prefix,
        monthly_minimum=monthly_minimum or (lambda unit: None),
        ruleset=ruleset or _organisation_ruleset(settings),
        field_names=organisation.checks.asked_field_names,
        throttle=throttle or LoginThrottle(
            per_account=web.login_failures_per_account,
            per_address=web.login_failures_per_address,
            window=timedelta(minutes=web.login_lockout_minutes),
        ),
        policy=SessionPolicy(lifetime=timedelta(hours=web.session_hours), idle=timedelta(minutes=web.idle_minutes)),
        proxies=proxy_networks(web.trusted_proxies),
        templates=_templates(),
        clock=clock,
    )
    app.add_middleware(FormGuard)
    app.middleware("http")(_security_headers)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.web.secret_key or secrets.token_urlsafe(32),
        session_cookie="baosong_session",
        max_age=int(web.session_hours * 3600),
        same_site="lax",
        https_only=settings.web.secure_cookies,
    )
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_exception_handler(LoginRequired, _to_login)
    app.add_exception_handler(StarletteHTTPException, _error_page)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.include_router(_routes())
    from review.batch import routes as batch_routes  # these build on this module's helpers
    from review.corrections import routes as correction_routes

    app.include_router(batch_routes())
    app.include_router(correction_routes())
    return app


def _organisation_ruleset(settings: Settings) -> RuleSet:
    organisation = load_organisation(settings.config_dir, settings.rules.organisation)
    return load_ruleset(organisation.config_dir, organisation.key)


@cache
def _templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        verdict_label=lambda v: VERDICTS.get(v, v),
        action_label=lambda a: ACTIONS.get(a, a),
        actor_label=actor_label,
        audit_details=audit_details,
        severity_label=lambda s: SEVERITIES.get(s, s),
        outbox_state_label=lambda s: OUTBOX_STATES.get(s, s),
        reply_kind_label=lambda k: REPLY_KINDS.get(k, k),
        code_title=code_title,
        show_time=show,
        size_text=_size_text,
        points=format_points,
        for_form=for_form,
    )
    return Jinja2Templates(env=env)


async def _security_headers(request: Request, call_next):
    response = await call_next(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if not request.url.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")  # mail, attachments, pages: never cached
    return response


class FormGuard:
    """Refuses a form before its body is read: a session without a CSRF token (403), a body
    without a Content-Length (411) or over MAX_FORM_BYTES (413). `require_csrf` checks the token
    itself once the (small) body is parsed."""

    def __init__(self, app) -> None:  # noqa: ANN001 - the next ASGI app
        self.app = app

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
        problem = _form_problem(scope) if scope["type"] == "http" and scope["method"] == "POST" else None
        if problem is None:
            await self.app(scope, receive, send)
            return
        response = _error_page(Request(scope), StarletteHTTPException(*problem))
        await response(scope, receive, send)


def _form_problem(scope) -> tuple[int, str] | None:  # noqa: ANN001
    if not scope.get("session", {}).get(CSRF_KEY):
        return 403, "表单已失效或来源不明（缺少安全令牌），请刷新页面后重试。"
    length = dict(scope["headers"]).get(b"content-length", b"")
    if not length.isdigit():
        return 411, "提交的表单缺少长度信息，请刷新页面后重试。"
    if int(length) > MAX_FORM_BYTES:
        return 413, "提交的内容过长，请删减后重试。"
    return None


def _state(request: Request) -> ConsoleState:
    return request.app.state.console


def _db(request: Request) -> Iterator[Session]:
    with _state(request).sessions() as session:
        yield session


Db = Annotated[Session, Depends(_db)]


def _current_user(request: Request, db: Db) -> User:
    token = request.session.get(SESSION_KEY)
    state = _state(request)
    user = session_user(db, token, state.clock(), state.policy) if isinstance(token, str) else None
    db.commit()
    if user is None:
        wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(wanted if request.method == "GET" else "/")
    return user


CurrentUser = Annotated[User, Depends(_current_user)]
Csrf = [Depends(require_csrf)]


def _to_login(request: Request, exc: LoginRequired) -> RedirectResponse:
    return RedirectResponse("/login?" + urlencode({"next": exc.next_path}), status_code=303)


def _error_page(request: Request, exc: StarletteHTTPException) -> Response:
    messages = {404: "没有找到这个页面或条目。", 405: "不支持这种操作方式。"}
    text = messages.get(exc.status_code, str(exc.detail))
    return _state(request).templates.TemplateResponse(
        request, "error.html", {"status": exc.status_code, "text": text, "user": None}, status_code=exc.status_code
    )


def _invalid_request(request: Request, exc: RequestValidationError) -> Response:
    """A form or link the routes cannot read (a field missing, a file not attached): a Chinese page, not JSON."""
    return _error_page(request, StarletteHTTPException(422, "提交的内容不完整或格式不对，请返回上一页检查后重试。"))


def _page(request: Request, name: str, user: User | None, **context: Any) -> HTMLResponse:
    context.update(user=user, csrf=csrf_token(request), flash=request.session.pop("flash", None))
    context.setdefault("field_names", _state(request).field_names)  # findings say 缺少审签人 under C
    return _state(request).templates.TemplateResponse(request, name, context)


def _flash(request: Request, text: str, kind: str = "ok") -> None:
    request.session["flash"] = {"kind": kind, "text": text}


def _back(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _safe_next(path: str) -> str:
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path else "/"


def _routes():
    from fastapi import APIRouter

    router = APIRouter()

    @router.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next: str = "/") -> HTMLResponse:
        return _page(request, "login.html", None, next=_safe_next(next), error="")

    @router.post("/login", dependencies=Csrf)
    def login(
        request: Request,
        db: Db,
        name: Annotated[str, Form()] = "",
        password: Annotated[str, Form()] = "",
        next: Annotated[str, Form()] = "/",
    ) -> Response:
        state = _state(request)
        address = state.address(request)
        wait = state.throttle.take(state.sessions, name, address, state.clock())
        if wait:
            response = _page(
                request, "login.html", None, next=_safe_next(next),
                error=f"登录失败次数过多，请约 {math.ceil(wait / 60)} 分钟后再试。",
            )
            response.status_code = 429
            return response
        user = authenticate(db, name, password)
        if user is None:
            response = _page(request, "login.html", None, next=_safe_next(next), error="用户名或密码不正确。")
            response.status_code = 401
            return response
        token = open_session(db, user, state.clock(), state.policy)
        db.commit()
        state.throttle.succeeded(state.sessions, name, address)
        request.session.clear()
        request.session[SESSION_KEY] = token
        return _back(_safe_next(next))

    @router.post("/logout", dependencies=Csrf)
    def logout(request: Request, db: Db) -> Response:
        token = request.session.get(SESSION_KEY)
        if isinstance(token, str):
            end_session(db, token)
            db.commit()
        request.session.clear()
        return _back("/login")

    @router.get("/account/password", response_class=HTMLResponse)
    def password_form(request: Request, user: CurrentUser) -> HTMLResponse:
        return _page(request, "password.html", user, errors={})

    @router.post("/account/password", dependencies=Csrf)
    def change_password(
        request: Request, db: Db, user: CurrentUser,
        current: Annotated[str, Form()] = "", new: Annotated[str, Form()] = "", again: Annotated[str, Form()] = "",
    ) -> Response:
        state = _state(request)
        address = state.address(request)
        errors = {}
        if state.throttle.take(state.sessions, user.name, address, state.clock()):
            errors["current"] = "原密码错误次数过多，请稍后再试。"
        elif not password_matches(user, current):
            errors["current"] = "原密码不正确。"
        else:
            state.throttle.succeeded(state.sessions, user.name, address)
            if new != again:
                errors["again"] = "两次输入的新密码不一致。"
            else:
                try:
                    set_password(db, user, new)
                except AccountError as exc:
                    errors["new"] = str(exc)
        if errors:
            response = _page(request, "password.html", user, errors=errors)
            response.status_code = 422
            return response
        request.session[SESSION_KEY] = open_session(db, user, state.clock(), state.policy)
        db.commit()
        _flash(request, "密码已修改。其他浏览器和设备上的登录都已退出，需要用新密码重新登录。")
        return _back("/")

    @router.get("/", response_class=HTMLResponse)
    def overview(request: Request, db: Db, user: CurrentUser) -> HTMLResponse:
        state = _state(request)
        figures = queries.overview(db, state.clock(), user.is_admin, state.monthly_minimum)
        return _page(request, "overview.html", user, nav="overview", o=figures)

    @router.get("/health", response_class=HTMLResponse)
    def health(request: Request, db: Db, user: CurrentUser) -> HTMLResponse:
        return _page(request, "health.html", user, nav="health", h=queries.health(db, _state(request).clock()))

    @router.post("/health/messages/{raw_id:dbid}/retry", dependencies=Csrf)
    def retry(request: Request, raw_id: int, db: Db, user: CurrentUser) -> Response:
        try:
            actions.retry_message(db, raw_id, user.name)
            db.commit()
            _flash(request, f"已将原始邮件 {raw_id} 放回处理队列，稍后会自动重新处理。")
        except actions.ActionError as exc:
            _flash(request, str(exc), "error")
        return _back("/health")

    @router.get("/queue", response_class=HTMLResponse)
    def queue(
        request: Request,
        db: Db,
        user: CurrentUser,
        q: str = "",
        verdict: str = "",
        unit: str = "",
        code: str = "",
        page: str = "1",
    ) -> HTMLResponse:
        params = request.query_params
        filters = _item_filters(verdict, q, unit, code, params.get("from", ""), params.get("to", ""))
        return _queue_view(request, db, user, filters, _int(page) or 1)

    @router.get("/items/{item_id:dbid}", response_class=HTMLResponse)
    def item_page(request: Request, item_id: int, db: Db, user: CurrentUser) -> HTMLResponse:
        return _item_view(request, db, user, _visible_item(db, item_id, user))

    def _act(request: Request, db: Session, item_id: int, do: Callable[[], Any], done: str) -> Response:
        try:
            do()
            db.commit()
            _flash(request, done)
        except actions.ActionError as exc:
            db.rollback()
            _flash(request, str(exc), "error")
        return _back(f"/items/{item_id}")

    @router.post("/items/{item_id:dbid}/accept", dependencies=Csrf)
    def accept(
        request: Request, item_id: int, db: Db, user: CurrentUser,
        reason: Annotated[str, Form()] = "", reply: Annotated[str, Form()] = "",
    ) -> Response:
        _visible_item(db, item_id, user)
        prefix = _state(request).receipt_prefix
        return _act(
            request, db, item_id,
            lambda: actions.accept(db, item_id, user.name, reason, receipt_prefix=prefix, reply=bool(reply)),
            "已接收，条目将计入该单位的报送数量。",
        )

    @router.post("/items/{item_id:dbid}/reject", dependencies=Csrf)
    def reject(
        request: Request, item_id: int, db: Db, user: CurrentUser,
        reason: Annotated[str, Form()] = "", reply: Annotated[str, Form()] = "",
    ) -> Response:
        _visible_item(db, item_id, user)
        return _act(
            request, db, item_id, lambda: actions.reject(db, item_id, user.name, reason, reply=bool(reply)), "已确认退回。"
        )

    @router.post("/items/{item_id:dbid}/rejudge", dependencies=Csrf)
    def rejudge(request: Request, item_id: int, db: Db, user: CurrentUser, reason: Annotated[str, Form()] = "") -> Response:
        _visible_item(db, item_id, user)
        try:
            item = actions.rejudge(_state(request).app, db, item_id, user.name, clean_text(reason, 500))
            recipient = actions.reply_queued(db, item_id)
            db.commit()
        except actions.ActionError as exc:
            db.rollback()
            _flash(request, str(exc), "error")
            return _back(f"/items/{item_id}")
        receipt = f"，收件编号 {item.receipt}" if item.receipt else ""
        told = f"已排队回信给 {recipient}。" if recipient else "没有给单位回信（原因见操作记录）。"
        _flash(request, f"已按现在的单位名录和规则重新审核：{VERDICTS[item.verdict]}{receipt}。{told}")
        return _back(f"/items/{item_id}")

    @router.post("/items/{item_id:dbid}/settle", dependencies=Csrf)
    def settle(request: Request, item_id: int, db: Db, user: CurrentUser, reason: Annotated[str, Form()] = "") -> Response:
        _visible_item(db, item_id, user)
        return _act(
            request, db, item_id, lambda: actions.settle(db, item_id, user.name, clean_text(reason, 500)),
            "已了结，条目已移出待处理队列。",
        )

    @router.post("/queue/bulk", dependencies=Csrf)
    def bulk(
        request: Request, db: Db, user: CurrentUser,
        ids: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies form defaults
        action: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "", reply: Annotated[str, Form()] = "",
        verdict: Annotated[str, Form()] = "", q: Annotated[str, Form()] = "", unit: Annotated[str, Form()] = "",
        code: Annotated[str, Form()] = "", date_from: Annotated[str, Form(alias="from")] = "",
        date_to: Annotated[str, Form(alias="to")] = "",
    ) -> Response:
        filters = _item_filters(verdict, q, unit, code, date_from, date_to)
        chosen = [number for value in ids if (number := _int(value)) is not None]
        for item_id in chosen:
            _visible_item(db, item_id, user)
        why = clean_text(reason, 500)
        try:
            done = actions.bulk(db, chosen, action, user.name, why, receipt_prefix=_state(request).receipt_prefix,
                                reply=bool(reply))
            db.commit()
        except actions.ActionError as exc:
            db.rollback()
            field = "reason" if not why else "ids"
            response = _queue_view(request, db, user, filters, 1, bulk={
                "errors": {field: str(exc)}, "ids": set(chosen), "reason": why, "action": action})
            response.status_code = 422
            return response
        _flash(request, f"已{BULK_NAMES[action]} {len(done)} 条，每条都记入了操作记录。")
        return _back("/queue?" + urlencode(filters.as_query()))

    @router.post("/items/{item_id:dbid}/not-duplicate", dependencies=Csrf)
    def not_duplicate(
        request: Request, item_id: int, db: Db, user: CurrentUser, reason: Annotated[str, Form()] = ""
    ) -> Response:
        _visible_item(db, item_id, user)
        return _act(
            request, db, item_id, lambda: actions.mark_not_duplicate(db, item_id, user.name, reason), "已标记为不重复。"
        )

    @router.post("/items/{item_id:dbid}/duplicate", dependencies=Csrf)
    def duplicate(
        request: Request, item_id: int, db: Db, user: CurrentUser,
        original: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "",
    ) -> Response:
        _visible_item(db, item_id, user)
        return _act(
            request, db, item_id,
            lambda: actions.mark_duplicate_of(db, item_id, user.name, original, reason, see_classified=user.is_admin),
            "已标记为重复报送。",
        )

    @router.post("/items/{item_id:dbid}/unit", dependencies=Csrf)
    def set_unit(
        request: Request, item_id: int, db: Db, user: CurrentUser, unit_id: Annotated[str, Form()] = ""
    ) -> Response:
        _visible_item(db, item_id, user)
        return _act(
            request, db, item_id, lambda: actions.set_unit(db, item_id, user.name, _int(unit_id) or 0), "已设定报送单位。"
        )

    @router.post("/items/{item_id:dbid}/category", dependencies=Csrf)
    def set_category(
        request: Request, item_id: int, db: Db, user: CurrentUser,
        category: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "",
    ) -> Response:
        _visible_item(db, item_id, user)
        categories = _state(request).ruleset.categories
        return _act(
            request, db, item_id,
            lambda: actions.set_category(db, item_id, user.name, category, reason, categories=categories),
            f"已把类别改为“{category}”。",
        )

    @router.post("/items/{item_id:dbid}/note", dependencies=Csrf)
    def note(request: Request, item_id: int, db: Db, user: CurrentUser, note: Annotated[str, Form()] = "") -> Response:
        _visible_item(db, item_id, user)
        return _act(request, db, item_id, lambda: actions.add_note(db, item_id, user.name, note), "已添加备注。")

    @router.get("/items/{item_id:dbid}/raw")
    def raw_download(request: Request, item_id: int, db: Db, user: CurrentUser) -> Response:
        item = _visible_item(db, item_id, user)
        raw = db.get(RawMessage, item.raw_message_id) if item.raw_message_id else None
        if raw is None:
            raise HTTPException(404)
        path = _stored_file(_state(request).settings, raw.path)
        return _download(path, f"原始邮件-{item.receipt or item.id}.eml", "message/rfc822")

    @router.get("/attachments/{attachment_id:dbid}")
    def attachment_download(request: Request, attachment_id: int, db: Db, user: CurrentUser) -> Response:
        attachment = _visible_attachment(db, attachment_id, user)
        path = _stored_file(_state(request).settings, attachment.path)
        kind_type = DOWNLOAD_TYPES.get(attachment.kind, "application/octet-stream")
        return _download(path, attachment.display_name, kind_type)

    @router.get("/attachments/{attachment_id:dbid}/thumbnail")
    def thumbnail(request: Request, attachment_id: int, db: Db, user: CurrentUser) -> Response:
        attachment = _visible_attachment(db, attachment_id, user)
        settings = _state(request).settings
        path = _stored_file(settings, attachment.path)
        try:
            data = cached_thumbnail(path, settings.data_dir / "thumbnails", attachment.sha256)
        except NoThumbnail:
            raise HTTPException(404) from None
        return Response(data, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=86400"})

    @router.get("/units", response_class=HTMLResponse)
    def units(request: Request, db: Db, user: CurrentUser) -> HTMLResponse:
        state = _state(request)
        counts = queries.accepted_this_month(db, state.clock())
        rows = [
            queries.UnitMonth(unit, counts.get(unit.id, 0), state.monthly_minimum(unit))
            for unit in queries.all_units(db)
        ]
        return _page(request, "units.html", user, nav="units", rows=rows)

    @router.get("/audit", response_class=HTMLResponse)
    def audit(
        request: Request, db: Db, user: CurrentUser,
        actor: str = "", action: str = "", item: str = "", page: str = "1",
    ) -> HTMLResponse:
        params = request.query_params
        filters = queries.AuditFilters(
            actor=clean_text(actor, 100), action=action if action in ACTIONS else "", item=clean_text(item, 50),
            date_from=_date(params.get("from", "")), date_to=_date(params.get("to", "")),
        )
        result = queries.audit_page(db, filters, _int(page) or 1, user.is_admin)
        return _page(
            request, "audit.html", user, nav="audit", a=result, f=filters, actions=ACTIONS,
            actors=queries.audit_actors(db),
            page_link=lambda n: "/audit?" + urlencode({**filters.as_query(), "page": n}),
        )

    @router.post("/health/outbox/{outbox_id:dbid}/release", dependencies=Csrf)
    def release_reply(
        request: Request, outbox_id: int, db: Db, user: CurrentUser, reason: Annotated[str, Form()] = ""
    ) -> Response:
        try:
            row = actions.release_reply(db, outbox_id, user.name, clean_text(reason, 200))
            db.commit()
            _flash(request, f"已将发往 {row.recipient} 的回复放回发件队列，稍后会自动发送。")
        except actions.ActionError as exc:
            db.rollback()
            _flash(request, str(exc), "error")
        return _back("/health")

    @router.post("/items/{item_id:dbid}/adoptions", dependencies=Csrf)
    def adopt(
        request: Request, item_id: int, db: Db, user: CurrentUser,
        outlet: Annotated[str, Form()] = "", adopted_on: Annotated[str, Form()] = "",
        proof_received_on: Annotated[str, Form()] = "", note: Annotated[str, Form()] = "",
    ) -> Response:
        item = _visible_item(db, item_id, user)
        ruleset = _state(request).ruleset
        posted = Posted("adoption", {"outlet": outlet, "adopted_on": adopted_on,
                                     "proof_received_on": proof_received_on, "note": note})
        chosen = posted.choice("outlet", "采用的刊物或媒体", {o.name: o for o in ruleset.outlets})
        adopted = posted.day("adopted_on", "刊发日期")
        proof = posted.day("proof_received_on", "收到刊发证明的日期", required=bool(ruleset.proof_deadline_day))
        text = posted.text("note", "备注", limit=1000, multiline=True)
        return _record(
            request, db, posted,
            lambda: record_adoption(db, ruleset, item, chosen, adopted, proof_received_on=proof, note=text,
                                    actor=user.name),
            done=f"已登记：本条信息被「{chosen}」采用。", back=f"/items/{item_id}#books",
            again=lambda: _item_view(request, db, user, item, posted),
            warn=lambda adoption: late_proof_warning(ruleset, adoption),
        )

    @router.post("/items/{item_id:dbid}/endorsements", dependencies=Csrf)
    def endorse(
        request: Request, item_id: int, db: Db, user: CurrentUser,
        level: Annotated[str, Form()] = "", leader: Annotated[str, Form()] = "",
        endorsed_on: Annotated[str, Form()] = "", note: Annotated[str, Form()] = "",
    ) -> Response:
        item = _visible_item(db, item_id, user)
        ruleset = _state(request).ruleset
        posted = Posted("endorsement", {"level": level, "leader": leader, "endorsed_on": endorsed_on, "note": note})
        chosen = posted.choice("level", "批示级别", {e.level: e for e in ruleset.endorsements})
        who = posted.text("leader", "批示领导", limit=100)
        endorsed = posted.day("endorsed_on", "批示日期")
        text = posted.text("note", "备注", limit=1000, multiline=True)
        label = ruleset.endorsement(chosen).label if chosen else ""
        return _record(
            request, db, posted,
            lambda: record_endorsement(db, ruleset, item, chosen, endorsed, leader=who, note=text, actor=user.name),
            done=f"已登记：{label}。", back=f"/items/{item_id}#books",
            again=lambda: _item_view(request, db, user, item, posted),
        )

    @router.get("/books", response_class=HTMLResponse)
    def books_page(request: Request, db: Db, user: CurrentUser) -> HTMLResponse:
        return _books_view(request, db, user)

    @router.post("/books/adjustments", dependencies=Csrf)
    def adjust(
        request: Request, db: Db, user: CurrentUser,
        unit: Annotated[str, Form()] = "", kind: Annotated[str, Form()] = "",
        points: Annotated[str, Form()] = "", percent: Annotated[str, Form()] = "",
        group: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "",
        dated_on: Annotated[str, Form()] = "", confirm: Annotated[str, Form()] = "",
    ) -> Response:
        ruleset = _state(request).ruleset
        posted = Posted("adjustment", {"unit": unit, "kind": kind, "points": points, "percent": percent,
                                       "group": group, "reason": reason, "dated_on": dated_on})
        target = _chosen_unit(db, posted)
        chosen_kind = posted.choice("kind", "加减分项目", {k.name: k for k in ruleset.adjustment_kinds}, required=False)
        amount = posted.number("points", "分值", bound=MAX_ADJUSTMENT_POINTS)
        share = posted.number("percent", "百分比", bound=100)
        if "points" not in posted.errors and "percent" not in posted.errors:
            if amount is not None and share is not None:
                posted.refuse("分值和百分比只填一项", "percent")
            elif amount is None and share is None and not chosen_kind:
                posted.refuse("请填写分值（扣分写负数），或选择一个加减分项目", "points")
        chosen_group = posted.choice("group", "计入分组", {g.name: g for g in ruleset.groups}, required=False)
        why = posted.text("reason", "原因", limit=500, required=not chosen_kind)
        dated = posted.day("dated_on", "计分日期")
        return _record(
            request, db, posted,
            lambda: record_adjustment(db, ruleset, target, dated_on=dated, reason=why, points=amount, percent=share,
                                      kind=chosen_kind, group=chosen_group, actor=user.name, confirmed=bool(confirm)),
            done=f"已登记{target.name if target else ''}的加减分。", back="/books#adjustments",
            again=lambda: _books_view(request, db, user, posted),
        )

    @router.post("/books/commissions", dependencies=Csrf)
    def commission(
        request: Request, db: Db, user: CurrentUser,
        unit: Annotated[str, Form()] = "", topic: Annotated[str, Form()] = "", due_on: Annotated[str, Form()] = "",
    ) -> Response:
        posted = Posted("commission", {"unit": unit, "topic": topic, "due_on": due_on})
        target = _chosen_unit(db, posted)
        subject = posted.text("topic", "约稿题目", limit=200, required=True)
        due = posted.day("due_on", "交稿期限")
        return _record(
            request, db, posted,
            lambda: record_commission(db, target, subject, due, actor=user.name),
            done=f"已向{target.name if target else ''}约稿「{subject}」。", back="/books#commissions",
            again=lambda: _books_view(request, db, user, posted),
        )

    @router.post("/books/commissions/{commission_id:dbid}/deliver", dependencies=Csrf)
    def deliver(
        request: Request, commission_id: int, db: Db, user: CurrentUser,
        item: Annotated[str, Form()] = "", delivered_on: Annotated[str, Form()] = "",
    ) -> Response:
        posted = Posted(f"deliver-{commission_id}", {"item": item, "delivered_on": delivered_on})
        reference = posted.text("item", "交稿信息的编号或回执编号", limit=50, required=True)
        delivered = posted.day("delivered_on", "交稿日期")

        def record() -> None:
            found = find_item(db, reference)
            if found.classified and not user.is_admin:
                raise LedgerError(f"找不到信息「{reference}」：请填写信息编号或回执编号")
            deliver_commission(db, commission_id, found, delivered, actor=user.name)

        return _record(
            request, db, posted, record, done=f"已登记约稿 {commission_id} 交稿。", back="/books#commissions",
            again=lambda: _books_view(request, db, user, posted),
        )

    @router.get("/report", response_class=HTMLResponse)
    def report_page(request: Request, db: Db, user: CurrentUser, month: str = "") -> HTMLResponse:
        state = _state(request)
        local = as_local(state.clock())
        chosen = parse_month(month) if month.strip() else (local.year, local.month)
        if chosen is None:
            response = _page(request, "report.html", user, nav="report", month=month, view=None,
                             error=f"月份“{month[:20]}”无法识别，请写成 2026-03 的格式。", file_types=reports.FILE_TYPES)
            response.status_code = 422
            return response
        view = reports.month_view(reports.month_report(db, state.ruleset, *chosen, local.date()))
        return _page(request, "report.html", user, nav="report", month=month_text(*chosen), view=view, error="",
                     file_types=reports.FILE_TYPES, ruleset=state.ruleset, font_hint=reports.font_hint(),
                     issued=local.date().isoformat(), periods=reports.period_choices(*chosen))

    @router.get("/report/download")
    def report_download(
        request: Request, db: Db, user: CurrentUser,
        month: str = "", file_type: Annotated[str, Query(alias="format")] = "",
        issued: str = "", issue: str = "", number: str = "", period: str = "month",
    ) -> Response:
        chosen = parse_month(month)
        if chosen is None or file_type not in reports.FILE_TYPES or period not in reports.period_choices(*chosen):
            raise HTTPException(404)
        state = _state(request)
        result = reports.period_report(db, state.ruleset, *chosen, period, _today(request))
        path = reports.write_report_file(
            result, state.settings.data_dir, file_type, reports.masthead_day(issued) or _today(request),
            issue=reports.masthead_text(issue, 20), doc_number=reports.masthead_text(number, 50),
        )
        return _download(path, path.name, reports.FILE_TYPES[file_type][1])

    return router


def _record(
    request: Request, db: Session, posted: Posted, record: Callable[[], Any], *,
    done: str, back: str, again: Callable[[], HTMLResponse], warn: Callable[[Any], str] = lambda _: "",
) -> Response:
    """Write a ledger entry from a valid form (303 back, with `warn`'s caution on the new entry if
    any); show the form again with its errors (422)."""
    if posted.ok:
        try:
            entry = record()
            db.commit()
            caution = warn(entry)
            _flash(request, f"{done}{caution}", "warn" if caution else "ok")
            return _back(back)
        except LedgerError as exc:
            db.rollback()
            posted.refuse(str(exc), "confirm" if isinstance(exc, NeedsConfirmation) else FORM_ERROR)
    response = again()
    response.status_code = 422
    return response


BULK_NAMES = {"accept": "接收", "reject": "退回", "settle": "了结"}


def _item_filters(verdict: str, q: str, unit: str, code: str, date_from: str, date_to: str) -> search.ItemFilters:
    return search.ItemFilters(
        verdict=verdict if verdict in search.STATES else "",
        text=clean_text(q, 100),
        unit_id=_int(unit),
        code=code.strip() if code.strip() in CODES else "",
        date_from=_date(date_from),
        date_to=_date(date_to),
    )


def _queue_view(
    request: Request, db: Session, user: User, filters: search.ItemFilters, page: int, bulk: dict | None = None
) -> HTMLResponse:
    """The queue, or any list of items the filters choose, with the bulk form (and its errors, if any)."""
    result = search.search(db, filters, page, user.is_admin)
    return _page(
        request, "queue.html", user, nav="items" if filters.verdict else "queue", q=result, f=filters,
        states=search.STATES, units=queries.all_units(db), codes=_raised_codes(_state(request).app.organisation.checks),
        bulk_names=BULK_NAMES,
        bulk=bulk or {"errors": {}, "ids": set(), "reason": "", "action": ""},
        page_link=lambda n: "/queue?" + urlencode({**filters.as_query(), "page": n}),
    )


def _raised_codes(checks) -> list[str]:  # noqa: ANN001 - baosong.organisation.CheckRules
    """The finding codes the organisation's rules can raise, for the filter (C offers no 照片小于 1 MB)."""
    unasked = {code for code, (field, _) in SIGN_OFF_TITLES.items() if field not in checks.required_fields}
    return sorted(code for code in CODES if code not in checks.disabled and code not in unasked)


def _chosen_unit(db: Session, posted: Posted) -> Unit | None:
    units = {str(unit.id): unit for unit in queries.all_units(db)}
    chosen = posted.choice("unit", "单位", units)
    return units.get(chosen)


def _today(request: Request) -> date:
    return as_local(_state(request).clock()).date()


def _item_view(request: Request, db: Session, user: User, item: Item, posted: Posted | None = None) -> HTMLResponse:
    state = _state(request)
    numbers = {finding.id: n for n, finding in enumerate(item.findings, start=1)}
    templates = fix_templates(state.settings.config_dir / "messages.toml")
    fixes = {f.id: f.params.get("suggestion_text") or suggestion(f.code, f.params, templates) for f in item.findings}
    paragraphs = highlight((item.document or {}).get("paragraphs", []), item.findings, numbers)
    in_text = {f.id for f in located(item.findings)}
    where = search.state_of(item)
    return _page(
        request, "item.html", user, nav="items" if where else "queue", where=where, states=search.STATES,
        item=item, paragraphs=paragraphs, numbers=numbers,
        fixes=fixes, in_text=in_text, units=queries.all_units(db), audit=queries.audit_for(db, item.id),
        replies=queries.replies_for(db, item.id), links=queries.resubmission_links(db, item),
        photos=[a for a in item.attachments if a.kind == "image"],
        files=[a for a in item.attachments if a.kind != "image"],
        ruleset=state.ruleset, ledger=books.item_books(db, state.ruleset, item), posted=posted, today=_today(request),
        field_names=state.field_names,
    )


def _books_view(request: Request, db: Session, user: User, posted: Posted | None = None) -> HTMLResponse:
    state = _state(request)
    today = _today(request)
    return _page(
        request, "books.html", user, nav="books", ruleset=state.ruleset, units=queries.all_units(db),
        adjustments=books.adjustments_of_year(db, today.year), commissions=books.commissions(db, today),
        posted=posted, today=today,
    )


def _visible_item(db: Session, item_id: int, user: User) -> Item:
    item = db.get(Item, item_id)
    if item is None or (item.classified and not user.is_admin):
        raise HTTPException(404)
    return item


def _visible_attachment(db: Session, attachment_id: int, user: User) -> AttachmentRow:
    attachment = db.get(AttachmentRow, attachment_id)
    if attachment is None or (attachment.item.classified and not user.is_admin):
        raise HTTPException(404)
    return attachment


def _stored_file(settings: Settings, relative: str) -> Path:
    """A file under the data folder; anything resolving outside it is treated as missing."""
    root = settings.data_dir
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise HTTPException(404)
    return path


def _download(path: Path, name: str, media_type: str) -> FileResponse:
    return FileResponse(
        path, media_type=media_type, filename=_display_filename(name), content_disposition_type="attachment"
    )


def _display_filename(name: str) -> str:
    """Sender-given names as harmless display text: no control, bidi or path characters."""
    cleaned = "".join(
        "_" if ch in '/\\"' else ch
        for ch in unicodedata.normalize("NFC", name)
        if unicodedata.category(ch) not in _INVISIBLE
    ).strip(" .")
    return cleaned[:120] or "附件"


def _size_text(size: int | None) -> str:
    if size is None:
        return "—"
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.2f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} 字节"


def _int(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() and len(value) <= MAX_ID_DIGITS else None


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None

