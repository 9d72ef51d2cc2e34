"""The codebooks shipped in `resources/codebooks`, found by name or by file path."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.codebook import Codebook, Label, load_codebook_file
from workbench.core.errors import CodebookError
from workbench.core.resources import codebooks_dir

if TYPE_CHECKING:
    from workbench.storage import ProjectStore

DEFAULT_CODEBOOK = "news-rhetoric"


def shipped_codebooks() -> dict[str, Path]:
    """Name (file stem) to path of every codebook that comes with the workbench."""
    folder = codebooks_dir()
    files = sorted([*folder.glob("*.json"), *folder.glob("*.toml")])
    return {path.stem: path for path in files}


def resolve_codebook(name_or_path: str | Path | None) -> Codebook:
    """A shipped codebook by name (`news-rhetoric`), or any codebook file by path."""
    if name_or_path is None:
        name_or_path = DEFAULT_CODEBOOK
    shipped = shipped_codebooks()
    if isinstance(name_or_path, str) and name_or_path in shipped:
        return load_codebook_file(shipped[name_or_path])
    path = Path(name_or_path)
    if path.is_file():
        return load_codebook_file(path)
    names = ", ".join(shipped) or "none"
    raise CodebookError(
        f"no codebook {str(name_or_path)!r}: give a codebook file or one of: {names}"
    )


# --- editing the codebook of a project -------------------------------------------------------


def add_label(store: ProjectStore, layer: str, label: Label) -> None:
    """A new label in a layer of the project's codebook."""
    store.codebook.add_label(layer, label)


def update_label(store: ProjectStore, layer: str, label: str, **changes: Any) -> Label:
    """Rename a label or change its colour, key or description (spans keep it)."""
    return store.codebook.update_label(layer, label, **changes)


def delete_label(store: ProjectStore, layer: str, label: str) -> None:
    """Remove a label nothing uses yet."""
    store.codebook.delete_label(layer, label)
