"""Fixtures for the clerk console: accounts, sample items and a logged-in client."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from baosong.db import transaction
from baosong.models import Unit
from baosong.settings import Settings
from baosong import actions
from review import auth
from review.auth import LoginThrottle, add_user
from review.web import create_console
from tests.review.samples import NOW, PASSWORD, PREFIX, vague_item


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2id, at a cost that keeps each test fast (the production cost takes ~0.2 s a hash)."""
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def accounts(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session:
        add_user(session, "wang", "clerk", PASSWORD)
        add_user(session, "admin", "admin", PASSWORD)


@pytest.fixture
def units(sessions: sessionmaker[Session]) -> dict[str, int]:
    with transaction(sessions) as session:
        rows = [
            Unit(name="昌吉市环境保护局", category="县市环保局", aliases=["昌吉市环保局"], emails=["changji@example.cn"]),
            Unit(name="阜康市环境保护局", category="县市环保局", aliases=[], emails=["fukang@example.cn"]),
        ]
        session.add_all(rows)
        session.flush()
        return {unit.name: unit.id for unit in rows}


@pytest.fixture
def item_id(settings: Settings, sessions: sessionmaker[Session], units: dict[str, int]) -> int:
    with transaction(sessions) as session:
        return vague_item(settings, session, unit_id=units["昌吉市环境保护局"]).id


@pytest.fixture
def accepted_item(sessions: sessionmaker[Session], item_id: int) -> int:
    """The sample item, accepted by a clerk at the console's "now" (so it counts in March 2026)."""
    with transaction(sessions) as session:
        item = actions.accept(session, item_id, "wang", "核实无误", receipt_prefix=PREFIX)
        item.accepted_at = NOW
    return item_id


@pytest.fixture
def throttle() -> LoginThrottle:
    return LoginThrottle(per_account=3, per_address=3, window=timedelta(minutes=5))


@pytest.fixture
def console(settings: Settings, sessions: sessionmaker[Session], accounts: None, throttle: LoginThrottle):
    return create_console(
        settings, sessions, receipt_prefix=PREFIX, monthly_minimum=lambda unit: 8, throttle=throttle,
        clock=lambda: NOW + timedelta(minutes=30),
    )


def form_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def log_in(client: TestClient, name: str, password: str = PASSWORD):
    token = form_token(client.get("/login").text)
    return client.post(
        "/login", data={"name": name, "password": password, "csrf_token": token, "next": "/"}, follow_redirects=False
    )


@pytest.fixture
def anonymous(console) -> Iterator[TestClient]:
    with TestClient(console) as client:
        yield client


@pytest.fixture
def clerk(console) -> Iterator[TestClient]:
    with TestClient(console) as client:
        assert log_in(client, "wang").status_code == 303
        yield client


@pytest.fixture
def admin(console) -> Iterator[TestClient]:
    with TestClient(console) as client:
        assert log_in(client, "admin").status_code == 303
        yield client


def token_of(client: TestClient, path: str = "/") -> str:
    return form_token(client.get(path).text)
