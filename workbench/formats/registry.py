"""One registry of file formats, keyed by name and file extension.

Each format lives in its own module of `workbench.formats.registered`, named like the format,
exposing `FORMAT`; code several formats share lives in `workbench.formats.shared`. Format
modules are imported when the formats are first listed, and import their heavy library
(pyarrow, cassis, pypdf) only when the format is used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.drafts import ParsedFile
from workbench.core.errors import InputFileError, WorkbenchError

# What an annotation format can carry; shown by `workbench formats` and export summaries.
CARRIES = ("documents", "spans", "attributes", "notes", "relations", "document_labels",
           "annotators", "codebook")


@dataclass(frozen=True)
class ReadOptions:
    """Choices a user can make when importing; formats read what concerns them."""

    text_column: str = "text"
    name_column: str | None = None
    annotator: str | None = None
    # For files that name no layer (SemEval label files): the layer their labels go to.
    layer: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


# A reader yields one ParsedFile per unit it can import on its own (a file, or a .txt/.ann
# pair); a unit it cannot read is yielded as an InputFileError so the others still import.
Reader = Callable[[Path, ReadOptions], Iterator["ParsedFile | InputFileError"]]
# A sniffer says whether this format claims a path whose extension several formats share.
Sniffer = Callable[[Path], bool]


@dataclass(frozen=True)
class FormatOption:
    """A choice one format offers; its value travels under `key` in `ReadOptions.extra`
    (import) or `WriteOptions.extra` (export). The command line spells it `--KEY` with `_`
    written `-`; the window shows it beside the format."""

    key: str
    title: str
    help: str
    # Empty: an on/off switch (default off); else the values, the first being the default.
    choices: tuple[str, ...] = ()
    on_import: bool = False
    on_export: bool = False

    @property
    def flag(self) -> str:
        return "--" + self.key.replace("_", "-")

    @property
    def default(self) -> str | bool:
        return self.choices[0] if self.choices else False


@dataclass(frozen=True)
class Format:
    name: str
    title: str
    extensions: tuple[str, ...] = ()
    reader: Reader | None = None
    writer: Callable[..., Any] | None = None
    sniff: Sniffer | None = None
    reads_folders: bool = False
    carries: frozenset[str] = frozenset({"documents"})
    description: str = ""
    # What the format cannot hold, in plain words (shown by `workbench formats`, the README
    # table and the export dialog); each export also counts what it had to leave out.
    limitations: str = ""
    options: tuple[FormatOption, ...] = ()

    @property
    def can_import(self) -> bool:
        return self.reader is not None

    @property
    def can_export(self) -> bool:
        return self.writer is not None

    def carried(self) -> list[str]:
        """What the format carries, in the order of CARRIES, in plain words."""
        return [item.replace("_", " ") for item in CARRIES if item in self.carries]

    def import_options(self) -> tuple[FormatOption, ...]:
        return tuple(option for option in self.options if option.on_import)

    def export_options(self) -> tuple[FormatOption, ...]:
        return tuple(option for option in self.options if option.on_export)

    def not_carried(self) -> str:
        """What the format cannot hold, in plain words ("" when it holds everything)."""
        missing = [item for item in CARRIES if item not in self.carries]
        if self.carries == frozenset({"documents"}):
            words = "annotations"
        else:
            words = ", ".join(item.replace("_", " ") for item in missing)
        return "; ".join(part for part in (words, self.limitations) if part)


# Modules under workbench.formats.registered, each named like its format ("-" becomes "_").
# Order matters when sniffing shared extensions: more specific formats come first, generic
# document readers last.
FORMAT_MODULES: tuple[str, ...] = (
    # the workbench's own annotation format
    "jsonl",
    # tables, brat, doccano, Label Studio, W3C Web Annotation, Parquet
    "csv",
    "xlsx",
    "brat",
    "doccano",
    "label_studio",
    "w3c",
    "parquet",
    # standard annotation formats: WebAnno TSV, UIMA XMI, REFI-QDA, SemEval, CoNLL, spaCy
    "webanno_tsv",
    "xmi",
    "spacy",
    "spacy_jsonl",
    "conll",
    "qdpx",
    "qdc",
    "semeval_ptc",
    "semeval_entities",
    # document readers (generic, so last)
    "text",
    "markdown",
    "html",
    "docx",
    "pdf",
    "csv_documents",
    "jsonl_documents",
)
FORMAT_PACKAGE = "workbench.formats.registered"

_loaded: dict[str, Format] | None = None


def all_formats() -> dict[str, Format]:
    global _loaded
    if _loaded is None:
        loaded: dict[str, Format] = {}
        for module_name in FORMAT_MODULES:
            module = importlib.import_module(f"{FORMAT_PACKAGE}.{module_name}")
            fmt: Format = module.FORMAT
            if fmt.name in loaded:
                raise RuntimeError(f"two formats are named {fmt.name!r}")
            loaded[fmt.name] = fmt
        _loaded = loaded
    return _loaded


def get_format(name: str) -> Format:
    formats = all_formats()
    if name not in formats:
        raise WorkbenchError(f"unknown format {name!r}; known formats: {', '.join(formats)}")
    return formats[name]


def detect_format(path: Path) -> Format | None:
    """The format that should read `path`, judged by extension and, if shared, by content."""
    if path.is_dir():
        for fmt in all_formats().values():
            if fmt.can_import and fmt.reads_folders and fmt.sniff is not None and fmt.sniff(path):
                return fmt
        return None
    return detect_file_format(path)


def detect_file_format(path: Path) -> Format | None:
    """`detect_format` for a path known to be a file (one found walking a folder): no look
    at the disk unless the extension is shared."""
    suffix = path.suffix.lower()
    candidates, folder_readers = _readers_for(suffix)
    if len(candidates) == 1:
        return candidates[0]
    for fmt in candidates:
        if fmt.sniff is None or fmt.sniff(path):
            return fmt
    # One file of a format that reads folders (a brat .ann) is read as its own unit.
    return folder_readers[0] if folder_readers else None


_by_suffix: dict[str, tuple[list[Format], list[Format]]] = {}


def _readers_for(suffix: str) -> tuple[list[Format], list[Format]]:
    """(file readers, folder readers) claiming `suffix`, in registry order; asked once per
    suffix, since importing a folder asks for every file in it."""
    if suffix not in _by_suffix:
        readers = [f for f in all_formats().values() if f.can_import and suffix in f.extensions]
        _by_suffix[suffix] = (
            [f for f in readers if not f.reads_folders],
            [f for f in readers if f.reads_folders],
        )
    return _by_suffix[suffix]
