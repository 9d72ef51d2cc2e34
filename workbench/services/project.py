"""Opening and creating projects, and the demo project built from the sample documents."""

from __future__ import annotations

import getpass
import os
from contextlib import AbstractContextManager
from pathlib import Path

from workbench.core.codebook import Codebook
from workbench.core.errors import WorkbenchError
from workbench.core.progress import ProgressCallback, no_progress
from workbench.core.resources import seeds_dir
from workbench.services.codebooks import resolve_codebook
from workbench.storage import ProjectStore

PROJECT_SUFFIX = ".wbproj"
DEMO_NAME = "demo" + PROJECT_SUFFIX


def default_annotator() -> str:
    """The name new annotations carry when nobody said otherwise: the login name."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = ""
    return name or "annotator"


def create_project(path: Path, codebook: Codebook | str | Path | None = None) -> ProjectStore:
    if not isinstance(codebook, Codebook):
        codebook = resolve_codebook(codebook)
    return ProjectStore.create(Path(path), codebook)


def open_project(path: Path) -> ProjectStore:
    return ProjectStore.open(Path(path))


def all_or_nothing(store: ProjectStore) -> AbstractContextManager[ProjectStore]:
    """Several service calls that stand or fall together: one transaction around them."""
    return store.transaction()


def user_data_dir() -> Path:
    """The per-user folder for the demo project (never inside the source checkout)."""
    override = os.environ.get("WORKBENCH_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path("annotation-workbench", appauthor=False)


def demo_project_path() -> Path:
    return user_data_dir() / DEMO_NAME


def ensure_demo_project(progress: ProgressCallback = no_progress,
                        annotator: str | None = None) -> Path:
    """Create the demo project from the sample documents on first use; return its path.

    The worked examples belong to `annotator` (default: the login name), the name the
    window asks for on the first start, so they show as that annotator's own work.
    """
    # Every format's reader, needed only the first time: imported here, so the command
    # line (which opens projects through this module) starts quickly.
    from workbench.services.demo import add_demo_annotations
    from workbench.services.importing import import_paths

    path = demo_project_path()
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    with create_project(partial) as store:
        owner = annotator or default_annotator()
        report = import_paths(store, [seeds_dir()], annotator=owner, progress=progress)
        if report.failures:
            raise WorkbenchError("; ".join(str(f) for f in report.failures))
        # A few worked examples in all layers, so a newcomer sees annotated text at once.
        add_demo_annotations(store, owner)
    # Built aside and renamed, so an interrupted first run never leaves a half-made demo.
    partial.replace(path)
    return path
