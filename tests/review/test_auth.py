"""Accounts: argon2 hashes, log-in checks, the per-address log-in limit."""

from __future__ import annotations

import pytest

from baosong.db import transaction
from baosong.models import User
from review.auth import AccountError, LoginThrottle, add_user, authenticate
from tests.review.samples import PASSWORD


def test_passwords_are_stored_as_argon2_hashes(sessions, accounts):
    with sessions() as session:
        user = session.query(User).filter_by(name="wang").one()
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash


def test_authenticate_accepts_the_right_password_and_records_the_login(sessions, accounts):
    with transaction(sessions) as session:
        user = authenticate(session, "wang", PASSWORD)
        assert user is not None and user.last_login is not None


def test_authenticate_refuses_a_wrong_password(sessions, accounts):
    with sessions() as session:
        assert authenticate(session, "wang", "wrong password") is None


def test_authenticate_refuses_an_unknown_name(sessions, accounts):
    with sessions() as session:
        assert authenticate(session, "nobody", PASSWORD) is None


def test_a_second_account_with_the_same_name_is_refused(sessions, accounts):
    with pytest.raises(AccountError, match="已存在"), transaction(sessions) as session:
        add_user(session, "wang", "clerk", PASSWORD)


def test_a_short_password_is_refused(sessions):
    with pytest.raises(AccountError, match="至少"), transaction(sessions) as session:
        add_user(session, "zhao", "clerk", "1234567")


def test_an_unknown_role_is_refused(sessions):
    with pytest.raises(AccountError, match="角色"), transaction(sessions) as session:
        add_user(session, "zhao", "boss", PASSWORD)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_throttle_blocks_an_address_after_too_many_failures():
    throttle = LoginThrottle(max_failures=3, window_seconds=60, clock=Clock())
    for _ in range(3):
        throttle.record_failure("10.0.0.1")
    assert throttle.blocked("10.0.0.1") and not throttle.blocked("10.0.0.2")


def test_throttle_releases_an_address_when_the_window_has_passed():
    clock = Clock()
    throttle = LoginThrottle(max_failures=3, window_seconds=60, clock=clock)
    for _ in range(3):
        throttle.record_failure("10.0.0.1")
    clock.now += 61
    assert not throttle.blocked("10.0.0.1")
