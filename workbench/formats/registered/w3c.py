"""W3C Web Annotation (JSON-LD): one AnnotationCollection with every annotation embedded.

A span is an Annotation with motivation `tagging`: a `TextualBody` with purpose `tagging`
holds the label, one with purpose `commenting` the note; the target is a SpecificResource on
the document with a `TextPositionSelector` (code points, end exclusive) and a
`TextQuoteSelector` (exact text, 32 characters of prefix and suffix). `creator` names the
annotator, `created`/`modified` the times. A relation is an Annotation with motivation
`linking` whose target is the source span's annotation and whose body names the target span's
annotation; a document label has motivation `classifying` and the whole document as target.

The model has no place for layers, attribute values or the texts themselves: they travel in
terms of the workbench's own vocabulary (`wb:layer`, `wb:attributes`, and the collection's
`wb:documents`, each with its `wb:text`), declared in the JSON-LD context, so a JSON-LD
processor keeps them and the W3C schemas accept every annotation.

Read: such collections, pages, lists or single annotations. Every target must be a document
whose text is in the file (`wb:documents`); a TextQuoteSelector alone is placed by its quote
(prefix and suffix decide between repeats); a quote that disagrees with the position is
refused with file and line.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workbench.core.drafts import (
    DocumentDraft,
    DocumentLabelDraft,
    ParsedFile,
    RelationDraft,
    SpanDraft,
)
from workbench.core.errors import InputFileError
from workbench.core.export_data import ExportBundle, ExportDocument, ExportSummary, WriteOptions
from workbench.core.model import content_hash
from workbench.formats.registry import Format, ReadOptions
from workbench.formats.shared.atomic_output import atomic_file
from workbench.formats.shared.json_input import load_json, parsed_json, whole_number
from workbench.formats.shared.json_positions import JsonLocator

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
VOCABULARY = "urn:annotation-workbench:vocabulary#"
WB_CONTEXT = {
    "wb": VOCABULARY,
    "wb:attributes": {"@id": f"{VOCABULARY}attributes", "@type": "@json"},
}
CONTEXT = [ANNO_CONTEXT, WB_CONTEXT]
QUOTE_CONTEXT = 32
DEFAULT_LAYERS = {"span": "Annotations", "relation": "Links", "document": "Classifications"}
LABEL_PURPOSES = ("tagging", "classifying", "identifying")


def document_iri(text: str) -> str:
    return f"urn:sha256:{content_hash(text)}"


def _annotation_iri(document: str, kind: str, number: int) -> str:
    """Stable across exports: the document's content hash, the kind and the number."""
    return f"urn:workbench:{document.rsplit(':', 1)[1]}:{kind}:{number}"


def sniff(path: Path) -> bool:
    """A JSON-LD document of the Web Annotation context, or of its types: judged by the
    structure of the whole file, not by its first lines."""
    value = parsed_json(path)
    if not isinstance(value, dict):
        return False
    context = value.get("@context")
    contexts = context if isinstance(context, list) else [context]
    kinds = value.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(c, str) and "anno.jsonld" in c for c in contexts) or bool(
        {"Annotation", "AnnotationCollection", "AnnotationPage"} & {str(k) for k in kinds})


# --- writing ------------------------------------------------------------------------------


def write(bundle: ExportBundle, target: Path, options: WriteOptions) -> ExportSummary:
    summary = ExportSummary(format=FORMAT.name, target=str(target), files=[str(target)])
    collection = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'workbench/{bundle.project_name}')}"
    total = 0
    # The texts follow the annotations in the file; they wait in a scratch file meanwhile,
    # so a big project streams instead of sitting in memory.
    with atomic_file(target) as temporary, temporary.open("w", encoding="utf-8") as out, \
            tempfile.TemporaryFile("w+", encoding="utf-8") as texts:
        out.write("{\n")
        out.write(f' "@context": {_dump(CONTEXT)},\n "id": {_dump(collection)},\n'
                  f' "type": "AnnotationCollection",\n "label": {_dump(bundle.project_name)},\n')
        out.write(f' "first": {{"id": {_dump(collection + "/page1")}, "type": "AnnotationPage",'
                  f' "partOf": {_dump(collection)}, "startIndex": 0, "items": [')
        for item in bundle.documents():
            iri = document_iri(item.text)
            texts.write(",\n  " if summary.documents else "\n  ")
            texts.write(_dump({"id": iri, "type": "Text", "name": item.name,
                               "wb:text": item.text}))
            for annotation in _annotations(item, iri):
                out.write(",\n  " if total else "\n  ")
                out.write(_dump(annotation))
                total += 1
            summary.count(item)
        out.write("\n ]},\n")
        out.write(f' "total": {total},\n "wb:documents": [')
        texts.seek(0)
        shutil.copyfileobj(texts, out)
        out.write("\n ]\n}\n")
    return summary


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _annotations(item: ExportDocument, document: str) -> Iterator[dict[str, Any]]:
    text = item.text
    ids: dict[int | None, str] = {}
    for number, span in enumerate(item.spans, start=1):
        iri = ids[span.id] = _annotation_iri(document, "span", number)
        selectors = [
            {"type": "TextPositionSelector", "start": span.start, "end": span.end},
            {"type": "TextQuoteSelector", "exact": text[span.start:span.end],
             "prefix": text[max(0, span.start - QUOTE_CONTEXT):span.start],
             "suffix": text[span.end:span.end + QUOTE_CONTEXT]},
        ]
        yield _annotation(iri, "tagging", span.label, span.note, span.annotator,
                          span.created_at, span.updated_at, span.layer, span.attributes,
                          {"source": document, "selector": selectors})
    for number, relation in enumerate(item.relations, start=1):
        iri = _annotation_iri(document, "relation", number)
        annotation = _annotation(iri, "linking", relation.label, relation.note,
                                 relation.annotator, relation.created_at,
                                 relation.updated_at, relation.layer, relation.attributes,
                                 ids[relation.source_id])
        annotation["body"].insert(0, {"id": ids[relation.target_id]})
        yield annotation
    for number, label in enumerate(item.document_labels, start=1):
        iri = _annotation_iri(document, "document", number)
        yield _annotation(iri, "classifying", label.label, label.note, label.annotator,
                          label.created_at, None, label.layer, {}, document)


def _annotation(iri: str, motivation: str, label: str, note: str, annotator: str,
                created: str | None, modified: str | None, layer: str,
                attributes: dict[str, Any], target: Any) -> dict[str, Any]:
    body: list[dict[str, Any]] = [{"type": "TextualBody", "purpose": "tagging", "value": label}]
    if note:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": note})
    annotation: dict[str, Any] = {
        "@context": CONTEXT, "id": iri, "type": "Annotation", "motivation": motivation,
        "creator": {"type": "Person", "nickname": annotator},
    }
    if created:
        annotation["created"] = created
    if modified:
        annotation["modified"] = modified
    annotation["body"] = body
    annotation["target"] = target
    annotation["wb:layer"] = layer
    if attributes:
        annotation["wb:attributes"] = attributes
    return annotation


# --- reading ------------------------------------------------------------------------------


def read(path: Path, options: ReadOptions) -> Iterator[ParsedFile | InputFileError]:
    raw, data = load_json(path, "a Web Annotation file")
    reader = _Reader(path, JsonLocator(raw))
    reader.read(data)
    yield ParsedFile(source=str(path), format=FORMAT.name, documents=reader.drafts(),
                     warnings=reader.warnings)


class _Reader:
    def __init__(self, path: Path, locator: JsonLocator) -> None:
        self.path = path
        self.locator = locator
        self.documents: dict[str, DocumentDraft] = {}
        self.spans: dict[str, tuple[DocumentDraft, SpanDraft]] = {}
        self.links: list[tuple[dict[str, Any], int | None]] = []
        self.warnings: list[str] = []
        self.unused_bodies = 0

    def fail(self, message: str, line: int | None) -> InputFileError:
        return InputFileError(self.path, message, line=line)

    def read(self, data: Any) -> None:
        if not isinstance(data, dict | list):
            raise self.fail("expected an annotation, a list, a page or a collection", 1)
        documents = data.get("wb:documents") if isinstance(data, dict) else None
        for document in documents or ():
            self._document(document)
        annotations = list(self._items(data))
        for annotation, line in annotations:
            motivation = annotation.get("motivation")
            if motivation == "linking" and isinstance(annotation.get("target"), str) \
                    and annotation["target"] not in self.documents:
                self.links.append((annotation, line))
            else:
                self._annotation(annotation, line)
        for annotation, line in self.links:
            self._link(annotation, line)
        if self.unused_bodies:
            self.warnings.append(f"{self.path}: {self.unused_bodies} body resource(s) that are "
                                 "not text were not imported")

    def drafts(self) -> list[DocumentDraft]:
        if not self.documents:
            raise InputFileError(self.path, "the file holds no documents (wb:documents)")
        return list(self.documents.values())

    def _document(self, document: Any) -> None:
        text = document.get("wb:text") if isinstance(document, dict) else None
        if not isinstance(text, str):
            raise self.fail("each entry of wb:documents needs an id and a wb:text", None)
        iri = str(document.get("id"))
        line = self.locator.line_of("id", iri)
        if not text.strip():
            raise self.fail(f"document {iri} has an empty text", line)
        self.documents[iri] = DocumentDraft(
            name=str(document.get("name") or iri), text=text,
            metadata={"source_file": self.path.name, "iri": iri})

    def _items(self, data: Any) -> Iterator[tuple[dict[str, Any], int | None]]:
        if isinstance(data, list):
            for item in data:
                yield from self._items(item)
            return
        kinds = data.get("type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if "AnnotationCollection" in kinds:
            page = data.get("first")
            if isinstance(page, str):
                raise self.fail("the collection's pages are not in the file (first is a link)",
                                self.locator.line_of("first", page))
            if page is not None:
                yield from self._items(page)
        elif "AnnotationPage" in kinds:
            for item in data.get("items") or ():
                yield from self._items(item)
            following = data.get("next")
            if isinstance(following, dict):
                yield from self._items(following)
        elif "Annotation" in kinds:
            yield data, self.locator.line_of("id", data.get("id")) if "id" in data else None
        else:
            raise self.fail(f"not an annotation: type {data.get('type')!r}",
                            self.locator.line_of("type", data.get("type")))

    def _annotation(self, annotation: dict[str, Any], line: int | None) -> None:
        target = annotation.get("target")
        if isinstance(target, list):
            if len(target) != 1:
                raise self.fail("an annotation with several targets cannot be imported", line)
            target = target[0]
        labels, note = self._bodies(annotation)
        layer = annotation.get("wb:layer")
        common: dict[str, Any] = {"annotator": _creator(annotation.get("creator")), "note": note,
                                  "line": line, "created_at": annotation.get("created")}
        if isinstance(target, str) or (isinstance(target, dict) and not target.get("selector")):
            source = target if isinstance(target, str) else str(target.get("source")
                                                               or target.get("id"))
            draft = self._draft(source, line)
            for label in labels or [str(annotation.get("motivation") or "classifying")]:
                draft.document_labels.append(DocumentLabelDraft(
                    layer=str(layer or DEFAULT_LAYERS["document"]), label=label,
                    layer_from_codebook=not layer, **common))
            return
        if not isinstance(target, dict):
            raise self.fail(f"target {target!r} is neither a document nor a part of one", line)
        draft = self._draft(str(target.get("source")), line)
        start, end = self._place(target.get("selector"), draft.text, line)
        attributes = annotation.get("wb:attributes") or {}
        if not isinstance(attributes, dict):
            raise self.fail("wb:attributes must be an object", line)
        key = str(annotation.get("id") or f"line {line}")
        for number, label in enumerate(labels or [str(annotation.get("motivation")
                                                      or "highlighting")]):
            span = SpanDraft(layer=str(layer or DEFAULT_LAYERS["span"]), label=label,
                             start=start, end=end, key=key if not number else f"{key}#{number}",
                             attributes=dict(attributes), layer_from_codebook=not layer,
                             updated_at=annotation.get("modified"), **common)
            draft.spans.append(span)
            if not number:
                self.spans[key] = (draft, span)

    def _link(self, annotation: dict[str, Any], line: int | None) -> None:
        source = str(annotation["target"])
        ends = [str(body.get("id")) for body in _as_list(annotation.get("body"))
                if isinstance(body, dict) and body.get("id") and body.get("type")
                not in ("TextualBody",)]
        ends += [body for body in _as_list(annotation.get("body")) if isinstance(body, str)]
        if source not in self.spans or not ends or ends[0] not in self.spans:
            raise self.fail("a linking annotation must link two annotations of this file",
                            line)
        draft, first = self.spans[source]
        other_draft, second = self.spans[ends[0]]
        if other_draft is not draft:
            raise self.fail("a link joins annotations of two different documents", line)
        labels, note = self._bodies(annotation)
        layer = annotation.get("wb:layer")
        assert first.key is not None and second.key is not None
        for label in labels or ["linked"]:
            draft.relations.append(RelationDraft(
                layer=str(layer or DEFAULT_LAYERS["relation"]), label=label,
                source_key=first.key, target_key=second.key,
                annotator=_creator(annotation.get("creator")),
                attributes=dict(annotation.get("wb:attributes") or {}), note=note, line=line,
                created_at=annotation.get("created"), updated_at=annotation.get("modified"),
                layer_from_codebook=not layer))

    def _bodies(self, annotation: dict[str, Any]) -> tuple[list[str], str]:
        labels: list[str] = []
        notes: list[str] = []
        if isinstance(annotation.get("bodyValue"), str):
            notes.append(annotation["bodyValue"])
        for body in _as_list(annotation.get("body")):
            if isinstance(body, dict) and "value" in body:
                purposes = _as_list(body.get("purpose"))
                if any(purpose in LABEL_PURPOSES for purpose in purposes):
                    labels.append(str(body["value"]))
                else:
                    notes.append(str(body["value"]))
            elif annotation.get("motivation") != "linking":
                self.unused_bodies += 1
        return labels, "\n".join(notes)

    def _draft(self, source: str, line: int | None) -> DocumentDraft:
        if source not in self.documents:
            raise self.fail(f"the target {source} is not a document whose text is in this file "
                            "(wb:documents)", line)
        return self.documents[source]

    def _place(self, selector: Any, text: str, line: int | None) -> tuple[int, int]:
        position = quote = None
        for item in _as_list(selector):
            if not isinstance(item, dict):
                continue
            if item.get("type") == "TextPositionSelector":
                position = item
            elif item.get("type") == "TextQuoteSelector":
                quote = item
        if position is not None:
            start = whole_number(position.get("start"), self.path, line)
            end = whole_number(position.get("end"), self.path, line)
            if quote is not None and 0 <= start <= end <= len(text) and \
                    text[start:end] != quote.get("exact"):
                raise self.fail(f"the quote {quote.get('exact')!r} is not what offsets "
                                f"{start}-{end} cover ({text[start:end]!r})", line)
            return start, end
        if quote is not None:
            return _find_quote(quote, text) or _raise(self.fail(
                f"the quote {quote.get('exact')!r} is not in the text once (with its prefix "
                "and suffix)", line))
        raise self.fail("the target has neither a TextPositionSelector nor a "
                        "TextQuoteSelector", line)


def _find_quote(quote: dict[str, Any], text: str) -> tuple[int, int] | None:
    exact = quote.get("exact")
    if not isinstance(exact, str) or not exact:
        return None
    prefix, suffix = str(quote.get("prefix") or ""), str(quote.get("suffix") or "")
    found = None
    start = text.find(exact)
    while start != -1:
        end = start + len(exact)
        if text.endswith(prefix, 0, start) and text.startswith(suffix, end):
            if found is not None:
                return None  # twice: the quote does not say where
            found = (start, end)
        start = text.find(exact, start + 1)
    return found


def _raise(error: InputFileError) -> tuple[int, int]:
    raise error


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _creator(creator: Any) -> str | None:
    for item in _as_list(creator):
        if isinstance(item, dict):
            found = item.get("nickname") or item.get("name") or item.get("id")
            if found:
                return str(found)
        elif isinstance(item, str):
            return item
    return None


FORMAT = Format(
    name="w3c",
    title="W3C Web Annotation (JSON-LD collection)",
    extensions=(".json", ".jsonld"),
    reader=read,
    writer=write,
    sniff=sniff,
    carries=frozenset({"documents", "spans", "attributes", "notes", "relations",
                       "document_labels", "annotators"}),
    description="One AnnotationCollection: spans with TextPositionSelector (code points) and "
    "TextQuoteSelector, relations as linking annotations, document labels as classifying "
    "ones; layers, attributes and the texts in the workbench's own JSON-LD terms.",
)
