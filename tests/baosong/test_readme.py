"""Every command, option and setting the README tells users about exists."""

import re
import shlex
from dataclasses import fields
from pathlib import Path

import click
import pytest

from baosong.cli import main
from baosong.settings import SECTIONS, Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _commands() -> list[list[str]]:
    found = []
    for block in re.findall(r"```bash\n(.*?)```", README, flags=re.S):
        for line in block.splitlines():
            line = line.split("#", 1)[0].strip()
            if line.startswith("baosong "):
                found.append(shlex.split(line)[1:])
    return found


def _resolve(args: list[str]) -> tuple[click.Command, list[str]]:
    command: click.Command = main
    rest = list(args)
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        sub = command.get_command(click.Context(command), rest[0])
        assert sub is not None, f"README mentions unknown command: baosong {' '.join(args)}"
        command, rest = sub, rest[1:]
    return command, rest


@pytest.mark.parametrize("args", _commands(), ids=lambda a: " ".join(a))
def test_readme_command_exists_with_its_options(args):
    command, rest = _resolve(args)
    declared = {name for param in command.params for name in getattr(param, "opts", [])}
    declared |= {name for param in command.params for name in getattr(param, "secondary_opts", [])}
    for token in rest:
        if token.startswith("--"):
            assert token.split("=", 1)[0] in declared, f"{token} is not an option of baosong {' '.join(args)}"


def test_readme_lists_the_two_setup_commands_first():
    first_block = re.search(r"```bash\n(.*?)```", README, flags=re.S).group(1)
    assert "make demo" in first_block and "make test" in first_block


def test_readme_environment_variables_are_settings():
    known = {
        f"BAOSONG_{section.upper()}_{f.name.upper()}"
        for section in SECTIONS
        for f in fields(getattr(Settings(), section))
    }
    mentioned = set(re.findall(r"BAOSONG_[A-Z_]+[A-Z]", README)) - {"BAOSONG_"}
    mentioned = {name for name in mentioned if not name.endswith("_<节>_<项>")}
    assert mentioned and mentioned <= known, mentioned - known


def test_readme_images_exist():
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README):
        assert (Path(__file__).resolve().parents[2] / image).is_file(), image
