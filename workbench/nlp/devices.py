"""Rhetorical devices from pattern lists: loaded words, "what about", "so-called" and more.

The shipped list (resources/patterns/rhetorical-devices.jsonl) is a starting point; a
project can load its own list. Patterns whose label the codebook lacks are left out and
reported, never silently dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from workbench.core.codebook import Codebook, LayerKind
from workbench.core.resources import patterns_dir
from workbench.core.suggestions import DocumentProposals, SpanProposal
from workbench.nlp.patterns import CompiledPatterns, PatternEntry, PatternSet, read_pattern_file
from workbench.nlp.suggester import (
    ProjectInputs,
    Suggester,
    SuggesterUnavailable,
    span_offsets,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from workbench.nlp.pipelines import LoadedPipeline

DEFAULT_LAYER = "Rhetorical devices"


def shipped_device_patterns() -> PatternSet:
    return read_pattern_file(patterns_dir() / "rhetorical-devices.jsonl")


class DeviceSuggester(Suggester):
    name = "devices"
    title = "Rhetorical devices from patterns"
    description = ("Phrases and token patterns per persuasion technique (an editable list), "
                   "matched with spaCy's PhraseMatcher and Matcher.")

    def __init__(self, patterns: PatternSet | None = None,
                 default_layer: str = DEFAULT_LAYER) -> None:
        self.patterns = patterns if patterns is not None else shipped_device_patterns()
        self.default_layer = default_layer
        self._compiled: CompiledPatterns | None = None

    @classmethod
    def from_project(cls, inputs: ProjectInputs) -> Self:
        return cls(inputs.device_patterns())

    @property
    def needs_analysis(self) -> bool:  # type: ignore[override]  # a class flag elsewhere
        return self.patterns.uses_analysis()

    def prepare(self, pipeline: LoadedPipeline, codebook: Codebook) -> list[str]:
        usable: list[PatternEntry] = []
        missing: set[str] = set()
        for entry in self.patterns.entries:
            layer = entry.layer or self.default_layer
            if (codebook.has_layer(layer) and codebook.layer(layer).kind is LayerKind.SPAN
                    and codebook.layer(layer).has_label(entry.label)
                    and codebook.layer(layer).label(entry.label).selectable):
                usable.append(entry)
            else:
                missing.add(f"{layer}/{entry.label}")
        if not usable:
            raise SuggesterUnavailable(
                f"none of the {len(self.patterns.entries)} patterns in "
                f"{self.patterns.source} has a label of the codebook"
            )
        notes = []
        if missing:
            notes.append(f"{self.name}: patterns for labels the codebook lacks were left out: "
                         + ", ".join(sorted(missing)))
        if self.patterns.uses_analysis() and not pipeline.has_lemmas:
            notes.append(f"{self.name}: some patterns use lemmas or tags, which pipeline "
                         f"{pipeline.info.name} does not provide; those will not match")
        self._compiled = CompiledPatterns(pipeline.nlp, usable)
        return notes

    def propose(self, doc: Doc, proposals: DocumentProposals) -> None:
        if self._compiled is None:
            raise RuntimeError("prepare() must run before propose()")
        for match in self._compiled.find(doc):
            offsets = span_offsets(doc[match.start:match.end])
            if offsets is None:
                continue
            entry = match.entry
            proposals.add_span(SpanProposal(
                entry.layer or self.default_layer, entry.label, offsets[0], offsets[1],
                reason=f"pattern {entry.describe()} (line {entry.line})",
            ))
