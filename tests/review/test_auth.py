"""Accounts: argon2 hashes, log-in checks, the log-in limit per account and per address, proxies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from baosong.db import transaction
from baosong.models import User
from review.auth import AccountError, LoginThrottle, add_user, authenticate, client_address, proxy_networks
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


WINDOW = timedelta(minutes=5)
T0 = datetime(2026, 3, 18, 2, 0, tzinfo=UTC)


def take_all(throttle, sessions, attempts, name="wang", address="10.0.0.1", now=T0):  # noqa: ANN001
    return [throttle.take(sessions, name, address, now) for _ in range(attempts)]


def test_throttle_blocks_an_account_after_too_many_failures(sessions):
    throttle = LoginThrottle(per_account=3, per_address=100, window=WINDOW)
    assert take_all(throttle, sessions, 4)[-1] > 0


def test_throttle_blocks_an_account_tried_from_many_addresses(sessions):
    throttle = LoginThrottle(per_account=3, per_address=100, window=WINDOW)
    waits = [throttle.take(sessions, "wang", f"10.0.0.{n}", T0) for n in range(4)]
    assert waits[:3] == [0, 0, 0] and waits[3] > 0


def test_throttle_blocks_an_address_trying_many_accounts(sessions):
    throttle = LoginThrottle(per_account=100, per_address=3, window=WINDOW)
    waits = [throttle.take(sessions, f"user{n}", "10.0.0.1", T0) for n in range(4)]
    assert waits[:3] == [0, 0, 0] and waits[3] > 0


def test_throttle_leaves_other_accounts_and_addresses_alone(sessions):
    throttle = LoginThrottle(per_account=3, per_address=3, window=WINDOW)
    take_all(throttle, sessions, 3)
    assert throttle.take(sessions, "li", "10.0.0.2", T0) == 0


def test_throttle_releases_an_account_when_the_window_has_passed(sessions):
    throttle = LoginThrottle(per_account=3, per_address=3, window=WINDOW)
    take_all(throttle, sessions, 3)
    assert throttle.take(sessions, "wang", "10.0.0.1", T0 + WINDOW + timedelta(seconds=1)) == 0


def test_throttle_says_how_long_to_wait(sessions):
    throttle = LoginThrottle(per_account=3, per_address=3, window=WINDOW)
    take_all(throttle, sessions, 3)
    assert 0 < throttle.take(sessions, "wang", "10.0.0.1", T0 + timedelta(minutes=2)) <= 181


def test_a_successful_login_clears_the_account_and_gives_the_address_its_place_back(sessions):
    throttle = LoginThrottle(per_account=3, per_address=3, window=WINDOW)
    take_all(throttle, sessions, 3)
    throttle.succeeded(sessions, "wang", "10.0.0.1")
    assert throttle.take(sessions, "wang", "10.0.0.1", T0) == 0 and throttle.take(sessions, "li", "10.0.0.1", T0) > 0


PROXIES = proxy_networks(["127.0.0.1", "10.1.0.0/16"])


def test_forwarded_for_is_ignored_from_a_peer_that_is_not_a_trusted_proxy():
    assert client_address("127.0.0.1", "203.0.113.9", proxy_networks([])) == "127.0.0.1"


def test_forwarded_for_from_a_trusted_proxy_names_the_client():
    assert client_address("127.0.0.1", "203.0.113.9", PROXIES) == "203.0.113.9"


def test_a_client_cannot_pass_itself_off_by_prepending_forwarded_hops():
    assert client_address("127.0.0.1", "198.51.100.1, 203.0.113.9, 10.1.2.3", PROXIES) == "203.0.113.9"


def test_a_trusted_proxy_that_is_not_an_address_is_refused():
    with pytest.raises(ValueError, match="trusted_proxies"):
        proxy_networks(["nginx"])
