"""Help > About: the version, what the workbench is built from (the spaCy pipeline, Qt,
SQLite, Python) and the licences of everything it bundles."""

from __future__ import annotations

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.services.about import AboutInfo, Component, about_info

QT_LICENCE = "LGPL-3.0-only"


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, info: AboutInfo | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AboutDialog")
        self.info = info or about_info()
        self.setWindowTitle("About Annotation Workbench")
        self.components = [Component("Qt", qVersion(), QT_LICENCE), *self.info.components]

        title = QLabel(f"<h2>Annotation Workbench {self.info.version}</h2>")
        title.setObjectName("AboutTitle")
        summary = QLabel(
            "Annotate claims, actors and rhetorical devices in news articles and reader "
            "comments; measure agreement; export to the formats other tools read.")
        summary.setWordWrap(True)
        self.versions = QLabel(self.versions_text())
        self.versions.setObjectName("AboutVersions")
        self.versions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.versions.setWordWrap(True)

        self.table = QTableWidget(len(self.components), 3)
        self.table.setObjectName("AboutComponents")
        self.table.setHorizontalHeaderLabels(["Component", "Version", "Licence"])
        for row, component in enumerate(self.components):
            for column, text in enumerate((component.name, component.version,
                                           component.licence)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("Copy Details", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(summary)
        layout.addWidget(self.versions)
        layout.addWidget(QLabel("Bundled components and their licences:"))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(640, 520)

    def versions_text(self) -> str:
        info = self.info
        kind = "stand-alone app" if info.frozen else "Python package"
        return (f"spaCy {info.spacy} with the pipeline {info.pipeline} · Qt {qVersion()} "
                f"(PySide6 {PySide6.__version__}) · SQLite {info.sqlite} · Python "
                f"{info.python} · {kind}")

    def details(self) -> str:
        """Everything shown, as plain text for a bug report."""
        lines = [f"Annotation Workbench {self.info.version}", self.versions_text(), ""]
        lines += [f"{c.name} {c.version}: {c.licence}" for c in self.components]
        return "\n".join(lines)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details())


def show_about(parent: QWidget | None = None) -> AboutDialog:
    dialog = AboutDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
