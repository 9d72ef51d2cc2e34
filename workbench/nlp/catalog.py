"""The suggesters the workbench offers, by name (spaCy is imported only when one runs)."""

from __future__ import annotations

from workbench.nlp.attribution import ClaimSuggester
from workbench.nlp.devices import DeviceSuggester
from workbench.nlp.entities import ActorSuggester
from workbench.nlp.spancat import LearnedSuggester
from workbench.nlp.suggester import Suggester

SUGGESTERS: dict[str, type[Suggester]] = {
    ActorSuggester.name: ActorSuggester,
    ClaimSuggester.name: ClaimSuggester,
    DeviceSuggester.name: DeviceSuggester,
    LearnedSuggester.name: LearnedSuggester,
}


def suggester_names() -> list[str]:
    return list(SUGGESTERS)
