"""`baosong check` with a database: copies of accepted items are DUPLICATE, whether the items were
saved in the 首报 snapshot or accepted after it."""

import json
from datetime import date

from click.testing import CliRunner

from baosong.app import open_app
from baosong.cli import main
from baosong.demo.samples import Item, document, mail
from baosong.pipeline import ingest

UNIT = "奇台县环境保护局"
ITEMS = [
    Item(UNIT, "奇台县环境保护局开展秋季大气污染防治专项检查",
         ["11月18日，奇台县环境保护局组织执法人员对12家企业开展专项检查，发现问题5个，已责令限期整改。"]),
    Item(UNIT, "奇台县环境保护局召开11月份环境执法工作例会",
         ["11月19日，奇台县环境保护局召开环境执法工作例会，通报“双随机”抽查企业8家，立案查处环境违法案件3起。"]),
]


def _mail(item: Item, number: int) -> bytes:
    raw = mail("qitai@example.cn", item.title, date(2026, 11, 20), docs=[(f"{UNIT}{item.title}.docx", document(item))])
    return f"Message-ID: <item-{number}@example.cn>\n".encode() + raw.replace(b"Message-ID:", b"X-Old-Message-ID:", 1)


def test_check_finds_items_from_the_snapshot_and_after_it(settings, tmp_path):  # noqa: ANN001
    app = open_app(settings, seed_units=True)
    assert ingest(app, _mail(ITEMS[0], 1), source="import").verdict == "accepted"
    app.duplicates.save_snapshot()
    assert ingest(app, _mail(ITEMS[1], 2), source="import").verdict == "accepted"
    copies = []
    for number, item in enumerate(ITEMS, start=3):
        copies.append(tmp_path / f"copy-{number}.eml")
        copies[-1].write_bytes(_mail(item, number))
    env = {"BAOSONG_PATHS_DATA": str(settings.data_dir), "BAOSONG_DATABASE_URL": settings.database.url}
    result = CliRunner().invoke(main, ["--config", str(tmp_path / "none.toml"), "check", "--json", *map(str, copies)], env=env)
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [[f["code"] for f in line["findings"]] for line in lines] == [["DUPLICATE"], ["DUPLICATE"]]
    app.close()
