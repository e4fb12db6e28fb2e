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


def can_render() -> bool:
    return bool(shutil.which("soffice") and shutil.which("pdftoppm"))


def render_pages(docx: Path, out: Path, *, resolution: int = 80) -> list[Path]:
    """Every page of `docx` as a PNG in `out` (page-1.png, page-2.png, …), as Word users will see it."""
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{out / 'profile'}", "--convert-to", "pdf",
         "--outdir", str(out), str(docx)],
        check=True, capture_output=True, timeout=180,
    )
    subprocess.run(["pdftoppm", "-png", "-r", str(resolution), str(docx.with_suffix(".pdf")), str(out / "page")],
                   check=True, timeout=60)
    return sorted(out.glob("page-*.png"), key=lambda page: int(page.stem.rpartition("-")[2]))


def sample_report(out: Path) -> Path:
    """The sample monthly 通报 (.docx) written into `out`."""
    ruleset = load_ruleset(BUNDLED_CONFIG, "A")
    report = compute_month(ruleset, sample_books(random.Random(2026)), YEAR, MONTH)
    return next(p for p in write_month_reports(report, out, ("docx",), date(YEAR, 4, 3)) if p.suffix == ".docx")


def main() -> int:
    if not can_render():
        print("需要 LibreOffice（soffice）和 pdftoppm（poppler-utils）才能生成示例图片", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        first_page = render_pages(sample_report(out), out)[0]
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(first_page, TARGET)
    print(f"已生成：{TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
