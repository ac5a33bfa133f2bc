"""The README tells the truth: its YAML example loads, and its CLI reference names every command."""

from __future__ import annotations

import re

from conftest import ROOT

from cvgen.cli import app
from cvgen.loader import load_cv_text
from cvgen.renderers import render

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_yaml_example_is_a_valid_cv_that_renders() -> None:
    example = re.search(r"```yaml\n(.*?)```", README, re.DOTALL)
    assert example
    cv = load_cv_text(example.group(1), "README.md")
    assert "One paper accepted to **ICLR 2022**" in render("markdown", cv)


def test_the_cli_reference_names_every_command() -> None:
    commands = {command.name for command in app.registered_commands}
    documented = set(re.findall(r"^\| `cvgen ([\w-]+)", README, re.MULTILINE))
    assert commands == documented
