"""SemEval span-level technique files: PTC (SemEval-2020 Task 11) and SemEval-2023 Task 3.

Rows are `article_id TAB technique TAB start TAB end`: 0-based code points into
`article<ID>.txt`, end exclusive, one row per technique (several may share a span). Import
takes a folder of article files with one labels file or a folder of per-article label files;
export writes the article files byte for byte and one `labels.tsv` that the organisers' TC
scorer reads.

Techniques named as in the PTC list (`Name_Calling,Labeling`) go to the "Propaganda techniques"
layer of the shipped semeval2020-ptc codebook; SemEval-2023 names (`Name_Calling-Labeling`) to
the "Rhetorical devices" layer of news-rhetoric. `ReadOptions.layer` (`--layer`) overrides this.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path

from workbench.core.codebook import Codebook, load_codebook_file
from workbench.core.drafts import DocumentDraft, ParsedFile, SpanDraft
from workbench.core.errors import CodebookError, InputFileError
from workbench.core.export_data import ExportBundle, ExportSummary, Omissions, WriteOptions
from workbench.core.resources import codebooks_dir
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
    named_like_labels,
    read_rows,
    text_or_reference,
)

PTC_LAYER = "Propaganda techniques"
SEMEVAL2023_LAYER = "Rhetorical devices"
TECHNIQUE_LAYERS = (PTC_LAYER, SEMEVAL2023_LAYER)
_ARTICLE = re.compile(r"^article(.+)\.txt$")
_NUMBERED = re.compile(r"^article(.+)$")
LABELS_FILE = "labels.tsv"


@functools.cache
def _names(layer_name: str) -> frozenset[str]:
    codebook = _layer_codebook(layer_name)
    return frozenset(label.name for label in codebook.layers[0].labels) if codebook \
        else frozenset()


@functools.cache
def _layer_codebook(layer_name: str) -> Codebook | None:
    """The shipped definition of a technique layer, so imported labels get their colours
    (read once: codebooks are immutable)."""
    source = "semeval2020-ptc.json" if layer_name == PTC_LAYER else "news-rhetoric.json"
    try:
        codebook = load_codebook_file(codebooks_dir() / source)
    except CodebookError:
        return None
    if not codebook.has_layer(layer_name):
        return None
    return Codebook(name=codebook.name, layers=(codebook.layer(layer_name),))


def document_name(article_id: str) -> str:
    return f"article{article_id}"


# --- reading ------------------------------------------------------------------------------


_NOT_LABELS = (".md", ".py", ".json", ".xml", ".html", ".pdf", ".zip")


def _is_label_file(path: Path) -> bool:
    """Named like the organisers' label files (then whatever it holds: a file that cannot be
    read is refused with its name, not passed over), or rows of four columns."""
    if _ARTICLE.match(path.name) or path.suffix.lower() in _NOT_LABELS:
        return False
    if named_like_labels(path):
        return True
    columns = first_row_columns(path)
    return columns is not None and len(columns) == 4 and columns[2].strip().isdigit()


def scan(folder: Path) -> SemevalFolder:
    layout = SemevalFolder()
    for path in walk_files(folder):
        match = _ARTICLE.match(path.name)
        if match:
            layout.articles[match.group(1)] = path
        elif _is_label_file(path):
            layout.label_files.append(path)
        else:
            layout.warnings.append(f"{path}: neither an article<ID>.txt file nor a labels "
                                   "file; not imported")
    return layout


def sniff(path: Path) -> bool:
    """A folder with `article<ID>.txt` files and rows of four columns."""
    if not path.is_dir():
        return False
    for label_file in files_named_like_labels(path):
        if _ARTICLE.match(label_file.name):
            continue
        columns = first_row_columns(label_file)
        if columns and len(columns) == 4 and columns[2].strip().lstrip("-").isdigit():
            return True
    return False


def read(path: Path, options: ReadOptions) -> Iterator[ParsedFile | InputFileError]:
    # A labels file alone annotates the project's documents named article<ID> (imported
    # before, or in the same import from the articles folder).
    layout = scan(path) if path.is_dir() else SemevalFolder(label_files=[path])
    if not layout.articles and not layout.label_files:
        raise InputFileError(path, "no article<ID>.txt files and no labels files found")
    chosen_layer = options.layer
    ptc_names = _names(PTC_LAYER) - _names(SEMEVAL2023_LAYER)

    def read_labels(label_file: Path) -> list[LabelRow]:
        return read_rows(label_file, 4, 4)

    def make_document(article_id: str, text: str | None, article_path: Path | None,
                      rows: list[LabelRow], label_file: Path) -> DocumentDraft:
        draft = text_or_reference(document_name(article_id), text, article_path)
        if text is None:
            draft.known_names = (document_name(article_id), article_id)
        for row in rows:
            technique = row.fields[1].strip()
            if not technique:
                raise InputFileError(label_file, "the technique column is empty", line=row.line)
            start = offset_cell(row.fields[2], label_file, row.line)
            end = offset_cell(row.fields[3], label_file, row.line)
            draft.spans.append(SpanDraft(layer="", label=technique, start=start, end=end,
                                         annotator=options.annotator, line=row.line))
        return draft

    for item in build_parsed_files(path, layout, FORMAT.name, read_labels, make_document,
                                   document_name):
        if isinstance(item, ParsedFile):
            _assign_layer(item, chosen_layer, ptc_names)
        yield item


def _assign_layer(parsed: ParsedFile, chosen: str | None, ptc_names: frozenset[str]) -> None:
    spans = [span for draft in parsed.documents for span in draft.spans]
    if not spans:
        return
    if chosen:
        layer = str(chosen)
    else:
        # Names only the PTC list has (`Name_Calling,Labeling`) mark a PTC file; names both
        # lists share (`Loaded_Language`) say nothing, and the SemEval-2023 layer is the default.
        layer = PTC_LAYER if any(span.label in ptc_names for span in spans) else SEMEVAL2023_LAYER
        parsed.codebook = _layer_codebook(layer)
    for span in spans:
        span.layer = layer


# --- writing ------------------------------------------------------------------------------


def export_layers(codebook: Codebook) -> list[str]:
    """The technique layers of the selection, or every span layer when none is known."""
    span_layers = [layer.name for layer in codebook.span_layers]
    known = [name for name in span_layers if name in TECHNIQUE_LAYERS]
    return known or span_layers


def article_id_for(name: str, taken: set[str]) -> str:
    """`article123` and `123` keep their number; other names become a file-safe id."""
    match = _NUMBERED.match(name)
    wanted = match.group(1) if match else name
    return unique_safe_stem(wanted, taken)


def write(bundle: ExportBundle, target: Path, options: WriteOptions) -> ExportSummary:
    summary = ExportSummary(format=FORMAT.name, target=str(target))
    layers = set(export_layers(bundle.codebook))
    omissions = Omissions()
    taken: set[str] = set()
    not_numeric = 0
    annotators: set[str] = set()
    with atomic_folder(target) as folder:
        with (folder / LABELS_FILE).open("w", encoding="utf-8", newline="\n") as labels:
            for item in bundle.documents():
                article_id = article_id_for(item.name, taken)
                if not article_id.isdigit():
                    not_numeric += 1
                (folder / f"article{article_id}.txt").write_bytes(item.text.encode("utf-8"))
                summary.files.append(f"article{article_id}.txt")
                summary.documents += 1
                rows = []
                for span in item.spans:
                    if span.layer not in layers:
                        omissions.add(f"span(s) of layer(s) other than {sorted(layers)}")
                        continue
                    rows.append((span.id or 0, span.start, span.end, span.label))
                    annotators.add(span.annotator)
                    omissions.add("attribute value(s)", len(span.attributes))
                    omissions.add("note(s)", 1 if span.note else 0)
                # Creation order, so an imported labels file keeps its row order: the TC
                # scorer pairs rows that share a start offset by their position.
                for _, start, end, label in sorted(rows):
                    labels.write(f"{article_id}\t{label}\t{start}\t{end}\n")
                summary.spans += len(rows)
                omissions.add("relation(s)", len(item.relations))
                omissions.add("document label(s)", len(item.document_labels))
        summary.files.append(LABELS_FILE)
    if len(annotators) > 1:
        omissions.add(f"annotator names (rows of {len(annotators)} annotators share one file)")
    summary.not_carried = omissions.lines()
    if not_numeric:
        summary.warnings.append(
            f"{not_numeric} document name(s) are not article<number>; their article ids are "
            "the names, which scorers that read per-article files by number will not find")
    return summary


FORMAT = Format(
    name="semeval-ptc",
    title="SemEval technique spans (PTC 2020 / SemEval-2023 Task 3)",
    reader=read,
    writer=write,
    sniff=sniff,
    reads_folders=True,
    carries=frozenset({"documents", "spans"}),
    description="A folder of article<ID>.txt files and labels rows "
    "`article_id TAB technique TAB start TAB end` (code points, end exclusive).",
)
