"""Colours that stay legible on the palette they are drawn on.

Contrast is WCAG 2.1's: the ratio of the relative luminances of two colours, (L1 + 0.05) /
(L2 + 0.05), from 1 (the same) to 21 (black on white). AA asks 4.5 for text and 3 for marks
that carry meaning (outlines, underlines, arrows; "non-text contrast"). `legible` moves a
colour's lightness, keeping its hue, just far enough to reach a ratio against a background:
a pale label colour still reads as itself, only darker on white or lighter on black.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

TEXT_CONTRAST = 4.5  # WCAG AA, normal text
MARK_CONTRAST = 3.0  # WCAG AA, graphical objects and user interface components

_DARK_TEXT, _LIGHT_TEXT = QColor("#111111"), QColor("#ffffff")


def _channel(value: float) -> float:
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def luminance(color: QColor | str) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""
    c = QColor(color)
    return (0.2126 * _channel(c.redF()) + 0.7152 * _channel(c.greenF())
            + 0.0722 * _channel(c.blueF()))


def contrast(a: QColor | str, b: QColor | str) -> float:
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def legible(color: QColor | str, background: QColor | str,
            minimum: float = TEXT_CONTRAST) -> QColor:
    """`color`, darkened or lightened (whichever is nearer and reaches `minimum` against
    `background`) as little as it takes; unchanged when it already stands out enough."""
    base = QColor(color)
    # A hair above the threshold, so other ways of rounding the same formula agree.
    minimum += 0.02
    if contrast(base, background) >= minimum:
        return base
    hue, saturation, lightness = base.hslHueF(), base.hslSaturationF(), base.lightnessF()
    towards_dark = luminance(background) > 0.18  # about where black and white tie
    best = QColor(_DARK_TEXT if towards_dark else _LIGHT_TEXT)
    low, high = (0.0, lightness) if towards_dark else (lightness, 1.0)
    for _ in range(24):  # bisect the lightness: the first that reaches the ratio
        middle = (low + high) / 2
        # Measured as painted: eight bits a channel.
        candidate = QColor(QColor.fromHslF(max(hue, 0.0), saturation, middle).name())
        if contrast(candidate, background) >= minimum:
            best = candidate
            if towards_dark:
                low = middle
            else:
                high = middle
        elif towards_dark:
            high = middle
        else:
            low = middle
    return best


def text_on(fill: QColor | str) -> QColor:
    """Near-black or white, whichever reads better on `fill`."""
    dark, light = contrast(_DARK_TEXT, fill), contrast(_LIGHT_TEXT, fill)
    return QColor(_DARK_TEXT if dark >= light else _LIGHT_TEXT)
