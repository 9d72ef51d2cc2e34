"""Label keys: which key tags with, links with or toggles which label of the codebook."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QKeySequence

from workbench.core.codebook import Codebook, LayerKind


@dataclass(frozen=True, slots=True)
class Hotkey:
    kind: LayerKind
    layer: str
    label: str


def normalized_key(hotkey: str) -> str:
    """A key as the document view reports it ("Shift+A", not "shift+a")."""
    return QKeySequence(hotkey).toString()


def hotkeys_of(codebook: Codebook) -> dict[str, Hotkey]:
    """Every selectable label that has a key, by the key as the view reports it."""
    return {
        normalized_key(label.hotkey): Hotkey(layer.kind, layer.name, label.name)
        for layer, label in codebook.iter_labels() if label.hotkey and label.selectable
    }
