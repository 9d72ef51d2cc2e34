"""UIMA CAS XMI with its TypeSystem.xml, the format INCEpTION imports most faithfully.

Read with dkpro-cassis (the INCEpTION team's library), which converts the UTF-16 offsets on
disk to our code points; the type system is built with cassis too. Each document's XMI is
written the way cassis serialises a CAS but without building one (shared/xmi_output: a CAS of
tokens made the export fifty times slower); tests check cassis reads it back as it would
have written it. Export is one zip holding
`TypeSystem.xml` and one `<document>.xmi` per document, with DKPro Core `Sentence` and `Token`
annotations (tokens cut at every span edge) and `DocumentMetaData`. Mapping (as for WebAnno TSV,
see inception_names): span layer `X` is `webanno.custom.X`, a direct subtype of
`uima.tcas.Annotation` with a `label` feature, one feature per attribute (booleans as Boolean,
numbers as Double, several values as StringArray) and `note`; a relation layer is
`webanno.custom.X` with `Governor` and `Dependent` of the span type it links (or
`uima.tcas.Annotation` when it links several) plus `label`, attributes and `note`.

Import takes such a zip, or an `.xmi` file with `TypeSystem.xml` beside it, and reads any
layer: a type with `Governor` and `Dependent` features is a relation layer, other annotation
types are span layers (their `label`, `value` or first feature is the label). cassis does not
reject offsets past the text, so they are checked here.
"""

from __future__ import annotations

import io
import keyword
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workbench.core.codebook import AttributeKind, Codebook, Layer
from workbench.core.drafts import DocumentDraft, ParsedFile, RelationDraft, SpanDraft
from workbench.core.errors import InputFileError
from workbench.core.export_data import (
    ExportBundle,
    ExportSummary,
    Omissions,
    WriteOptions,
)
from workbench.formats.registry import Format, ReadOptions
from workbench.formats.shared.atomic_output import atomic_file
from workbench.formats.shared.file_names import unique_safe_stem
from workbench.formats.shared.heap import older_objects_set_aside
from workbench.formats.shared.inception_names import (
    DEPENDENT,
    GOVERNOR,
    LABEL_FEATURE,
    NOTE_FEATURE,
    attribute_name,
    feature_name,
    label_feature,
    layer_name,
    relation_bases,
    type_name,
)
from workbench.formats.shared.input_files import read_bytes
from workbench.formats.shared.safe_input import SafeZip, parse_xml
from workbench.formats.shared.xmi_output import XmiWriter

TYPESYSTEM = "TypeSystem.xml"
ANNOTATION = "uima.tcas.Annotation"
DKPRO = "de.tudarmstadt.ukp.dkpro.core.api."
SENTENCE = DKPRO + "segmentation.type.Sentence"
TOKEN = DKPRO + "segmentation.type.Token"
METADATA = DKPRO + "metadata.type.DocumentMetaData"
# Structure, not annotation: never imported as spans.
_STRUCTURAL = {SENTENCE, TOKEN, METADATA, "uima.tcas.DocumentAnnotation",
               DKPRO + "metadata.type.TagsetDescription"}
_PRIMITIVE_RANGES = {"uima.cas.String", "uima.cas.Boolean", "uima.cas.Integer",
                     "uima.cas.Float", "uima.cas.Double", "uima.cas.Long", "uima.cas.Short",
                     "uima.cas.StringArray"}
_RANGE_OF_KIND = {AttributeKind.BOOL: "uima.cas.Boolean", AttributeKind.NUMBER: "uima.cas.Double",
                  AttributeKind.MULTI_ENUM: "uima.cas.StringArray"}


def _cassis() -> Any:
    import cassis  # heavy: imported when the format is used

    return cassis


def sniff(path: Path) -> bool:
    if path.suffix.lower() == ".xmi":
        return True
    try:  # SafeZip refuses what is not a zip archive
        with SafeZip(path) as archive:
            names = archive.names()
    except InputFileError:
        return False
    return any(n.rsplit("/", 1)[-1] == TYPESYSTEM for n in names) and \
        any(n.lower().endswith(".xmi") for n in names)


# --- reading ------------------------------------------------------------------------------


def read(path: Path, options: ReadOptions) -> Iterator[ParsedFile | InputFileError]:
    if path.suffix.lower() == ".xmi":
        data = read_bytes(path)
        if not data.startswith(b"PK"):  # XML, not an archive that was named .xmi
            beside = path.with_name(TYPESYSTEM)
            if not beside.is_file():
                raise InputFileError(path, f"no {TYPESYSTEM} beside the .xmi file")
            typesystem = _load_typesystem(read_bytes(beside), beside)
            yield _read_document(data, path, path.stem, typesystem, options)
            return
    with SafeZip(path) as archive:
        names = archive.names()
        typesystems = [n for n in names if n.rsplit("/", 1)[-1] == TYPESYSTEM]
        if not typesystems:
            raise InputFileError(path, f"the archive has no {TYPESYSTEM}")
        typesystem = _load_typesystem(archive.read(typesystems[0]), f"{path}!{typesystems[0]}")
        for name in names:
            if not name.lower().endswith(".xmi"):
                continue
            source = f"{path}!{name}"
            try:
                stem = name.rsplit("/", 1)[-1][:-4]
                yield _read_document(archive.read(name), source, stem, typesystem, options)
            except InputFileError as error:
                yield error


def _load_typesystem(data: bytes, source: Path | str) -> Any:
    parse_xml(data, source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _cassis().load_typesystem(io.BytesIO(data))
    except Exception as error:  # cassis raises plain exceptions for bad type systems
        raise InputFileError(source, f"not a UIMA type system ({error})") from None


def _read_document(data: bytes, source: Path | str, name: str, typesystem: Any,
                   options: ReadOptions) -> ParsedFile:
    root = parse_xml(data, source)
    lines = {element.get("{http://www.omg.org/XMI}id"): element.sourceline
             for element in root.iter() if isinstance(element.tag, str)}
    parsed = ParsedFile(source=str(source), format=FORMAT.name)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            cas = _cassis().load_cas_from_xmi(io.BytesIO(data), typesystem=typesystem,
                                              lenient=True)
        parsed.warnings.extend(f"{source}: {w.message}" for w in caught)
    except Exception as error:  # cassis reports broken references etc. as plain errors
        raise InputFileError(source, f"not a readable UIMA XMI document ({error})") from None
    text = cas.sofa_string or ""
    draft = DocumentDraft(name=name, text=text)
    parsed.documents.append(draft)
    keys: dict[int, str] = {}

    def line_of(annotation: Any) -> int | None:
        return lines.get(str(annotation.xmiID))

    def add_span(annotation: Any, layer: str, label: str, attributes: dict, note: str) -> str:
        if annotation.begin is None or annotation.end is None or annotation.begin < 0 \
                or annotation.end > len(text) or annotation.end < annotation.begin:
            raise InputFileError(source, f"annotation {annotation.xmiID} ({layer}) has offsets "
                                 f"{annotation.begin}-{annotation.end} outside the text "
                                 f"(length {len(text)})", line=line_of(annotation))
        key = f"x{annotation.xmiID}"
        if annotation.begin == annotation.end or not text[annotation.begin:annotation.end].strip():
            parsed.warnings.append(f"{source}, line {line_of(annotation)}: {layer} annotation "
                                   f"{label!r} is empty or only whitespace and was not imported")
            return ""
        draft.spans.append(SpanDraft(layer=layer, label=label, start=annotation.begin,
                                     end=annotation.end, key=key, annotator=options.annotator,
                                     attributes=attributes, note=note, line=line_of(annotation)))
        keys[annotation.xmiID] = key
        return key

    relations = []
    for annotation in cas.select(ANNOTATION):
        uima_type = annotation.type
        if uima_type.name in _STRUCTURAL:
            continue
        if uima_type.get_feature(GOVERNOR) is not None and \
                uima_type.get_feature(DEPENDENT) is not None:
            relations.append(annotation)
            continue
        label, attributes, note = _describe(annotation)
        add_span(annotation, layer_name(uima_type.name), label, attributes, note)
    for relation in relations:
        label, attributes, note = _describe(relation)
        ends = []
        for end in (getattr(relation, GOVERNOR), getattr(relation, DEPENDENT)):
            if end is None:
                ends.append("")
            elif end.xmiID in keys:
                ends.append(keys[end.xmiID])
            else:  # e.g. a relation over tokens: the token becomes a span of its own layer
                end_layer = layer_name(end.type.name)
                ends.append(add_span(end, end_layer, end_layer, {}, ""))
        if not ends[0] or not ends[1] or ends[0] == ends[1]:
            parsed.warnings.append(f"{source}, line {line_of(relation)}: relation {label!r} "
                                   "lacks an end that could be imported; skipped")
            continue
        draft.relations.append(RelationDraft(
            layer=layer_name(relation.type.name), label=label, source_key=ends[0],
            target_key=ends[1], annotator=options.annotator, attributes=attributes, note=note,
            line=line_of(relation)))
    return parsed


def _describe(annotation: Any) -> tuple[str, dict, str]:
    """Label, attributes and note of an annotation, from its primitive features."""
    features = [f for f in annotation.type.all_features
                if f.rangeType.name in _PRIMITIVE_RANGES
                and f.name not in ("begin", "end", "sofa")]
    names = [f.name for f in features]
    chosen = label_feature(names)
    layer = layer_name(annotation.type.name)
    label, attributes, note = layer, {}, ""
    for name in names:
        value = _feature_value(annotation, name)
        if value is not None and hasattr(value, "elements"):
            value = [str(item) for item in value.elements]
        if value is None or value == []:
            continue
        if name == chosen:
            label = ", ".join(value) if isinstance(value, list) else str(value)
        elif name == NOTE_FEATURE and isinstance(value, str):
            note = value
        else:
            attributes[attribute_name(name)] = value
    return label or layer, attributes, note


def _feature_value(annotation: Any, name: str) -> Any:
    """cassis renames accessors of features named like Python keywords (`type` -> `type_`)."""
    if keyword.iskeyword(name) or name == "type":
        return getattr(annotation, f"{name}_", None)
    return annotation.get(name)


# --- writing ------------------------------------------------------------------------------


def build_typesystem(codebook: Codebook, bases: dict[str, str]) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _build_typesystem(codebook, bases)


def _build_typesystem(codebook: Codebook, bases: dict[str, str]) -> Any:
    cassis = _cassis()
    typesystem = cassis.TypeSystem()
    typesystem.create_type(SENTENCE, ANNOTATION)
    typesystem.create_type(TOKEN, ANNOTATION)
    meta = typesystem.create_type(METADATA, ANNOTATION)
    for name in ("documentTitle", "documentId"):
        typesystem.create_feature(meta, name, "uima.cas.String")
    for layer in codebook.span_layers:
        _layer_type(typesystem, layer)
    for layer in codebook.relation_layers:
        layer_type = _layer_type(typesystem, layer)
        base = bases.get(layer.name, ANNOTATION)
        typesystem.create_feature(layer_type, GOVERNOR, base)
        typesystem.create_feature(layer_type, DEPENDENT, base)
    return typesystem


def _layer_type(typesystem: Any, layer: Layer) -> Any:
    layer_type = typesystem.create_type(type_name(layer.name), ANNOTATION)
    typesystem.create_feature(layer_type, LABEL_FEATURE, "uima.cas.String")
    for attribute in layer.attributes:
        typesystem.create_feature(layer_type, feature_name(attribute.name),
                                  _RANGE_OF_KIND.get(attribute.kind, "uima.cas.String"))
    typesystem.create_feature(layer_type, NOTE_FEATURE, "uima.cas.String")
    return layer_type


def write(bundle: ExportBundle, target: Path, options: WriteOptions) -> ExportSummary:
    summary = ExportSummary(format=FORMAT.name, target=str(target), files=[str(target)])
    bases, mixed = relation_bases(bundle)
    typesystem = build_typesystem(bundle.codebook, bases)
    omissions = Omissions()
    taken: set[str] = set()
    annotators: set[str] = set()
    writer = XmiWriter(bundle.codebook, omissions)
    with older_objects_set_aside(), atomic_file(target) as temporary, \
            zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        # Level 1: markup this repetitive compresses nearly as well, in a third of the time.
        archive.writestr(TYPESYSTEM, typesystem.to_xml())
        for item in bundle.documents():
            name = unique_safe_stem(item.name, taken) + ".xmi"
            archive.writestr(name, writer.document(item))
            summary.count(item, document_labels=False)
            omissions.add("document label(s)", len(item.document_labels))
            annotators.update(span.annotator for span in item.spans)
    if len(annotators) > 1:
        omissions.add(f"annotator names (annotations of {len(annotators)} annotators share "
                      "one CAS per document; export with --annotator for one each)")
    if mixed:
        summary.warnings.append(
            f"relation layer(s) {', '.join(mixed)} link several span layers; their Governor "
            "and Dependent are typed uima.tcas.Annotation, which INCEpTION's layer settings "
            "cannot express")
    summary.not_carried = omissions.lines()
    return summary


FORMAT = Format(
    name="xmi",
    title="UIMA CAS XMI + TypeSystem.xml (INCEpTION)",
    extensions=(".xmi", ".zip"),
    reader=read,
    writer=write,
    sniff=sniff,
    carries=frozenset({"documents", "spans", "attributes", "notes", "relations"}),
    description="A zip of TypeSystem.xml and one .xmi per document (dkpro-cassis); custom "
    "layers webanno.custom.<Layer>, relation layers with Governor/Dependent; UTF-16 on disk.",
)
