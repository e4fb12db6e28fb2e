"""Batch adoption entry benchmark: 500 adoptions at once among a year of 20,000 items (target ≤ 5 s).

Measures, on SQLite in a temporary folder: a 500-row .xlsx (half named by 收件编号, half by title)
read, checked and recorded (`baosong books adoptions`), and the console's batch form posted with
500 rows through the real ASGI app. Three rounds each, each on 500 other items. Prints the figures
and writes bench/results/batch.json.
"""

from __future__ import annotations

import json
import platform
import re
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import insert

from baosong import BUNDLED_CONFIG
from baosong.db import make_engine, session_factory, transaction, upgrade
from baosong.models import Item, Unit
from baosong.settings import DatabaseSettings, PathsSettings, Settings
from review.auth import add_user
from review.web import create_console
from scoring.batch import read_rows, record_batch
from scoring.ruleset import load_ruleset

ITEMS, UNITS, BATCH, ROUNDS = 20_000, 20, 500, 3
TARGET_SECONDS = 5.0
START = datetime(2026, 1, 1, 2, tzinfo=UTC)
OUTLETS = ["州党委政府信息刊物", "州局微信平台", "自治区生态环境厅政务信息刊物"]
RESULTS = Path(__file__).resolve().parent / "results" / "batch.json"


def _fill(sessions) -> None:  # noqa: ANN001
    with transaction(sessions) as session:
        session.execute(insert(Unit), [{"name": f"第{n:02d}县环境保护局", "category": "县市环保局", "aliases": [],
                                        "emails": []} for n in range(UNITS)])
        session.execute(insert(Item), [{
            "unit_id": 1 + n % UNITS, "verdict": "accepted", "original_verdict": "accepted",
            "receipt": f"CJHB-2026-{n:05d}", "title": f"第{n % UNITS:02d}县开展专项检查（{n}）",
            "received_at": START + timedelta(minutes=n * 20), "accepted_at": START + timedelta(minutes=n * 20),
        } for n in range(ITEMS)])
        add_user(session, "bench", "clerk", "bench-password")


def _row(n: int) -> tuple[str, str, str, str, str]:
    """Item n named by its 收件编号 (even rows) or its title (odd rows), adopted a month after it came."""
    adopted = (START + timedelta(minutes=n * 20, days=30)).date().isoformat()
    named = (f"CJHB-2026-{n:05d}", "") if n % 2 == 0 else ("", f"第{n % UNITS:02d}县开展专项检查（{n}）")
    return (*named, OUTLETS[n % len(OUTLETS)], adopted, adopted)


def _sheet(path: Path, first: int) -> Path:
    book = Workbook()
    book.active.append(("收件编号", "标题", "刊物", "采用日期", "证明日期"))
    for n in range(first, first + BATCH):
        book.active.append(_row(n))
    book.save(path)
    return path


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(paths=PathsSettings(data=tmp), database=DatabaseSettings(url=f"sqlite:///{tmp}/bench.db"))
        engine = make_engine(settings.database_url)
        upgrade(engine)
        sessions = session_factory(engine)
        _fill(sessions)
        ruleset = load_ruleset(BUNDLED_CONFIG, "A")
        sheet_seconds = []
        for round_ in range(ROUNDS):
            path = _sheet(Path(tmp) / f"round{round_}.xlsx", round_ * BATCH)
            started = time.perf_counter()
            with transaction(sessions) as session:
                assert len(record_batch(session, ruleset, read_rows(path), actor="bench", source=path.name)) == BATCH
            sheet_seconds.append(time.perf_counter() - started)
        console = create_console(settings, sessions, receipt_prefix="CJHB", ruleset=ruleset,
                                 clock=lambda: START + timedelta(days=360))
        form_seconds = []
        with TestClient(console) as client:
            token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
            client.post("/login", data={"name": "bench", "password": "bench-password", "csrf_token": token})
            for round_ in range(ROUNDS, 2 * ROUNDS):
                rows = [_row(n) for n in range(round_ * BATCH, (round_ + 1) * BATCH)]
                token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/books/adoptions").text).group(1)
                data = {"csrf_token": token, "item": [r[0] or r[1] for r in rows], "outlet": [r[2] for r in rows],
                        "adopted_on": [r[3] for r in rows], "proof_received_on": [r[4] for r in rows],
                        "note": ["" for _ in rows]}
                started = time.perf_counter()
                response = client.post("/books/adoptions", data=data, follow_redirects=False)
                form_seconds.append(time.perf_counter() - started)
                assert response.status_code == 303, re.findall(r"field-error[^>]*>([^<]*)", response.text)[:5] or response.status_code
        engine.dispose()
    figures = {
        "sheet of 500 (read, check, record)": sheet_seconds,
        "console form of 500 rows (POST)": form_seconds,
    }
    result = {
        "items": ITEMS, "batch": BATCH, "rounds": ROUNDS, "target_seconds": TARGET_SECONDS,
        "python": platform.python_version(), "machine": platform.machine(),
        "seconds": {name: {"median": round(statistics.median(v), 2), "max": round(max(v), 2)} for name, v in figures.items()},
        "all_within_target": all(max(v) <= TARGET_SECONDS for v in figures.values()),
    }
    for name, values in figures.items():
        print(f"{name:40s} median {statistics.median(values):5.2f} s   max {max(values):5.2f} s")
    print(f"every batch of {BATCH} within {TARGET_SECONDS:g} s: {result['all_within_target']}")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
