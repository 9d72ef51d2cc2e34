"""Annotation Workbench: annotate claims, actors and rhetorical devices in news text."""

from __future__ import annotations

from pathlib import Path

DISTRIBUTION = "annotation-workbench"


def _version() -> str:
    """The one version number, written in pyproject.toml.

    Run from a source checkout, the checkout's own pyproject.toml wins (an editable install's
    metadata is only as new as the last install); installed, frozen or unpacked from a wheel,
    the package metadata carries it."""
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    if pyproject.is_file():
        import tomllib

        try:
            project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            project = {}
        if project.get("name") == DISTRIBUTION and isinstance(project.get("version"), str):
            return str(project["version"])
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "0+unknown"


__version__ = _version()
