"""The suggesters the workbench offers, by name (spaCy is imported only when one runs)."""

from __future__ import annotations

from collections.abc import Sequence

from workbench.nlp.attribution import ClaimSuggester
from workbench.nlp.devices import DeviceSuggester
from workbench.nlp.entities import ActorSuggester
from workbench.nlp.spancat import LearnedSuggester
from workbench.nlp.suggester import ProjectInputs, Suggester

SUGGESTERS: dict[str, type[Suggester]] = {
    ActorSuggester.name: ActorSuggester,
    ClaimSuggester.name: ClaimSuggester,
    DeviceSuggester.name: DeviceSuggester,
    LearnedSuggester.name: LearnedSuggester,
}


def suggester_names() -> list[str]:
    return list(SUGGESTERS)


def build_suggesters(names: Sequence[str], inputs: ProjectInputs) -> list[Suggester]:
    """The suggesters of these names, each made with what it takes from the project."""
    return [SUGGESTERS[name].from_project(inputs) for name in names]
