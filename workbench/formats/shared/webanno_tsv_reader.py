"""Reading WebAnno TSV 3.x (INCEpTION) into drafts.

Follows INCEpTION's own reader (Tsv3XDeserializer): the text is rebuilt from the `#Text=`
lines at the UTF-16 offset of each sentence's first token (padding with spaces, a line break
after each sentence); span cells carry `[N]` disambiguation ids that join multi-token and
stacked annotations; relation cells sit on the dependent's row and name the governor's row;
chain cells carry `->chain-link`; slot (link) features become relations from the host span to
each filler. Annotations our model cannot hold (zero-width or whitespace-only spans) are
reported as warnings, never dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.drafts import DocumentDraft, ParsedFile, RelationDraft, SpanDraft
from workbench.core.errors import InputFileError
from workbench.core.model import AttributeValue
from workbench.core.offsets import Utf16Map, utf16_len
from workbench.formats.shared.inception_names import (
    NOTE_FEATURE,
    attribute_name,
    label_feature,
    layer_name,
)
from workbench.formats.shared.input_files import read_utf8, split_lines

_FORMAT = re.compile(r"^#FORMAT=WebAnno TSV (\d+)\.(\d+)\s*$")
_CHAIN_SUFFIX = re.compile(r"^(.*)(?<!\\)->(\d+)-(\d+)$")
_ADDRESS = re.compile(r"^\d+-\d+(\.\d+)?$")
_VALUE_ESCAPES = {"\\": "\\", "[": "[", "]": "]", "|": "|", "_": "_", "->": "->", ";": ";",
                  "t": "\t", "n": "\n", "r": "\r", "*": "*"}
_VALUE_ESCAPE = re.compile(r"\\(->|.)", re.DOTALL)
_TEXT_ESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}

SPAN, RELATION, CHAIN = "span", "relation", "chain"
PRIMITIVE, PLACEHOLDER, SLOT_ROLE, SLOT_TARGET = "primitive", "placeholder", "role", "target"
RELATION_REF, CHAIN_TYPE, CHAIN_LINK = "relation_ref", "chain_type", "chain_link"


def split_unescaped(value: str, separator: str) -> list[str]:
    """Split at each `separator` that is not escaped. An escaped backslash (`\\\\`) escapes
    nothing after it, which a look-behind for one backslash cannot tell apart."""
    pieces: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(value):
        char = value[i]
        if char == "\\" and i + 1 < len(value):
            current.append(value[i:i + 2])
            i += 2
        elif char == separator:
            pieces.append("".join(current))
            current = []
            i += 1
        else:
            current.append(char)
            i += 1
    pieces.append("".join(current))
    return pieces


def unescape_value(value: str) -> str:
    return _VALUE_ESCAPE.sub(lambda m: _VALUE_ESCAPES.get(m.group(1), m.group(0)), value)


def unescape_text(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: _TEXT_ESCAPES.get(m.group(1), m.group(0)), value)


@dataclass
class Column:
    kind: str  # SPAN / RELATION / CHAIN
    uima_type: str
    feature: str
    role: str  # PRIMITIVE, PLACEHOLDER, ...
    target_type: str = ""


@dataclass
class Annotation:
    uid: int
    uima_type: str
    begin: int  # UTF-16
    end: int
    line: int
    features: dict[str, str | list[str] | None] = field(default_factory=dict)
    # relation only: (governor address, governor id, dependent address, dependent id)
    ends: tuple[str, int, str, int] | None = None
    # slot links: (role, target address, target id)
    links: list[tuple[str | None, str, int]] = field(default_factory=list)


# add_span(annotation, layer, label, attributes, note) -> the new span's key, or None when
# the annotation cannot be a span; describe(annotation) -> (label, attributes, note).
AddSpan = Callable[[Annotation, str, str, dict[str, AttributeValue], str], "str | None"]
Describe = Callable[[Annotation], tuple[str, dict[str, AttributeValue], str]]


@dataclass
class Unit:
    begin: int
    end: int
    line: int
    by_type: dict[str, list[Annotation]] = field(default_factory=dict)
    # chain type values seen before their link cell, by (type, stacking index)
    pending: dict[tuple[str, int], str | list[str] | None] = field(default_factory=dict)


class TsvDocument:
    """The parse of one file: units by address, annotations, chains."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.columns: list[Column] = []
        self.units: dict[str, Unit] = {}
        self.annotations: list[Annotation] = []
        self.by_id: dict[int, Annotation] = {}
        self.chains: dict[int, dict[int, Annotation]] = {}
        self.warnings: list[str] = []
        self.text = ""

    def error(self, reason: str, line: int | None) -> InputFileError:
        return InputFileError(self.path, reason, line=line)

    def new_annotation(self, uima_type: str, unit: Unit, line: int) -> Annotation:
        annotation = Annotation(len(self.annotations), uima_type, unit.begin, unit.end, line)
        self.annotations.append(annotation)
        return annotation


def parse(path: Path) -> TsvDocument:
    lines = split_lines(read_utf8(path, "a WebAnno TSV file"))
    doc = TsvDocument(path)
    header = _FORMAT.match(lines[0]) if lines else None
    if header is None:
        raise doc.error("not a WebAnno TSV 3 file (no '#FORMAT=WebAnno TSV 3.x' header)", 1)
    if header.group(1) != "3":
        raise doc.error("only WebAnno TSV version 3 is supported", 1)
    number = _read_schema(doc, lines)
    _read_body(doc, lines, number)
    return doc


def _read_schema(doc: TsvDocument, lines: list[str]) -> int:
    index = 1
    while index < len(lines) and lines[index].startswith("#T_"):
        line = lines[index]
        prefix, _, rest = line.partition("=")
        kind = {"#T_SP": SPAN, "#T_RL": RELATION, "#T_CH": CHAIN}.get(prefix)
        if kind is None:
            raise doc.error(f"unknown layer declaration {prefix!r}", index + 1)
        fields = [f for f in rest.split("|") if f]
        if not fields:
            raise doc.error("a layer declaration without a type name", index + 1)
        uima_type, declared = fields[0], fields[1:]
        if not declared:
            doc.columns.append(Column(kind, uima_type, "", PLACEHOLDER))
        for declaration in declared:
            doc.columns.append(_column(doc, kind, uima_type, declaration, index + 1))
        index += 1
    if index + 1 >= len(lines) or lines[index] or lines[index + 1]:
        raise doc.error("the header must end with two empty lines", index + 1)
    return index + 2


def _column(doc: TsvDocument, kind: str, uima_type: str, declaration: str,
            line: int) -> Column:
    previous = doc.columns[-1] if doc.columns else None
    if kind == SPAN and declaration.startswith("ROLE_"):
        parts = declaration.split("_")
        feature = parts[1].partition(":")[2] if len(parts) > 1 else ""
        return Column(kind, uima_type, feature or "links", SLOT_ROLE)
    if kind == RELATION and declaration.startswith("BT_"):
        return Column(kind, uima_type, "", RELATION_REF, declaration[3:])
    if kind == CHAIN and declaration == "referenceType":
        return Column(kind, uima_type, declaration, CHAIN_TYPE)
    if kind == CHAIN and declaration == "referenceRelation":
        return Column(kind, uima_type, declaration, CHAIN_LINK)
    if previous is not None and previous.role == SLOT_ROLE and previous.uima_type == uima_type \
            and "." in declaration:
        return Column(kind, uima_type, previous.feature, SLOT_TARGET, declaration)
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", declaration):
        raise doc.error(f"feature name {declaration!r} is not valid", line)
    return Column(kind, uima_type, declaration, PRIMITIVE)


def _read_body(doc: TsvDocument, lines: list[str], index: int) -> None:
    parts: list[str] = []
    length = 0  # UTF-16 length of the text so far
    sentence_lines: list[str] = []
    state = "between"
    token: Unit | None = None
    columns = len(doc.columns)
    for number in range(index + 1, len(lines) + 1):
        line = lines[number - 1]
        if not line:
            if state in ("token",):
                state = "between"
            continue
        if line.startswith("#"):
            if state == "token":
                raise doc.error("a sentence header must follow an empty line", number)
            if line.startswith("#Text="):
                sentence_lines.append(unescape_text(line[len("#Text="):]))
            state = "header"
            continue
        if state == "between":
            raise doc.error("a token row must follow a #Text= sentence header", number)
        fields = line.split("\t")
        if fields and fields[-1] == "" and len(fields) == columns + 4:
            fields = fields[:-1]
        if len(fields) != columns + 3:
            raise doc.error(f"expected {columns + 3} tab-separated columns "
                            f"(address, offsets, token and {columns} annotation columns), "
                            f"found {len(fields)}", number)
        address = fields[0]
        begin, end = _offsets(doc, fields[1], number)
        if not _ADDRESS.match(address):
            raise doc.error(f"{address!r} is not a sentence-token address", number)
        if state == "header":
            sentence = "\n".join(sentence_lines) + "\n"
            sentence_lines = []
            if length > begin:
                if length != begin + 1 or not parts or not parts[-1].endswith("\n"):
                    raise doc.error(f"token offset {begin} overlaps the previous sentence",
                                    number)
                parts[-1] = parts[-1][:-1]
                length -= 1
            if length < begin:
                parts.append(" " * (begin - length))
                length = begin
            parts.append(sentence)
            length += utf16_len(sentence)
        if "." in address and token is None:
            raise doc.error("a sub-token row must follow its token", number)
        unit = Unit(begin, end, number)
        if address in doc.units:
            raise doc.error(f"address {address} appears twice", number)
        doc.units[address] = unit
        if "." not in address:
            token = unit
        state = "token"
        _parse_cells(doc, unit, address, fields[3:], number)
    if sentence_lines:
        raise doc.error("the last sentence header has no tokens", len(lines))
    text = "".join(parts)
    # The reader adds a line break after every sentence; the last one is not in the source.
    doc.text = text[:-1] if text.endswith("\n") else text
    limit = utf16_len(doc.text)
    for unit in doc.units.values():
        if unit.end > limit + 1:
            raise doc.error(f"offsets {unit.begin}-{unit.end} fall outside the text", unit.line)


def _offsets(doc: TsvDocument, value: str, line: int) -> tuple[int, int]:
    begin, dash, end = value.partition("-")
    if not dash or not begin.isdigit() or not end.isdigit():
        raise doc.error(f"offsets {value!r} are not 'begin-end' with whole numbers "
                        "(negative offsets are not allowed)", line)
    if int(end) < int(begin):
        raise doc.error(f"offsets {value!r} end before they begin", line)
    return int(begin), int(end)


def _split_suffix(value: str) -> tuple[str, str | None]:
    if value.endswith("]") and not value.endswith("\\]") and "[" in value:
        head, _, info = value.rpartition("[")
        return head, info[:-1]
    return value, None


def _parse_cells(doc: TsvDocument, unit: Unit, address: str, cells: list[str],
                 line: int) -> None:
    for column, raw in zip(doc.columns, cells, strict=True):
        if raw == "_":
            continue
        for stack, value in enumerate(split_unescaped(raw, "|")):
            _parse_cell(doc, unit, address, column, stack, value, line)


def _parse_cell(doc: TsvDocument, unit: Unit, address: str, column: Column, stack: int,
                value: str, line: int) -> None:
    info: str | None = None
    if column.role != SLOT_TARGET:
        value, info = _split_suffix(value)
        if info is None and column.role == CHAIN_LINK:
            match = _CHAIN_SUFFIX.match(value)
            if match:
                value, info = match.group(1), f"{match.group(2)}-{match.group(3)}"
    annotations = unit.by_type.setdefault(column.uima_type, [])
    try:
        if column.kind == CHAIN:
            _chain_cell(doc, unit, column, stack, value, info, line)
            return
        if stack < len(annotations):
            annotation = annotations[stack]
        elif column.kind == SPAN and info is not None and int(info) in doc.by_id:
            annotation = doc.by_id[int(info)]
            annotation.end = max(annotation.end, unit.end)
            annotations.append(annotation)
        else:
            annotation = doc.new_annotation(column.uima_type, unit, line)
            annotations.append(annotation)
            if column.kind == SPAN and info is not None:
                doc.by_id[int(info)] = annotation
    except ValueError:
        raise doc.error(f"{info!r} is not a valid disambiguation id", line) from None
    if column.role == PRIMITIVE:
        annotation.features[column.feature] = _primitive(value)
    elif column.role == RELATION_REF:
        governor_id, dependent_id = _relation_ids(doc, info, line)
        if not _ADDRESS.match(value):
            raise doc.error(f"{value!r} is not the address of the governor's row", line)
        annotation.ends = (value, governor_id, address, dependent_id)
    elif column.role == SLOT_ROLE:
        roles = [] if value == "_" else split_unescaped(value, ";")
        annotation.links = [(None if r == "*" else unescape_value(r), "", 0) for r in roles]
    elif column.role == SLOT_TARGET:
        targets = [] if value in ("_", "*") else split_unescaped(value, ";")
        if len(targets) != len(annotation.links):
            raise doc.error(f"{len(annotation.links)} slot role(s) but {len(targets)} "
                            "slot target(s)", line)
        for n, target in enumerate(targets):
            target_address, target_id = _split_suffix(target)
            annotation.links[n] = (annotation.links[n][0], target_address,
                                   int(target_id) if target_id else 0)


def _primitive(value: str) -> str | list[str] | None:
    if value == "*":
        return None
    pieces = split_unescaped(value, ";")
    if len(pieces) > 1:
        return [unescape_value(piece) for piece in pieces]
    return unescape_value(value)


def _relation_ids(doc: TsvDocument, info: str | None, line: int) -> tuple[int, int]:
    if info is None:
        return 0, 0
    governor, _, dependent = info.partition("_")
    if not governor.isdigit() or not dependent.isdigit():
        raise doc.error(f"relation ids {info!r} are not 'governor_dependent' numbers", line)
    return int(governor), int(dependent)


def _chain_cell(doc: TsvDocument, unit: Unit, column: Column, stack: int, value: str,
                info: str | None, line: int) -> None:
    annotations = unit.by_type.setdefault(column.uima_type, [])
    if column.role == CHAIN_TYPE:
        if stack < len(annotations):
            annotations[stack].features["referenceType"] = _primitive(value)
        else:  # the link column comes later in this row
            unit.pending[(column.uima_type, stack)] = _primitive(value)
        return
    if info is None or "-" not in info:
        raise doc.error(f"chain cell {value!r} lacks its '->chain-link' suffix", line)
    chain_id, link_index = (int(part) for part in info.split("-", 1))
    links = doc.chains.setdefault(chain_id, {})
    if link_index in links:
        element = links[link_index]
        element.end = max(element.end, unit.end)
    else:
        element = doc.new_annotation(column.uima_type, unit, line)
        links[link_index] = element
    annotations.append(element)
    element.features["referenceRelation"] = _primitive(value)
    pending = unit.pending.pop((column.uima_type, stack), None)
    if pending is not None:
        element.features["referenceType"] = pending


# --- drafts ---------------------------------------------------------------------------------


def to_parsed_file(doc: TsvDocument, format_name: str, annotator: str | None) -> ParsedFile:
    offsets = Utf16Map(doc.text)
    draft = DocumentDraft(name=doc.path.stem, text=doc.text)
    parsed = ParsedFile(source=str(doc.path), format=format_name, documents=[draft])
    features_of: dict[str, list[str]] = {}
    for column in doc.columns:
        if column.role == PRIMITIVE:
            features_of.setdefault(column.uima_type, []).append(column.feature)
    kinds = {column.uima_type: column.kind for column in doc.columns}
    keys: dict[int, str] = {}

    def add_span(annotation: Annotation, layer: str, label: str,
                 attributes: dict[str, AttributeValue], note: str) -> str | None:
        start, end = offsets.from_utf16(annotation.begin), offsets.from_utf16(annotation.end)
        start, end = max(0, start), min(len(doc.text), end)
        if end <= start or not doc.text[start:end].strip():
            parsed.warnings.append(
                f"{doc.path}, line {annotation.line}: {layer} annotation {label!r} at "
                f"{annotation.begin}-{annotation.end} is empty or only whitespace and was "
                "not imported")
            return None
        key = f"a{annotation.uid}"
        draft.spans.append(SpanDraft(layer=layer, label=label, start=start, end=end, key=key,
                                     annotator=annotator, attributes=attributes, note=note,
                                     line=annotation.line))
        return key

    def label_and_attributes(annotation: Annotation) -> tuple[str, dict[str, AttributeValue], str]:
        layer = layer_name(annotation.uima_type)
        names = features_of.get(annotation.uima_type, [])
        chosen = label_feature(names)
        value = annotation.features.get(chosen) if chosen else None
        label = value if isinstance(value, str) and value else (
            ", ".join(value) if isinstance(value, list) and value else layer)
        attributes: dict = {}
        note = ""
        for name in names:
            feature_value = annotation.features.get(name)
            if name == chosen or feature_value is None:
                continue
            if name == NOTE_FEATURE and isinstance(feature_value, str):
                note = feature_value
            else:
                attributes[attribute_name(name)] = feature_value
        return label, attributes, note

    for annotation in doc.annotations:  # each once: only new_annotation() adds to the list
        if kinds.get(annotation.uima_type) != SPAN:
            continue
        label, attributes, note = label_and_attributes(annotation)
        key = add_span(annotation, layer_name(annotation.uima_type), label, attributes, note)
        if key:
            keys[annotation.uid] = key
    _chains(doc, draft, add_span, keys, annotator)
    _relations(doc, draft, parsed, keys, add_span, label_and_attributes, annotator)
    _slots(doc, draft, parsed, keys, annotator)
    return parsed


def _resolve(doc: TsvDocument, uima_type: str, address: str, uid: int,
             line: int) -> Annotation | None:
    if uid > 0:
        if uid not in doc.by_id:
            raise doc.error(f"no annotation has the disambiguation id {uid}", line)
        return doc.by_id[uid]
    unit = doc.units.get(address)
    if unit is None:
        raise doc.error(f"no row has the address {address}", line)
    if uima_type == "uima.tcas.Annotation":
        candidates = [a for group in unit.by_type.values() for a in group]
        return candidates[0] if candidates else None
    found = unit.by_type.get(uima_type)
    return found[0] if found else None


def _token_span(doc: TsvDocument, draft: DocumentDraft, address: str, uima_type: str,
                add_span: AddSpan, made: dict[str, str | None]) -> str | None:
    """A relation attached to tokens (BT_...Token) needs spans for its ends: one per token,
    made on first use (`made`: address -> its span's key, None when it could not be made)."""
    if address in made:
        return made[address]
    unit = doc.units[address]
    pseudo = Annotation(-1, uima_type, unit.begin, unit.end, unit.line)
    layer = layer_name(uima_type)
    key = None
    if add_span(pseudo, layer, layer, {}, "") is not None:
        key = draft.spans[-1].key = f"t{address}"
    made[address] = key
    return key


def _relations(doc: TsvDocument, draft: DocumentDraft, parsed: ParsedFile,
               keys: dict[int, str], add_span: AddSpan, describe: Describe,
               annotator: str | None) -> None:
    types = {c.uima_type: c.target_type for c in doc.columns if c.role == RELATION_REF}
    span_types = {c.uima_type for c in doc.columns if c.kind == SPAN}
    token_spans: dict[str, str | None] = {}
    for annotation in doc.annotations:
        if annotation.uima_type not in types or annotation.ends is None:
            continue
        base = types[annotation.uima_type]
        governor_address, governor_id, dependent_address, dependent_id = annotation.ends
        ends: list[str | None] = []
        for address, uid in ((governor_address, governor_id), (dependent_address, dependent_id)):
            if base in span_types or uid > 0 or base == "uima.tcas.Annotation":
                target = _resolve(doc, base, address, uid, annotation.line)
                ends.append(keys.get(target.uid) if target else None)
            else:
                if address not in doc.units:
                    raise doc.error(f"no row has the address {address}", annotation.line)
                ends.append(_token_span(doc, draft, address, base, add_span, token_spans))
        label, attributes, note = describe(annotation)
        if ends[0] is None or ends[1] is None or ends[0] == ends[1]:
            parsed.warnings.append(f"{doc.path}, line {annotation.line}: relation {label!r} "
                                   "links an annotation that could not be imported; skipped")
            continue
        draft.relations.append(RelationDraft(
            layer=layer_name(annotation.uima_type), label=label, source_key=ends[0],
            target_key=ends[1], annotator=annotator, attributes=attributes, note=note,
            line=annotation.line))


def _slots(doc: TsvDocument, draft: DocumentDraft, parsed: ParsedFile, keys: dict[int, str],
           annotator: str | None) -> None:
    targets = {c.uima_type: c.target_type for c in doc.columns if c.role == SLOT_TARGET}
    features = {c.uima_type: c.feature for c in doc.columns if c.role == SLOT_ROLE}
    for annotation in doc.annotations:
        if not annotation.links or annotation.uima_type not in targets:
            continue
        layer = f"{layer_name(annotation.uima_type)} {features[annotation.uima_type]}"
        for role, address, uid in annotation.links:
            if not address:
                continue
            target = _resolve(doc, targets[annotation.uima_type], address, uid, annotation.line)
            source_key = keys.get(annotation.uid)
            target_key = keys.get(target.uid) if target else None
            label = role or features[annotation.uima_type]
            if source_key is None or target_key is None or source_key == target_key:
                parsed.warnings.append(
                    f"{doc.path}, line {annotation.line}: slot {label!r} links an annotation "
                    "that could not be imported; skipped")
                continue
            draft.relations.append(RelationDraft(layer=layer, label=label, source_key=source_key,
                                                 target_key=target_key, annotator=annotator,
                                                 line=annotation.line))


def _chains(doc: TsvDocument, draft: DocumentDraft, add_span: AddSpan, keys: dict[int, str],
            annotator: str | None) -> None:
    for links in doc.chains.values():
        elements = [links[index] for index in sorted(links)]
        if not elements:
            continue
        base = layer_name(elements[0].uima_type)
        layer = base[:-4] if base.endswith("Link") and len(base) > 4 else base
        previous: tuple[str, Annotation] | None = None
        for element in elements:
            kind = element.features.get("referenceType")
            label = kind if isinstance(kind, str) and kind else layer
            key = add_span(element, layer, label, {}, "")
            if key is None:
                previous = None
                continue
            keys[element.uid] = key
            if previous is not None:
                relation = previous[1].features.get("referenceRelation")
                draft.relations.append(RelationDraft(
                    layer=f"{layer} chain",
                    label=relation if isinstance(relation, str) and relation else "next",
                    source_key=previous[0], target_key=key, annotator=annotator,
                    line=element.line))
            previous = (key, element)
