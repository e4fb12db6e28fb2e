"""Render a sample monthly 通报 (organisation A, invented figures) to docs/report-sample.png.

Needs LibreOffice (`soffice`) and poppler (`pdftoppm`). Run: .venv/bin/python scripts/render_report_sample.py
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from baosong import BUNDLED_CONFIG, SOURCE_ROOT
from scoring.compute import AdoptionRecord, Books, ItemRecord, UnitRecord, compute_month
from scoring.publish import write_month_reports
from scoring.ruleset import load_ruleset

YEAR, MONTH = 2026, 3
TARGET = SOURCE_ROOT / "docs" / "report-sample.png"


def sample_books(rng: random.Random) -> Books:
    ruleset = load_ruleset(BUNDLED_CONFIG, "A")
    units = tuple(
        UnitRecord(id=n, name=name, class_name=cls.name)
        for n, (cls, name) in enumerate(((c, m) for c in ruleset.classes for m in c.members), start=1)
    )
    items, adoptions = [], []
    for unit in units:
        for month in range(1, MONTH + 1):
            for _ in range(rng.randint(0, 9)):
                item = ItemRecord(len(items) + 1, unit.id, date(YEAR, month, rng.randint(1, 20)), True, "动态", "信息")
                items.append(item)
                if rng.random() < 0.35:
                    outlet = rng.choice(ruleset.outlets).name
                    adoptions.append(AdoptionRecord(item.id, outlet, date(YEAR, month, 22), date(YEAR, month, 24)))
    return Books(units, tuple(items), tuple(adoptions))


def main() -> int:
    if not (shutil.which("soffice") and shutil.which("pdftoppm")):
        print("需要 LibreOffice（soffice）和 pdftoppm（poppler-utils）才能生成示例图片", file=sys.stderr)
        return 1
    ruleset = load_ruleset(BUNDLED_CONFIG, "A")
    report = compute_month(ruleset, sample_books(random.Random(2026)), YEAR, MONTH)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        docx = next(p for p in write_month_reports(report, out, ("docx",), date(YEAR, 4, 3)) if p.suffix == ".docx")
        subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation=file://{out / 'profile'}", "--convert-to", "pdf",
             "--outdir", str(out), str(docx)],
            check=True, capture_output=True, timeout=180,
        )
        pdf = docx.with_suffix(".pdf")
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(out / "page")],
                       check=True, timeout=60)
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out / "page.png", TARGET)
    print(f"已生成：{TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
