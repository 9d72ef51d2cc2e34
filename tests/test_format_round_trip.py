"""Property-based round trip through every format that both imports and exports.

For random documents (emoji and CRLF before every span) with spans, attributes, notes,
relations and document labels over the news-rhetoric codebook, exporting and importing again
into a project with the same codebook must give back everything the format declares in
`Format.carries`. A format that needs special handling (only some layers, a particular target
name) gets an entry in CASES.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings

from tests.strategies import (
    UNICODE_LINE_BREAKS,
    DocumentSpec,
    RelationSpec,
    SpanSpec,
    annotated_documents,
    build_store,
    snapshot,
)
from workbench.formats.registry import Format, ReadOptions, all_formats
from workbench.services.codebooks import resolve_codebook
from workbench.services.exporting import export_project
from workbench.services.importing import import_paths
from workbench.storage import ProjectStore

CODEBOOK = resolve_codebook("news-rhetoric")


@dataclass(frozen=True)
class RoundTripCase:
    """How to put one format through the round trip."""

    # Export (and compare) only these layers, for formats that hold one kind of annotation.
    layers: tuple[str, ...] | None = None
    # File or folder name to export to; by default `export<first extension>`, or a folder
    # for formats that read folders.
    target: str | None = None
    read_extra: dict[str, Any] = field(default_factory=dict)
    # Compare only these attributes, for formats that carry some attributes but not others.
    attributes: tuple[str, ...] | None = None
    # The format cannot express an export without any span of the chosen layers.
    needs_spans: bool = False
    # Spans the format can write at all (others are dropped from the drawn data, with the
    # relations on them); the format's export summary must say what it leaves out.
    keep_span: Callable[[SpanSpec], bool] | None = None
    # Relations the format can write (given the document), likewise.
    keep_relation: Callable[[RelationSpec, DocumentSpec], bool] | None = None
    # Whether notes of document labels come back (when the format carries notes at all).
    document_label_notes: bool = True
    # The format carries a codebook and nothing else (REFI-QDA .qdc): compare codebooks.
    codebook_only: bool = False
    # Line breaks in notes are written as spaces (the export summary says so).
    one_line_notes: bool = False


CASES: dict[str, RoundTripCase] = {
    # An .ann line cannot hold a line break, not even U+2028 (brat reads lines with Python).
    "brat": RoundTripCase(one_line_notes=True),
    "qdc": RoundTripCase(codebook_only=True),
    # A REFI-QDA coding of a whole source has no note (the export counts them).
    "qdpx": RoundTripCase(document_label_notes=False),
    # Technique rows hold one span layer; entity-framing rows the actors and their roles.
    "semeval-ptc": RoundTripCase(layers=("Rhetorical devices",)),
    # Label Studio keeps a relation inside one annotator's annotation.
    "label-studio": RoundTripCase(keep_relation=lambda relation, document: (
        document.spans[relation.source].annotator == document.spans[relation.target].annotator
    )),
    "semeval-entities": RoundTripCase(
        layers=("Actors",), attributes=("fine_roles",), needs_spans=True,
        # Task 10 rows need a main role and at least one fine role.
        keep_span=lambda span: span.layer != "Actors" or (
            span.label in ("Protagonist", "Antagonist", "Innocent")
            and bool(span.attributes.get("fine_roles"))),
    ),
}

# Written out, not read from the registry: a format that gains both a reader and a writer
# fails test_every_import_and_export_format_is_in_the_round_trip until it is listed here.
ROUND_TRIP_FORMATS = [
    "brat", "csv", "doccano", "jsonl", "label-studio", "qdc", "qdpx", "semeval-entities",
    "semeval-ptc", "spacy", "w3c", "webanno-tsv", "xmi",
]


def keep_spans(document: DocumentSpec, keep: Callable[[SpanSpec], bool]) -> DocumentSpec:
    """The document with only the spans `keep` accepts, and the relations between them."""
    kept = [index for index, span in enumerate(document.spans) if keep(span)]
    new_index = {old: new for new, old in enumerate(kept)}
    relations = [
        replace(relation, source=new_index[relation.source], target=new_index[relation.target])
        for relation in document.relations
        if relation.source in new_index and relation.target in new_index
    ]
    return replace(document, spans=[document.spans[i] for i in kept], relations=relations)


def one_line_notes(document: DocumentSpec) -> DocumentSpec:
    """The document with each run of line breaks in its notes replaced by a space."""
    def flat(note: str) -> str:
        return re.sub(f"[{UNICODE_LINE_BREAKS}]+", " ", note)

    return replace(
        document,
        spans=[replace(span, note=flat(span.note)) for span in document.spans],
        relations=[replace(relation, note=flat(relation.note))
                   for relation in document.relations],
        document_labels=[replace(label, note=flat(label.note))
                         for label in document.document_labels],
    )


def export_target(fmt: Format, folder: Path, case: RoundTripCase) -> Path:
    if case.target:
        return folder / case.target
    if fmt.reads_folders or not fmt.extensions:
        return folder / "export"
    return folder / f"export{fmt.extensions[0]}"


def codebook_round_trip(fmt: Format) -> None:
    original = ProjectStore.in_memory(CODEBOOK)
    copy = ProjectStore.in_memory(resolve_codebook("empty"))
    try:
        with tempfile.TemporaryDirectory() as folder:
            target = export_target(fmt, Path(folder), RoundTripCase())
            export_project(original, fmt.name, target)
            report = import_paths(copy, [target], annotator="importer", format_name=fmt.name)
            assert not report.failures, [str(failure) for failure in report.failures]

        def labels(store: ProjectStore) -> list[tuple[Any, ...]]:
            return [(layer.name, layer.kind, label.name, label.parent, label.selectable)
                    for layer in store.codebook.load().layers for label in layer.labels]

        assert labels(copy) == labels(original)
    finally:
        original.close()
        copy.close()


def round_trip(fmt: Format, documents: list[DocumentSpec], case: RoundTripCase) -> None:
    """Export drawn documents in `fmt`, import them again, compare what the format carries."""
    if case.codebook_only:
        codebook_round_trip(fmt)
        return
    if case.keep_span is not None:
        documents = [keep_spans(document, case.keep_span) for document in documents]
    if case.keep_relation is not None:
        keep = case.keep_relation
        documents = [replace(document, relations=[
            relation for relation in document.relations if keep(relation, document)])
            for document in documents]
    if case.one_line_notes:
        documents = [one_line_notes(document) for document in documents]
    if case.needs_spans:
        assume(any(span.layer in (case.layers or (span.layer,))
                   for document in documents for span in document.spans))
    original = build_store(CODEBOOK, documents)
    copy = ProjectStore.in_memory(CODEBOOK)
    try:
        with tempfile.TemporaryDirectory() as folder:
            target = export_target(fmt, Path(folder), case)
            summary = export_project(original, fmt.name, target, layers=case.layers)
            assert summary.documents == len(documents)
            report = import_paths(
                copy, [target], annotator="importer", format_name=fmt.name,
                options=ReadOptions(annotator="importer", extra=case.read_extra),
            )
            assert not report.failures, [str(failure) for failure in report.failures]
        expected = snapshot(original, fmt.carries, case.layers, case.attributes,
                            case.document_label_notes)
        assert snapshot(copy, fmt.carries, case.layers, case.attributes,
                        case.document_label_notes) == expected
    finally:
        original.close()
        copy.close()


@pytest.mark.parametrize("format_name", ROUND_TRIP_FORMATS)
@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(documents=annotated_documents(CODEBOOK))
def test_round_trip_keeps_what_the_format_carries(
    format_name: str, documents: list[DocumentSpec]
) -> None:
    fmt = all_formats()[format_name]
    case = CASES.get(format_name, RoundTripCase())
    round_trip(fmt, documents, case)


def test_every_import_and_export_format_is_in_the_round_trip() -> None:
    both_ways = {fmt.name for fmt in all_formats().values() if fmt.can_import and fmt.can_export}
    assert sorted(ROUND_TRIP_FORMATS) == sorted(both_ways)
    assert set(CASES) <= set(ROUND_TRIP_FORMATS)
