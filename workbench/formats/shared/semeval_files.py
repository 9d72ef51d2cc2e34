"""What the SemEval span formats share: article folders, label rows, names and IDs.

A SemEval release is a folder of article files plus either one labels file or a folder of
per-article label files. The organisers' scorers read only the label rows, never the articles,
so the offsets are checked here against the article text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.drafts import DocumentDraft, ParsedFile
from workbench.core.errors import InputFileError
from workbench.core.wording import counted
from workbench.formats.shared.file_metadata import file_metadata
from workbench.formats.shared.input_files import read_utf8, split_lines, visible_files


@dataclass
class LabelRow:
    """One tab-separated row of a labels file, already split."""

    article_id: str
    fields: list[str]
    line: int


@dataclass
class SemevalFolder:
    articles: dict[str, Path] = field(default_factory=dict)  # article id -> file
    label_files: list[Path] = field(default_factory=list)
    # Files that are neither (a README, a scorer): named in the import summary.
    warnings: list[str] = field(default_factory=list)


def read_rows(path: Path, min_columns: int, max_columns: int | None = None) -> list[LabelRow]:
    """Split a labels file into rows; a wrong column count names the file and line."""
    text = read_utf8(path, "a SemEval labels file")
    rows: list[LabelRow] = []
    # Rows end at "\n" only: a mention may hold U+2028 and other characters that
    # str.splitlines() would also break at.
    for number, line in enumerate(split_lines(text), start=1):
        # Only a truly empty line is passed over: one of control characters or other
        # invisible garbage (which str.strip() would also remove) is a row not understood.
        if not line.strip(" \t"):
            continue
        fields = line.split("\t")
        too_many = max_columns is not None and len(fields) > max_columns
        if len(fields) < min_columns or too_many:
            wanted = (f"{min_columns}" if max_columns == min_columns
                      else f"at least {min_columns}" if max_columns is None
                      else f"{min_columns} to {max_columns}")
            raise InputFileError(path, f"expected {wanted} tab-separated columns, found "
                                 f"{len(fields)}", line=number)
        rows.append(LabelRow(fields[0].strip(), fields, number))
    return rows


def read_article(path: Path) -> str:
    """Article text exactly as stored (UTF-8, line endings kept): offsets count in it."""
    return read_utf8(path, "a SemEval article")


# Words in the names of the organisers' label files ("subtask-1-annotations.txt",
# "article1.labels-task-TC", "submission-task-SI.tsv"). Recognising a folder by looking only
# at such files keeps detection from opening every document of an ordinary folder of texts;
# an explicit --format reads every file by its content.
LABEL_NAME_HINTS = ("label", "annotation", "task")


def named_like_labels(path: Path | str) -> bool:
    name = (path if isinstance(path, str) else path.name).lower()
    return any(hint in name for hint in LABEL_NAME_HINTS) or name.endswith((".tsv", ".labels"))


def files_named_like_labels(folder: Path) -> list[Path]:
    """The files under `folder` whose names suggest labels, without touching the others."""
    return [Path(root) / name for root, names in visible_files(folder)
            for name in names if named_like_labels(name)]


def first_row_columns(path: Path) -> list[str] | None:
    """The columns of the first non-empty line, or None when the file is not text."""
    try:
        with path.open("r", encoding="utf-8-sig") as handle:
            for line in handle:
                if line.strip():
                    return line.rstrip("\r\n").split("\t")
    except (OSError, UnicodeDecodeError):
        return None
    return None


def group_rows(rows: list[LabelRow]) -> dict[str, list[LabelRow]]:
    grouped: dict[str, list[LabelRow]] = {}
    for row in rows:
        grouped.setdefault(row.article_id, []).append(row)
    return grouped


def build_parsed_files(
    folder: Path, layout: SemevalFolder, format_name: str,
    read_labels: Callable[[Path], list[LabelRow]],
    make_document: Callable[[str, str | None, Path | None, list[LabelRow], Path], DocumentDraft],
    document_name: Callable[[str], str],
) -> Iterator[ParsedFile | InputFileError]:
    """One unit per labels file (all or nothing), plus one for articles without labels.

    When a labels file is refused, the articles without labels are not imported either: the
    refused file may have been the one that labels them, and importing them bare would look
    like a finished import of the folder."""
    labelled: set[str] = set()
    refused: list[Path] = []
    for label_file in layout.label_files:
        try:
            rows = read_labels(label_file)
            parsed = ParsedFile(source=str(label_file), format=format_name,
                                warnings=list(layout.warnings))
            layout.warnings.clear()
            for article_id, article_rows in group_rows(rows).items():
                article_path = layout.articles.get(article_id)
                text = read_article(article_path) if article_path else None
                parsed.documents.append(
                    make_document(article_id, text, article_path, article_rows, label_file))
                if article_path is None:
                    parsed.warnings.append(
                        f"{label_file}: no article file for {article_id!r}; annotating the "
                        f"project document {document_name(article_id)!r}")
        except InputFileError as error:
            refused.append(label_file)
            yield error
            continue
        labelled.update(group_rows(rows))
        yield parsed
    rest = [article_id for article_id in layout.articles if article_id not in labelled]
    if rest and refused:
        verb = "was" if len(rest) == 1 else "were"
        yield InputFileError(folder, f"{counted(len(rest), 'article')} without labels {verb} "
                             "not imported either: fix the labels file refused above and "
                             "import the folder again")
        return
    if rest:
        parsed = ParsedFile(source=str(folder), format=format_name,
                            warnings=list(layout.warnings))
        for article_id in rest:
            path = layout.articles[article_id]
            try:
                text = read_article(path)
            except InputFileError as error:
                yield error
                continue
            parsed.documents.append(DocumentDraft(
                name=document_name(article_id), text=text, metadata=file_metadata(path)))
        yield parsed


def text_or_reference(name: str, text: str | None, path: Path | None) -> DocumentDraft:
    """A draft with the article's text, or one that refers to a project document by name."""
    if text is None:
        return DocumentDraft(name=name, text="", known_names=(name,))
    return DocumentDraft(name=name, text=text, metadata=file_metadata(path) if path else {})


def mention_text(text: str) -> str:
    """A span's text on one row: tabs and line breaks become spaces."""
    return re.sub(r"[\t\r\n]", " ", text)
