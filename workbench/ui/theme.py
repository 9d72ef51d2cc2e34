"""Light and dark palettes; by default the window follows the system's colour scheme.

Whichever palette is in force, its secondary text (placeholders, the inspector's facts line)
and links are made to reach WCAG AA against the backgrounds they sit on, and check boxes
drawn by Qt's Fusion style get an outline that stands out (3:1) from the field behind them;
tests/test_legibility.py measures both palettes.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QWidget,
)

from workbench.ui.legibility import MARK_CONTRAST, TEXT_CONTRAST, contrast, legible

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
        role.HighlightedText: "#ffffff", role.PlaceholderText: "#a3a6ab",
    }
    for color_role, value in colors.items():
        palette.setColor(color_role, QColor(value))
    for color_role in (role.Text, role.WindowText, role.ButtonText):
        palette.setColor(group.Disabled, color_role, QColor("#7a7d81"))
    return palette


def legible_palette(palette: QPalette) -> QPalette:
    """The palette with its placeholder text and links readable (WCAG AA) on both the
    window and the fields; a platform's half-transparent placeholder becomes opaque."""
    role = QPalette.ColorRole
    fixed = QPalette(palette)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        window, base = palette.color(group, role.Window), palette.color(group, role.Base)
        # The background against which the colour reads worst decides.
        for color_role in (role.PlaceholderText, role.Link):
            color = _over(palette.color(group, color_role), base)
            worst = window if contrast(color, window) < contrast(color, base) else base
            fixed.setColor(group, color_role, legible(color, worst, TEXT_CONTRAST))
        # Selected text: the highlight darkens (or lightens) under its text colour.
        fixed.setColor(group, role.Highlight, legible(
            palette.color(group, role.Highlight), palette.color(group, role.HighlightedText),
            TEXT_CONTRAST))
    return fixed


def _over(color: QColor, background: QColor) -> QColor:
    """A half-transparent colour as it shows on `background`."""
    alpha = color.alphaF()
    if alpha >= 1.0:
        return QColor(color)
    return QColor.fromRgbF(*(alpha * getattr(color, c)() + (1 - alpha) * getattr(background, c)()
                             for c in ("redF", "greenF", "blueF")))


class LegibleIndicators(QProxyStyle):
    """Fusion, with check box and radio outlines that stand out from the field (Fusion
    draws them a shade darker than the window, nearly invisible on a dark list)."""

    _INDICATORS = (QStyle.PrimitiveElement.PE_IndicatorCheckBox,
                   QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck,
                   QStyle.PrimitiveElement.PE_IndicatorRadioButton)

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,
                      painter: QPainter, widget: QWidget | None = None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element not in self._INDICATORS:
            return
        palette = option.palette
        rect = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
        side = min(rect.width(), rect.height())
        rect = QRectF(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side)
        outline = _indicator_outline(palette.color(QPalette.ColorRole.Mid).rgba(),
                                     palette.color(QPalette.ColorRole.Base).rgba(),
                                     palette.color(QPalette.ColorRole.Window).rgba())
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(outline, 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if element is QStyle.PrimitiveElement.PE_IndicatorRadioButton:
            painter.drawEllipse(rect)
        else:
            painter.drawRoundedRect(rect, 2, 2)
        painter.restore()


@lru_cache(maxsize=64)
def _indicator_outline(mid: int, base: int, window: int) -> QColor:
    """The outline of a check box or radio button: Mid made legible against the field
    inside and the window around (a check box outside a list). Found once per palette: a
    list of check boxes paints dozens at a time."""
    outline = QColor.fromRgba(mid)
    for behind in (base, window):
        outline = legible(outline, QColor.fromRgba(behind), MARK_CONTRAST)
    return outline


_original_style: str | None = None


def _use_style(app: QApplication, name: str) -> None:
    """Switch to the style `name`; Fusion comes with legible indicators."""
    if name.lower() == "fusion":
        if not isinstance(app.style(), LegibleIndicators):
            app.setStyle(LegibleIndicators(QStyleFactory.create("Fusion")))
    elif _style_name(app) != name.lower():
        app.setStyle(name)


def _style_name(app: QApplication) -> str:
    style = app.style()
    if isinstance(style, QProxyStyle):
        base = style.baseStyle()
        return base.name().lower() if base is not None else ""
    return style.name().lower()


def apply_theme(app: QApplication, theme: str) -> bool:
    """Apply "system", "light" or "dark"; returns True when the result is dark."""
    global _original_style
    if _original_style is None:
        _original_style = _style_name(app)
    dark = system_is_dark() if theme == "system" else theme == "dark"
    if theme == "dark":
        _use_style(app, "fusion")
    else:
        _use_style(app, _original_style)  # Fusion was only for the forced dark palette
    if theme == "system":
        # Hand the decision back to the platform (and its own dark palette, if any).
        palette = QPalette()
        if dark and palette.color(QPalette.ColorRole.Window).lightness() > 128:
            palette = dark_palette()  # the platform says dark but paints light
    elif dark:
        palette = dark_palette()
    else:
        palette = app.style().standardPalette()
    app.setPalette(legible_palette(palette))
    return dark
