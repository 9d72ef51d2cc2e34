"""The README documents every command and every format; a new one fails here until it is."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.cli import build_parser
from workbench.formats.registry import all_formats

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(subparsers.choices)


def test_readme_starts_with_the_two_commands() -> None:
    lines = README.splitlines()
    block = "\n".join(lines[:8])
    assert "make run" in block and "make test" in block


def test_every_command_is_in_the_readme() -> None:
    missing = [name for name in _commands() if f"workbench {name}" not in README]
    assert missing == []


def test_every_format_is_in_the_readme() -> None:
    missing = [name for name in all_formats() if f"`{name}`" not in README]
    assert missing == []


def test_readme_pictures_exist() -> None:
    root = Path(__file__).resolve().parent.parent
    for line in README.splitlines():
        if line.startswith("![") and "](" in line:
            target = line.split("](", 1)[1].split(")", 1)[0]
            assert (root / target).is_file(), target


def test_readme_format_table_matches_the_registry() -> None:
    from workbench.cli.format_commands import markdown_table

    # Regenerate with `workbench formats --markdown` after adding or changing a format.
    assert markdown_table() in README
