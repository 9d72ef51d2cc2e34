"""What a reader hands over before anything is stored: documents with their annotations.

Readers (one per format) turn a file into `ParsedFile`s; the import service checks them and
writes each file in one transaction. Spans are keyed so relations can point at them before
they have database ids; `line` lets errors name the place in the source file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workbench.core.codebook import Codebook
from workbench.core.model import AttributeValue, Origin


@dataclass(slots=True)
class SpanDraft:
    layer: str
    label: str
    start: int
    end: int
    key: str | None = None
    annotator: str | None = None
    attributes: dict[str, AttributeValue] = field(default_factory=dict)
    note: str = ""
    origin: Origin = Origin.IMPORTED
    line: int | None = None
    created_at: str | None = None
    updated_at: str | None = None
    # The file names no layer (doccano, other people's Label Studio or brat files): `layer`
    # is a hint, and the import takes the project's layer that has this label when the hinted
    # layer does not (see services.annotation_writer.resolve_layers).
    layer_from_codebook: bool = False


@dataclass(slots=True)
class RelationDraft:
    layer: str
    label: str
    source_key: str
    target_key: str
    annotator: str | None = None
    attributes: dict[str, AttributeValue] = field(default_factory=dict)
    note: str = ""
    origin: Origin = Origin.IMPORTED
    line: int | None = None
    created_at: str | None = None
    updated_at: str | None = None
    layer_from_codebook: bool = False


@dataclass(slots=True)
class DocumentLabelDraft:
    layer: str
    label: str
    annotator: str | None = None
    note: str = ""
    origin: Origin = Origin.IMPORTED
    line: int | None = None
    created_at: str | None = None
    layer_from_codebook: bool = False


@dataclass(slots=True)
class DocumentDraft:
    name: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    spans: list[SpanDraft] = field(default_factory=list)
    relations: list[RelationDraft] = field(default_factory=list)
    document_labels: list[DocumentLabelDraft] = field(default_factory=list)
    # annotator name -> "new" / "in_progress" / "done", for formats that carry it
    statuses: dict[str, str] = field(default_factory=dict)
    # A file may annotate a document without carrying its text (a SemEval labels file whose
    # article is already in the project): `text` is then empty and the import finds the
    # project's document by one of these names.
    known_names: tuple[str, ...] = ()


@dataclass(slots=True)
class ParsedFile:
    """Everything read from one input file (or one folder unit, e.g. a brat .txt/.ann pair)."""

    source: str
    format: str
    documents: list[DocumentDraft] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # A codebook carried by the file itself (native JSONL, annotation.conf, REFI-QDA codes).
    codebook: Codebook | None = None
