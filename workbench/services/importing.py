"""Importing files and folders into a project.

Each unit a reader yields (a file, or a file pair) is checked completely before anything is
written, then written in one transaction: a bad file is reported and skipped, and never
leaves half its content behind. Documents are matched by content, so importing the same
text twice adds nothing; annotations on an existing document are added to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

from workbench.core.drafts import DocumentDraft, ParsedFile
from workbench.core.errors import InputFileError, WorkbenchError
from workbench.core.model import Document, DocumentStatus
from workbench.core.progress import CancelToken, ProgressCallback, no_progress
from workbench.core.wording import counted
from workbench.formats.registry import (
    Format,
    ReadOptions,
    detect_file_format,
    detect_format,
    get_format,
)
from workbench.formats.shared.input_files import walk_files
from workbench.services.annotation_writer import AnnotationWriter, check_drafts
from workbench.storage import ProjectStore


@dataclass
class FileOutcome:
    source: str
    format: str
    documents_added: int = 0
    documents_existing: int = 0
    spans_added: int = 0
    relations_added: int = 0
    document_labels_added: int = 0
    labels_added: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    failures: list[InputFileError] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False

    def total(self, attribute: str) -> int:
        return sum(getattr(outcome, attribute) for outcome in self.outcomes)

    @property
    def documents_added(self) -> int:
        return self.total("documents_added")

    @property
    def documents_existing(self) -> int:
        return self.total("documents_existing")

    @property
    def labels_added(self) -> list[str]:
        return [label for outcome in self.outcomes for label in outcome.labels_added]

    @property
    def warnings(self) -> list[str]:
        return [warning for outcome in self.outcomes for warning in outcome.warnings]

    def summary_lines(self) -> list[str]:
        lines = [
            f"imported {counted(len(self.outcomes), 'file')}: "
            f"{counted(self.documents_added, 'new document')}, "
            f"{self.documents_existing:,} already in the project, "
            f"{counted(self.total('spans_added'), 'span')}, "
            f"{counted(self.total('relations_added'), 'relation')}, "
            f"{counted(self.total('document_labels_added'), 'document label')}"
        ]
        added = self.labels_added
        if added:
            shown = ", ".join(added[:10])
            more = f" and {len(added) - 10} more" if len(added) > 10 else ""
            lines.append(f"{counted(len(added), 'label')} added to the codebook: {shown}{more}")
        lines.extend(f"warning: {warning}" for warning in self.warnings)
        lines.extend(f"skipped {path}: {reason}" for path, reason in self.skipped)
        lines.extend(f"failed {failure}" for failure in self.failures)
        if self.cancelled:
            lines.append("cancelled: the files listed above were imported, the rest were not")
        return lines


@dataclass(frozen=True)
class ImportUnit:
    path: Path
    format: Format


def plan_import(
    paths: Sequence[Path], format_name: str | None = None
) -> tuple[list[ImportUnit], list[InputFileError], list[tuple[str, str]]]:
    """Expand the paths a user gave into readable units, failures and skipped files."""
    units: list[ImportUnit] = []
    failures: list[InputFileError] = []
    skipped: list[tuple[str, str]] = []
    forced = get_format(format_name) if format_name else None
    if forced is not None and not forced.can_import:
        raise WorkbenchError(f"format {forced.name!r} can be exported but not imported")
    for path in paths:
        path = Path(path)
        if not path.exists():
            failures.append(InputFileError(path, "no such file or folder"))
            continue
        if path.is_dir():
            folder_format = forced if forced and forced.reads_folders else detect_format(path)
            if folder_format is not None and folder_format.reads_folders:
                units.append(ImportUnit(path, folder_format))
                continue
            for file in walk_files(path, max_depth=None):
                fmt = forced or detect_file_format(file)
                if fmt is None:
                    skipped.append((str(file), "not a supported file type"))
                else:
                    units.append(ImportUnit(file, fmt))
            continue
        fmt = forced or detect_format(path)
        if fmt is None and path.suffix.lower() in STRUCTURED_SUFFIXES:
            # Read as plain text it would become one document holding the markup.
            failures.append(InputFileError(
                path, "not in a shape the workbench recognises (Label Studio tasks, W3C "
                "annotations, ...); say which format it is with --format"))
            continue
        units.append(ImportUnit(path, fmt or get_format("text")))
    return units, failures, skipped


# Files given one by one that no format claims are read as plain text, except these.
STRUCTURED_SUFFIXES = (".json", ".jsonld")


def import_paths(
    store: ProjectStore,
    paths: Sequence[Path],
    annotator: str,
    format_name: str | None = None,
    options: ReadOptions | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> ImportReport:
    """Import files and folders; returns what was added, skipped and refused."""
    options = options or ReadOptions(annotator=annotator)
    units, failures, skipped = plan_import(paths, format_name)
    report = ImportReport(failures=failures, skipped=skipped)
    writer = AnnotationWriter(store, default_annotator=options.annotator or annotator)
    total = len(units)
    parsed_files = _documents_first(_parse_units(units, options, report, progress, cancel),
                                    report)
    for chunk in _commit_chunks(parsed_files):
        # Many small files share one commit (each still atomic as a savepoint), which
        # makes importing a large corpus about as fast as a bulk insert.
        with store.transaction():
            for plain, run in groupby(chunk, key=_only_texts):
                files = list(run)
                if not (plain and _write_texts(store, files, report)):
                    for parsed in files:
                        _write_one(store, writer, parsed, report)
    progress(total, total, "cancelled" if report.cancelled else "done")
    return report


def _documents_first(
    parsed_files: Iterable[ParsedFile], report: ImportReport
) -> Iterator[ParsedFile]:
    """Files that only annotate documents by name (a SemEval labels file) come after the
    files that bring documents, so they find the articles given in the same import."""
    deferred: list[ParsedFile] = []
    for parsed in parsed_files:
        if any(draft.known_names and not draft.text for draft in parsed.documents):
            deferred.append(parsed)
        else:
            yield parsed
    if not report.cancelled:
        yield from deferred


def _write_one(
    store: ProjectStore, writer: AnnotationWriter, parsed: ParsedFile, report: ImportReport
) -> None:
    """Write one file in a savepoint of its own: a bad file fails alone."""
    try:
        with store.transaction():
            report.outcomes.append(_write_parsed(store, writer, parsed))
    except InputFileError as error:
        report.failures.append(error)
    except WorkbenchError as error:
        report.failures.append(InputFileError(parsed.source, str(error)))
    except RecursionError:
        report.failures.append(InputFileError(parsed.source, "values nested too deeply"))


def _only_texts(parsed: ParsedFile) -> bool:
    """A file of documents without annotations, codebook or statuses (plain text, say)."""
    return parsed.codebook is None and all(
        draft.text and not (draft.spans or draft.relations or draft.document_labels
                            or draft.statuses or draft.known_names)
        for draft in parsed.documents
    )


def _write_texts(store: ProjectStore, files: list[ParsedFile], report: ImportReport) -> bool:
    """Store a run of plain files in one go; False (and nothing written) if any is refused,
    so the caller writes them one by one and the bad one is reported alone."""
    documents = [
        Document(name=draft.name, text=draft.text, metadata=draft.metadata,
                 source=parsed.source, source_format=parsed.format)
        for parsed in files for draft in parsed.documents
    ]
    try:
        with store.transaction():
            results = iter(store.documents.add_or_find(documents))
    except WorkbenchError:
        return False
    for parsed in files:
        outcome = FileOutcome(source=parsed.source, format=parsed.format,
                              warnings=list(parsed.warnings))
        for _ in parsed.documents:
            if next(results)[1]:
                outcome.documents_added += 1
            else:
                outcome.documents_existing += 1
        report.outcomes.append(outcome)
    return True


# Each commit waits for the disk and adds a segment to the full-text index: files share one,
# up to this many files or characters (5,000 rather than 1,000 files a commit: importing
# 50,000 files is a tenth quicker).
COMMIT_EVERY = 5000
COMMIT_CHARACTERS = 16_000_000


def _commit_chunks(parsed_files: Iterable[ParsedFile]) -> Iterator[list[ParsedFile]]:
    chunk: list[ParsedFile] = []
    characters = 0
    for parsed in parsed_files:
        chunk.append(parsed)
        characters += sum(len(draft.text) for draft in parsed.documents)
        if len(chunk) >= COMMIT_EVERY or characters >= COMMIT_CHARACTERS:
            yield chunk
            chunk, characters = [], 0
    if chunk:
        yield chunk


def _parse_units(
    units: Sequence[ImportUnit],
    options: ReadOptions,
    report: ImportReport,
    progress: ProgressCallback,
    cancel: CancelToken | None,
) -> Iterator[ParsedFile]:
    for done, unit in enumerate(units):
        progress(done, len(units), unit.path.name)
        if cancel is not None and cancel.cancelled:
            report.cancelled = True
            return
        yield from _read_unit(unit, options, report)


def _read_unit(
    unit: ImportUnit, options: ReadOptions, report: ImportReport
) -> Iterable[ParsedFile]:
    assert unit.format.reader is not None
    try:
        for item in unit.format.reader(unit.path, options):
            if isinstance(item, InputFileError):
                report.failures.append(item)
            else:
                yield item
    except InputFileError as error:
        report.failures.append(error)
    except (UnicodeError, OSError, ValueError) as error:
        report.failures.append(InputFileError(unit.path, f"cannot read: {error}"))
    except RecursionError:
        report.failures.append(InputFileError(unit.path, "cannot read: nested too deeply"))


def _write_parsed(store: ProjectStore, writer: AnnotationWriter, parsed: ParsedFile) -> FileOutcome:
    """Check one unit completely, then write it (the caller makes this atomic)."""
    source = Path(parsed.source)
    for draft in parsed.documents:
        if not draft.text and draft.known_names:
            draft.text = _text_of_existing(store, draft, source)
        check_drafts(draft, source)
    outcome = FileOutcome(source=parsed.source, format=parsed.format,
                          warnings=list(parsed.warnings))
    if parsed.codebook is not None:
        outcome.labels_added.extend(writer.merge_codebook(parsed.codebook))
    for draft in parsed.documents:
        document_id, is_new = _store_document(store, draft, parsed)
        if is_new:
            outcome.documents_added += 1
        else:
            outcome.documents_existing += 1
        counts = writer.write(document_id, draft, source)
        for annotator, status in draft.statuses.items():
            store.documents.set_status(document_id, annotator, DocumentStatus(status))
        outcome.spans_added += counts.spans
        outcome.relations_added += counts.relations
        outcome.document_labels_added += counts.document_labels
        outcome.labels_added.extend(counts.labels_added)
        outcome.warnings.extend(counts.warnings)
    return outcome


def _text_of_existing(store: ProjectStore, draft: DocumentDraft, source: Path) -> str:
    """The text of the project document a text-less draft refers to by name."""
    for name in draft.known_names:
        document_id = store.documents.find_by_name(name)
        if document_id is not None:
            return store.documents.text(document_id)
    line = min((span.line for span in draft.spans if span.line is not None), default=None)
    names = " or ".join(repr(name) for name in draft.known_names)
    raise InputFileError(source, f"no document named {names} in the project, and the file "
                         "does not carry its text", line=line)


def _store_document(
    store: ProjectStore, draft: DocumentDraft, parsed: ParsedFile
) -> tuple[int, bool]:
    [(document_id, added)] = store.documents.add_or_find([Document(
        name=draft.name, text=draft.text, metadata=draft.metadata,
        source=parsed.source, source_format=parsed.format,
    )])
    return document_id, added
