"""Hypothesis strategies for annotated documents, and helpers to store and compare them.

`annotated_documents(codebook)` draws one to three documents whose texts put an emoji and a
`\\r\\n` before any span, with spans (and their attributes and notes), relations and document
labels that the codebook allows. `build_store` writes them into an in-memory project;
`snapshot(store, carries)` projects a project onto what a format carries, so that a round
trip through a format can be checked with one equality (see tests/test_format_round_trip.py).

Drawn data keeps to what every annotation format can address: spans start and end on word
boundaries (so token-based formats align), no two spans of a document share layer, label and
offsets (so formats without annotators do not merge two people's spans), notes hold no "\\n"
or other control character (but U+2028, U+2029 and U+0085, which texts hold too).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from workbench.core.codebook import AttributeDef, AttributeKind, Codebook
from workbench.core.model import Document, DocumentLabel, Relation, Span
from workbench.storage import ProjectStore

ANNOTATORS = ("alice", "bob")
# Characters str.splitlines() breaks at but JSON writes unescaped and XML can hold; drawn
# often, so that every format that reads lines shows it splits at "\n" only.
UNICODE_LINE_BREAKS = "\u2028\u2029\x85"
# Every drawn document starts like this, so each span has an emoji and a CRLF before it.
PREFIX = "Breaking 😊 news\r\n"
WORDS = ("Putin", "said", "that", "is", "a", "lie", "Obama", "disagreed", "ünïcödé", "日本",
         "👍🏽", "🇺🇦", "e\u0301", "\"quoted\"", "semi;colon", "a|b", "x_y", "->", "[1]",
         "tab\tbed", "back\\slash", "*", "50%", "<tag>", "&amp;")
SEPARATORS = (" ", " ", " ", "  ", "\r\n", "\n", ". ", ", ", *UNICODE_LINE_BREAKS)
NOTE_CHARACTERS = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"))


@st.composite
def free_texts(draw: st.DrawFn, max_pieces: int) -> str:
    """Notes and free-text attribute values: no surrounding space, often a line separator."""
    pieces = draw(st.lists(st.text(NOTE_CHARACTERS, min_size=1, max_size=4).filter(
        lambda s: s.strip() == s), min_size=1, max_size=max_pieces))
    text = pieces[0]
    for piece in pieces[1:]:
        text += draw(st.sampled_from(("", " ", *UNICODE_LINE_BREAKS))) + piece
    return text


@dataclass
class SpanSpec:
    layer: str
    label: str
    start: int
    end: int
    annotator: str
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str = ""


@dataclass
class RelationSpec:
    layer: str
    label: str
    source: int  # index into DocumentSpec.spans
    target: int
    annotator: str
    note: str = ""


@dataclass
class DocumentLabelSpec:
    layer: str
    label: str
    annotator: str
    note: str = ""


@dataclass
class DocumentSpec:
    name: str
    text: str
    spans: list[SpanSpec] = field(default_factory=list)
    relations: list[RelationSpec] = field(default_factory=list)
    document_labels: list[DocumentLabelSpec] = field(default_factory=list)


@st.composite
def document_texts(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    """A text and the (start, end) of each word in it, all after PREFIX."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=3, max_size=14))
    text = PREFIX
    positions = []
    for index, word in enumerate(words):
        if index:
            text += draw(st.sampled_from(SEPARATORS))
        positions.append((len(text), len(text) + len(word)))
        text += word
    text += draw(st.sampled_from(("", "\r\n", "\n", " ")))
    return text, positions


def attribute_values(attribute: AttributeDef, label: str) -> st.SearchStrategy[Any]:
    kind = attribute.kind
    if kind is AttributeKind.ENUM:
        return st.sampled_from(attribute.options)
    if kind is AttributeKind.MULTI_ENUM:
        options = attribute.options_for(label) or attribute.options
        return st.lists(st.sampled_from(options), min_size=1, max_size=3, unique=True)
    if kind is AttributeKind.BOOL:
        return st.booleans()
    if kind is AttributeKind.NUMBER:
        return st.integers(min_value=-1000, max_value=1000)
    return free_texts(4)


def notes() -> st.SearchStrategy[str]:
    return st.one_of(
        st.just(""),
        free_texts(6),
    )


@st.composite
def annotated_document(draw: st.DrawFn, codebook: Codebook, name: str) -> DocumentSpec:
    text, words = draw(document_texts())
    document = DocumentSpec(name=name, text=text)
    span_layers = [layer for layer in codebook.span_layers
                   if any(label.selectable for label in layer.labels)]
    taken: set[tuple[str, str, int, int]] = set()
    for _ in range(draw(st.integers(min_value=0, max_value=6)) if span_layers else 0):
        layer = draw(st.sampled_from(span_layers))
        label = draw(st.sampled_from([lab.name for lab in layer.labels if lab.selectable]))
        first = draw(st.integers(min_value=0, max_value=len(words) - 1))
        last = draw(st.integers(min_value=first, max_value=min(first + 3, len(words) - 1)))
        start, end = words[first][0], words[last][1]
        if (layer.name, label, start, end) in taken:
            continue
        taken.add((layer.name, label, start, end))
        attributes = {}
        for attribute in layer.attributes:
            if draw(st.booleans()):
                attributes[attribute.name] = draw(attribute_values(attribute, label))
        document.spans.append(SpanSpec(
            layer=layer.name, label=label, start=start, end=end,
            annotator=draw(st.sampled_from(ANNOTATORS)), attributes=attributes, note=draw(notes()),
        ))
    _draw_relations(draw, codebook, document)
    for layer in codebook.document_layers:
        labels = [label.name for label in layer.labels if label.selectable]
        for label in draw(st.lists(st.sampled_from(labels), max_size=2, unique=True)):
            document.document_labels.append(DocumentLabelSpec(
                layer=layer.name, label=label, annotator=draw(st.sampled_from(ANNOTATORS)),
                note=draw(notes())))
    return document


def _draw_relations(draw: st.DrawFn, codebook: Codebook, document: DocumentSpec) -> None:
    spans = document.spans
    choices = []  # (layer, label, source index, target index) that the codebook allows
    for layer in codebook.relation_layers:
        for label in layer.labels:
            for i, source in enumerate(spans):
                for j, target in enumerate(spans):
                    if i != j and label.source_layer in (None, source.layer) and (
                            label.target_layer in (None, target.layer)):
                        choices.append((layer.name, label.name, i, j))
    if not choices:
        return
    picked = draw(st.lists(st.sampled_from(choices), max_size=3, unique=True))
    for layer_name, label_name, i, j in picked:
        document.relations.append(RelationSpec(
            layer=layer_name, label=label_name, source=i, target=j,
            annotator=draw(st.sampled_from(ANNOTATORS)), note=draw(notes()),
        ))


@st.composite
def annotated_documents(draw: st.DrawFn, codebook: Codebook) -> list[DocumentSpec]:
    """One to three documents with different texts."""
    count = draw(st.integers(min_value=1, max_value=3))
    documents: list[DocumentSpec] = []
    for index in range(count):
        document = draw(annotated_document(codebook, f"Doc {index + 1} ü"))
        if all(document.text != other.text for other in documents):
            documents.append(document)
    return documents


def build_store(codebook: Codebook, documents: Iterable[DocumentSpec]) -> ProjectStore:
    """An in-memory project holding the drawn documents and their annotations."""
    store = ProjectStore.in_memory(codebook)
    with store.transaction():
        for spec in documents:
            stored = store.documents.add(Document(name=spec.name, text=spec.text))
            assert stored.id is not None
            spans = store.spans.add_many(
                Span(stored.id, s.layer, s.label, s.start, s.end, s.annotator,
                     attributes=s.attributes, note=s.note)
                for s in spec.spans
            )
            for relation in spec.relations:
                source, target = spans[relation.source].id, spans[relation.target].id
                assert source is not None and target is not None
                store.relations.add(Relation(stored.id, relation.layer, relation.label, source,
                                             target, relation.annotator, note=relation.note))
            for item in spec.document_labels:
                store.document_labels.add(DocumentLabel(stored.id, item.layer, item.label,
                                                        item.annotator, note=item.note))
    return store


def snapshot(store: ProjectStore, carries: Iterable[str], layers: Iterable[str] | None = None,
             attributes: Iterable[str] | None = None,
             document_label_notes: bool = True) -> dict[str, Any]:
    """What the project holds, reduced to what a format carries (`Format.carries`).

    Documents are keyed by text (names are the format's business); spans by layer, label and
    offsets; relations by their ends. `layers` limits the comparison to some layers, and
    `attributes` to some attribute names; `document_label_notes=False` leaves out the notes
    of document labels.
    """
    carried = set(carries)
    wanted = set(layers) if layers is not None else None
    names = set(attributes) if attributes is not None else None

    def extras(values: dict[str, Any], note: str) -> tuple[str, ...]:
        if names is not None:
            values = {key: value for key, value in values.items() if key in names}
        return _extras(values, note, carried)

    result: dict[str, Any] = {}
    for document_id in store.documents.ids():
        text = store.documents.text(document_id)
        spans = [s for s in store.spans.for_document(document_id)
                 if wanted is None or s.layer in wanted]
        keys = {s.id: (s.layer, s.label, s.start, s.end) for s in spans}
        entry: dict[str, Any] = {}
        if "spans" in carried:
            entry["spans"] = sorted(
                (*keys[s.id], *_who(s.annotator, carried), *extras(s.attributes, s.note))
                for s in spans
            )
        if "relations" in carried:
            entry["relations"] = sorted(
                (r.layer, r.label, keys[r.source_id], keys[r.target_id],
                 *_who(r.annotator, carried), *extras(r.attributes, r.note))
                for r in store.relations.for_document(document_id)
                if r.source_id in keys and r.target_id in keys
                and (wanted is None or r.layer in wanted)
            )
        if "document_labels" in carried:
            entry["document_labels"] = sorted(
                (d.layer, d.label, *_who(d.annotator, carried),
                 *((d.note,) if "notes" in carried and document_label_notes else ()))
                for d in store.document_labels.for_document(document_id)
                if wanted is None or d.layer in wanted
            )
        result[text] = entry
    return result


def _who(annotator: str, carried: set[str]) -> tuple[str, ...]:
    return (annotator,) if "annotators" in carried else ()


def _extras(attributes: dict[str, Any], note: str, carried: set[str]) -> tuple[str, ...]:
    extras: tuple[str, ...] = ()
    if "attributes" in carried:
        extras += (json.dumps(attributes, sort_keys=True, ensure_ascii=False),)
    if "notes" in carried:
        extras += (note,)
    return extras
