"""The log-in limit against the real console served by uvicorn on loopback: parallel attempts share
one count in the database, and `X-Forwarded-For` counts only when a configured proxy sent it."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest

from review.auth import LoginThrottle
from review.web import create_console
from tests.review.samples import PREFIX
from tests.review.serving import serve

STARTUP_SECONDS = 20
PARALLEL = 20


@pytest.fixture
def site(settings, sessions, accounts) -> Iterator[str]:  # noqa: ANN001
    """The console with the log-in limit `[web]` sets by default (5 failures per account)."""
    yield from serve(create_console(settings, sessions, receipt_prefix=PREFIX))


def address_limited(settings, sessions, proxies: tuple[str, ...]):  # noqa: ANN001, ANN201
    settings = replace(settings, web=replace(settings.web, trusted_proxies=proxies))
    throttle = LoginThrottle(per_account=100, per_address=3, window=timedelta(minutes=15))
    return create_console(settings, sessions, receipt_prefix=PREFIX, throttle=throttle)


@pytest.fixture
def direct_site(settings, sessions, accounts) -> Iterator[str]:  # noqa: ANN001
    yield from serve(address_limited(settings, sessions, ()))


@pytest.fixture
def proxied_site(settings, sessions, accounts) -> Iterator[str]:  # noqa: ANN001
    yield from serve(address_limited(settings, sessions, ("127.0.0.1",)))


class Browser:
    """One client with its own session cookie and CSRF token, ready to post the log-in form."""

    def __init__(self, site: str) -> None:
        self.client = httpx.Client(base_url=site)
        html = self.client.get("/login").text
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    def log_in(self, name: str, password: str, forwarded_for: str | None = None) -> int:
        headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
        data = {"name": name, "password": password, "csrf_token": self.token, "next": "/"}
        return self.client.post("/login", data=data, headers=headers).status_code


def test_parallel_wrong_passwords_get_five_checks_before_the_lockout(site):
    browsers = [Browser(site) for _ in range(PARALLEL)]
    start = threading.Barrier(PARALLEL)
    statuses: list[int] = []

    def attempt(browser: Browser) -> None:
        start.wait()
        statuses.append(browser.log_in("wang", "not the password"))

    threads = [threading.Thread(target=attempt, args=(b,)) for b in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [401] * 5 + [429] * (PARALLEL - 5)


def test_forwarded_for_from_an_untrusted_peer_is_ignored(direct_site):
    browser = Browser(direct_site)
    for n in range(3):
        browser.log_in(f"user{n}", "not the password", forwarded_for=f"203.0.113.{n}")
    assert browser.log_in("user9", "not the password", forwarded_for="203.0.113.9") == 429


def test_forwarded_for_from_a_trusted_proxy_counts_per_client(proxied_site):
    browser = Browser(proxied_site)
    for n in range(3):
        browser.log_in(f"user{n}", "not the password", forwarded_for="203.0.113.1")
    assert browser.log_in("user9", "not the password", forwarded_for="203.0.113.1") == 429
    assert browser.log_in("user9", "not the password", forwarded_for="203.0.113.2") == 401
