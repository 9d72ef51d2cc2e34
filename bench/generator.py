"""A deterministic synthetic corpus: news articles and reader comments with annotations.

The same seed gives the same documents, spans and relations on every machine and Python
version (every random choice comes from `random.Random` seeded with a string). Document `i`
has the same text in every corpus size, so the texts of S are the first thousand of M; its
spans may differ, since the span total is shared out over the whole corpus.

Spans cover the three span layers of the news-rhetoric codebook (actors on names, claims on
sentences or clauses, rhetorical devices on runs of words), so they overlap the way real
annotations do; relations come from its Links layer, documents get frames and narratives.
Bump `GENERATOR_VERSION` whenever the output changes: cached corpora are keyed by it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from bench.text_bank import AssembledText, Sentence, article_text, comment_text
from workbench.core.codebook import Codebook, LayerKind
from workbench.core.drafts import DocumentDraft, DocumentLabelDraft, RelationDraft, SpanDraft
from workbench.core.model import AttributeValue, Origin
from workbench.services.codebooks import resolve_codebook

GENERATOR_VERSION = 1
CODEBOOK = "news-rhetoric"


@dataclass(frozen=True, slots=True)
class CorpusSpec:
    """How many documents and spans a corpus has; `seed` makes another corpus of that size."""

    name: str
    documents: int
    spans: int
    seed: str = "workbench-bench"

    @property
    def key(self) -> str:
        """Names the cached files: changes whenever the corpus would change."""
        return f"g{GENERATOR_VERSION}-{self.name}-{self.documents}d-{self.spans}s-{self.seed}"


SIZES: dict[str, CorpusSpec] = {
    "S": CorpusSpec("S", documents=1_000, spans=20_000),
    "M": CorpusSpec("M", documents=10_000, spans=200_000),
    "L": CorpusSpec("L", documents=100_000, spans=2_000_000),
}
TINY = CorpusSpec("tiny", documents=25, spans=500)
# For the export figures: 100k spans over 5,000 documents.
EXPORT_SET = CorpusSpec("export-100k", documents=5_000, spans=100_000)


def import_set(documents: int) -> CorpusSpec:
    """The texts of the first `documents` documents of the corpus, for the import figures
    (no spans: only the text files are written)."""
    return CorpusSpec(f"import-{documents // 1000}k", documents=documents, spans=0)


# One page of the document list (500 documents) at the same density: the first rows and the
# first document of every size look exactly like it, only the rest of the project differs.
ONE_PAGE = CorpusSpec("one-page", documents=500, spans=10_000)
LONG_DOCUMENT_CHARS = 1_000_000
LONG_DOCUMENT_SPANS = 10_000
# The long document at five times the size, for the large figures: 5 MB, 100k spans.
HUGE_DOCUMENT_CHARS = 5_000_000
HUGE_DOCUMENT_SPANS = 100_000

COMMENT_SHARE = 0.25  # reader comments among the documents
CRLF_SHARE = 0.2  # documents with Windows line breaks
ARTICLE_SENTENCES = (6, 36)
COMMENT_SENTENCES = (1, 4)
LAYER_WEIGHTS = {"Actors": 45, "Claims": 30, "Rhetorical devices": 25}
RELATION_WEIGHTS = {"asserts": 35, "is about": 25, "targets": 20, "supports": 10, "attacks": 10}
RELATIONS_PER_SPAN = 0.15
ANNOTATORS = ("alice", "bruno", "chiara")
DOUBLE_ANNOTATED_SHARE = 0.15
_EPOCH = datetime(2024, 1, 8, 9, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class DocumentPlan:
    """What is decided before the text is written (it fixes the document's share of spans)."""

    index: int
    kind: str  # "article" or "comment"
    sentences: int
    newline: str
    emoji_chance: float

    @property
    def name(self) -> str:
        return f"{self.kind}-{self.index:06d}"


def plan_document(seed: str, index: int) -> DocumentPlan:
    rng = random.Random(f"{seed}:plan:{index}")
    if rng.random() < COMMENT_SHARE:
        kind, sentences, emoji = "comment", rng.randint(*COMMENT_SENTENCES), 0.3
    else:
        kind, sentences, emoji = "article", rng.randint(*ARTICLE_SENTENCES), 0.03
    newline = "\r\n" if rng.random() < CRLF_SHARE else "\n"
    return DocumentPlan(index, kind, sentences, newline, emoji)


def document_text(seed: str, plan: DocumentPlan) -> AssembledText:
    rng = random.Random(f"{seed}:text:{plan.index}")
    write = article_text if plan.kind == "article" else comment_text
    return write(rng, plan.index, plan.sentences, plan.newline, plan.emoji_chance)


def allocate(total: int, weights: list[int]) -> list[int]:
    """Split `total` in proportion to `weights` exactly (largest remainder, ties by position)."""
    weight_sum = sum(weights)
    exact = [total * w / weight_sum for w in weights]
    shares = [int(x) for x in exact]
    short = total - sum(shares)
    by_remainder = sorted(range(len(weights)), key=lambda i: (shares[i] - exact[i], i))
    for i in by_remainder[:short]:
        shares[i] += 1
    return shares


def generate(spec: CorpusSpec) -> Iterator[DocumentDraft]:
    """The corpus, one document at a time, with exactly `spec.spans` spans in all."""
    plans = [plan_document(spec.seed, i) for i in range(spec.documents)]
    span_counts = allocate(spec.spans, [plan.sentences for plan in plans])
    for plan, span_count in zip(plans, span_counts, strict=True):
        yield annotated_document(spec.seed, plan, document_text(spec.seed, plan), span_count)


def document_texts(spec: CorpusSpec, count: int | None = None) -> Iterator[str]:
    """Only the texts (e.g. for spaCy suggestions), as `generate` would write them."""
    for i in range(spec.documents if count is None else min(count, spec.documents)):
        yield document_text(spec.seed, plan_document(spec.seed, i)).text


def long_document(with_spans: bool = True, one_paragraph: bool = False,
                  chars: int = LONG_DOCUMENT_CHARS,
                  spans: int = LONG_DOCUMENT_SPANS) -> DocumentDraft:
    """One report of about `chars` characters (1 MB by default; CRLF line breaks, some
    emoji) with `spans` spans; `one_paragraph` writes a space wherever a line break would go
    (text without breaks, as some PDF and HTML imports give). A larger report begins with
    the text of a smaller one."""
    seed = "workbench-bench-long"
    plan = DocumentPlan(0, "report", 0, " " if one_paragraph else "\r\n", 0.05)
    rng = random.Random(f"{seed}:text")
    text = article_text(rng, 0, 0, plan.newline, plan.emoji_chance,
                        min_length=chars)
    draft = annotated_document(seed, plan, text, spans)
    if not with_spans:
        draft.spans.clear()
        draft.relations.clear()
        draft.document_labels.clear()
    return draft


# --- annotations ------------------------------------------------------------------------


@dataclass(frozen=True)
class _LabelChoices:
    span_labels: dict[str, tuple[str, ...]]
    span_attributes: dict[str, dict[str, tuple[str, ...]]]  # layer -> enum attribute options
    fine_roles: dict[str, tuple[str, ...]]  # actor label -> its fine roles
    relation_ends: dict[str, tuple[str, str]]  # relation label -> (source layer, target layer)
    document_labels: dict[str, tuple[str, ...]]


@cache
def _choices() -> _LabelChoices:
    codebook: Codebook = resolve_codebook(CODEBOOK)
    span_labels, attributes = {}, {}
    for layer_name in LAYER_WEIGHTS:
        layer = codebook.layer(layer_name)
        span_labels[layer_name] = tuple(label.name for label in layer.labels if label.selectable)
        attributes[layer_name] = {
            a.name: a.options for a in layer.attributes if a.kind.value == "enum"
        }
    roles = codebook.layer("Actors").attribute("fine_roles")
    links = codebook.layer("Links")
    ends = {
        name: (links.label(name).source_layer or "", links.label(name).target_layer or "")
        for name in RELATION_WEIGHTS
    }
    documents = {
        layer.name: tuple(label.name for label in layer.labels if label.selectable)
        for layer in codebook.layers_of(LayerKind.DOCUMENT)
    }
    return _LabelChoices(span_labels, attributes, dict(roles.option_groups), ends, documents)


def annotated_document(
    seed: str, plan: DocumentPlan, text: AssembledText, span_count: int
) -> DocumentDraft:
    rng = random.Random(f"{seed}:annotations:{plan.index}")
    primary = rng.choice(ANNOTATORS)
    second = None
    if rng.random() < DOUBLE_ANNOTATED_SHARE:
        second = rng.choice([a for a in ANNOTATORS if a != primary])
    created = (_EPOCH + timedelta(minutes=7 * plan.index)).isoformat()
    spans, sentence_of = _place_spans(rng, text, span_count, primary, second, created)
    relations = _relate(rng, spans, sentence_of)
    labels = []
    if plan.kind != "comment":
        choices = _choices().document_labels
        labels.append(DocumentLabelDraft("Frames", rng.choice(choices["Frames"]), primary,
                                         origin=Origin.MANUAL))
        if rng.random() < 0.5:
            labels.append(DocumentLabelDraft("Narratives", rng.choice(choices["Narratives"]),
                                             primary, origin=Origin.MANUAL))
    return DocumentDraft(
        name=plan.name, text=text.text,
        metadata={"kind": plan.kind, "synthetic": True, "generator": GENERATOR_VERSION},
        spans=spans, relations=relations, document_labels=labels,
    )


def _place_spans(
    rng: random.Random, text: AssembledText, count: int, primary: str, second: str | None,
    created: str,
) -> tuple[list[SpanDraft], dict[str, int]]:
    choices = _choices()
    layers, weights = list(LAYER_WEIGHTS), list(LAYER_WEIGHTS.values())
    taken: set[tuple[str, str, int, int, str]] = set()
    spans: list[SpanDraft] = []
    sentence_of: dict[str, int] = {}
    while len(spans) < count:
        layer = rng.choices(layers, weights)[0]
        label = rng.choice(choices.span_labels[layer])
        annotator = second if second is not None and rng.random() < 0.4 else primary
        where = rng.randrange(len(text.sentences))
        placed = text.sentences[where]
        start, end = _stretch(rng, layer, placed.sentence)
        key = (layer, label, placed.start + start, placed.start + end, annotator)
        if key in taken:
            continue  # the same annotation twice is stored once; draw another
        taken.add(key)
        span_key = f"T{len(spans) + 1}"
        sentence_of[span_key] = where
        spans.append(SpanDraft(
            layer=layer, label=label, start=key[2], end=key[3], key=span_key,
            annotator=annotator, attributes=_attributes(rng, layer, label),
            origin=Origin.ACCEPTED_SUGGESTION if rng.random() < 0.1 else Origin.MANUAL,
            created_at=created,
        ))
    return spans, sentence_of


def _stretch(rng: random.Random, layer: str, sentence: Sentence) -> tuple[int, int]:
    """Offsets inside one sentence where a span of `layer` goes."""
    words = sentence.words
    if layer == "Actors":
        if sentence.names and rng.random() < 0.85:
            return rng.choice(sentence.names)
        first = rng.randrange(len(words))
        return words[first][0], words[min(first + rng.randint(0, 1), len(words) - 1)][1]
    if layer == "Claims":
        roll = rng.random()
        if roll < 0.45:
            return 0, len(sentence.text.rstrip())
        if roll < 0.7 and sentence.clause_end is not None:
            return 0, sentence.clause_end
        first = rng.randrange(len(words) // 2 + 1)
        return words[first][0], words[-1][1]
    first = rng.randrange(len(words))
    last = min(first + rng.randint(1, 7), len(words) - 1)
    return words[first][0], words[last][1]


def _attributes(rng: random.Random, layer: str, label: str) -> dict[str, AttributeValue]:
    values: dict[str, AttributeValue] = {}
    for name, options in _choices().span_attributes[layer].items():
        if options and rng.random() < 0.6:
            values[name] = rng.choice(options)
    if layer == "Claims" and rng.random() < 0.3:
        values["check_worthy"] = rng.random() < 0.5
    roles = _choices().fine_roles.get(label)
    if layer == "Actors" and roles and rng.random() < 0.4:
        values["fine_roles"] = sorted(rng.sample(roles, rng.randint(1, min(2, len(roles)))))
    return values


def _relate(
    rng: random.Random, spans: list[SpanDraft], sentence_of: dict[str, int]
) -> list[RelationDraft]:
    """Links between spans of one annotator, mostly within a sentence or two of each other."""
    wanted = int(len(spans) * RELATIONS_PER_SPAN + rng.random())
    ends = _choices().relation_ends
    by_layer: dict[tuple[str, str | None], list[SpanDraft]] = {}
    by_sentence: dict[tuple[str, str | None, int], list[SpanDraft]] = {}
    for span in spans:
        by_layer.setdefault((span.layer, span.annotator), []).append(span)
        where = sentence_of[span.key or ""]
        by_sentence.setdefault((span.layer, span.annotator, where), []).append(span)
    labels, weights = list(RELATION_WEIGHTS), list(RELATION_WEIGHTS.values())
    relations: list[RelationDraft] = []
    seen: set[tuple[str, str, str]] = set()
    for _ in range(wanted * 4):
        if len(relations) >= wanted:
            break
        label = rng.choices(labels, weights)[0]
        source_layer, target_layer = ends[label]
        source = rng.choice(spans)
        if source.layer != source_layer:
            continue
        where = sentence_of[source.key or ""]
        near = [
            span
            for w in (where - 1, where, where + 1)
            for span in by_sentence.get((target_layer, source.annotator, w), [])
            if span is not source
        ]
        pool = near or [
            span for span in by_layer.get((target_layer, source.annotator), [])
            if span is not source
        ]
        if not pool:
            continue
        target = rng.choice(pool)
        triple = (label, source.key or "", target.key or "")
        if triple in seen:
            continue
        seen.add(triple)
        relations.append(RelationDraft(
            layer="Links", label=label, source_key=triple[1], target_key=triple[2],
            annotator=source.annotator, origin=Origin.MANUAL,
        ))
    return relations
