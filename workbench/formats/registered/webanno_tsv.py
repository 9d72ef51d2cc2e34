"""WebAnno TSV 3.3, the tab-separated format of WebAnno and INCEpTION.

Import reads INCEpTION's own files (see webanno_tsv_reader). Export writes a folder with one
`.tsv` per document. Mapping: each span layer is `webanno.custom.<Name>` with the features
`label`, one per attribute and `note`; each relation layer is `webanno.custom.<Name>` with
`label`, its attributes and `note`, attached (`BT_`) to the span type its relations link, or to
`uima.tcas.Annotation` when they link several span layers. Offsets are UTF-16 code units.
Tokens are cut so every span starts and ends on a token; a sentence starts after each line
break; every span cell carries a `[N]` id and every relation names both ids, so nothing is
ambiguous. Several values of one attribute are joined by an unescaped `;`.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from pathlib import Path

from workbench.core.codebook import Codebook, Layer
from workbench.core.export_data import (
    ExportBundle,
    ExportDocument,
    ExportSummary,
    Omissions,
    WriteOptions,
)
from workbench.core.model import Relation, Span
from workbench.core.offsets import Utf16Map
from workbench.formats.registry import Format, ReadOptions
from workbench.formats.shared.atomic_output import atomic_folder
from workbench.formats.shared.background_files import BackgroundFiles
from workbench.formats.shared.file_names import unique_safe_stem
from workbench.formats.shared.heap import older_objects_set_aside
from workbench.formats.shared.inception_names import (
    LABEL_FEATURE,
    NOTE_FEATURE,
    feature_name,
    relation_bases,
    type_name,
)
from workbench.formats.shared.token_layout import sentences, span_edges, tokenize
from workbench.formats.shared.webanno_tsv_reader import parse, to_parsed_file

ANY_ANNOTATION = "uima.tcas.Annotation"
_VALUE_ESCAPES = [("\\", "\\\\"), ("[", "\\["), ("]", "\\]"), ("|", "\\|"), ("_", "\\_"),
                  ("->", "\\->"), (";", "\\;"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r"),
                  ("*", "\\*")]


_NEEDS_VALUE_ESCAPE = re.compile(r"[\\\[\]|_;\t\n\r*]|->")


def escape_value(value: str) -> str:
    if _NEEDS_VALUE_ESCAPE.search(value) is None:
        return value
    for char, escaped in _VALUE_ESCAPES:
        value = value.replace(char, escaped)
    return value


def escape_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r")


def sniff(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(32).lstrip(b"\xef\xbb\xbf").startswith(b"#FORMAT=WebAnno TSV")
    except OSError:
        return False


def read(path: Path, options: ReadOptions) -> Iterator:
    doc = parse(path)
    yield to_parsed_file(doc, FORMAT.name, options.annotator)


# --- writing ------------------------------------------------------------------------------


def _value(value: object) -> str:
    if value is None or value == [] or value == "":
        return "*"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(escape_value(str(item)) for item in value)
    return escape_value(str(value))


class Schema:
    """The layers and columns of an export, decided before any document is written."""

    def __init__(self, codebook: Codebook, relation_bases: dict[str, str]) -> None:
        self.span_layers = codebook.span_layers
        self.relation_layers = codebook.relation_layers
        self.relation_bases = relation_bases
        # Per layer: its name, a getter per feature column, and its cells when empty.
        self.span_columns = [(layer.name, _span_features(layer),
                              "\t".join("_" * len(self.features(layer))))
                             for layer in self.span_layers]
        self.relation_columns = [(layer.name, _span_features(layer),
                                  "\t".join("_" * (len(self.features(layer)) + 1)))
                                 for layer in self.relation_layers]
        self.empty_cells = "\t".join(blank for _, _, blank in
                                     (*self.span_columns, *self.relation_columns))
        self.relation_blanks = "\t".join(blank for _, _, blank in self.relation_columns)

    def header(self) -> str:
        lines = ["#FORMAT=WebAnno TSV 3.3"]
        for layer in self.span_layers:
            lines.append("#T_SP=" + "|".join([type_name(layer.name), *self.features(layer)]))
        for layer in self.relation_layers:
            base = self.relation_bases.get(layer.name, ANY_ANNOTATION)
            lines.append("#T_RL=" + "|".join(
                [type_name(layer.name), *self.features(layer), f"BT_{base}"]))
        return "\n".join(lines) + "\n\n\n"

    @staticmethod
    def features(layer: Layer) -> list[str]:
        return [LABEL_FEATURE, *(feature_name(a.name) for a in layer.attributes), NOTE_FEATURE]


def write(bundle: ExportBundle, target: Path, options: WriteOptions) -> ExportSummary:
    summary = ExportSummary(format=FORMAT.name, target=str(target))
    omissions = Omissions()
    bases, mixed = relation_bases(bundle)
    schema = Schema(bundle.codebook, bases)
    taken: set[str] = set()
    annotators: set[str] = set()
    with atomic_folder(target) as folder, BackgroundFiles() as files, \
            older_objects_set_aside():
        for item in bundle.documents():
            name = unique_safe_stem(item.name, taken) + ".tsv"
            text, warning = document_tsv(item, schema)
            files.write(folder / name, text.encode("utf-8"))
            if warning:
                summary.warnings.append(f"{item.name}: {warning}")
            summary.files.append(name)
            summary.count(item, document_labels=False)
            omissions.add("document label(s)", len(item.document_labels))
            annotators.update(span.annotator for span in item.spans)
    if len(annotators) > 1:
        omissions.add(f"annotator names (annotations of {len(annotators)} annotators are "
                      "stacked in one file per document; export with --annotator for one each)")
    if mixed:
        summary.warnings.append(
            f"relation layer(s) {', '.join(mixed)} link several span layers; they attach to "
            "uima.tcas.Annotation, which INCEpTION's layer settings cannot express")
    summary.not_carried = omissions.lines()
    return summary


def document_tsv(item: ExportDocument, schema: Schema) -> tuple[str, str | None]:
    """One document as TSV text, and a warning if its text cannot come back unchanged."""
    text = item.text
    utf16 = Utf16Map(text)
    starts, ends = span_edges((span.start, span.end) for span in item.spans)
    tokens = tokenize(text, starts, ends)
    grouped = sentences(text, tokens)
    # Tokens go by their index in `tokens`; its address is "sentence-token", 1-based.
    sentence_firsts = list(itertools.accumulate((len(s) for s in grouped), initial=0))

    def address(index: int) -> str:
        s = bisect_right(sentence_firsts, index)
        return f"{s}-{index - sentence_firsts[s - 1] + 1}"

    empty_row = f"\t{schema.empty_cells}\t\n" if schema.empty_cells else "\t\n"
    no_relations = (f"\t{schema.relation_blanks}\t\n" if schema.relation_columns
                    else "\t\n")
    # Each token's row is its head (address, offsets, token) and its tail (the annotation
    # cells): every tail starts empty, and a run of tokens covered by the same spans shares
    # one tail object, set for the run in one slice assignment.
    heads = _row_heads(text, grouped, utf16)
    tails = [empty_row] * len(heads)
    # The tokens each span covers: [first, last) indices into `tokens`.
    token_starts = [start for start, _ in tokens]
    span_ids = {span.id: n for n, span in enumerate(item.spans, start=1)}
    first_token: dict[int | None, int] = {}
    changes: dict[int, list[tuple[bool, Span]]] = {}  # token index -> spans starting/ending
    for span in item.spans:
        first = bisect_left(token_starts, span.start)  # spans start and end on a token
        last = bisect_left(token_starts, span.end, first)
        first_token[span.id] = first
        if last > first:
            changes.setdefault(first, []).append((True, span))
            changes.setdefault(last, []).append((False, span))
    by_target: dict[int, list[Relation]] = {}
    for relation in item.relations:
        by_target.setdefault(first_token[relation.target_id], []).append(relation)
    # Each span's cells, made once; between two span edges the covering spans are the same,
    # so each run of tokens gets its span cells made once.
    getters = {layer: features for layer, features, _ in schema.span_columns}
    span_cells = {span.id: [f"{_value(feature(span))}[{span_ids[span.id]}]"
                            for feature in getters[span.layer]] for span in item.spans}
    blank_spans = "\t".join(blank for _, _, blank in schema.span_columns)
    part_of: dict[int, str] = {}  # span cells of the relation targets
    active: list[Span] = []
    edges = sorted(changes)
    for number, edge in enumerate(edges):
        for starting, span in changes[edge]:
            if starting:
                active.append(span)
            else:
                active.remove(span)
        if not active:
            continue
        active.sort(key=lambda s: span_ids[s.id])  # cells list spans in their order
        part = _span_part(schema, active, span_cells)
        end = edges[number + 1] if number + 1 < len(edges) else len(tokens)
        tails[edge:end] = [f"\t{part}{no_relations}"] * (end - edge)
        for index in by_target:
            if edge <= index < end:
                part_of[index] = part
    for index, linked in by_target.items():
        cells = [part_of.get(index, blank_spans)]
        for layer, features, blank in schema.relation_columns:
            ends_here = [r for r in linked if r.layer == layer]
            if not ends_here:
                cells.append(blank)
                continue
            for feature in features:
                cells.append("|".join(_value(feature(r)) for r in ends_here))
            cells.append("|".join(
                f"{address(first_token[r.source_id])}"
                f"[{span_ids[r.source_id]}_{span_ids[r.target_id]}]" for r in ends_here))
        tails[index] = "".join(f"\t{cell}" for cell in cells if cell) + "\t\n"
    out = [schema.header()]
    for s, sentence in enumerate(grouped):
        begin = sentence[0][0]
        finish = grouped[s + 1][0][0] if s + 1 < len(grouped) else len(text)
        if s:
            out.append("\n")
        for line in text[begin:finish].split("\n"):
            out.append(f"#Text={escape_text(line)}\n")
        first, after = sentence_firsts[s], sentence_firsts[s + 1]
        out.extend(itertools.chain.from_iterable(zip(heads[first:after], tails[first:after],
                                                     strict=True)))
    leading = text[:tokens[0][0]] if tokens else text
    warning = None
    if leading.strip(" "):
        warning = "the text before the first word is written as spaces (TSV cannot hold it)"
    return "".join(out), warning


def _row_heads(text: str, grouped: list[list[tuple[int, int]]], utf16: Utf16Map) -> list[str]:
    """Each token's row head: address, UTF-16 offsets, token."""
    at = utf16.to_utf16
    rows: list[str] = []
    for s, sentence in enumerate(grouped, start=1):
        begin, end = sentence[0][0], sentence[-1][1]
        # No line break lies between two tokens of a sentence: one look tells whether any
        # token needs escaping. UTF-16 offsets are code points shifted by the astral
        # characters before them: one shift for the sentence unless it holds one (rare).
        plain = _TOKEN_ESCAPES.search(text, begin, end) is None
        shift = at(begin) - begin
        if plain and at(end) - end == shift:
            rows.extend([f"{s}-{n}\t{a + shift}-{b + shift}\t{text[a:b]}"
                         for n, (a, b) in enumerate(sentence, start=1)])
        else:
            rows.extend([_head(s, n, a, b, text, at)
                         for n, (a, b) in enumerate(sentence, start=1)])
    return rows


_TOKEN_ESCAPES = re.compile(r"[\\\t\r\n]")


def _head(sentence: int, number: int, start: int, end: int, text: str,
          at: Callable[[int], int]) -> str:
    """A token row's address, offsets (UTF-16) and token."""
    return f"{sentence}-{number}\t{at(start)}-{at(end)}\t{_token_text(text[start:end])}"


def _span_part(schema: Schema, here: list[Span], span_cells: dict[int | None, list[str]]) -> str:
    """The span layers' cells of a token covered by `here`."""
    cells: list[str] = []
    for layer, _, blank in schema.span_columns:
        mine = [span_cells[span.id] for span in here if span.layer == layer]
        if not mine:
            cells.append(blank)
        elif len(mine) == 1:
            cells.extend(mine[0])
        else:
            cells.extend("|".join(column) for column in zip(*mine, strict=True))
    return "\t".join(cells)


def _token_text(token: str) -> str:
    if "\\" in token or "\t" in token or "\r" in token or "\n" in token:
        return escape_text(token).replace("\n", "\\n")
    return token


def _span_features(layer: Layer) -> list[Callable[[Span | Relation], object]]:
    """One getter per feature column of a layer (label, each attribute, note); spans and
    relations have the same three kinds of feature."""
    def attribute(name: str) -> Callable[[Span | Relation], object]:
        return lambda a: a.attributes.get(name)

    return [lambda a: a.label, *(attribute(a.name) for a in layer.attributes),
            lambda a: a.note]


FORMAT = Format(
    name="webanno-tsv",
    title="WebAnno TSV 3.3 (INCEpTION)",
    extensions=(".tsv",),
    reader=read,
    writer=write,
    sniff=sniff,
    carries=frozenset({"documents", "spans", "attributes", "notes", "relations"}),
    description="INCEpTION's tab-separated format: custom span layers webanno.custom.<Layer> "
    "with label, attribute and note features, relation layers with BT_ base types; "
    "UTF-16 offsets. Export writes a folder with one .tsv per document.",
)
