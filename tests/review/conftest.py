"""Fixtures for the clerk console: a migrated database, accounts, sample items and a logged-in client."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
from collections.abc import Iterator
from functools import cache
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from argon2 import PasswordHasher
from PIL import Image
from sqlalchemy.orm import Session, sessionmaker

from baosong.db import make_engine, session_factory, transaction, upgrade
from baosong.models import AttachmentRow, FindingRow, Item, RawMessage, Unit
from baosong.settings import DatabaseSettings, PathsSettings, Settings
from review import auth
from review.auth import LoginThrottle, add_user
from review.web import create_console

PASSWORD = "correct horse battery"
PREFIX = "CJHB"
NOW = datetime(2026, 3, 18, 2, 0, tzinfo=UTC)  # 10:00 in Beijing

@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2id, at a cost that keeps each test fast (the production cost takes ~0.2 s a hash)."""
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def review_settings(tmp_path: Path) -> Settings:
    data = tmp_path / "data"
    data.mkdir()
    return Settings(
        paths=PathsSettings(data=str(data)),
        database=DatabaseSettings(url=f"sqlite:///{data / 'baosong.db'}"),
    )

@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file per test run; each test works on its own copy."""
    path = tmp_path_factory.mktemp("schema") / "baosong.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture
def db(review_settings: Settings, migrated_database: Path) -> Iterator[sessionmaker[Session]]:
    shutil.copyfile(migrated_database, review_settings.data_dir / "baosong.db")
    engine = make_engine(review_settings.database_url)
    yield session_factory(engine)
    engine.dispose()

@pytest.fixture
def accounts(db: sessionmaker[Session]) -> None:
    with transaction(db) as session:
        add_user(session, "wang", "clerk", PASSWORD)
        add_user(session, "admin", "admin", PASSWORD)

@pytest.fixture
def units(db: sessionmaker[Session]) -> dict[str, int]:
    with transaction(db) as session:
        rows = [
            Unit(name="昌吉市环境保护局", category="县市环保局", aliases=["昌吉市环保局"], emails=["changji@example.cn"]),
            Unit(name="阜康市环境保护局", category="县市环保局", aliases=[], emails=["fukang@example.cn"]),
        ]
        session.add_all(rows)
        session.flush()
        return {unit.name: unit.id for unit in rows}

@cache
def jpeg_bytes(size: tuple[int, int] = (1600, 1200), quality: int = 95) -> bytes:
    image = Image.new("RGB", size)
    for x in range(0, size[0], 40):
        for y in range(0, size[1], 40):
            image.paste(((x * 7) % 256, (y * 3) % 256, (x + y) % 256), (x, y, x + 40, y + 40))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()

def raw_mail(subject: str, sender: str) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "cjhbxx@example.cn"
    message["Subject"] = subject
    message["Message-ID"] = "<sample@example.cn>"
    message.set_content("请审核附件中的信息。")
    return message.as_bytes()

def store(settings: Settings, relative: str, data: bytes) -> str:
    path = settings.data_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return relative

def vague_item(
    settings: Settings,
    session: Session,
    *,
    unit_id: int | None,
    subject: str = "昌吉市环境保护局关于开展春季大气污染防治检查的信息",
    title: str = "昌吉市开展春季大气污染防治专项检查",
    classified: bool = False,
    received_at: datetime = NOW,
    photo_name: str = "检查现场.jpg",
    photo: bytes | None = None,
) -> Item:
    """A rejected item whose body says 近日, as the vague-wording check reports it."""
    body = "近日，昌吉市环境保护局组织开展春季大气污染防治专项检查，共检查企业12家。"
    raw_bytes = raw_mail(subject, "changji@example.cn")

    sha = hashlib.sha256(raw_bytes + subject.encode() + str(received_at).encode()).hexdigest()
    raw = RawMessage(
        sha256=sha, content_key=sha, path=store(settings, f"raw/{sha[:2]}/{sha}.eml", raw_bytes),
        size=len(raw_bytes), source="import", state="done", received_at=received_at,
    )
    session.add(raw)
    session.flush()
    item = Item(
        raw_message_id=raw.id, unit_id=unit_id, verdict="rejected", original_verdict="rejected",
        title=title, text=f"{title}\n{body}", subject=subject, sender="changji@example.cn",
        fields={"title": title, "reviewer": "李四", "author": "张三", "phone": "13912345678"},
        document={"paragraphs": [
            {"index": 1, "text": title, "part": "body"},
            {"index": 2, "text": body, "part": "body"},
            {"index": 3, "text": "审核领导：李四  撰稿人：张三  手机号：13912345678", "part": "body"},
        ]},
        received_at=received_at, classified=classified,
    )
    item.findings.append(
        FindingRow(
            code="VAGUE_WORDING", severity="error",
            message="正文第2段“近日，昌吉市环境保护局组织”中的“近日”表述不具体。",
            params={"word": "近日", "suggestion": "具体日期，如“3月16日”"},
            evidence={"context": "近日，昌吉市环境保护局组织"},
            location={"part": "body", "paragraph": 2, "start": 0, "end": 2},
        )
    )
    image = photo if photo is not None else jpeg_bytes()
    image_sha = hashlib.sha256(image).hexdigest()
    item.attachments.append(
        AttachmentRow(
            display_name=photo_name, content_type="image/jpeg", kind="image", size=len(image),
            sha256=image_sha, path=store(settings, f"attachments/{image_sha}", image),
        )
    )
    session.add(item)
    session.flush()
    return item

@pytest.fixture
def item_id(review_settings: Settings, db: sessionmaker[Session], units: dict[str, int]) -> int:
    with transaction(db) as session:
        return vague_item(review_settings, session, unit_id=units["昌吉市环境保护局"]).id

@pytest.fixture
def throttle() -> LoginThrottle:
    return LoginThrottle(max_failures=3, window_seconds=300)

@pytest.fixture
def console(review_settings: Settings, db: sessionmaker[Session], accounts: None, throttle: LoginThrottle):
    return create_console(
        review_settings, db, receipt_prefix=PREFIX, monthly_minimum=lambda unit: 8, throttle=throttle,
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
