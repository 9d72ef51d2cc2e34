"""The suggesters the workbench offers, by name (spaCy is imported only when one runs)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.nlp.suggester import ProjectInputs, Suggester

    SUGGESTERS: dict[str, type[Suggester]]

# The names alone, so the command line can offer them without importing the suggesters.
_NAMES = ("actors", "claims", "devices", "learned")


def suggester_names() -> list[str]:
    return list(_NAMES)


@cache
def _suggesters() -> dict[str, type[Suggester]]:
    from workbench.nlp.attribution import ClaimSuggester
    from workbench.nlp.devices import DeviceSuggester
    from workbench.nlp.entities import ActorSuggester
    from workbench.nlp.spancat import LearnedSuggester

    classes = (ActorSuggester, ClaimSuggester, DeviceSuggester, LearnedSuggester)
    return {cls.name: cls for cls in classes}


def __getattr__(name: str) -> Any:
    # `SUGGESTERS`, the classes by name, imported when first asked for.
    if name == "SUGGESTERS":
        return _suggesters()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def build_suggesters(names: Sequence[str], inputs: ProjectInputs) -> list[Suggester]:
    """The suggesters of these names, each made with what it takes from the project."""
    return [_suggesters()[name].from_project(inputs) for name in names]
