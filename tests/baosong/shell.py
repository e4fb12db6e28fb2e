"""Run `baosong` commands against a configuration file, as a clerk types them."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from baosong.cli import main


def run(config: Path, *args: str, stdin: str | None = None) -> Result:
    """The database is the configuration file's, whatever the environment of the test run says."""
    return CliRunner().invoke(main, ["--config", str(config), *args], input=stdin, env={"BAOSONG_DATABASE_URL": None})
