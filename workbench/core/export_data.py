"""What an exporter receives, and what it reports back.

Exporters are pure: they get an `ExportBundle` (the codebook and a way to walk the documents
with their annotations) and write files. They never see the database. What a format cannot
carry is listed in the summary, never dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from workbench.core.codebook import Codebook
from workbench.core.model import Document, DocumentLabel, Relation, Span
from workbench.core.wording import counted, counted_phrase


@dataclass(frozen=True, slots=True)
class ExportDocument:
    document: Document
    spans: list[Span]
    relations: list[Relation]
    document_labels: list[DocumentLabel]
    # annotator name -> "new" / "in_progress" / "done"
    statuses: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.document.text

    @property
    def name(self) -> str:
        return self.document.name


@dataclass(frozen=True)
class ExportBundle:
    """The selection to export. `documents()` may be called more than once (each call walks
    the selection again), so exporters of big projects can stream."""

    codebook: Codebook
    documents: Callable[[], Iterator[ExportDocument]]
    document_count: int
    annotators: list[str]
    project_name: str = "project"


@dataclass(frozen=True)
class WriteOptions:
    """Choices a user can make when exporting; formats read what concerns them."""

    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class ExportSummary:
    format: str
    target: str
    documents: int = 0
    spans: int = 0
    relations: int = 0
    document_labels: int = 0
    files: list[str] = field(default_factory=list)
    # What the format could not represent, in plain words with counts ("3 overlapping spans").
    not_carried: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def count(self, item: ExportDocument, document_labels: bool = True) -> None:
        """Add one written document and its annotations (`document_labels=False` for formats
        that cannot hold them, whose summary lists them as not carried instead)."""
        self.documents += 1
        self.spans += len(item.spans)
        self.relations += len(item.relations)
        if document_labels:
            self.document_labels += len(item.document_labels)

    def lines(self) -> list[str]:
        lines = [
            f"exported {counted(self.documents, 'document')}, {counted(self.spans, 'span')}, "
            f"{counted(self.relations, 'relation')}, "
            f"{counted(self.document_labels, 'document label')} as {self.format} to "
            f"{self.target}"
        ]
        lines.extend(f"not carried by {self.format}: {item}" for item in self.not_carried)
        lines.extend(f"warning: {warning}" for warning in self.warnings)
        return lines


class Omissions:
    """Counts things a format could not carry, for `ExportSummary.not_carried`."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}

    def add(self, what: str, n: int = 1) -> None:
        if n:
            self._counts[what] = self._counts.get(what, 0) + n

    def lines(self) -> list[str]:
        return [counted_phrase(n, what) for what, n in self._counts.items()]
