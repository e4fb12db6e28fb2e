"""Benchmark: the 首报 duplicate index at 100k and 500k accepted items.

For each corpus size, in a fresh process (so the memory figure is the index's own): generate the
labelled corpus (tests/factories/corpus.py), build the index, check 1,000 near-duplicates (ten kinds)
and 600 hard negatives (six kinds), and report per-check latency, build time, memory against the
size of the index's own arrays, recall and false flags per kind, and how long a worker or `baosong
check` takes to get the index from the database (built from the entries, or loaded from the
snapshot). The baseline, where sizes allow it, is rapidfuzz's plain full scan (`process.extractOne`
with `fuzz.ratio` over every normalised item). A scorer comparison (query vs its source, 10k
corpus) shows why the score also compares facts.

Run: `python -m bench.duplicates [--sizes 100000,500000]` (writes bench/results/duplicates.json).
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from rapidfuzz import fuzz, process
from sqlalchemy import insert

from baosong.db import make_engine, session_factory, upgrade
from baosong.models import DuplicateEntry, Item
from tests.factories.corpus import LabelledSet, Query, labelled_set
from validators.duplicates import (
    DEFAULT_DUPLICATE_THRESHOLD,
    DEFAULT_REVIEW_THRESHOLD,
    DuplicateIndex,
    DuplicateStore,
    IndexedItem,
    compare_texts,
    normalise,
)

RESULTS = Path(__file__).resolve().parent / "results"
SEED = 2026
NEAR, HARD = 1000, 600
BASELINE_QUERIES = {10_000: 200, 100_000: 40}  # a full scan takes about a second per query at 100k


def _rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _entries(labelled: LabelledSet) -> list[IndexedItem]:
    return [
        IndexedItem.from_text(
            item_id=c.item_id, text=c.text, unit_name=c.unit, receipt=c.receipt, accepted_on=c.accepted_on
        )
        for c in labelled.corpus
    ]


def _per_kind(outcomes: list[tuple[Query, list]]) -> dict[str, dict[str, float | int]]:
    """Near kinds: share flagged against their source, and share DUPLICATE of it. Hard kinds: how
    many were flagged DUPLICATE (a false rejection) or POSSIBLE (held for a clerk)."""
    kinds: dict[str, dict[str, float | int]] = {}
    for kind in dict.fromkeys(q.kind for q, _ in outcomes):
        rows = [(q, m) for q, m in outcomes if q.kind == kind]
        if rows[0][0].label == "near":
            kinds[kind] = {
                "queries": len(rows),
                "recall_flagged": sum(bool(m) and m[0].item_id == q.source_id for q, m in rows) / len(rows),
                "recall_duplicate": sum(bool(m) and m[0].duplicate and m[0].item_id == q.source_id for q, m in rows)
                / len(rows),
            }
        else:
            kinds[kind] = {
                "queries": len(rows),
                "false_duplicate": sum(any(x.duplicate for x in m) for _, m in rows),
                "possible": sum(bool(m) and not any(x.duplicate for x in m) for _, m in rows),
            }
    return kinds


def _quality(outcomes: list[tuple[Query, list]]) -> dict[str, float | int]:
    near = [(q, m) for q, m in outcomes if q.label == "near"]
    same_facts = [(q, m) for q, m in near if q.kind != "date_swap"]
    hard = [m for q, m in outcomes if q.label == "hard"]
    flagged = [(q, m[0]) for q, m in outcomes if m]
    return {
        "recall_flagged": sum(bool(m) and m[0].item_id == q.source_id for q, m in near) / len(near),
        "recall_duplicate_same_facts": sum(
            bool(m) and m[0].duplicate and m[0].item_id == q.source_id for q, m in same_facts
        ) / len(same_facts),
        "precision": sum(q.label == "near" and b.item_id == q.source_id for q, b in flagged) / max(1, len(flagged)),
        "hard_flagged_duplicate": sum(any(x.duplicate for x in m) for m in hard),
        "hard_flagged_possible": sum(bool(m) and not any(x.duplicate for x in m) for m in hard),
        "hard_total": len(hard),
        "per_kind": _per_kind(outcomes),
    }


def _baseline(labelled: LabelledSet, count: int) -> dict[str, float | int]:
    """rapidfuzz full scan with fuzz.ratio; recall at the highest threshold no hard negative reaches."""
    choices = {c.item_id: normalise(c.text, [c.unit]) for c in labelled.corpus}
    near = [q for q in labelled.queries if q.label == "near"][: count * NEAR // (NEAR + HARD)]
    hard = [q for q in labelled.queries if q.label == "hard"][: count * HARD // (NEAR + HARD)]
    latencies, near_best, hard_best = [], [], []
    for query in near + hard:
        text = normalise(query.text, [query.unit])
        started = time.perf_counter()
        _, score, item_id = process.extractOne(text, choices, scorer=fuzz.ratio, processor=None)
        latencies.append(time.perf_counter() - started)
        (near_best if query.label == "near" else hard_best).append((score / 100, item_id == query.source_id))
    threshold = max(score for score, _ in hard_best) + 1e-9
    return {
        "queries": len(latencies),
        "p50_ms": 1000 * _percentile(latencies, 0.5),
        "p95_ms": 1000 * _percentile(latencies, 0.95),
        "top1_recall": sum(right for _, right in near_best) / len(near_best),
        "threshold_clear_of_hard": threshold,
        "recall_at_that_threshold": sum(right and s >= threshold for s, right in near_best) / len(near_best),
    }


def _db_load_seconds(entries: list[IndexedItem]) -> dict[str, float]:
    """Time to get the index from the database (SQLite file): built from the entries (the first
    worker), saving the snapshot, and loaded from the snapshot (later workers, `baosong check`)."""
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.db")
        upgrade(engine)
        with engine.begin() as connection:
            connection.execute(
                insert(Item), [{"id": e.item_id, "verdict": "accepted", "original_verdict": "accepted"} for e in entries]
            )
            connection.execute(
                insert(DuplicateEntry),
                [
                    {"item_id": e.item_id, "unit_name": e.unit, "receipt": e.receipt, "accepted_on": e.date, "normalised": e.normalised}
                    for e in entries
                ],
            )
        sessions = session_factory(engine)
        started = time.perf_counter()
        store = DuplicateStore(sessions)
        built = time.perf_counter() - started
        started = time.perf_counter()
        store.save_snapshot()
        saved = time.perf_counter() - started
        del store
        started = time.perf_counter()
        loaded = DuplicateStore(sessions)
        from_snapshot = time.perf_counter() - started
        assert len(loaded.index) == len(entries)
        engine.dispose()
        return {"db_build_s": built, "snapshot_save_s": saved, "snapshot_load_s": from_snapshot}


def run_size(size: int) -> dict:
    """Everything measured for one corpus size (meant to run in its own process)."""
    started = time.perf_counter()
    labelled = labelled_set(SEED, corpus_size=size, near=NEAR, hard=HARD)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    entries = _entries(labelled)
    normalised = time.perf_counter() - started
    today = max(e.date for e in entries)
    gc.collect()
    rss_before = _rss_bytes()
    index = DuplicateIndex()
    started = time.perf_counter()
    index.add_many(entries)
    build = time.perf_counter() - started
    gc.collect()
    memory = _rss_bytes() - rss_before  # what building the index kept
    # The generated corpus and its entries are the benchmark's, not a worker's (whose index holds
    # arrays only): kept out of the collector, their millions of objects add no pauses to checks.
    gc.freeze()
    outcomes, latencies = [], []
    for query in labelled.queries:
        began = time.perf_counter()
        matches = index.find(query.text, unit_names=[query.unit], on=query.day)
        latencies.append(time.perf_counter() - began)
        outcomes.append((query, matches))
    adds = []
    for n, query in enumerate(labelled.queries):
        entry = IndexedItem.from_text(
            item_id=size + 1 + n, text=query.text, unit_name=query.unit, receipt=None, accepted_on=today
        )
        began = time.perf_counter()
        index.add(entry)
        adds.append(time.perf_counter() - began)
    result = {
        "items": size,
        "queries": len(labelled.queries),
        "generate_s": generated,
        "normalise_all_s": normalised,
        "build_s": build,
        "memory_mb": memory / 2**20,
        "arrays_mb": index.nbytes / 2**20,
        "memory_over_arrays": memory / index.nbytes,
        "p50_ms": 1000 * _percentile(latencies, 0.5),
        "p95_ms": 1000 * _percentile(latencies, 0.95),
        "p99_ms": 1000 * _percentile(latencies, 0.99),
        "add_one_p50_ms": 1000 * _percentile(adds, 0.5),
        **_quality(outcomes),
        "baseline_full_scan": _baseline(labelled, BASELINE_QUERIES[size]) if size in BASELINE_QUERIES else None,
        **_db_load_seconds(entries),
    }
    return result


def _scorers(labelled: LabelledSet) -> dict[str, dict[str, float]]:
    """Each scorer on (query, its source): recall on near-duplicates at the best threshold that
    flags no hard negative, and the two score ranges."""
    sources = {c.item_id: c for c in labelled.corpus}

    def grams(text: str) -> str:
        return " ".join(text[i : i + 3] for i in range(len(text) - 2))

    scorers: dict[str, Callable[[str, str, str, str], float]] = {
        "fuzz.ratio on raw text": lambda qr, sr, qn, sn: fuzz.ratio(qr, sr) / 100,
        "token_set_ratio on 3-grams": lambda qr, sr, qn, sn: fuzz.token_set_ratio(grams(qn), grams(sn)) / 100,
        "3-gram containment (content)": lambda qr, sr, qn, sn: compare_texts(qn, sn).content,
        "content × facts (chosen)": lambda qr, sr, qn, sn: compare_texts(qn, sn).similarity,
    }
    report = {}
    for name, scorer in scorers.items():
        near, hard = [], []
        for query in labelled.queries:
            source = sources[query.source_id]
            score = scorer(query.text, source.text, normalise(query.text, [query.unit]), normalise(source.text, [source.unit]))
            (near if query.label == "near" else hard).append(score)
        threshold = max(hard) + 1e-9
        report[name] = {
            "recall_with_no_hard_negative": sum(s >= threshold for s in near) / len(near),
            "near_min": min(near),
            "near_median": statistics.median(near),
            "hard_max": max(hard),
            "hard_median": statistics.median(hard),
        }
    return report


def _in_own_process(size: int) -> dict:
    with multiprocessing.get_context("fork").Pool(1) as pool:
        return pool.apply(run_size, (size,))


def _table(results: list[dict]) -> str:
    rows = [
        ("indexed items", "items", "{:,}"),
        ("check p50 (ms)", "p50_ms", "{:.2f}"),
        ("check p95 (ms)", "p95_ms", "{:.2f}"),
        ("check p99 (ms)", "p99_ms", "{:.2f}"),
        ("index build, add_many (s)", "build_s", "{:.1f}"),
        ("normalise all items (s)", "normalise_all_s", "{:.1f}"),
        ("first worker: build from SQLite (s)", "db_build_s", "{:.1f}"),
        ("save snapshot to SQLite (s)", "snapshot_save_s", "{:.1f}"),
        ("later worker / check: load snapshot (s)", "snapshot_load_s", "{:.1f}"),
        ("add one item p50 (ms)", "add_one_p50_ms", "{:.2f}"),
        ("index memory, RSS growth (MB)", "memory_mb", "{:.0f}"),
        ("index's own arrays (MB)", "arrays_mb", "{:.0f}"),
        ("memory / arrays", "memory_over_arrays", "{:.2f}"),
        ("near-dup recall (flagged)", "recall_flagged", "{:.4f}"),
        ("near-dup recall (DUPLICATE, same facts)", "recall_duplicate_same_facts", "{:.4f}"),
        ("precision of flags", "precision", "{:.4f}"),
        ("hard negatives flagged DUPLICATE", "hard_flagged_duplicate", "{}"),
        ("hard negatives flagged POSSIBLE", "hard_flagged_possible", "{}"),
    ]
    baseline = [
        ("baseline full scan p50 (ms)", "p50_ms", "{:.1f}"),
        ("baseline full scan p95 (ms)", "p95_ms", "{:.1f}"),
        ("baseline top-1 recall", "top1_recall", "{:.4f}"),
        ("baseline recall, no hard negative flagged", "recall_at_that_threshold", "{:.4f}"),
    ]
    width = max(len(label) for label, _, _ in rows + baseline)
    lines = [f"{'':{width}}  " + "  ".join(f"{r['items']:>12,}" for r in results)]
    for label, key, form in rows:
        cells = [form.format(r[key]) if r.get(key) is not None else "—" for r in results]
        lines.append(f"{label:{width}}  " + "  ".join(f"{c:>12}" for c in cells))
    for label, key, form in baseline:
        cells = [form.format(r["baseline_full_scan"][key]) if r["baseline_full_scan"] else "—" for r in results]
        lines.append(f"{label:{width}}  " + "  ".join(f"{c:>12}" for c in cells))
    lines.append("")
    lines.append(f"{'per kind (near: flagged / DUPLICATE; hard: DUPLICATE / POSSIBLE)':{width}}")
    for kind in results[0]["per_kind"]:
        cells = []
        for r in results:
            k = r["per_kind"][kind]
            if "recall_flagged" in k:
                cells.append(f"{k['recall_flagged']:.3f}/{k['recall_duplicate']:.3f}")
            else:
                cells.append(f"{k['false_duplicate']}/{k['possible']} of {k['queries']}")
        lines.append(f"{kind:{width}}  " + "  ".join(f"{c:>12}" for c in cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.duplicates")
    parser.add_argument("--sizes", default="100000,500000", help="comma-separated corpus sizes")
    args = parser.parse_args(argv if argv is not None else [])
    sizes = [int(s) for s in args.sizes.split(",")]
    results = [_in_own_process(size) for size in sizes]
    scorers = _scorers(labelled_set(SEED, corpus_size=10_000, near=NEAR, hard=HARD))
    print(_table(results))
    print()
    print(f"{'scorer (query vs its source)':32}  recall@no-hard-FP  near min/median  hard max/median")
    for name, r in scorers.items():
        print(
            f"{name:32}  {r['recall_with_no_hard_negative']:>17.4f}  "
            f"{r['near_min']:.3f}/{r['near_median']:.3f}      {r['hard_max']:.3f}/{r['hard_median']:.3f}"
        )
    if len(results) > 1:
        growth = results[-1]["p95_ms"] / results[0]["p95_ms"]
        print(f"\np95 growth {results[0]['items']:,} → {results[-1]['items']:,} items: ×{growth:.2f}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "duplicates.json").write_text(
        json.dumps(
            {
                "when": date.today().isoformat(),
                "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load": os.getloadavg()},
                "thresholds": {"duplicate": DEFAULT_DUPLICATE_THRESHOLD, "review": DEFAULT_REVIEW_THRESHOLD},
                "sizes": results,
                "scorers": scorers,
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
