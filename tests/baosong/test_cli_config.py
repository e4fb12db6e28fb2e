"""Commands that keep data need a configuration: without one they say so and create nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from baosong.cli import main

NO_LOCATION = {"BAOSONG_PATHS_DATA": None, "BAOSONG_DATABASE_URL": None}


@pytest.mark.parametrize("command", [["queue", "list"], ["items", "list"], ["units", "list"], ["report", "--month", "2026-11"]])
def test_command_without_a_config_file_says_so_and_creates_no_data_folder(command: list[str], tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.chdir(tmp_path)

    result = CliRunner().invoke(main, command, env=NO_LOCATION)

    assert result.exit_code == 1 and "找不到配置文件 baosong.toml" in result.output and "baosong init" in result.output
    assert list(tmp_path.iterdir()) == []


def test_check_needs_no_config_file(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.chdir(tmp_path)
    (tmp_path / "空.eml").write_bytes(b"From: a@b.cn\r\nSubject: test\r\n\r\nhello\r\n")

    result = CliRunner().invoke(main, ["check", "空.eml"], env=NO_LOCATION)

    assert "找不到配置文件" not in result.output and result.exit_code in (0, 1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["空.eml"]
