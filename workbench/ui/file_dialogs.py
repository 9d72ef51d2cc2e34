"""The window's file dialogs and what they remember between runs (QSettings): the folder
each kind of file was last taken from or written to, the export's format and annotators;
and the file filters the open dialogs offer, one per format.

A folder that no longer exists is forgotten; with nothing remembered, dialogs start in the
open project's folder, else the home folder, never the program's working directory. The
dialogs are opened window-modal and answer through a callback (`ask`), so the window keeps
painting; the platform's own dialog is used where there is one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QWidget

from workbench.formats.registry import Format, all_formats
from workbench.ui.session_memory import project_key

PROJECTS, IMPORT, EXPORT = "projects", "import", "export"


def last_folder(purpose: str, fallback: Path | None = None) -> str:
    """Where a file dialog for `purpose` starts."""
    stored = QSettings().value(f"folders/{purpose}")
    if isinstance(stored, str) and stored and Path(stored).is_dir():
        return stored
    if fallback is not None and fallback.is_dir():
        return str(fallback)
    return str(Path.home())


def remember_folder(purpose: str, chosen: str | Path) -> None:
    """Remember the folder of a chosen file (or the folder itself)."""
    path = Path(chosen).expanduser()
    folder = path if path.is_dir() else path.parent
    QSettings().setValue(f"folders/{purpose}", str(folder))


def remembered_export(project: Path | None) -> tuple[str | None, list[str] | None]:
    """The format of the last export, and the annotators of the last export of this project
    (None: not known)."""
    settings = QSettings()
    fmt = settings.value("export/format")
    key = project_key(project)
    annotators = settings.value(f"{key}/export-annotators") if key else None
    names = [name for name in str(annotators).split("\n") if name] if isinstance(
        annotators, str) else None
    return (fmt if isinstance(fmt, str) and fmt else None), names


def remember_export(project: Path | None, fmt: str, annotators: Iterable[str] | None,
                    target: Path) -> None:
    """After an export: its format and folder, and (per project: names differ from one to
    the next) its annotators (None: everybody)."""
    settings = QSettings()
    settings.setValue("export/format", fmt)
    key = project_key(project)
    if key and annotators is None:
        settings.remove(f"{key}/export-annotators")
    elif key and annotators is not None:
        settings.setValue(f"{key}/export-annotators", "\n".join(annotators))
    QSettings().setValue(f"folders/{EXPORT}", str(Path(target).expanduser().parent))


def import_filters(formats: Iterable[Format] | None = None) -> str:
    """A file dialog's filter list: every readable file, then one entry per format that
    imports files by extension, then all files."""
    chosen = [fmt for fmt in (formats if formats is not None else all_formats().values())
              if fmt.can_import and fmt.extensions]
    every = sorted({f"*{ext}" for fmt in chosen for ext in fmt.extensions})
    entries = [f"Everything the workbench reads ({' '.join(every)})"]
    entries += [f"{fmt.title} — {fmt.name} ({' '.join(f'*{ext}' for ext in fmt.extensions)})"
                for fmt in chosen]
    entries.append("All files (*)")
    return ";;".join(entries)


def ask(parent: QWidget, caption: str, purpose: str, then: Callable[[list[Path]], object],
        *, filters: str = "", fallback: Path | None = None,
        mode: QFileDialog.FileMode = QFileDialog.FileMode.ExistingFiles,
        save: bool = False, suggested: str = "") -> QFileDialog:
    """Open a file dialog starting where `purpose` was last used; `then` gets the chosen
    paths (not called when cancelled), and the folder is remembered."""
    dialog = QFileDialog(parent, caption, last_folder(purpose, fallback), filters)
    dialog.setObjectName(f"FileDialog:{purpose}")
    dialog.setFileMode(mode)
    if mode is QFileDialog.FileMode.Directory:
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    if suggested:
        dialog.selectFile(suggested)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    # It lives as long as its parent (an Import or Export dialog, itself short-lived):
    # deleting it earlier, while the parent may go too, crashes PySide6 6.11.

    def chosen(names: list[str]) -> None:
        if names:
            remember_folder(purpose, names[0])
            then([Path(name) for name in names])

    dialog.filesSelected.connect(chosen)
    dialog.open()
    return dialog
