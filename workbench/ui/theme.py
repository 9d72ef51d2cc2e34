"""Light and dark palettes; by default the window follows the system's colour scheme."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("system", "light", "dark")


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def dark_palette() -> QPalette:
    palette = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    colors = {
        role.Window: "#2b2d30", role.WindowText: "#e6e6e6", role.Base: "#1f2023",
        role.AlternateBase: "#2a2b2f", role.ToolTipBase: "#3a3d41", role.ToolTipText: "#f0f0f0",
        role.Text: "#e6e6e6", role.Button: "#35373b", role.ButtonText: "#e6e6e6",
        role.BrightText: "#ff6b6b", role.Link: "#6cb6ff", role.Highlight: "#3d6fb6",
        role.HighlightedText: "#ffffff", role.PlaceholderText: "#8a8d91",
    }
    for color_role, value in colors.items():
        palette.setColor(color_role, QColor(value))
    for color_role in (role.Text, role.WindowText, role.ButtonText):
        palette.setColor(group.Disabled, color_role, QColor("#7a7d81"))
    return palette


_original_style: str | None = None


def apply_theme(app: QApplication, theme: str) -> bool:
    """Apply "system", "light" or "dark"; returns True when the result is dark."""
    global _original_style
    if _original_style is None:
        _original_style = app.style().name()
    dark = system_is_dark() if theme == "system" else theme == "dark"
    if theme != "dark" and app.style().name() != _original_style:
        app.setStyle(_original_style)  # Fusion was only for the forced dark palette
    if theme == "system":
        # Hand the decision back to the platform (and its own dark palette, if any).
        app.setPalette(QPalette())
        if dark and app.palette().color(QPalette.ColorRole.Window).lightness() > 128:
            app.setPalette(dark_palette())  # the platform says dark but paints light
    elif dark:
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    else:
        app.setPalette(app.style().standardPalette())
    return dark
