"""Mail, attachments and the database are readable by the account that runs baosong only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from baosong.app import open_app
from baosong.settings import load_settings
from tests.intake.imap_helpers import submission

ROOT = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def open_fresh(tmp_path: Path):  # noqa: ANN201
    return open_app(load_settings(tmp_path / "absent.toml", environ={"BAOSONG_PATHS_DATA": str(tmp_path / "data")}))


def test_the_data_folder_is_created_private(tmp_path):
    open_fresh(tmp_path).close()
    assert mode(tmp_path / "data") == 0o700


def test_the_sqlite_file_and_its_write_ahead_log_are_created_private(tmp_path):
    app = open_fresh(tmp_path)
    database = tmp_path / "data" / "baosong.db"
    files = [database, database.with_name("baosong.db-wal"), database.with_name("baosong.db-shm")]
    modes = [mode(p) for p in files]
    app.close()
    assert modes == [0o600, 0o600, 0o600]


def test_the_command_leaves_nothing_in_the_data_folder_that_others_can_read(tmp_path):
    mail = tmp_path / "one.eml"
    mail.write_bytes(submission(1))
    env = {key: value for key, value in os.environ.items() if not key.startswith("BAOSONG_")}
    env["BAOSONG_PATHS_DATA"] = str(tmp_path / "data")
    subprocess.run(
        [sys.executable, "-m", "baosong.cli", "--config", str(tmp_path / "absent.toml"), "import", str(mail)],
        env=env, cwd=ROOT, check=True, capture_output=True, preexec_fn=lambda: os.umask(0o022),
    )
    stored = list((tmp_path / "data").rglob("*"))
    assert any(p.is_file() and "store" in p.parts for p in stored)
    assert [p for p in stored if mode(p) & 0o077] == []


def test_the_systemd_unit_sets_a_private_umask():
    assert "\nUMask=0077\n" in (ROOT / "deploy" / "baosong.service").read_text(encoding="utf-8")
