"""The README documents every command and every setting, so users never meet an undocumented one."""

from pathlib import Path
from typing import Any

import pytest
import typer.main

from cadre.cli import app
from cadre.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def command_paths(command: Any, prefix: str = "cadre") -> list[str]:
    # Typer ships its own copy of click, so groups are recognised by their sub-commands.
    if hasattr(command, "commands"):
        paths: list[str] = []
        for name, sub in command.commands.items():
            paths += command_paths(sub, f"{prefix} {name}")
        return paths
    return [prefix]


COMMANDS = command_paths(typer.main.get_command(app))


def test_the_command_tree_is_walked() -> None:
    assert {"cadre data get", "cadre data source add", "cadre sample create"} <= set(COMMANDS)


@pytest.mark.parametrize("path", COMMANDS)
def test_every_command_is_in_the_readme(path: str) -> None:
    assert path in README, f"`{path}` is not documented in README.md"


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_in_the_readme(name: str) -> None:
    assert f"CADRE_{name.upper()}" in README
