"""A team's corpus: every document annotated by three annotators who mostly agree.

The generated corpus (bench/generator.py) gives each document one set of spans; here each
of three annotators makes their own version of it, as people do: most spans alike, some
missed, some cut a few characters differently, some with another label, links kept where
both ends are, the document's frame mostly the same. Deterministic (string-seeded).
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from bench.generator import CorpusSpec, generate
from workbench.core.drafts import DocumentDraft, DocumentLabelDraft, RelationDraft, SpanDraft
from workbench.core.model import Origin
from workbench.services.codebooks import resolve_codebook

# 1,000 documents, 20,000 spans each annotator works from: about 55,000 spans in all.
TEAM = CorpusSpec("team", documents=1_000, spans=20_000)
TEAM_ANNOTATORS = ("alice", "bruno", "chiara")
MISSED, RECUT, RELABELLED = 0.08, 0.10, 0.07


def team_documents(spec: CorpusSpec = TEAM) -> Iterator[DocumentDraft]:
    codebook = resolve_codebook("news-rhetoric")
    labels = {layer.name: [label.name for label in layer.labels if label.selectable]
              for layer in codebook.layers}
    for draft in generate(spec):
        rng = random.Random(f"{spec.seed}:team:{draft.name}")
        spans: list[SpanDraft] = []
        relations: list[RelationDraft] = []
        document_labels: list[DocumentLabelDraft] = []
        for annotator in TEAM_ANNOTATORS:
            kept: dict[str, str] = {}  # the draft's span key -> this annotator's
            seen: set[tuple[str, str, int, int]] = set()
            for span in draft.spans:
                roll = rng.random()
                if roll < MISSED:
                    continue
                start, end, label = span.start, span.end, span.label
                if roll < MISSED + RECUT:
                    start, end = _recut(rng, draft.text, start, end)
                elif roll < MISSED + RECUT + RELABELLED:
                    label = rng.choice(labels[span.layer])
                if (span.layer, label, start, end) in seen:
                    continue
                seen.add((span.layer, label, start, end))
                key = f"{annotator}:{span.key}"
                kept[span.key or ""] = key
                spans.append(SpanDraft(span.layer, label, start, end, key=key,
                                       annotator=annotator, origin=Origin.MANUAL,
                                       created_at=span.created_at))
            for relation in draft.relations:
                if relation.source_key in kept and relation.target_key in kept:
                    relations.append(RelationDraft(
                        relation.layer, relation.label, kept[relation.source_key],
                        kept[relation.target_key], annotator=annotator, origin=Origin.MANUAL))
            for item in draft.document_labels:
                label = item.label if rng.random() < 0.8 else rng.choice(labels[item.layer])
                document_labels.append(DocumentLabelDraft(item.layer, label, annotator,
                                                          origin=Origin.MANUAL))
        yield DocumentDraft(
            draft.name, draft.text, dict(draft.metadata), spans, relations,
            _unique(document_labels))


def _recut(rng: random.Random, text: str, start: int, end: int) -> tuple[int, int]:
    """The same stretch, a few characters longer or shorter at one end."""
    for _ in range(8):
        shift = rng.choice((-4, -3, -2, -1, 1, 2, 3, 4))
        new_start, new_end = (start + shift, end) if rng.random() < 0.5 else (start, end + shift)
        if 0 <= new_start < new_end <= len(text) and text[new_start:new_end].strip():
            return new_start, new_end
    return start, end


def _unique(items: list[DocumentLabelDraft]) -> list[DocumentLabelDraft]:
    seen: set[tuple[str, str, str | None]] = set()
    unique = []
    for item in items:
        key = (item.layer, item.label, item.annotator)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique
