"""`baosong user list|passwd|disable|enable`: console accounts from the shell, in Chinese."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from baosong.app import open_app
from baosong.db import transaction
from baosong.models import ConsoleSession, User, utcnow
from baosong.settings import load_settings
from review.auth import SessionPolicy, add_user, authenticate, open_session
from tests.baosong.shell import run

PASSWORD = "the first password"
POLICY = SessionPolicy(lifetime=timedelta(hours=12), idle=timedelta(hours=2))


@pytest.fixture
def opened(config: Path):
    app = open_app(load_settings(config, environ={}))
    with transaction(app.sessions) as session:
        wang = add_user(session, "wang", "clerk", PASSWORD)
        add_user(session, "admin", "admin", PASSWORD)
        open_session(session, wang, utcnow(), POLICY)
    yield app
    app.close()


def session_count(opened) -> int:  # noqa: ANN001
    with opened.sessions() as session:
        return len(session.scalars(select(ConsoleSession)).all())


def test_user_list_shows_each_account_with_role_and_state(config, opened):
    run(config, "user", "disable", "wang")
    result = run(config, "user", "list")
    assert result.exit_code == 0
    assert "wang  审核员  已停用" in result.output and "admin  管理员  正常" in result.output


def test_user_passwd_reads_the_new_password_from_stdin(config, opened):
    result = run(config, "user", "passwd", "wang", "--password-stdin", stdin="the second password\n")
    assert result.exit_code == 0 and "已修改账号“wang”的密码" in result.output
    with opened.sessions() as session:
        assert authenticate(session, "wang", "the second password") is not None


def test_user_passwd_ends_the_accounts_sessions(config, opened):
    run(config, "user", "passwd", "wang", "--password-stdin", stdin="the second password\n")
    assert session_count(opened) == 0


def test_user_passwd_asks_twice_and_refuses_a_mismatch(config, opened):
    result = run(config, "user", "passwd", "wang", stdin="the second password\nanother password\n")
    assert result.exit_code != 0 and "两次输入的密码不一致" in result.output


def test_user_passwd_refuses_a_short_password(config, opened):
    result = run(config, "user", "passwd", "wang", "--password-stdin", stdin="short\n")
    assert result.exit_code != 0 and "密码至少" in result.output


def test_user_passwd_names_an_unknown_account(config, opened):
    result = run(config, "user", "passwd", "nobody", "--password-stdin", stdin="the second password\n")
    assert result.exit_code != 0 and "没有名为“nobody”的账号" in result.output


def test_user_disable_ends_the_sessions_and_refuses_log_in(config, opened):
    result = run(config, "user", "disable", "wang")
    assert result.exit_code == 0 and "已停用账号“wang”" in result.output and session_count(opened) == 0
    with opened.sessions() as session:
        assert authenticate(session, "wang", PASSWORD) is None


def test_user_enable_allows_log_in_again(config, opened):
    run(config, "user", "disable", "wang")
    result = run(config, "user", "enable", "wang")
    assert result.exit_code == 0 and "已启用账号“wang”" in result.output
    with opened.sessions() as session:
        assert session.scalars(select(User.disabled).where(User.name == "wang")).one() is False
