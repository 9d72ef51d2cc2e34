"""The window's team commands: File > Merge Projects… and the Team menu.

Installed by one call from the window's menus; each command opens a window or dialog of its
own module, made on first use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

TEAM_VIEWS = ("agreement", "curate", "merge")


def install_team_menus(window: Any, file_menu: QMenu, before: QMenu) -> None:
    """Add Merge Projects… to `file_menu` (after Export…) and a Team menu before `before`."""
    merge = QAction("Merge Projects…", window)
    merge.setObjectName("merge_projects")
    merge.setStatusTip("Bring other annotators' project files into this project")
    merge.triggered.connect(lambda: open_team_view(window, "merge"))
    export = window.actions_by_id.get("export")
    actions = file_menu.actions()
    following = actions[actions.index(export) + 1] if export in actions and \
        actions.index(export) + 1 < len(actions) else None
    file_menu.insertAction(following, merge) if following else file_menu.addAction(merge)

    team = QMenu("&Team", window)
    team.setObjectName("TeamMenu")
    agreement = team.addAction("Agreement…")
    agreement.setObjectName("agreement")
    agreement.setStatusTip("How far the annotators agree, and where they do not")
    agreement.triggered.connect(lambda: open_team_view(window, "agreement"))
    curate = team.addAction("Curate…")
    curate.setObjectName("curate")
    curate.setStatusTip("Settle the open document's disagreements into the curated version")
    curate.triggered.connect(lambda: open_team_view(window, "curate"))
    window.menuBar().insertMenu(before.menuAction(), team)


def open_team_view(window: Any, view: str) -> Any:
    """Open (or bring forward) one of the team views of `window`; returns its widget."""
    if view == "merge":
        from workbench.ui.merge_dialog import open_merge_dialog

        return open_merge_dialog(window)
    if view == "agreement":
        from workbench.ui.agreement_window import AgreementWindow

        current = getattr(window, "_agreement_window", None)
        if current is None or current.store_path != window.store.path:
            current = AgreementWindow(window, window)
            window._agreement_window = current
        current.show()
        current.raise_()
        return current
    if view == "curate":
        from workbench.ui.curation_window import CurationWindow

        curating = getattr(window, "_curation_window", None)
        if curating is None or curating.project is not window.store:
            curating = CurationWindow(window, parent=window)
            window._curation_window = curating
        curating.show()
        curating.raise_()
        return curating
    raise ValueError(f"unknown team view {view!r}; choose from {', '.join(TEAM_VIEWS)}")


def save_view_screenshot(window: Any, view: str, path: Path, size: tuple[int, int]) -> bool:
    """Open a team view, let it compute, and render it to a PNG file."""
    from PySide6.QtWidgets import QApplication

    widget = open_team_view(window, view)
    if widget is None:
        return False
    widget.resize(*size)
    if view == "agreement":
        widget.compute()
        widget.wait()
        layers = widget.report.data["layers"] if widget.report is not None else {}
        span_layers = [name for name, figures in layers.items() if figures["kind"] == "span"]
        if span_layers:  # the span layer with the lowest alpha_U, and what lies behind it
            worst = min(span_layers, key=lambda name: layers[name]["alpha_u"] or 2.0)
            widget.show_row(worst)
    if view == "curate":
        widget.step(1)
    for _ in range(5):
        QApplication.processEvents()
    return bool(widget.grab().save(str(path)))
