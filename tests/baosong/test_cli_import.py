"""`baosong import`: saved mail is dated by its own arrival; a mail that cannot be stored does not stop the rest."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from baosong.app import open_app
from baosong.cli import main
from baosong.cli.records import storage_problem
from baosong.localtime import as_local
from baosong.models import Item, OutboxMessage, RawMessage
from baosong.settings import BUNDLED_CONFIG, Settings
from tests.factories.mail import Attachment
from tests.intake.imap_helpers import submission

JANUARY = "from mx.example.cn by imap.example.cn; Tue, 20 Jan 2026 10:05:00 +0800"
FEBRUARY = "from mx.example.cn by imap.example.cn; Tue, 03 Feb 2026 23:30:00 +0800"


def _saved(folder: Path, name: str, stamp: str, number: int) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(b"Received: " + stamp.encode("ascii") + b"\r\n" + submission(number))


def _import(settings: Settings, *args: str):  # noqa: ANN202
    env = {"BAOSONG_PATHS_DATA": settings.paths.data, "BAOSONG_DATABASE_URL": settings.database_url}
    return CliRunner().invoke(main, ["import", *args], env=env)


def _received_days(settings: Settings) -> list[date]:
    app = open_app(settings)
    with app.sessions() as session:
        days = [as_local(item.received_at).date() for item in session.scalars(select(Item).order_by(Item.id))]
    app.close()
    return days


def test_import_of_a_folder_of_eml_files_dates_each_item_by_its_received_stamp(settings: Settings, tmp_path: Path) -> None:
    history = tmp_path / "历史邮件"
    _saved(history, "1.eml", JANUARY, 1)
    _saved(history, "2.eml", FEBRUARY, 2)

    result = _import(settings, str(history))

    assert result.exit_code == 0, result.output
    assert _received_days(settings) == [date(2026, 1, 20), date(2026, 2, 3)]


def test_received_at_option_overrides_the_mails_own_stamps(settings: Settings, tmp_path: Path) -> None:
    history = tmp_path / "history"
    _saved(history, "1.eml", JANUARY, 1)

    result = _import(settings, "--received-at", "2026-02-27 16:00", str(history / "1.eml"))

    assert result.exit_code == 0, result.output
    assert _received_days(settings) == [date(2026, 2, 27)]


def test_received_at_option_that_is_not_a_date_is_refused_in_chinese(settings: Settings, tmp_path: Path) -> None:
    history = tmp_path / "history"
    _saved(history, "1.eml", JANUARY, 1)

    result = _import(settings, "--received-at", "上个月", str(history / "1.eml"))

    assert result.exit_code != 0 and "不是日期" in result.output


def test_a_mail_that_cannot_be_archived_is_named_in_chinese_and_the_rest_are_imported(
    settings: Settings, tmp_path: Path
) -> None:
    history = tmp_path / "history"
    _saved(history, "1.eml", JANUARY, 1)
    _saved(history, "2.eml", FEBRUARY, 2)
    digest = hashlib.sha256((history / "1.eml").read_bytes()).hexdigest()
    blocked = Path(settings.paths.data) / "store" / "raw" / digest[:2]
    blocked.parent.mkdir(parents=True)
    blocked.write_bytes(b"")  # a file where the folder for the first mail must go: writing it fails

    result = _import(settings, str(history))

    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{history / '1.eml'}：未能保存，没有处理：无法写入数据目录" in result.output
    assert _received_days(settings) == [date(2026, 2, 3)]


@pytest.mark.parametrize(
    ("code", "advice"), [(errno.ENOSPC, "磁盘空间已满"), (errno.EROFS, "只读或没有写入权限"), (errno.EACCES, "只读或没有写入权限")]
)
def test_a_full_or_read_only_data_folder_is_explained(code: int, advice: str) -> None:
    assert advice in storage_problem(OSError(code, os.strerror(code)), Path("/srv/baosong/data"))


def test_import_of_a_mail_over_the_size_limit_judges_it_from_its_headers(settings: Settings, tmp_path: Path) -> None:
    config = tmp_path / "config"
    shutil.copytree(BUNDLED_CONFIG, config)
    shared = config / "orgs" / "shared-checks.toml"
    shared.write_text(re.sub(r"(?m)^max_message_bytes = \d+", "max_message_bytes = 20000", shared.read_text("utf-8")), "utf-8")
    big = tmp_path / "大邮件.eml"
    big.write_bytes(submission(1, attachments=[Attachment("现场.jpg", os.urandom(30_000), "image/jpeg")]))

    result = CliRunner().invoke(
        main,
        ["import", str(big)],
        env={"BAOSONG_PATHS_DATA": settings.paths.data, "BAOSONG_DATABASE_URL": settings.database_url, "BAOSONG_PATHS_CONFIG": str(config)},
    )

    app = open_app(settings)
    with app.sessions() as session:
        item = session.scalars(select(Item)).one()
        raw = session.get(RawMessage, item.raw_message_id)
        assert result.exit_code == 0, result.output
        assert item.verdict == "rejected" and [f.code for f in item.findings] == ["OVERSIZED_MESSAGE"]
        assert raw.declared_size == big.stat().st_size and raw.size < 20_000
    app.close()


def test_receipt_year_follows_the_office_day_not_the_servers_clock(settings: Settings, tmp_path: Path) -> None:
    history = tmp_path / "history"
    _saved(history, "1.eml", JANUARY, 1)

    result = _import(settings, "--received-at", "2026-01-01 07:00", str(history / "1.eml"))  # 2025-12-31 23:00 UTC

    assert result.exit_code == 0 and "CJHB-2026-" in result.output, result.output


def _outbox_and_open_queue(settings: Settings) -> tuple[int, list[str]]:
    app = open_app(settings)
    with app.sessions() as session:
        replies = len(session.scalars(select(OutboxMessage)).all())
        waiting = [item.verdict for item in session.scalars(select(Item).where(Item.settled_at.is_(None), Item.verdict != "accepted"))]
    app.close()
    return replies, waiting


def test_history_imported_with_no_reply_mails_nobody(settings: Settings, tmp_path: Path) -> None:
    history = tmp_path / "history"
    _saved(history, "1.eml", JANUARY, 1)
    _saved(history, "2.eml", FEBRUARY, 2)

    result = _import(settings, "--no-reply", str(history))

    assert result.exit_code == 0, result.output
    assert _outbox_and_open_queue(settings)[0] == 0


def test_a_rejected_mail_imported_with_no_reply_does_not_wait_in_the_queue(settings: Settings, tmp_path: Path) -> None:
    history = tmp_path / "history"
    history.mkdir()
    (history / "1.eml").write_bytes(b"Received: " + JANUARY.encode("ascii") + b"\r\n" + submission(1, attachments=[]))

    result = _import(settings, "--no-reply", str(history))

    assert result.exit_code == 0 and "退回" in result.output, result.output
    assert _outbox_and_open_queue(settings) == (0, [])
