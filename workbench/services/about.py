"""What this copy of the workbench is: its version, the versions and licences of what it is
built from, and where its code, resources and spaCy pipeline are loaded from.

Shown in Help > About and by `workbench about`; the stand-alone app's smoke test reads the
paths to prove that nothing outside the app's folder is used. Reads package metadata only:
neither spaCy nor Qt is imported here.
"""

from __future__ import annotations

import importlib.metadata as metadata
import importlib.util
import platform
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from workbench import DISTRIBUTION, __version__
from workbench.core.resources import resources_dir, seeds_dir
from workbench.nlp.pipelines import FALLBACK_ORDER
from workbench.storage.sqlite_info import sqlite_library_version

# The runtime requirements, when no package metadata can be found (a bare source checkout).
_PYPROJECT = Path(__file__).resolve().parent.parent.parent / "pyproject.toml"
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_LICENCE_CLASSIFIER = "License :: "


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str


@dataclass(frozen=True)
class AboutInfo:
    version: str
    python: str
    sqlite: str
    spacy: str
    pipeline: str  # "name version" of the pipeline the suggesters load first, or "blank:en"
    frozen: bool
    executable: str
    code: str
    resources: str
    seeds: str
    pipeline_path: str
    components: list[Component] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def about_info() -> AboutInfo:
    pipeline, pipeline_path = _first_pipeline()
    return AboutInfo(
        version=__version__,
        python=platform.python_version(),
        sqlite=sqlite_library_version(),
        spacy=_version_of("spacy"),
        pipeline=pipeline,
        frozen=bool(getattr(sys, "frozen", False)),
        executable=sys.executable,
        code=str(Path(__file__).resolve().parent.parent),
        resources=str(resources_dir()),
        seeds=str(seeds_dir()),
        pipeline_path=pipeline_path,
        components=bundled_components(),
    )


def bundled_components() -> list[Component]:
    """Python, SQLite and every runtime dependency (and theirs), with version and licence."""
    found: dict[str, Component] = {}
    pending = _runtime_requirements(DISTRIBUTION)
    while pending:
        name = pending.pop(0)
        key = _normalise(name)
        if key in found:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # a requirement for another platform or Python version
        found[key] = Component(dist.metadata["Name"] or name, dist.version, licence_of(dist))
        pending.extend(_requirement_names(dist.requires or []))
    listed = sorted(found.values(), key=lambda c: c.name.lower())
    return [
        Component("Python", platform.python_version(), "PSF-2.0"),
        Component("SQLite", sqlite_library_version(), "public domain"),
        *listed,
    ]


def licence_of(dist: metadata.Distribution) -> str:
    """The licence a distribution declares: its SPDX expression, a short licence field, or
    its licence classifiers."""
    meta = dist.metadata
    expression = _first(meta.get_all("License-Expression"))
    if expression:
        return str(expression).strip()
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or []
                   if c.startswith(_LICENCE_CLASSIFIER)]
    declared = (_first(meta.get_all("License")) or "").strip()
    if declared and "\n" not in declared and len(declared) <= 60 and declared != "UNKNOWN":
        return declared
    if classifiers:
        return ", ".join(dict.fromkeys(classifiers))
    return "see the package's licence file"


def _first(values: list[str] | None) -> str | None:
    return str(values[0]) if values else None


def _runtime_requirements(name: str) -> list[str]:
    try:
        requirements = metadata.requires(name) or []
    except metadata.PackageNotFoundError:
        requirements = _pyproject_requirements()
    return _requirement_names(requirements)


def _requirement_names(requirements: list[str]) -> list[str]:
    names = []
    for requirement in requirements:
        if re.search(r"\bextra\s*==", requirement):
            continue  # optional extras are not bundled
        match = _NAME.match(requirement)
        if match:
            names.append(match.group(1))
    return names


def _pyproject_requirements() -> list[str]:
    import tomllib

    try:
        data = tomllib.loads(_PYPROJECT.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return []
    return list(data.get("project", {}).get("dependencies", []))


def _first_pipeline() -> tuple[str, str]:
    """The installed pipeline the suggesters try first by default (spaCy finds pipelines
    through the `spacy_models` entry points), and the folder it loads from."""
    installed = {entry.name: entry for entry in metadata.entry_points(group="spacy_models")}
    for name in FALLBACK_ORDER:
        entry = installed.get(name)
        if entry is None:
            continue
        version = entry.dist.version if entry.dist is not None else "unknown"
        spec = importlib.util.find_spec(name)
        location = str(Path(spec.origin).parent) if spec and spec.origin else ""
        return f"{name} {version}", location
    return "blank:en", ""


def _version_of(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()
