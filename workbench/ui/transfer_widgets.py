"""Pieces the Import and Export dialogs share: the format chooser, a checkable list, the
progress row with its cancel button, and the summary shown afterwards."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.progress import CancelToken
from workbench.formats.registry import Format

DETECT = ""  # the format choice "judge by extension and content"


class TransferDialog(QDialog):
    """What the Import and Export dialogs share while they run: the inputs are locked, the
    close button becomes Stop, and closing or Escape asks the running job to stop first."""

    STOPPING_TEXT = "Stopping…"
    # How often the worker reports progress, in seconds (None: the runner's default).
    progress_interval: float | None = None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cancel: CancelToken | None = None

    def _show_progress(self, done: int, total: int, what: str) -> None:
        self.progress.progress(done, total, what)

    @property
    def running(self) -> bool:
        return self._cancel is not None

    def _lay_out(self, form: QFormLayout, action: str) -> QPushButton:
        """Put the form above the progress row, the message and the buttons; return the
        action button (its click starts the job)."""
        self.progress = ProgressRow()
        self.progress.hide()
        self.message = message_label()
        button = QPushButton(action)
        button.setObjectName(f"{action}Button")
        button.setDefault(True)
        button.clicked.connect(self.start)
        self.close_button = QPushButton("Cancel")
        self.close_button.setObjectName("CancelButton")
        self.close_button.clicked.connect(self._on_cancel)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        return button

    def start(self) -> object:
        raise NotImplementedError

    def _inputs(self) -> Sequence[QWidget]:
        """The widgets locked while the job runs."""
        raise NotImplementedError

    def _update_buttons(self) -> None:
        raise NotImplementedError

    def _set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        for widget in self._inputs():
            widget.setEnabled(not running)
        self.close_button.setText("Stop" if running else "Cancel")
        self._update_buttons()

    def _on_cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.cancel()
            self.progress.label.setText(self.STOPPING_TEXT)
        else:
            self.reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._cancel is not None:
            self._cancel.cancel()
            event.ignore()
            return
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self._cancel is not None:
            self._on_cancel()
            return
        super().keyPressEvent(event)


class FormatChooser(QWidget):
    """A combo box of formats with what the chosen one carries and cannot carry."""

    changed = Signal()

    def __init__(self, formats: Sequence[Format], detect_text: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._formats = {fmt.name: fmt for fmt in formats}
        self.combo = QComboBox()
        self.combo.setObjectName("FormatCombo")
        if detect_text is not None:
            self.combo.addItem(detect_text, DETECT)
        for fmt in formats:
            self.combo.addItem(f"{fmt.title}  ({fmt.name})", fmt.name)
        # Read-only text with a fixed height: a word-wrapped label in a form does not get
        # its height right before the dialog is shown, and long descriptions got clipped.
        self.details = QPlainTextEdit()
        self.details.setObjectName("FormatDetails")
        self.details.setReadOnly(True)
        self.details.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        self.details.viewport().setAutoFillBackground(False)
        self.details.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.details.setFixedHeight(self.details.fontMetrics().lineSpacing() * 7 + 8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addWidget(self.details)
        self.combo.currentIndexChanged.connect(self._on_changed)
        self._on_changed()

    @property
    def format(self) -> Format | None:
        return self._formats.get(str(self.combo.currentData()))

    def select(self, name: str) -> None:
        index = self.combo.findData(name)
        if index >= 0:
            self.combo.setCurrentIndex(index)

    def _on_changed(self) -> None:
        fmt = self.format
        if fmt is None:
            self.details.setPlainText("Each file is read in the format its extension and "
                                      "content show; a folder of brat or SemEval files is read "
                                      "as a whole.")
        else:
            lines = [f"Carries: {', '.join(fmt.carried())}."]
            missing = fmt.not_carried()
            if missing:
                lines.append(f"Cannot carry: {missing}.")
            lines.append(fmt.description)
            self.details.setPlainText("\n".join(line for line in lines if line))
        self.changed.emit()


class FormatOptions(QWidget):
    """The choices the chosen format offers (Format.options), as check boxes and lists;
    empty and hidden for formats that offer none."""

    def __init__(self, exporting: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FormatOptions")
        self._exporting = exporting
        self._widgets: dict[str, QCheckBox | QComboBox] = {}
        self._layout = QFormLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def show_format(self, fmt: Format | None) -> None:
        while self._layout.rowCount():
            self._layout.removeRow(0)
        self._widgets.clear()
        offered = () if fmt is None else (
            fmt.export_options() if self._exporting else fmt.import_options())
        for option in offered:
            widget: QCheckBox | QComboBox
            if option.choices:
                widget = QComboBox()
                for choice in option.choices:
                    widget.addItem(choice, choice)
                self._layout.addRow(f"{option.title}:", widget)
            else:
                widget = QCheckBox(option.title)
                self._layout.addRow(widget)
            widget.setObjectName(f"Option:{option.key}")
            widget.setToolTip(option.help)
            self._widgets[option.key] = widget
        self.setVisible(bool(offered))

    def values(self) -> dict[str, object]:
        """What differs from the defaults, for ReadOptions/WriteOptions.extra."""
        chosen: dict[str, object] = {}
        for key, widget in self._widgets.items():
            if isinstance(widget, QCheckBox):
                if widget.isChecked():
                    chosen[key] = True
            elif widget.currentIndex() > 0:
                chosen[key] = widget.currentData()
        return chosen


class CheckList(QListWidget):
    """Names with check boxes; all are checked at first."""

    def __init__(self, names: Iterable[str], object_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        for name in names:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.addItem(item)
        rows = max(min(self.count(), 8), 2)
        self.setMaximumHeight(self.sizeHintForRow(0) * rows + 2 * self.frameWidth() + 4)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), self.maximumHeight())

    def checked(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]

    def set_checked(self, names: Iterable[str]) -> None:
        wanted = set(names)
        for i in range(self.count()):
            item = self.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.text() in wanted
                               else Qt.CheckState.Unchecked)

    def selection(self) -> list[str] | None:
        """The checked names, or None when all are checked (meaning: no restriction)."""
        checked = self.checked()
        return None if len(checked) == self.count() else checked


class ProgressRow(QWidget):
    """A progress bar with a label, fed by a service's progress callback (which the worker
    running the import or export relays to the window's thread, see transfer_runner)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setObjectName("TransferProgress")
        self.bar.setTextVisible(True)
        self.label = QLabel()
        self.label.setObjectName("TransferProgressLabel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        self._shown_at = 0.0

    def start(self, text: str) -> None:
        self.label.setText(text)
        self.bar.setRange(0, 0)
        self.bar.setValue(0)
        self._shown_at = 0.0
        QApplication.processEvents()

    def progress(self, done: int, total: int, what: str) -> None:
        now = time.monotonic()
        if now - self._shown_at < 0.05 and done < total:
            return
        self._shown_at = now
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        self.label.setText(what if len(what) < 80 else f"{what[:77]}…")


def message_label() -> QLabel:
    """A line under the form for what went wrong or was stopped (hidden until needed)."""
    label = QLabel()
    label.setObjectName("TransferMessage")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def show_message(label: QLabel, text: str, error: bool = False) -> None:
    label.setText(text)
    label.setStyleSheet("color: #b00020;" if error else "")
    label.show()


class SummaryDialog(QDialog):
    """What an import or export did: counts, what the format could not carry, warnings."""

    def __init__(self, title: str, headline: str, counts: Sequence[tuple[str, object]],
                 sections: Sequence[tuple[str, Sequence[str]]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TransferSummary")
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        heading = QLabel(headline)
        heading.setObjectName("SummaryHeadline")
        heading.setWordWrap(True)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        form = QFormLayout()
        for name, value in counts:
            number = QLabel(str(value))
            number.setObjectName(f"Count:{name}")
            form.addRow(f"{name}:", number)
        layout.addLayout(form)
        self.sections: dict[str, QPlainTextEdit] = {}
        for name, lines in sections:
            if not lines:
                continue
            layout.addWidget(QLabel(f"{name} ({len(lines)}):"))
            box = QPlainTextEdit("\n".join(lines))
            box.setObjectName(f"Section:{name}")
            box.setReadOnly(True)
            box.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
            box.setMaximumHeight(box.fontMetrics().lineSpacing() * min(len(lines) + 2, 10))
            layout.addWidget(box)
            self.sections[name] = box
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(buttons)
        layout.addLayout(row)
        self.resize(560, self.sizeHint().height())
