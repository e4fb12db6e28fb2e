"""Benchmark: `check` throughput on a typical submission, against the floor of unavoidable work.

Typical submission: a ~30 KB .docx and 3 photos of 2–3 MB in one mail. The floor is reading the
mail bytes, base64-decoding its parts (splitting on the known boundary, no MIME parser), unzipping
word/document.xml and parsing it with lxml: what any checker must do to have the photo bytes.
The flood case: a small mail whose document holds 10,000 × 我局 (in one paragraph, and one per
paragraph), parsed, judged and annotated once; the bound is 5 s. Run: `python -m bench.check`
(writes bench/results/check.json).
"""

from __future__ import annotations

import binascii
import io
import json
import os
import platform
import random
import re
import statistics
import tempfile
import time
import zipfile
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import docx
from lxml import etree
from PIL import Image

from baosong import BUNDLED_CONFIG
from baosong.organisation import load_organisation
from baosong.registry import refs_from_sheet
from intake.annotate import annotate_docx
from intake.mailparse import parse_mail
from validators.catalogue import load_messages
from validators.judge import JudgeContext, judge_mail
from validators.registry import Registry

RESULTS = Path(__file__).resolve().parent / "results"
ROUNDS = 30
FLOOD_WORDS = 10_000


def _photo(seed: int, target: int) -> bytes:
    """A real camera-sized JPEG of roughly the target size (noise keeps it from compressing away)."""
    rng = random.Random(seed)
    width, height = 4000, 3000
    base = Image.new("RGB", (width // 8, height // 8))
    base.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(base.width * base.height)])
    image = base.resize((width, height), Image.Resampling.BICUBIC)
    quality = 90
    while True:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality)
        if buffer.tell() <= target or quality <= 30:
            return buffer.getvalue()
        quality -= 5


def _document() -> bytes:
    document = docx.Document()
    document.add_heading("奇台县环境保护局开展秋季大气污染防治专项执法检查", level=1)
    sentence = "11月18日，奇台县环境保护局组织执法人员对县城周边重点企业开展专项检查，督促企业落实整改措施。"
    for _ in range(40):
        document.add_paragraph(sentence * 3)
    document.add_paragraph("审核领导：李四    撰稿人：张三    手机号：13912345678")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_mail() -> bytes:
    message = EmailMessage()
    message["From"] = "qitai@example.cn"
    message["To"] = "cjhbxx@example.cn"
    message["Subject"] = "奇台县环境保护局开展秋季大气污染防治专项执法检查"
    message["Message-ID"] = "<bench-1@example.cn>"
    message.set_content("请审阅附件。")
    message.add_attachment(
        _document(),
        maintype="application",
        subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
        filename="奇台县环境保护局开展秋季大气污染防治专项执法检查.docx",
    )
    for number, target in enumerate((2_200_000, 2_600_000, 3_000_000), start=1):
        message.add_attachment(_photo(number, target), maintype="image", subtype="jpeg", filename=f"执法检查现场{number}.jpg")
    return message.as_bytes()


def floor(path: Path) -> None:
    """The least any checker must do: read the bytes, base64-decode the parts, parse document.xml."""
    raw = path.read_bytes()
    boundary = re.search(rb'boundary="([^"]+)"', raw).group(1)
    for part in raw.split(b"--" + boundary)[1:-1]:
        head, _, body = part.partition(b"\n\n")
        if b"base64" not in head:
            continue
        payload = binascii.a2b_base64(body)
        if b"wordprocessingml" in head:
            with zipfile.ZipFile(io.BytesIO(payload)) as package:
                etree.fromstring(package.read("word/document.xml"))


def full_check(path: Path, ctx: JudgeContext) -> str:
    return str(judge_mail(parse_mail(path.read_bytes()), ctx, today=date(2026, 11, 20)).verdict)


def flood_mail(paragraphs: list[str]) -> bytes:
    """A small mail whose document repeats one vague word 10,000 times (issue 17: it stalled the intake)."""
    document = docx.Document()
    document.add_heading("奇台县环境保护局开展秋季大气污染防治专项执法检查", level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    document.add_paragraph("审核领导：李四    撰稿人：张三    手机号：13912345678")
    buffer = io.BytesIO()
    document.save(buffer)
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "qitai@example.cn", "cjhbxx@example.cn", "我局信息"
    message.set_content("请审阅附件。")
    message.add_attachment(
        buffer.getvalue(), maintype="application",
        subtype="vnd.openxmlformats-officedocument.wordprocessingml.document", filename="奇台县环境保护局信息.docx",
    )
    return message.as_bytes()


def judge_and_annotate(raw: bytes, ctx: JudgeContext) -> int:
    """What the worker does with a mail before recording it: parse, judge, write the commented copy."""
    judgement = judge_mail(parse_mail(raw), ctx, today=date(2026, 11, 20))
    annotate_docx(judgement.docx.payload, judgement.findings, judgement.submission)
    return len(judgement.findings)


def flood(ctx: JudgeContext) -> dict:
    shapes = {"one_paragraph": ["11月18日，" + "我局" * FLOOD_WORDS], "one_per_paragraph": ["11月18日，我局开展检查。"] * FLOOD_WORDS}
    result = {"vague_words": FLOOD_WORDS}
    for shape, paragraphs in shapes.items():
        raw = flood_mail(paragraphs)
        start = time.perf_counter()
        findings = judge_and_annotate(raw, ctx)
        result[shape] = {"mail_bytes": len(raw), "findings": findings, "judge_and_annotate_s": round(time.perf_counter() - start, 2)}
    return result


def _time(function, *args) -> list[float]:  # noqa: ANN001
    function(*args)  # warm up
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        function(*args)
        samples.append(time.perf_counter() - start)
    return samples


def main() -> dict:
    organisation = load_organisation(BUNDLED_CONFIG, "A")
    ctx = JudgeContext(
        organisation.checks, Registry.of(refs_from_sheet(organisation.units_csv)), load_messages(BUNDLED_CONFIG)
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "typical.eml"
        path.write_bytes(make_mail())
        verdict = full_check(path, ctx)
        floor_samples = _time(floor, path)
        check_samples = _time(full_check, path, ctx)
        size = path.stat().st_size
    floor_median = statistics.median(floor_samples)
    check_median = statistics.median(check_samples)
    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "mail_bytes": size,
        "verdict": verdict,
        "rounds": ROUNDS,
        "floor_median_ms": round(floor_median * 1000, 1),
        "check_median_ms": round(check_median * 1000, 1),
        "check_p95_ms": round(sorted(check_samples)[int(0.95 * len(check_samples)) - 1] * 1000, 1),
        "check_per_second": round(1 / check_median, 1),
        "ratio_to_floor": round(check_median / floor_median, 2),
        "flood": flood(ctx),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "check.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return result


if __name__ == "__main__":
    main()
