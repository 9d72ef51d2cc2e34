"""Where the files shipped with the workbench live: codebooks, icons, sample documents.

In a source checkout they are the top-level `resources/` and `seeds/` folders; an installed
package carries copies inside the package (`_resources`, `_seeds`).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent
_CHECKOUT = _PACKAGE.parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def resources_dir() -> Path:
    return _first_existing(_PACKAGE / "_resources", _CHECKOUT / "resources")


def seeds_dir() -> Path:
    return _first_existing(_PACKAGE / "_seeds", _CHECKOUT / "seeds")


def codebooks_dir() -> Path:
    return resources_dir() / "codebooks"


def icons_dir() -> Path:
    return resources_dir() / "icons"


def patterns_dir() -> Path:
    """Pattern lists for the suggesters (JSON Lines in spaCy's pattern format)."""
    return resources_dir() / "patterns"
