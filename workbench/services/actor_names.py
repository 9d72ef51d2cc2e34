"""Actors by name: one actor however often and by whomever it is tagged, and aliases a
researcher merges by hand ("Putin", "Vladimir Putin", "the Kremlin leader").

A name is normalised (case, spacing, a leading "the", a trailing possessive); merged
aliases are kept in the project's settings, so the attribution graph and the statistics
of every annotator see the same actors.
"""

from __future__ import annotations

import re
import unicodedata

from workbench.core.errors import WorkbenchError
from workbench.storage import ProjectStore

ALIASES_SETTING = "attribution.aliases"
_EDGE_PUNCTUATION = "\"'“”‘’«»()[]{}.,;:!?-–—"
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


def normalise_name(text: str) -> str:
    """The form names are compared in: "The  West’s" and "the west" are the same actor."""
    name = unicodedata.normalize("NFKC", " ".join(text.split())).strip(_EDGE_PUNCTUATION)
    name = _POSSESSIVE.sub("", name).strip(_EDGE_PUNCTUATION).casefold()
    if name.startswith("the "):
        name = name[4:]
    return name.strip()


class ActorAliases:
    """Normalised name -> the name it was merged into (itself normalised)."""

    def __init__(self, store: ProjectStore) -> None:
        self._store = store
        raw = store.settings.get(ALIASES_SETTING, {}) or {}
        self.merged: dict[str, str] = {str(k): str(v) for k, v in dict(raw).items()}

    def canonical(self, name: str) -> str:
        key = normalise_name(name)
        seen = set()
        while key in self.merged and key not in seen:
            seen.add(key)
            key = self.merged[key]
        return key

    def merge(self, names: list[str], into: str) -> None:
        """Make every one of `names` the same actor as `into` (saved at once)."""
        target = self.canonical(into)
        if not target:
            raise WorkbenchError("an actor needs a name")
        for name in names:
            key = normalise_name(name)
            if key and self.canonical(key) != target:
                self.merged[self.canonical(key)] = target
                self.merged[key] = target
        self._save()

    def unmerge(self, name: str) -> None:
        """Make `name` an actor of its own again (and undo merges into it)."""
        key = normalise_name(name)
        self.merged = {alias: to for alias, to in self.merged.items()
                       if alias != key and to != key}
        self._save()

    def _save(self) -> None:
        self._store.settings.set(ALIASES_SETTING, dict(sorted(self.merged.items())))
