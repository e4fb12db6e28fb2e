"""Benchmark: console page times with 20,000 items in a SQLite database (target ≤ 200 ms a page),
and finding items (search, the accepted-items list, 操作记录) with 100,000 items (target ≤ 100 ms).

Run: `python -m bench.console` (writes bench/results/console.json). Pages are fetched through
the real ASGI app (Starlette's TestClient), logged in as a clerk, after one warm-up request.
"""

from __future__ import annotations

import json
import platform
import random
import re
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from baosong import BUNDLED_CONFIG
from baosong.db import make_engine, session_factory, transaction, upgrade
from baosong.models import AuditEntry, FindingRow, Item, MailboxCursor, RawMessage, Unit
from baosong.settings import DatabaseSettings, PathsSettings, Settings
from review.auth import add_user
from review.web import create_console
from scoring.ruleset import load_ruleset

RESULTS = Path(__file__).resolve().parent / "results"
ITEMS = 20_000
SEARCH_ITEMS = 100_000
UNITS = 20
ROUNDS = 20
TARGET_MS = 200
SEARCH_TARGET_MS = 100
TOPICS = ["春季大气污染防治专项检查", "农村人居环境整治", "生态环境保护工作会议", "危险废物规范化管理", "饮用水水源地保护",
          "秸秆禁烧巡查", "噪声污染投诉处理", "排污许可证核发", "环境应急演练", "河湖长制巡河"]
NOW = datetime(2026, 3, 18, 2, 0, tzinfo=UTC)
VERDICTS = ["accepted"] * 12 + ["rejected"] * 5 + ["review"] * 2 + ["ignored"]
CODES = ["VAGUE_WORDING", "MISSING_PHONE", "PHOTO_TOO_SMALL", "NO_EXPLICIT_DATE", "POSSIBLE_DUPLICATE", "DUPLICATE"]
BODY = "近日，{unit}组织开展春季大气污染防治专项检查，共检查企业{n}家，发现问题{m}个，已责令限期整改。" * 6


def _fill(sessions, rng: random.Random, count: int = ITEMS, document: bool = True) -> None:
    with transaction(sessions) as session:
        session.execute(
            insert(Unit),
            [{"name": f"第{n:02d}县环境保护局", "category": "县市环保局", "aliases": [], "emails": []} for n in range(UNITS)],
        )
        unit_ids = list(session.scalars(select(Unit.id)))
        session.execute(
            insert(RawMessage),
            [{"sha256": f"{n:064x}", "content_key": f"{n:064x}", "path": f"raw/{n}.eml", "size": 40_000,
              "source": "imap", "state": "failed" if n < 5 else "done", "last_error": "RecursionError" if n < 5 else None}
             for n in range(count)],
        )
        items = []
        for n in range(count):
            verdict = rng.choice(VERDICTS)
            unit = rng.choice(unit_ids)
            received = NOW - timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
            text = BODY.format(unit=f"第{unit:02d}县环境保护局", n=n % 40, m=n % 7)
            items.append({
                "raw_message_id": n + 1, "unit_id": unit if n % 50 else None, "verdict": verdict,
                "original_verdict": verdict, "receipt": f"CJHB-2026-{n:06d}",
                "title": f"第{unit:02d}县开展{TOPICS[n % len(TOPICS)]}（{n}）", "text": text,
                "subject": f"报送信息 {n}", "sender": f"unit{unit}@example.cn", "received_at": received,
                "accepted_at": received if verdict == "accepted" else None,
                "settled_at": received if verdict == "rejected" and n % 2 else None,
                "fields": {"title": "", "reviewer": "李四", "author": "张三", "phone": "13912345678"},
                "document": {"paragraphs": [{"index": i + 1, "text": text[i * 40:(i + 1) * 40], "part": "body"}
                                            for i in range(len(text) // 40)]} if document else {},
            })
            if len(items) == 10_000:
                session.execute(insert(Item), items)
                items = []
        if items:
            session.execute(insert(Item), items)
        findings = []
        for item_id in range(1, count + 1):
            for _ in range(rng.choice([0, 1, 1, 2, 3])):
                findings.append({"item_id": item_id, "code": rng.choice(CODES), "severity": "error",
                                 "message": "“近日”表述不具体。", "params": {}, "evidence": {},
                                 "location": {"part": "body", "paragraph": 1, "start": 0, "end": 2}})
        session.execute(insert(FindingRow), findings)
        session.execute(
            insert(AuditEntry),
            [{"actor": "system", "action": "judged", "item_id": item_id, "reason": "", "details": {"verdict": "accepted"}}
             for item_id in range(1, count + 1)],
        )
        session.add(MailboxCursor(mailbox="cjhbxx@example.cn", folder="INBOX", last_success_at=NOW))
        add_user(session, "bench", "clerk", "bench-password")


def _time(client: TestClient, path: str) -> dict[str, float]:
    assert client.get(path).status_code == 200, path
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, path
    samples.sort()
    return {"median_ms": round(statistics.median(samples), 1), "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 1),
            "max_ms": round(samples[-1], 1)}


def _logged_in(client: TestClient) -> TestClient:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"name": "bench", "password": "bench-password", "csrf_token": token})
    return client


def _console(tmp: str, count: int, document: bool, rng: random.Random):
    settings = Settings(paths=PathsSettings(data=tmp), database=DatabaseSettings(url=f"sqlite:///{tmp}/bench.db"))
    engine = make_engine(settings.database_url)
    upgrade(engine)
    sessions = session_factory(engine)
    started = time.perf_counter()
    _fill(sessions, rng, count, document)
    fill_seconds = time.perf_counter() - started
    console = create_console(settings, sessions, receipt_prefix="CJHB", monthly_minimum=lambda unit: 8,
                             ruleset=load_ruleset(BUNDLED_CONFIG, "A"), clock=lambda: NOW)
    return engine, sessions, console, fill_seconds


def _pages(rng: random.Random) -> tuple[dict, float]:
    with tempfile.TemporaryDirectory() as tmp:
        engine, sessions, console, fill_seconds = _console(tmp, ITEMS, True, rng)
        with sessions() as session:
            queued = session.scalar(select(Item.id).where(Item.verdict == "rejected").order_by(Item.id.desc()).limit(1))
            unit_id = session.scalar(select(Unit.id).limit(1))
        with TestClient(console) as client:
            _logged_in(client)
            pages = {
                "overview": "/",
                "queue page 1": "/queue",
                "queue filtered (unit + code + dates)": f"/queue?unit={unit_id}&code=VAGUE_WORDING&from=2025-06-01&to=2026-03-18",
                "queue last page": "/queue?page=999",
                "item": f"/items/{queued}",
                "health": "/health",
                "units": "/units",
                "audit": "/audit",
                "books": "/books",
                "report (the month's 通报 computed)": "/report",
            }
            figures = {name: _time(client, path) for name, path in pages.items()}
        engine.dispose()
    return figures, fill_seconds


def _search(rng: random.Random) -> tuple[dict, float]:
    with tempfile.TemporaryDirectory() as tmp:
        engine, sessions, console, fill_seconds = _console(tmp, SEARCH_ITEMS, False, rng)
        with sessions() as session:
            unit_id = session.scalar(select(Unit.id).limit(1))
        with TestClient(console) as client:
            _logged_in(client)
            pages = {
                "accepted list page 1": "/queue?verdict=accepted",
                "accepted list page 100": "/queue?verdict=accepted&page=100",
                "settled list page 1": "/queue?verdict=settled",
                "search by 收件编号": "/queue?verdict=all&q=CJHB-2026-042424",
                "search by two title words": "/queue?verdict=all&q=危险废物+第07县",
                "search words + unit + dates + accepted": (
                    f"/queue?verdict=accepted&q=秸秆禁烧&unit={unit_id}&from=2025-10-01&to=2026-03-18"
                ),
                "queue (settled ones left out)": "/queue",
                "audit log page 1": "/audit",
                "audit log by 收件编号": "/audit?item=CJHB-2026-042424",
            }
            figures = {name: _time(client, path) for name, path in pages.items()}
        engine.dispose()
    return figures, fill_seconds


def main() -> None:
    rng = random.Random(6)
    figures, fill_seconds = _pages(rng)
    search_figures, search_fill_seconds = _search(rng)
    result = {
        "items": ITEMS, "units": UNITS, "rounds": ROUNDS, "target_ms": TARGET_MS, "fill_seconds": round(fill_seconds, 1),
        "python": platform.python_version(), "machine": platform.machine(), "pages": figures,
        "all_within_target": all(f["p95_ms"] <= TARGET_MS for f in figures.values()),
        "search": {
            "items": SEARCH_ITEMS, "target_ms": SEARCH_TARGET_MS, "fill_seconds": round(search_fill_seconds, 1),
            "pages": search_figures,
            "all_within_target": all(f["p95_ms"] <= SEARCH_TARGET_MS for f in search_figures.values()),
        },
    }
    for name, f in figures.items():
        print(f"{name:40s} median {f['median_ms']:7.1f} ms   p95 {f['p95_ms']:7.1f} ms   max {f['max_ms']:7.1f} ms")
    print(f"all pages within {TARGET_MS} ms (p95): {result['all_within_target']}")
    print(f"-- finding items among {SEARCH_ITEMS:,}")
    for name, f in search_figures.items():
        print(f"{name:40s} median {f['median_ms']:7.1f} ms   p95 {f['p95_ms']:7.1f} ms   max {f['max_ms']:7.1f} ms")
    print(f"all searches within {SEARCH_TARGET_MS} ms (p95): {result['search']['all_within_target']}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "console.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
