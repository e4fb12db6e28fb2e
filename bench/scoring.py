"""Scoring benchmark: a 100-unit organisation with a year of books (30,000 items, 10,000 adoptions).

Measures, on SQLite in a temporary folder: the monthly 通报 (load from the database, compute,
write Word with charts and Excel) and the annual ranking (load, compute, write both). Targets:
monthly ≤ 2 s, annual ≤ 5 s. Prints the figures and writes bench/results/scoring.json.
"""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from baosong import BUNDLED_CONFIG
from baosong.db import make_engine, session_factory, transaction, upgrade
from baosong.models import Adjustment, Adoption, Endorsement, Item, Unit
from scoring.compute import compute_month, compute_year
from scoring.data import load_books
from scoring.publish import write_month_reports, write_year_reports
from scoring.ruleset import load_ruleset

UNITS, ITEMS, ADOPTIONS, ENDORSEMENTS, ADJUSTMENTS = 100, 30_000, 10_000, 500, 200
YEAR, MONTH = 2026, 11
TARGETS = {"monthly_seconds": 2.0, "annual_seconds": 5.0}
RESULTS = Path(__file__).resolve().parent / "results" / "scoring.json"


def _fill(sessions, ruleset, rng: random.Random) -> None:  # noqa: ANN001
    classes = [cls.name for cls in ruleset.classes]
    with transaction(sessions) as session:
        session.execute(
            insert(Unit),
            [{"name": f"测试单位{n:03d}", "category": classes[n % len(classes)], "aliases": [], "emails": []} for n in range(UNITS)],
        )
    start = datetime(YEAR, 1, 1, tzinfo=UTC)
    items = []
    for n in range(ITEMS):
        at = start + timedelta(seconds=rng.randrange(365 * 86400 - 86400))
        items.append(
            {
                "unit_id": rng.randrange(UNITS) + 1,
                "verdict": "accepted" if rng.random() < 0.9 else "rejected",
                "original_verdict": "accepted",
                "receipt": f"BENCH-{n:06d}",
                "category": rng.choice(["动态", "动态", "动态", "专报"]),
                "title": rng.choice(["民族团结一家亲活动", "扶贫工作进展", "环境执法检查", "大气污染防治"]),
                "received_at": at,
                "accepted_at": at,
            }
        )
    outlets = [o.name for o in ruleset.outlets]
    levels = [e.level for e in ruleset.endorsements]
    accepted = [(n + 1, row["accepted_at"].date()) for n, row in enumerate(items) if row["verdict"] == "accepted"]
    adoptions, seen = [], set()
    while len(adoptions) < ADOPTIONS:
        item_id, day = rng.choice(accepted)
        outlet = rng.choice(outlets)
        if (item_id, outlet) in seen:
            continue
        seen.add((item_id, outlet))
        adopted = min(day + timedelta(days=rng.randrange(20)), date(YEAR, 12, 31))
        proof = adopted + timedelta(days=rng.randrange(10))
        adoptions.append({"item_id": item_id, "outlet": outlet, "adopted_on": adopted, "proof_received_on": proof})
    endorsements = [
        {"item_id": item_id, "level": level, "endorsed_on": min(day + timedelta(days=5), date(YEAR, 12, 31))}
        for (item_id, day), level in zip(rng.sample(accepted, ENDORSEMENTS), (rng.choice(levels) for _ in range(ENDORSEMENTS)))
    ]
    adjustments = [
        {"unit_id": rng.randrange(UNITS) + 1, "dated_on": date(YEAR, rng.randrange(1, 13), 15),
         "points": -30.0, "percent": None, "score_group": "", "kind": "", "reason": "基准测试"}
        for _ in range(ADJUSTMENTS)
    ]
    with transaction(sessions) as session:
        session.execute(insert(Item), items)
        session.execute(insert(Adoption), adoptions)
        session.execute(insert(Endorsement), endorsements)
        session.execute(insert(Adjustment), adjustments)


def _timed(action) -> tuple[float, object]:  # noqa: ANN001
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def _cpu(action) -> float:  # noqa: ANN001
    """CPU seconds of this process: on a shared, busy machine a fairer figure than wall time."""
    started = time.process_time()
    action()
    return time.process_time() - started


def main() -> dict:
    ruleset = load_ruleset(BUNDLED_CONFIG, "A")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        engine = make_engine(f"sqlite:///{root / 'bench.db'}")
        upgrade(engine)
        sessions = session_factory(engine)
        fill_seconds, _ = _timed(lambda: _fill(sessions, ruleset, random.Random(7)))

        def books():  # noqa: ANN202
            with sessions() as session:
                return load_books(session, ruleset, YEAR)

        def monthly() -> list[Path]:
            report = compute_month(ruleset, books(), YEAR, MONTH)
            return write_month_reports(report, root / "month", ("docx", "xlsx"), date(YEAR, 12, 3))

        def annual() -> list[Path]:
            report = compute_year(ruleset, books(), YEAR)
            return write_year_reports(report, root / "year", ("docx", "xlsx"), date(YEAR + 1, 1, 5))

        load_seconds, loaded = _timed(books)
        compute_seconds, _ = _timed(lambda: compute_month(ruleset, loaded, YEAR, MONTH))
        monthly_cold_seconds, _ = _timed(monthly)  # includes matplotlib's first font load
        monthly_seconds, _ = _timed(monthly)
        annual_seconds, _ = _timed(annual)
        monthly_cpu, annual_cpu = _cpu(monthly), _cpu(annual)
        engine.dispose()
    figures = {
        "units": UNITS,
        "items": ITEMS,
        "adoptions": ADOPTIONS,
        "endorsements": ENDORSEMENTS,
        "adjustments": ADJUSTMENTS,
        "fill_seconds": round(fill_seconds, 3),
        "load_books_seconds": round(load_seconds, 3),
        "compute_month_seconds": round(compute_seconds, 3),
        "monthly_cold_seconds": round(monthly_cold_seconds, 3),
        "monthly_seconds": round(monthly_seconds, 3),
        "annual_seconds": round(annual_seconds, 3),
        "monthly_cpu_seconds": round(monthly_cpu, 3),
        "annual_cpu_seconds": round(annual_cpu, 3),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "targets": TARGETS,
        "ok": monthly_seconds <= TARGETS["monthly_seconds"] and annual_seconds <= TARGETS["annual_seconds"],
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(
        f"月度通报（读库+计算+Word含图+Excel）{monthly_seconds:.2f} 秒（目标 ≤ 2 秒；首次 {monthly_cold_seconds:.2f} 秒）；"
        f"年度排名 {annual_seconds:.2f} 秒（目标 ≤ 5 秒）；"
        f"其中读库 {load_seconds:.2f} 秒、月度计算 {compute_seconds:.2f} 秒；"
        f"CPU 时间：月度 {monthly_cpu:.2f} 秒、年度 {annual_cpu:.2f} 秒（系统负载 {os.getloadavg()[0]:.1f}）"
    )
    return figures


if __name__ == "__main__":
    main()
