"""Benchmark: peak memory and stored bytes per message, for mails that are small but expand a lot.

Each case runs in a fresh process (peak RSS is per process: `resource.getrusage().ru_maxrss`):
`check` (parse and judge, as `baosong check` does) and the worker's path (archive, judge, record,
queue the reply with the commented .docx) into an empty SQLite database, whose growth is reported.
Cases are built in a process of their own as well: Linux carries the peak RSS across exec, so a
child started by a parent that held a case would report the parent's peak.
The bound is 300 MB peak per message. Run: `python -m bench.memory` (writes bench/results/memory.json).
"""

from __future__ import annotations

import base64
import io
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import replace
from datetime import date
from email.message import EmailMessage
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
PEAK_BOUND_MB = 300
DOCX_SUBTYPE = "vnd.openxmlformats-officedocument.wordprocessingml.document"
SIGN_OFF = "审核领导：李四    撰稿人：张三    手机号：13912345678"


def _mail(attachments: list[tuple[bytes, str, str, str]]) -> bytes:
    message = EmailMessage()
    message["From"], message["To"] = "qitai@example.cn", "cjhbxx@example.cn"
    message["Subject"] = "奇台县环境保护局开展秋季大气污染防治专项执法检查"
    message.set_content("请审阅附件。")
    for payload, maintype, subtype, name in attachments:
        message.add_attachment(payload, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("奇台县环境保护局开展秋季大气污染防治专项执法检查", level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    document.add_paragraph(SIGN_OFF)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _inflated_docx(xml_bytes: int) -> bytes:
    """A real .docx whose document.xml is padded with ordinary paragraphs to about `xml_bytes`;
    one varying digit per paragraph keeps the ratio near 100:1, under the zip-bomb check's 200:1."""
    rng = random.Random(17)
    sentence = "11月18日，奇台县环境保护局组织执法人员对县城周边重点企业开展专项检查。"
    count = xml_bytes // len(f"<w:p><w:r><w:t>{sentence}0</w:t></w:r></w:p>".encode())
    padding = "".join(f"<w:p><w:r><w:t>{sentence}{rng.choice('01')}</w:t></w:r></w:p>" for _ in range(count)).encode()
    source = zipfile.ZipFile(io.BytesIO(_docx([sentence])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + padding, 1)
            target.writestr(info.filename, data)
    return out.getvalue()


def _png(side: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (side, side), (90, 140, 60)).save(buffer, "PNG")
    return buffer.getvalue()


def _text_parts(docx_name: str, count: int, encoded_bytes: int) -> bytes:
    """A .docx and `count` inline text parts of `encoded_bytes` each (base64, as clients send them)."""
    text = ("11月18日，奇台县环境保护局开展检查。" * (encoded_bytes // 40)).encode()[: encoded_bytes * 3 // 4]
    part = b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    part += base64.encodebytes(text).replace(b"\n", b"\r\n")
    mail = _mail([(_docx(["11月18日，奇台县环境保护局开展检查。"]), "application", DOCX_SUBTYPE, docx_name)])
    boundary = mail.split(b'boundary="', 1)[1].split(b'"', 1)[0]
    closing = b"--" + boundary + b"--"
    return mail.replace(closing, b"".join(b"--" + boundary + b"\r\n" + part + b"\r\n" for _ in range(count)) + closing)


def make_case(name: str) -> bytes:
    docx_name = "奇台县环境保护局开展秋季大气污染防治专项执法检查.docx"
    item = (_docx(["11月18日，奇台县环境保护局开展检查。"]), "application", DOCX_SUBTYPE, docx_name)
    if name == "typical (30 KB .docx, 3 photos)":
        from bench.check import make_mail

        return make_mail()
    if name == "18 MB document.xml":
        return _mail([(_inflated_docx(18 * 1024 * 1024), "application", DOCX_SUBTYPE, docx_name)])
    if name == "five 19 MB text parts":
        return _text_parts(docx_name, 5, 19 * 1024 * 1024)
    if name == "six PNGs under the pixel limit":
        return _mail([item] + [(_png(9400), "image", "png", f"现场照片{n}.png") for n in range(1, 7)])
    if name == "just under the limits: 3.9 MB document.xml":
        return _mail([(_inflated_docx(3_900_000), "application", DOCX_SUBTYPE, docx_name)])
    if name == "just under the limits: six 49 MP PNGs":
        return _mail([item] + [(_png(7000), "image", "png", f"现场照片{n}.png") for n in range(1, 7)])
    if name == "just under the limits: five 19 MB attachments":
        blob = random.Random(5).randbytes(14 * 1024 * 1024)  # 19 MB once base64-encoded: a 95 MB mail
        return _mail([item] + [(blob, "application", "octet-stream", f"资料{n}.bin") for n in range(1, 6)])
    raise KeyError(name)


CASES = (
    "typical (30 KB .docx, 3 photos)",
    "18 MB document.xml",
    "five 19 MB text parts",
    "six PNGs under the pixel limit",
    "just under the limits: 3.9 MB document.xml",
    "just under the limits: six 49 MP PNGs",
    "just under the limits: five 19 MB attachments",
)


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def _context():  # noqa: ANN202
    from baosong import BUNDLED_CONFIG
    from baosong.organisation import load_organisation
    from baosong.registry import refs_from_sheet
    from validators.catalogue import load_messages
    from validators.judge import JudgeContext
    from validators.registry import Registry

    organisation = load_organisation(BUNDLED_CONFIG, "A")
    return JudgeContext(organisation.checks, Registry.of(refs_from_sheet(organisation.units_csv)), load_messages(BUNDLED_CONFIG))


def measure_check(path: Path) -> dict:
    """In this process: parse and judge one mail, as `baosong check` does."""
    from intake.mailparse import parse_mail
    from validators.judge import judge_mail

    ctx = _context()
    before = _peak_mb()
    judgement = judge_mail(parse_mail(path.read_bytes()), ctx, today=date(2026, 11, 20))
    return {"baseline_mb": before, "peak_mb": _peak_mb(), "verdict": str(judgement.verdict), "codes": sorted({f.code for f in judgement.findings})}


def measure_worker(path: Path) -> dict:
    """In this process, as the IMAP worker does: archive one mail, drop the downloaded bytes, then
    judge, record and queue the reply, in an empty database."""
    from baosong.app import open_app
    from baosong.pipeline import archive, process
    from baosong.settings import DatabaseSettings, PathsSettings, Settings

    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "baosong.db"
        settings = replace(
            Settings(), paths=replace(PathsSettings(), data=str(Path(tmp) / "data")),
            database=replace(DatabaseSettings(), url=f"sqlite:///{database}"),
        )
        app = open_app(settings, seed_units=True)
        empty = database.stat().st_size
        before = _peak_mb()
        raw_id, _ = archive(app, path.read_bytes(), source="imap")
        outcome = process(app, raw_id)
        app.close()
        grown = database.stat().st_size - empty
    return {"baseline_mb": before, "peak_mb": _peak_mb(), "verdict": outcome.verdict, "database_growth_kb": round(grown / 1024)}


def _in_subprocess(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench.memory", *args], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> dict:
    result: dict = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "bound_mb": PEAK_BOUND_MB,
        "before (issue 17)": {
            "18 MB document.xml": "check 552 MB, worker 586 MB, database +58 MB",
            "five 19 MB text parts": "check 288 MB, worker 322 MB",
            "six PNGs under the pixel limit": "check 739 MB, worker 777 MB",
        },
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name in CASES:
            path = Path(tmp) / "case.eml"
            _in_subprocess("make", name, str(path))
            result[name] = {
                "mail_kb": round(path.stat().st_size / 1024),
                "check": _in_subprocess("check", str(path)),
                "worker": _in_subprocess("worker", str(path)),
            }
            print(name, json.dumps(result[name], ensure_ascii=False), flush=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "memory.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    if sys.argv[1:2] == ["make"]:
        Path(sys.argv[3]).write_bytes(make_case(sys.argv[2]))
        print("{}")
    elif len(sys.argv) == 3:
        print(json.dumps({"check": measure_check, "worker": measure_worker}[sys.argv[1]](Path(sys.argv[2]))))
    else:
        main()
