"""Actors from named entities: people, organisations, countries and groups.

Entities come from the pipeline's recogniser and from a list of known actors (a pattern
file whose labels are entity types such as PERSON or ORG), so even the blank pipeline can
suggest the actors a project cares about. Suggestions land on the label for actors whose
role is not decided yet, with the entity type as an attribute.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from workbench.core.codebook import Codebook
from workbench.core.suggestions import DocumentProposals, SpanProposal
from workbench.nlp.patterns import CompiledPatterns, PatternSet
from workbench.nlp.suggester import (
    ProjectInputs,
    Suggester,
    SuggesterUnavailable,
    doc_text,
    require_span_label,
    trimmed_offsets,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from workbench.nlp.pipelines import LoadedPipeline

# spaCy's entity labels (OntoNotes) and the entity_type options of the Actors layer.
ENTITY_TYPES = {
    "PERSON": "Person",
    "ORG": "Organisation",
    "GPE": "Country or place",
    "LOC": "Country or place",
    "NORP": "Group",
}
ENTITY_TYPE_ATTRIBUTE = "entity_type"


def entity_type_options(codebook: Codebook, layer: str) -> frozenset[str]:
    """The entity types the layer's `entity_type` attribute offers (none without one)."""
    for attribute in codebook.layer(layer).attributes:
        if attribute.name == ENTITY_TYPE_ATTRIBUTE:
            return frozenset(attribute.options)
    return frozenset()


def entity_type_attributes(entity_label: str | None, options: frozenset[str]
                           ) -> dict[str, Any]:
    """The `entity_type` attribute for a spaCy entity label, when the layer offers its type."""
    entity_type = ENTITY_TYPES.get(entity_label or "")
    return {ENTITY_TYPE_ATTRIBUTE: entity_type} if entity_type in options else {}


class ActorSuggester(Suggester):
    name = "actors"
    title = "Actors from named entities"
    description = ("People, organisations, countries and groups the pipeline recognises "
                   "(or the known-actors list names), as actors whose role is not decided.")

    def __init__(self, known_actors: PatternSet | None = None, layer: str = "Actors",
                 label: str = "Actor") -> None:
        self.layer = layer
        self.label = label
        self.known_actors = known_actors
        self._known: CompiledPatterns | None = None
        self._type_options: frozenset[str] = frozenset()

    @classmethod
    def from_project(cls, inputs: ProjectInputs) -> Self:
        return cls(known_actors=inputs.known_actors())

    def prepare(self, pipeline: LoadedPipeline, codebook: Codebook) -> list[str]:
        require_span_label(codebook, self.layer, self.label)
        notes: list[str] = []
        if self.known_actors is not None and self.known_actors.entries:
            unknown = sorted({e.label for e in self.known_actors.entries} - set(ENTITY_TYPES))
            if unknown:
                notes.append(f"{self.name}: known actors with unknown entity types "
                             f"{unknown} are suggested without a type")
            # Names are matched as written: "US" is a country, "us" is not.
            self._known = CompiledPatterns(pipeline.nlp, self.known_actors.entries,
                                           phrase_attr="ORTH")
        if not pipeline.has_entities and self._known is None:
            raise SuggesterUnavailable(
                f"pipeline {pipeline.info.name} recognises no entities and the "
                "project lists no known actors"
            )
        if not pipeline.has_entities:
            notes.append(f"{self.name}: pipeline {pipeline.info.name} recognises no entities; "
                         "only known actors are suggested")
        self._type_options = entity_type_options(codebook, self.layer)
        return notes

    def propose(self, doc: Doc, proposals: DocumentProposals) -> None:
        taken: list[tuple[int, int]] = []
        for ent in doc.ents:
            if ent.label_ not in ENTITY_TYPES or _is_adjective_group(ent):
                continue
            offsets = actor_offsets(ent)
            if offsets is not None:
                taken.append(offsets)
                self._add(proposals, offsets, ent.label_, f"named entity ({ent.label_})")
        if self._known is None:
            return
        for match in self._known.find(doc):
            offsets = actor_offsets(doc[match.start:match.end])
            if offsets is None or any(offsets[0] < e and s < offsets[1] for s, e in taken):
                continue
            self._add(proposals, offsets, match.entry.label,
                      f"known actor {match.entry.describe()}")

    def _add(self, proposals: DocumentProposals, offsets: tuple[int, int], entity_label: str,
             reason: str) -> None:
        proposals.add_span(SpanProposal(
            self.layer, self.label, offsets[0], offsets[1],
            entity_type_attributes(entity_label, self._type_options), reason=reason))


def actor_offsets(span: Span) -> tuple[int, int] | None:
    """Offsets of an actor mention as an annotator would mark it, or None to skip it.

    Drops a leading article and a trailing possessive, trims punctuation, and refuses
    mentions across a line break or not starting with a capital (recogniser noise).
    """
    tokens = list(span)
    while tokens and tokens[0].lower_ in {"the", "a", "an"}:
        tokens = tokens[1:]
    while tokens and tokens[-1].lower_ in {"'s", "’s", "'", "’"}:
        tokens = tokens[:-1]
    if not tokens:
        return None
    text = doc_text(span.doc)
    offsets = trimmed_offsets(text, tokens[0].idx, tokens[-1].idx + len(tokens[-1].text))
    if offsets is None:
        return None
    mention = text[offsets[0]:offsets[1]]
    if "\n" in mention or "\r" in mention or len(mention) < 2 or not mention[0].isupper():
        return None
    return offsets


def _is_adjective_group(ent: Span) -> bool:
    # "Russian" in "the Russian army" names no actor; "Russians" does.
    return ent.label_ == "NORP" and ent.root.pos_ == "ADJ"
