"""What every suggester shares, and helpers for turning spaCy spans into clean proposals."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Self

from workbench.core.codebook import Codebook, LayerKind
from workbench.core.errors import WorkbenchError
from workbench.core.suggestions import DocumentProposals, PipelineInfo

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from workbench.nlp.patterns import PatternSet
    from workbench.nlp.pipelines import LoadedPipeline

# Characters trimmed from the edges of a proposed span: a suggestion should start and end
# on a word, the way an annotator would select it.
EDGE_PUNCTUATION = " \t\r\n\u00a0,;:.!?\"'“”‘’«»„‚()[]{}…–—-•*"


class SuggesterUnavailable(WorkbenchError):
    """A suggester cannot run on this project or pipeline (the message says why)."""


@dataclass(frozen=True)
class ProjectInputs:
    """What suggesters take from a project; each is read only by a suggester that uses it."""

    known_actors: Callable[[], PatternSet]
    device_patterns: Callable[[], PatternSet]
    # (name, bytes) of every model trained in the project
    models: Callable[[], Sequence[tuple[str, bytes]]]


class Suggester(ABC):
    name: ClassVar[str]
    title: ClassVar[str]
    description: ClassVar[str]
    # False when tokens and sentences are enough: the run can then skip the tagger, the NER
    # and, where a sentencizer or senter splits sentences, the parser.
    needs_analysis: ClassVar[bool] = True

    @classmethod
    def from_project(cls, inputs: ProjectInputs) -> Self:
        """The suggester as a project configures it (by default it takes nothing)."""
        return cls()

    def prepare(self, pipeline: LoadedPipeline, codebook: Codebook) -> list[str]:
        """Check the codebook and pipeline before a run; return notes worth showing.

        Raise `SuggesterUnavailable` when nothing useful can come out.
        """
        return []

    def pipeline_info(self, base: PipelineInfo) -> PipelineInfo:
        """What to record as the producer of this suggester's suggestions."""
        return base

    @abstractmethod
    def propose(self, doc: Doc, proposals: DocumentProposals) -> None:
        """Add this suggester's proposals for one processed document."""


def require_span_label(codebook: Codebook, layer: str, label: str) -> None:
    if not codebook.has_layer(layer) or codebook.layer(layer).kind is not LayerKind.SPAN:
        raise SuggesterUnavailable(f"the codebook has no span layer {layer!r}")
    if not codebook.layer(layer).has_label(label):
        raise SuggesterUnavailable(f"layer {layer!r} has no label {label!r}")


def has_relation_label(codebook: Codebook, layer: str, label: str) -> bool:
    return (codebook.has_layer(layer) and codebook.layer(layer).kind is LayerKind.RELATION
            and codebook.layer(layer).has_label(label))


def word_count(text: str) -> int:
    """Words as whitespace-separated runs: the same count for every pipeline and baseline."""
    return len(text.split())


def trimmed_offsets(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Offsets narrowed past punctuation and spaces at both edges; None if nothing is left."""
    while start < end and text[start] in EDGE_PUNCTUATION:
        start += 1
    while end > start and text[end - 1] in EDGE_PUNCTUATION:
        end -= 1
    if end <= start or not text[start:end].strip():
        return None
    return start, end


def span_offsets(span: Span) -> tuple[int, int] | None:
    """Code-point offsets of a spaCy span, trimmed like a careful annotator would."""
    return trimmed_offsets(doc_text(span.doc), span.start_char, span.end_char)


_TEXT_KEY = ("workbench", "text")


def doc_text(doc: Doc) -> str:
    """The document's text, built once: spaCy's `Doc.text` joins every token on each call."""
    user_data: dict[Any, Any] = doc.user_data  # keyed by tuples, as spaCy suggests
    text = user_data.get(_TEXT_KEY)
    if text is None:
        text = user_data[_TEXT_KEY] = doc.text
    return str(text)
