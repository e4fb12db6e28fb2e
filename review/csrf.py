"""CSRF protection: one random token per session, required in every form that changes anything."""

from __future__ import annotations

import secrets

from fastapi import HTTPException, Request

SESSION_KEY = "csrf"
FORM_FIELD = "csrf_token"


def csrf_token(request: Request) -> str:
    """The session's token, created on first use; templates put it in a hidden field."""
    token = request.session.get(SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = token
    return token


async def require_csrf(request: Request) -> None:
    """Dependency for every POST route: a missing or wrong token is refused with 403."""
    expected = request.session.get(SESSION_KEY)
    form = await request.form()
    given = form.get(FORM_FIELD)
    if not expected or not isinstance(given, str) or not secrets.compare_digest(given, expected):
        raise HTTPException(status_code=403, detail="表单已失效或来源不明（缺少安全令牌），请刷新页面后重试。")
