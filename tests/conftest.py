"""Shared fixtures: settings on a temporary data folder, and a migrated database.

Database tests run on SQLite by default; with BAOSONG_TEST_POSTGRES_URL set (as `.ci/run`
does through scripts/with-postgres.sh) each of them runs on a fresh PostgreSQL database too.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from baosong.db import make_engine, session_factory, upgrade
from baosong.settings import DatabaseSettings, PathsSettings, Settings
from intake.smtp_capture import SmtpCapture

POSTGRES_URL = os.environ.get("BAOSONG_TEST_POSTGRES_URL", "")
IN_CI = os.environ.get("CI", "").lower() == "true"
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


def pytest_configure(config):  # noqa: ANN001
    config.addinivalue_line("markers", "db: the test uses a database (runs on every backend)")
    config.addinivalue_line("markers", "browser: the test drives headless Chromium")
    if IN_CI and not POSTGRES_URL:
        raise pytest.UsageError("CI=true but BAOSONG_TEST_POSTGRES_URL is not set: PostgreSQL tests cannot run")


def pytest_collection_modifyitems(config, items):  # noqa: ANN001
    for item in items:
        if "database_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path: Path):  # noqa: ANN001
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    name = "t_" + uuid.uuid4().hex[:16]
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, _ = POSTGRES_URL.rpartition("/")
    yield f"{base}/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def engine(database_url: str):
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine):  # noqa: ANN001
    return session_factory(engine)


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """Settings on a temporary data folder and the test database (tests use loopback servers only)."""
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    return replace(
        Settings(),
        paths=replace(PathsSettings(), data=str(data)),
        database=replace(DatabaseSettings(), url=database_url),
    )


@pytest.fixture
def smtp():
    """A loopback SMTP server (aiosmtpd) that records every mail handed to it."""
    with SmtpCapture() as capture:
        yield capture
