"""Server-side sessions: logout, a password change and disabling end them; idle and absolute expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from baosong.db import transaction
from review.auth import find_user, set_disabled
from review.web import create_console
from tests.review.conftest import log_in, token_of
from tests.review.samples import NOW, PASSWORD, PREFIX

NEW_PASSWORD = "a brand new passphrase"


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self):  # noqa: ANN204
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def timed_console(settings, sessions, accounts, clock):  # noqa: ANN001
    return create_console(settings, sessions, receipt_prefix=PREFIX, clock=clock)


def logged_in(console) -> bool:  # noqa: ANN001
    return console.get("/", follow_redirects=False).status_code == 200


def copy_of(console, client: TestClient) -> TestClient:  # noqa: ANN001
    """A second browser holding the same cookie (as an attacker who copied it would)."""
    other = TestClient(console)
    other.cookies.set("baosong_session", client.cookies["baosong_session"])
    return other


def change_password(client: TestClient, current: str = PASSWORD, new: str = NEW_PASSWORD, again: str | None = None):
    token = token_of(client, "/account/password")
    return client.post(
        "/account/password", data={"csrf_token": token, "current": current, "new": new, "again": again or new},
        follow_redirects=False,
    )


def test_a_copied_cookie_stops_working_after_logout(console, clerk):
    stolen = copy_of(console, clerk)
    clerk.post("/logout", data={"csrf_token": token_of(clerk)})
    assert not logged_in(stolen)


def test_changing_the_password_ends_the_other_sessions(console, clerk):
    other = copy_of(console, clerk)
    with TestClient(console) as second_browser:
        log_in(second_browser, "wang")
        assert change_password(clerk).status_code == 303
        assert not logged_in(second_browser) and not logged_in(other)


def test_changing_the_password_keeps_this_browser_logged_in(clerk):
    change_password(clerk)
    assert logged_in(clerk)


def test_the_new_password_logs_in_and_the_old_one_does_not(console, clerk):
    change_password(clerk)
    with TestClient(console) as browser:
        assert log_in(browser, "wang", PASSWORD).status_code == 401
        assert log_in(browser, "wang", NEW_PASSWORD).status_code == 303


def test_a_wrong_current_password_is_refused_in_chinese(clerk):
    response = change_password(clerk, current="not the password")
    assert response.status_code == 422 and "原密码不正确" in response.text


def test_mismatched_new_passwords_are_refused(clerk):
    response = change_password(clerk, again="something else entirely")
    assert response.status_code == 422 and "两次输入的新密码不一致" in response.text


def test_a_short_new_password_is_refused(clerk):
    response = change_password(clerk, new="short")
    assert response.status_code == 422 and "密码至少" in response.text


def test_disabling_an_account_ends_its_sessions(sessions, clerk):
    with transaction(sessions) as session:
        set_disabled(session, find_user(session, "wang"), True)
    assert not logged_in(clerk)


def test_a_disabled_account_cannot_log_in(sessions, anonymous):
    with transaction(sessions) as session:
        set_disabled(session, find_user(session, "wang"), True)
    assert log_in(anonymous, "wang").status_code == 401


def test_an_enabled_account_logs_in_again(sessions, anonymous):
    with transaction(sessions) as session:
        set_disabled(session, find_user(session, "wang"), True)
        set_disabled(session, find_user(session, "wang"), False)
    assert log_in(anonymous, "wang").status_code == 303


def test_a_session_ends_after_the_idle_time(timed_console, clock):
    with TestClient(timed_console) as client:
        log_in(client, "wang")
        clock.now += timedelta(minutes=121)
        assert not logged_in(client)


def test_activity_keeps_a_session_alive_within_its_lifetime(timed_console, clock):
    with TestClient(timed_console) as client:
        log_in(client, "wang")
        for _ in range(11):
            clock.now += timedelta(minutes=59)
            assert logged_in(client)


def test_a_busy_session_still_ends_twelve_hours_after_login(timed_console, clock):
    with TestClient(timed_console) as client:
        log_in(client, "wang")
        for _ in range(12):
            clock.now += timedelta(minutes=59)
            logged_in(client)
        clock.now += timedelta(minutes=13)
        assert not logged_in(client)
