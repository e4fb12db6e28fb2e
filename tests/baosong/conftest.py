"""A configuration file on a temporary data folder (SQLite), as a clerk's `baosong.toml` would be."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "baosong.toml"
    path.write_text(f'[paths]\ndata = "{tmp_path / "data"}"\n', encoding="utf-8")
    return path
