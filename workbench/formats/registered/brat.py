"""brat standoff: a folder of `NAME.txt` (the text, byte for byte) and `NAME.ann` pairs, with
`annotation.conf` and `visual.conf` (see brat_conf for names and configuration).

`.ann` lines: `T1<TAB>Type start end<TAB>text` (code points; fragments `0 5;7 9` with their
texts joined by one space), `R1<TAB>Type Arg1:T1 Arg2:T2`, `A1<TAB>Name T1 [value]`,
`#1<TAB>AnnotatorNotes T1<TAB>note`. A span that crosses a line break is written as fragments
split at the break, as brat itself does, and read back as one span. Lists of attribute values
become one `A` line per value; true/false are the values `true` and `false`.

Read from other brat users' files, and reported as warnings: a discontinuous span becomes the
one span that covers its fragments; an event `E1<TAB>Type:T1 Role:T2` keeps its trigger span
and gets one relation per argument (layer "Event arguments", label = role); an equivalence
`*<TAB>Type T1 T2 T3` becomes relations T1→T2→T3; a normalisation `N1<TAB>Ref T1 db:id`
becomes the attribute `Ref` = `db:id`. A `.ann` whose text does not match its `.txt` is
refused with file and line.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.codebook import AttributeKind, Codebook
from workbench.core.drafts import DocumentDraft, ParsedFile, RelationDraft, SpanDraft
from workbench.core.errors import InputFileError
from workbench.core.export_data import (
    ExportBundle,
    ExportDocument,
    ExportSummary,
    Omissions,
    WriteOptions,
)
from workbench.formats.registry import Format, ReadOptions
from workbench.formats.shared.atomic_output import atomic_folder
from workbench.formats.shared.brat_conf import (
    EVENT_ARGUMENT_LAYER,
    TRUE_FALSE,
    AttributeUse,
    BratConfig,
    Overlaps,
    TypeNames,
    decode_name,
    encode_name,
    find_config,
    read_config,
    render_annotation_conf,
    render_visual_conf,
)
from workbench.formats.shared.file_metadata import file_metadata
from workbench.formats.shared.file_names import unique_safe_stem
from workbench.formats.shared.input_files import (
    read_utf8,
    split_lines,
    visible_files,
    walk_files,
)

# Everything str.splitlines() breaks at: none of it may appear inside one .ann line.
_LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_FRAGMENT = re.compile(f"[^{_LINE_BREAKS}]+")
_ONE_LINE = re.compile(f"[\t{_LINE_BREAKS}]+")

# --- writing ------------------------------------------------------------------------------


def write(bundle: ExportBundle, target: Path, options: WriteOptions) -> ExportSummary:
    summary = ExportSummary(format=FORMAT.name, target=str(target))
    omissions = Omissions()
    names = TypeNames.for_codebook(bundle.codebook)
    attributes = _declared_attributes(bundle.codebook, names)
    overlaps = Overlaps()
    annotators: set[str] = set()
    with atomic_folder(target) as folder:
        taken: set[str] = set()
        for item in bundle.documents():
            stem = unique_safe_stem(item.name, taken)
            (folder / f"{stem}.txt").write_bytes(item.text.encode("utf-8"))
            lines = _ann_lines(item, names, attributes, omissions, overlaps)
            (folder / f"{stem}.ann").write_bytes("".join(lines).encode("utf-8"))
            summary.files += [f"{stem}.txt", f"{stem}.ann"]
            annotators.update(span.annotator for span in item.spans)
            annotators.update(relation.annotator for relation in item.relations)
            omissions.add("document label(s)", len(item.document_labels))
            summary.count(item, document_labels=False)
        (folder / "annotation.conf").write_text(
            render_annotation_conf(bundle.codebook, names, attributes, overlaps),
            encoding="utf-8")
        (folder / "visual.conf").write_text(render_visual_conf(bundle.codebook, names),
                                            encoding="utf-8")
        summary.files += ["annotation.conf", "visual.conf"]
    summary.not_carried.extend(omissions.lines())
    if annotators:
        summary.not_carried.append(f"annotator names ({', '.join(sorted(annotators))})")
    return summary


def _declared_attributes(codebook: Codebook, names: TypeNames) -> dict[str, AttributeUse]:
    """annotation.conf's attributes: every attribute of a span layer, with its options."""
    uses: dict[str, AttributeUse] = {}
    for layer in codebook.span_layers:
        types = [names.spans[(layer.name, label.name)] for label in layer.labels
                 if label.selectable]
        for attribute in layer.attributes:
            use = uses.setdefault(encode_name(attribute.name), AttributeUse())
            use.targets.update(types)
            if attribute.kind is AttributeKind.BOOL:
                use.values.update(dict.fromkeys(TRUE_FALSE))
            else:
                use.values.update(dict.fromkeys(encode_name(o) for o in attribute.options))
            use.several = use.several or attribute.kind is AttributeKind.MULTI_ENUM
    return uses


def _ann_lines(item: ExportDocument, names: TypeNames, attributes: dict[str, AttributeUse],
               omissions: Omissions, overlaps: Overlaps) -> list[str]:
    text = item.text
    lines: list[str] = []
    extents: list[tuple[int, int, str]] = []
    ids: dict[int | None, str] = {}
    counters = {"A": 0, "#": 0}

    def note(target: str, value: str) -> None:
        if value:
            flat = _ONE_LINE.sub(" ", value)
            if flat != value:
                omissions.add("note(s) with line breaks or tabs written on one line")
            counters["#"] += 1
            lines.append(f"#{counters['#']}\tAnnotatorNotes {target}\t{flat}\n")

    for number, span in enumerate(item.spans, start=1):
        tid = ids[span.id] = f"T{number}"
        type_name = names.spans[(span.layer, span.label)]
        pieces = [m.span() for m in _FRAGMENT.finditer(text, span.start, span.end)]
        if (pieces[0][0], pieces[-1][1]) != (span.start, span.end):
            omissions.add("span(s) written without the line break they begin or end with")
        offsets = ";".join(f"{s} {e}" for s, e in pieces)
        quoted = " ".join(text[s:e] for s, e in pieces)
        extents.append((pieces[0][0], pieces[-1][1], type_name))
        lines.append(f"{tid}\t{type_name} {offsets}\t{quoted}\n")
        for name, value in span.attributes.items():
            encoded = encode_name(name)
            use = attributes.setdefault(encoded, AttributeUse())
            use.targets.add(type_name)
            values = value if isinstance(value, list) else [value]
            use.several = use.several or isinstance(value, list)
            for single in values:
                written = _attribute_value(single)
                use.values.setdefault(written)
                counters["A"] += 1
                lines.append(f"A{counters['A']}\t{encoded} {tid} {written}\n")
        note(tid, span.note)
    for number, relation in enumerate(item.relations, start=1):
        rid = f"R{number}"
        type_name = names.relations[(relation.layer, relation.label)]
        lines.append(f"{rid}\t{type_name} Arg1:{ids[relation.source_id]} "
                     f"Arg2:{ids[relation.target_id]}\t\n")
        omissions.add("attribute value(s) of relations", len(relation.attributes))
        note(rid, relation.note)
    overlaps.add_document(extents)
    return lines


def _attribute_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return encode_name(str(value))


# --- reading ------------------------------------------------------------------------------


def sniff(path: Path) -> bool:
    """A folder holding .ann files (a few levels deep at most), or a .ann file."""
    if path.is_file():
        return path.suffix.lower() == ".ann"
    # By name only: every imported folder is sniffed, and a folder of ten thousand text
    # files must not cost a look at each of them.
    return any(name.lower().endswith(".ann")
               for _, names in visible_files(path) for name in names)


def read(path: Path, options: ReadOptions) -> Iterator[ParsedFile | InputFileError]:
    if path.is_dir():
        root, pairs = path, list(_pairs(path))
    else:
        root = path.parent
        text_file, ann_file = path.with_suffix(".txt"), path.with_suffix(".ann")
        pairs = [(text_file if text_file.is_file() else None,
                  ann_file if ann_file.is_file() else None)]
    configs: dict[Path, BratConfig] = {}
    for txt, ann in pairs:
        if txt is None:
            assert ann is not None
            yield InputFileError(ann, "no text file with the same name (.txt) next to it")
            continue
        folder = txt.parent
        try:
            if folder not in configs:
                configs[folder] = read_config(find_config(folder, root))
            yield _read_pair(txt, ann, configs[folder], root)
        except InputFileError as error:
            yield error


def _pairs(folder: Path) -> Iterator[tuple[Path | None, Path | None]]:
    """(.txt, .ann) of each name in the folders that sniff() looks at; None where one of
    the two is missing."""
    files = (file for file in walk_files(folder) if file.suffix.lower() in (".txt", ".ann"))
    for parent, group in itertools.groupby(files, key=lambda file: file.parent):
        for stem in sorted({file.stem for file in group}):
            txt, ann = parent / f"{stem}.txt", parent / f"{stem}.ann"
            yield (txt if txt.is_file() else None, ann if ann.is_file() else None)


@dataclass
class _Lines:
    """The lines of one .ann file by kind, each with its line number."""

    spans: list[tuple[int, list[str]]] = field(default_factory=list)
    events: list[tuple[int, list[str]]] = field(default_factory=list)
    relations: list[tuple[int, list[str]]] = field(default_factory=list)
    equivalences: list[tuple[int, list[str]]] = field(default_factory=list)
    attributes: list[tuple[int, list[str]]] = field(default_factory=list)
    normalisations: list[tuple[int, list[str]]] = field(default_factory=list)
    notes: list[tuple[int, list[str]]] = field(default_factory=list)


def _read_pair(txt: Path, ann: Path | None, config: BratConfig, root: Path) -> ParsedFile:
    # Plain UTF-8: brat counts a byte order mark as a character of the text.
    text = read_utf8(txt, "a brat text file", keep_bom=True)
    if not text.strip():
        raise InputFileError(txt, "the text file is empty")
    name = txt.relative_to(root).with_suffix("").as_posix() if txt.is_relative_to(root) \
        else txt.stem
    draft = DocumentDraft(name=name, text=text, metadata=file_metadata(txt, encoding="utf-8"))
    parsed = ParsedFile(source=str(ann or txt), format=FORMAT.name, documents=[draft],
                        codebook=config.codebook)
    if ann is not None:
        _AnnReader(ann, text, config, draft, parsed.warnings).read()
    return parsed


class _AnnReader:
    def __init__(self, path: Path, text: str, config: BratConfig, draft: DocumentDraft,
                 warnings: list[str]) -> None:
        self.path = path
        self.text = text
        self.config = config
        self.draft = draft
        self.warnings = warnings
        self.spans: dict[str, SpanDraft] = {}
        self.relations: dict[str, RelationDraft] = {}
        self.triggers: dict[str, str] = {}  # event id -> trigger span id
        self.converted: dict[str, list[int]] = {}  # what was converted -> lines

    def note_conversion(self, what: str, line: int) -> None:
        self.converted.setdefault(what, []).append(line)

    def fail(self, message: str, line: int) -> InputFileError:
        return InputFileError(self.path, message, line=line)

    def read(self) -> None:
        lines = self._split()
        for line, fields in lines.spans:
            self._span(line, fields)
        for line, fields in lines.events:
            self._trigger(line, fields)
        for line, fields in lines.events:
            self._event(line, fields)
        for line, fields in lines.relations:
            self._relation(line, fields)
        for line, fields in lines.equivalences:
            self._equivalence(line, fields)
        values: dict[tuple[str, str], list[Any]] = {}
        for line, fields in lines.attributes:
            self._attribute(line, fields, values)
        for line, fields in lines.normalisations:
            self._normalisation(line, fields, values)
        for (target, name), found in values.items():
            attributes = self._annotation(target, 0).attributes
            several = len(found) > 1 or name in self.config.several
            attributes[decode_name(name)] = found if several else found[0]
        for line, fields in lines.notes:
            self._note(line, fields)
        for what, numbers in self.converted.items():
            shown = ", ".join(str(n) for n in numbers[:5]) + (", ..." if len(numbers) > 5 else "")
            self.warnings.append(f"{self.path}: {len(numbers)} {what} (line {shown})")

    def _split(self) -> _Lines:
        content = read_utf8(self.path, "a brat .ann file")
        lines = _Lines()
        buckets = {"T": lines.spans, "E": lines.events, "R": lines.relations,
                   "*": lines.equivalences, "A": lines.attributes, "M": lines.attributes,
                   "N": lines.normalisations, "#": lines.notes}
        for number, raw in enumerate(split_lines(content), start=1):
            if not raw.strip():
                continue
            fields = raw.split("\t", 2)
            bucket = buckets.get(raw[0])
            if bucket is None or len(fields) < 2:
                raise self.fail(f"not a brat annotation line: {raw[:40]!r}", number)
            bucket.append((number, fields))
        return lines

    def _span(self, line: int, fields: list[str]) -> None:
        tid = fields[0]
        if tid in self.spans:
            raise self.fail(f"annotation id {tid} is used twice", line)
        type_name, _, offsets = fields[1].partition(" ")
        pieces = []
        for piece in offsets.split(";"):
            parts = piece.split()
            if len(parts) != 2 or not all(_is_int(p) for p in parts):
                raise self.fail(f"offsets {offsets!r} are not 'start end' pairs", line)
            start, end = int(parts[0]), int(parts[1])
            if not 0 <= start <= end <= len(self.text):
                raise self.fail(f"offsets {start}-{end} fall outside the text (length "
                                f"{len(self.text)} characters)", line)
            pieces.append((start, end))
        pieces.sort()
        quoted = fields[2] if len(fields) > 2 else None
        expected = " ".join(self.text[s:e] for s, e in pieces)
        if quoted is not None and _squeeze(quoted) != _squeeze(expected):
            raise self.fail(f"the text {quoted!r} does not match the .txt at {offsets} "
                            f"({expected!r})", line)
        start, end = pieces[0][0], pieces[-1][1]
        gaps = [self.text[a:b] for (_, a), (b, _) in itertools.pairwise(pieces)]
        if any(gap.strip(_LINE_BREAKS) for gap in gaps):
            self.note_conversion("discontinuous span(s) imported as the one span covering "
                                 "their fragments", line)
        layer, label, from_codebook = self.config.span_layer(type_name)
        span = SpanDraft(layer=layer, label=label, start=start, end=end, key=tid, line=line,
                         layer_from_codebook=from_codebook)
        self.spans[tid] = span
        self.draft.spans.append(span)

    def _trigger(self, line: int, fields: list[str]) -> None:
        trigger = fields[1].split()[0].partition(":")[2]
        if trigger not in self.spans:
            raise self.fail(f"event {fields[0]} has no trigger span {trigger!r}", line)
        self.triggers[fields[0]] = trigger

    def _event(self, line: int, fields: list[str]) -> None:
        trigger = self.triggers[fields[0]]
        for argument in fields[1].split()[1:]:
            role, _, target = argument.partition(":")
            target = self.triggers.get(target, target)
            if target not in self.spans:
                raise self.fail(f"event {fields[0]} points at unknown annotation {target!r}",
                                line)
            self.draft.relations.append(RelationDraft(
                layer=EVENT_ARGUMENT_LAYER, label=re.sub(r"\d+$", "", role) or role,
                source_key=trigger, target_key=target, line=line))
        self.note_conversion("event(s) imported as their trigger span with one relation per "
                             "argument", line)

    def _relation(self, line: int, fields: list[str]) -> None:
        parts = fields[1].split()
        if len(parts) != 3:
            raise self.fail("a relation needs a type and two arguments", line)
        ends = [part.partition(":")[2] for part in parts[1:]]
        for end in ends:
            if end not in self.spans:
                raise self.fail(f"relation {fields[0]} points at unknown annotation {end!r}",
                                line)
        layer, label, from_codebook = self.config.relation_layer(parts[0])
        relation = RelationDraft(layer=layer, label=label, source_key=ends[0],
                                 target_key=ends[1], line=line,
                                 layer_from_codebook=from_codebook)
        self.relations[fields[0]] = relation
        self.draft.relations.append(relation)

    def _equivalence(self, line: int, fields: list[str]) -> None:
        type_name, *members = fields[1].split()
        members = [self.triggers.get(member, member) for member in members]
        for member in members:
            if member not in self.spans:
                raise self.fail(f"equivalence points at unknown annotation {member!r}", line)
        layer, label, from_codebook = self.config.relation_layer(type_name)
        for source, target in itertools.pairwise(members):
            self.draft.relations.append(RelationDraft(
                layer=layer, label=label, source_key=source, target_key=target, line=line,
                layer_from_codebook=from_codebook))
        self.note_conversion("equivalence(s) imported as a chain of relations", line)

    def _attribute(self, line: int, fields: list[str],
                   values: dict[tuple[str, str], list[Any]]) -> None:
        parts = fields[1].split()
        if len(parts) not in (2, 3):
            raise self.fail("an attribute needs a name, a target and at most one value", line)
        name, target = parts[0], self.triggers.get(parts[1], parts[1])
        self._annotation(target, line)
        if len(parts) == 2:
            value: Any = True
        elif name in self.config.true_false and parts[2] in TRUE_FALSE:
            value = parts[2] == "true"
        else:
            value = decode_name(parts[2])
        values.setdefault((target, name), []).append(value)

    def _normalisation(self, line: int, fields: list[str],
                       values: dict[tuple[str, str], list[Any]]) -> None:
        parts = fields[1].split()
        if len(parts) != 3:
            raise self.fail("a normalisation needs a type, a target and a reference", line)
        target = self.triggers.get(parts[1], parts[1])
        self._annotation(target, line)
        values.setdefault((target, parts[0]), []).append(parts[2])
        self.note_conversion("normalisation(s) imported as attributes named by their type",
                             line)

    def _note(self, line: int, fields: list[str]) -> None:
        parts = fields[1].split()
        if len(parts) != 2:
            raise self.fail("a note needs a type and a target", line)
        target = self.triggers.get(parts[1], parts[1])
        annotation = self._annotation(target, line)
        text = fields[2] if len(fields) > 2 else ""
        annotation.note = f"{annotation.note}\n{text}" if annotation.note else text

    def _annotation(self, target: str, line: int) -> SpanDraft | RelationDraft:
        found = self.spans.get(target) or self.relations.get(target)
        if found is None:
            raise self.fail(f"points at unknown annotation {target!r}", line)
        return found


def _is_int(value: str) -> bool:
    return value.isdigit() or (value.startswith("-") and value[1:].isdigit())


def _squeeze(text: str) -> str:
    return " ".join(text.split())


FORMAT = Format(
    name="brat",
    title="brat standoff (folder of .txt/.ann with annotation.conf)",
    extensions=(".ann",),
    reader=read,
    writer=write,
    sniff=sniff,
    reads_folders=True,
    carries=frozenset({"documents", "spans", "attributes", "notes", "relations", "codebook"}),
    description="One .txt (byte for byte) and one .ann per document; annotation.conf groups "
    "each layer's labels, visual.conf keeps colours and real names. Names outside "
    "[A-Za-z0-9_-] are encoded reversibly. Offsets in code points. Events, equivalences and "
    "discontinuous spans of other brat files are converted (with warnings).",
    limitations="attributes of relations; line breaks in notes",
)
