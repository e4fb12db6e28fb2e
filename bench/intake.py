"""Benchmark: IMAP intake from a real pymap server on loopback.

1. Backlog throughput: N mails (a .docx and one 2–3 MB photo each) waiting in the mailbox, taken
   in by one `poll_once`; messages/s, and the intake process's RSS after 100 messages and at the
   end (memory must not grow with the backlog). The server runs in a child process so its
   in-memory mailbox does not count against the intake's memory.
2. Latency under IDLE: `watch()` idling; one message APPENDed at a time; time from the start of
   the APPEND to the recorded verdict, p50/p95.

Run: `python -m bench.intake [--n 1000] [--latency 50]` (writes bench/results/intake.json).
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import os
import platform
import random
import resource
import statistics
import tempfile
import threading
import time
from email.message import EmailMessage
from pathlib import Path

import docx
from PIL import Image
from sqlalchemy import func, select

from baosong.app import App, open_app
from baosong.models import Item
from baosong.settings import DatabaseSettings, MailboxSettings, PathsSettings, Settings
from intake.imap import CycleReport, ImapIntake, watch
from intake.local_imap import Appender, LocalImapServer

RESULTS = Path(__file__).resolve().parent / "results"
SENDER = "changji@example.cn"
UNIT = "昌吉市环境保护局"


def _serve(port: int, ready) -> None:  # noqa: ANN001 - a multiprocessing Event
    server = LocalImapServer(port=port)
    server.start()
    ready.set()
    threading.Event().wait()


def _photos(count: int = 4) -> list[bytes]:
    """Camera-like JPEGs of 2–3 MB: noisy pixels compress like a real scene."""
    rng = random.Random(7)
    photos = []
    for index in range(count):
        width, height = rng.choice([(1800, 1350), (2000, 1500)])
        image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
        buffer = io.BytesIO()
        image.resize((width, height)).save(buffer, "JPEG", quality=90 + index)
        photos.append(buffer.getvalue())
    return photos


def _unique(photo: bytes, number: int) -> bytes:
    """The same picture with its own bytes: a comment segment after the start-of-image marker."""
    comment = f"baosong bench {number}".encode()
    return photo[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + photo[2:]


# Work a unit reports through a year; with the day and the figures, each mail tells of its own event.
EVENTS = ("大气污染防治专项检查", "危险废物规范化管理检查", "饮用水水源地环境巡查", "建设项目环评审批服务",
          "生态环境法律法规宣传", "重点排污单位在线监控核查", "秸秆禁烧巡查", "噪声污染投诉办理",
          "入河排污口排查")  # nine: a date comes round every 336 mails, with another event


def _document(number: int) -> tuple[str, bytes]:
    month, day, event = number // 28 % 12 + 1, number % 28 + 1, EVENTS[number % len(EVENTS)]
    title = f"{UNIT}2026年{month}月{day}日开展{event}"
    document = docx.Document()
    document.add_heading(title, level=1)
    document.add_paragraph(
        f"2026年{month}月{day}日，{UNIT}组织执法人员围绕{event}对第{number}批重点企业开展工作，"
        f"共检查企业{number % 50 + 3}家，发现问题{number % 7 + 1}个，已责令限期整改。"
    )
    document.add_paragraph("审核领导：李四")
    document.add_paragraph("撰稿人：张三")
    document.add_paragraph("手机号：13912345678")
    buffer = io.BytesIO()
    document.save(buffer)
    return title, buffer.getvalue()


def _mail(number: int, photo: bytes) -> bytes:
    title, document = _document(number)
    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = "xxk@office.example.cn"
    message["Subject"] = title
    message["Message-ID"] = f"<bench.{number}.{time.time_ns()}@changji.example.cn>"
    message.set_content("请审核附件中的信息。")
    message.add_attachment(
        document, maintype="application", subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
        filename=f"{UNIT}+{title}.docx",
    )
    message.add_attachment(_unique(photo, number), maintype="image", subtype="jpeg", filename=f"检查现场{number}.jpg")
    return message.as_bytes()


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _app(data: Path, server: LocalImapServer) -> App:
    settings = Settings(
        mailbox=MailboxSettings(host=server.host, port=server.port, user=server.user, password=server.password, ssl=False),
        paths=PathsSettings(data=str(data)),
        database=DatabaseSettings(url=os.environ.get("BAOSONG_DATABASE_URL", "")),
    )
    return open_app(settings, seed_units=True)


def _items(app: App) -> int:
    with app.sessions() as session:
        return session.scalar(select(func.count()).select_from(Item)) or 0


def backlog(n: int, photos: list[bytes]) -> dict:
    server = LocalImapServer()
    ready = multiprocessing.Event()
    child = multiprocessing.Process(target=_serve, args=(server.port, ready), daemon=True)
    child.start()
    ready.wait(30)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            app = _app(Path(tmp), server)
            started = time.perf_counter()
            total_bytes = 0
            with Appender(server) as appender:
                for number in range(n):
                    raw = _mail(number, photos[number % len(photos)])
                    total_bytes += len(raw)
                    appender.append(raw)
            filled = time.perf_counter() - started
            samples: dict[int, float] = {}

            intake = ImapIntake(app)
            intake.take_lease()
            original = intake._take_in  # noqa: SLF001 - sample RSS as messages go through

            def sampled(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
                result = original(*args, **kwargs)
                done = len(samples_seen) + 1
                samples_seen.append(done)
                if done in (100, n):
                    samples[done] = _rss_mb()
                return result

            samples_seen: list[int] = []
            intake._take_in = sampled  # noqa: SLF001
            rss_before = _rss_mb()
            started = time.perf_counter()
            report: CycleReport = intake.cycle()
            elapsed = time.perf_counter() - started
            intake.close()
            verdicts: dict[str, int] = {}
            for result in report.results:
                key = result.outcome.verdict if result.outcome else "none"
                verdicts[key] = verdicts.get(key, 0) + 1
            app.close()
            return {
                "messages": n,
                "mean_message_bytes": round(total_bytes / n),
                "fill_seconds": round(filled, 1),
                "intake_seconds": round(elapsed, 1),
                "messages_per_second": round(n / elapsed, 2),
                "megabytes_per_second": round(total_bytes / elapsed / 1e6, 1),
                "rss_mb_before": round(rss_before, 1),
                "rss_mb_after_100": round(samples.get(100, 0.0), 1),
                f"rss_mb_after_{n}": round(samples.get(n, 0.0), 1),
                "peak_rss_mb": round(_peak_rss_mb(), 1),
                "verdicts": verdicts,
                "cycle_error": report.error,
            }
    finally:
        child.kill()
        child.join(10)


def latency(count: int, photos: list[bytes]) -> dict:
    with LocalImapServer() as server, tempfile.TemporaryDirectory() as tmp:
        app = _app(Path(tmp), server)
        stop = threading.Event()
        cycles: list[CycleReport] = []
        worker = threading.Thread(target=watch, args=(app, stop), kwargs={"on_cycle": cycles.append})
        worker.start()
        while not cycles:
            time.sleep(0.01)
        timings = []
        with Appender(server) as appender:
            for number in range(count):
                raw = _mail(10_000 + number, photos[number % len(photos)])
                time.sleep(0.2)  # the watcher is back in IDLE
                started = time.perf_counter()
                appender.append(raw)
                deadline = started + 30
                while _items(app) < number + 1 and time.perf_counter() < deadline:
                    time.sleep(0.005)
                timings.append(time.perf_counter() - started)
        stop.set()
        worker.join(30)
        app.close()
    timings.sort()
    return {
        "messages": count,
        "p50_seconds": round(statistics.median(timings), 3),
        "p95_seconds": round(timings[max(0, int(len(timings) * 0.95) - 1)], 3),
        "max_seconds": round(timings[-1], 3),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=int(os.environ.get("BENCH_INTAKE_N", "1000")))
    parser.add_argument("--latency", type=int, default=50)
    args = parser.parse_args(argv if argv is not None else [])
    photos = _photos()
    results = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "database": os.environ.get("BAOSONG_DATABASE_URL", "").split("@")[-1] or "sqlite",
        "photo_bytes": [len(p) for p in photos],
        "backlog": backlog(args.n, photos),  # first: the latency run's in-process server would inflate peak RSS
        "latency_under_idle": latency(args.latency, photos),
    }
    print(json.dumps(results, ensure_ascii=False, indent=2))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "intake.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
