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

from bisect import bisect_left
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
from workbench.formats.shared.file_names import unique_safe_stem
from workbench.formats.shared.inception_names import (
    LABEL_FEATURE,
    NOTE_FEATURE,
    feature_name,
    relation_bases,
    type_name,
)
from workbench.formats.shared.token_layout import Token, sentences, span_edges, tokenize
from workbench.formats.shared.webanno_tsv_reader import parse, to_parsed_file

ANY_ANNOTATION = "uima.tcas.Annotation"
_VALUE_ESCAPES = [("\\", "\\\\"), ("[", "\\["), ("]", "\\]"), ("|", "\\|"), ("_", "\\_"),
                  ("->", "\\->"), (";", "\\;"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r"),
                  ("*", "\\*")]


def escape_value(value: str) -> str:
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
    with atomic_folder(target) as folder:
        for item in bundle.documents():
            name = unique_safe_stem(item.name, taken) + ".tsv"
            text, warning = document_tsv(item, schema)
            (folder / name).write_bytes(text.encode("utf-8"))
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
    address: dict[Token, str] = {}
    for s, sentence in enumerate(grouped, start=1):
        for t, token in enumerate(sentence, start=1):
            address[token] = f"{s}-{t}"
    span_ids = {span.id: n for n, span in enumerate(item.spans, start=1)}
    first_token: dict[int | None, Token] = {}
    covering: dict[Token, list[Span]] = {token: [] for token in tokens}
    token_starts = [token.start for token in tokens]
    for span in item.spans:
        index = bisect_left(token_starts, span.start)  # spans start on a token
        while index < len(tokens) and tokens[index].start < span.end:
            covering[tokens[index]].append(span)
            first_token.setdefault(span.id, tokens[index])
            index += 1
    by_target: dict[Token, list[Relation]] = {}
    for relation in item.relations:
        by_target.setdefault(first_token[relation.target_id], []).append(relation)
    out = [schema.header()]
    for s, sentence in enumerate(grouped):
        begin = sentence[0].start
        finish = grouped[s + 1][0].start if s + 1 < len(grouped) else len(text)
        if s:
            out.append("\n")
        for line in text[begin:finish].split("\n"):
            out.append(f"#Text={escape_text(line)}\n")
        for token in sentence:
            cells = [address[token], f"{utf16.to_utf16(token.start)}-{utf16.to_utf16(token.end)}",
                     escape_text(text[token.start:token.end]).replace("\n", "\\n")]
            for layer in schema.span_layers:
                here = [span for span in covering[token] if span.layer == layer.name]
                for feature in _span_features(layer):
                    values = [f"{_value(feature(span))}[{span_ids[span.id]}]" for span in here]
                    cells.append("|".join(values) or "_")
            for layer in schema.relation_layers:
                linked = [r for r in by_target.get(token, []) if r.layer == layer.name]
                for feature in _span_features(layer):
                    cells.append("|".join(_value(feature(r)) for r in linked) or "_")
                cells.append("|".join(
                    f"{address[first_token[r.source_id]]}"
                    f"[{span_ids[r.source_id]}_{span_ids[r.target_id]}]" for r in linked) or "_")
            out.append("\t".join(cells) + "\t\n")
    leading = text[:tokens[0].start] if tokens else text
    warning = None
    if leading.strip(" "):
        warning = "the text before the first word is written as spaces (TSV cannot hold it)"
    return "".join(out), warning


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
