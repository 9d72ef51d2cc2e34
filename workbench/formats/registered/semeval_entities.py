"""SemEval-2025 Task 10 entity framing (subtask 1): who is protagonist, antagonist, innocent.

Rows are `article_id TAB mention TAB start TAB end TAB main_role TAB fine_role [TAB ...]`
with `article_id` the document's file name (`EN_UA_123.txt`) and the end offset INCLUSIVE.
The main role is the span's label in the "Actors" layer; the fine roles are its `fine_roles`
attribute. Some released mention strings are truncated, so import trusts the offsets and warns
when the mention disagrees with the text. Export writes the documents into
`subtask-1-documents/` and the rows into `subtask-1-annotations.txt` (the organisers' scorer
accepts only `.txt` files), mirroring the release.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from workbench.core.codebook import Codebook
from workbench.core.drafts import DocumentDraft, ParsedFile, SpanDraft
from workbench.core.errors import InputFileError
from workbench.core.export_data import ExportBundle, ExportSummary, Omissions, WriteOptions
from workbench.formats.registry import Format, ReadOptions
from workbench.formats.shared.atomic_output import atomic_folder
from workbench.formats.shared.file_names import unique_safe_stem
from workbench.formats.shared.input_files import walk_files
from workbench.formats.shared.json_input import offset_cell
from workbench.formats.shared.semeval_files import (
    LabelRow,
    SemevalFolder,
    build_parsed_files,
    files_named_like_labels,
    first_row_columns,
    mention_text,
    read_rows,
    text_or_reference,
)

LAYER = "Actors"
FINE_ROLES = "fine_roles"
MAIN_ROLES = ("Protagonist", "Antagonist", "Innocent")
DOCUMENTS_FOLDER = "subtask-1-documents"
ANNOTATIONS_FILE = "subtask-1-annotations.txt"


def document_name(article_id: str) -> str:
    return article_id[:-4] if article_id.lower().endswith(".txt") else article_id


def _is_annotation_file(path: Path) -> bool:
    columns = first_row_columns(path)
    return bool(columns and len(columns) >= 6 and columns[0].strip().lower().endswith(".txt")
                and columns[2].strip().lstrip("-").isdigit())


def _is_label_file(path: Path) -> bool:
    """Named like the organisers' annotation files (then whatever it holds, so that a file
    that cannot be read is refused by name, never taken for an article), or entity rows."""
    return "annotation" in path.name.lower() or _is_annotation_file(path)


def scan(folder: Path) -> SemevalFolder:
    layout = SemevalFolder()
    for path in walk_files(folder):
        if path.suffix.lower() != ".txt":
            continue  # the release's README and scorers
        if _is_label_file(path):
            layout.label_files.append(path)
        else:
            layout.articles[path.name] = path
    return layout


def sniff(path: Path) -> bool:
    return path.is_dir() and any(
        file.suffix.lower() == ".txt" and _is_annotation_file(file)
        for file in files_named_like_labels(path)
    )


def read(path: Path, options: ReadOptions) -> Iterator[ParsedFile | InputFileError]:
    # An annotations file alone annotates the project's documents named like its rows.
    layout = scan(path) if path.is_dir() else SemevalFolder(label_files=[path])
    if not layout.label_files:
        raise InputFileError(path, "no entity annotation rows found")
    layer = options.layer or LAYER
    pending_warnings: list[str] = []

    def read_labels(label_file: Path) -> list[LabelRow]:
        return read_rows(label_file, 6)

    def make_document(article_id: str, text: str | None, article_path: Path | None,
                      rows: list[LabelRow], label_file: Path) -> DocumentDraft:
        draft = text_or_reference(document_name(article_id), text, article_path)
        if text is None:
            draft.known_names = (document_name(article_id), article_id)
        for row in rows:
            mention, main_role = row.fields[1], row.fields[4].strip()
            start = offset_cell(row.fields[2], label_file, row.line)
            last = offset_cell(row.fields[3], label_file, row.line)
            fine_roles = [role.strip() for role in row.fields[5:] if role.strip()]
            if not main_role:
                raise InputFileError(label_file, "the main role column is empty", line=row.line)
            # The end offset is inclusive in these files; ours is exclusive.
            draft.spans.append(SpanDraft(
                layer=layer, label=main_role, start=start, end=last + 1,
                annotator=options.annotator, attributes={FINE_ROLES: fine_roles},
                line=row.line))
            if text is not None and text[start:last + 1] != mention:
                pending_warnings.append(
                    f"{label_file}, line {row.line}: mention {mention!r} differs from the text "
                    f"at {start}-{last} ({text[start:last + 1]!r}); the offsets were kept")
        return draft

    for item in build_parsed_files(path, layout, FORMAT.name, read_labels, make_document,
                                   document_name):
        if isinstance(item, ParsedFile):
            item.warnings.extend(pending_warnings)
        pending_warnings.clear()  # those of a refused file go with it
        yield item


def write(bundle: ExportBundle, target: Path, options: WriteOptions) -> ExportSummary:
    summary = ExportSummary(format=FORMAT.name, target=str(target))
    layer = _actor_layer(bundle.codebook)
    omissions = Omissions()
    taken: set[str] = set()
    annotators: set[str] = set()
    with atomic_folder(target) as folder:
        documents = folder / DOCUMENTS_FOLDER
        documents.mkdir()
        with (folder / ANNOTATIONS_FILE).open("w", encoding="utf-8", newline="\n") as rows:
            for item in bundle.documents():
                file_name = unique_safe_stem(item.name, taken) + ".txt"
                (documents / file_name).write_bytes(item.text.encode("utf-8"))
                summary.documents += 1
                for span in sorted(item.spans, key=lambda s: (s.start, s.end, s.label)):
                    if span.layer != layer:
                        omissions.add(f"span(s) of layers other than {layer!r}")
                        continue
                    value = span.attributes.get(FINE_ROLES) or []
                    fine = [value] if isinstance(value, str) else \
                        [str(role) for role in value] if isinstance(value, list) else [str(value)]
                    if span.label not in MAIN_ROLES:
                        omissions.add(f"span(s) whose label is not a main role "
                                      f"({', '.join(MAIN_ROLES)})")
                        continue
                    if not fine:
                        omissions.add("span(s) without fine roles (the task needs one or more)")
                        continue
                    mention = mention_text(item.text[span.start:span.end])
                    fields = [file_name, mention, str(span.start), str(span.end - 1),
                              span.label, *fine]
                    rows.write("\t".join(fields) + "\n")
                    summary.spans += 1
                    annotators.add(span.annotator)
                    other = {k: v for k, v in span.attributes.items() if k != FINE_ROLES}
                    omissions.add("attribute value(s) other than fine roles", len(other))
                    omissions.add("note(s)", 1 if span.note else 0)
                omissions.add("relation(s)", len(item.relations))
                omissions.add("document label(s)", len(item.document_labels))
        summary.files = [DOCUMENTS_FOLDER, ANNOTATIONS_FILE]
    if len(annotators) > 1:
        omissions.add(f"annotator names (rows of {len(annotators)} annotators share one file)")
    summary.not_carried = omissions.lines()
    return summary


def _actor_layer(codebook: Codebook) -> str:
    span_layers = [layer.name for layer in codebook.span_layers]
    if LAYER in span_layers or not span_layers:
        return LAYER
    return span_layers[0]


FORMAT = Format(
    name="semeval-entities",
    title="SemEval-2025 Task 10 entity framing",
    reader=read,
    writer=write,
    sniff=sniff,
    reads_folders=True,
    carries=frozenset({"documents", "spans", "attributes"}),
    description="Documents plus rows `article_id TAB mention TAB start TAB end TAB main_role "
    "TAB fine_role...` (end INCLUSIVE); main role = label, fine roles = fine_roles.",
)
