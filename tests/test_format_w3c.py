"""W3C Web Annotation: the official schemas (with format checks) accept every exported
annotation, JSON-LD keeps every key, offsets count code points, imports place spans."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tests.conftest import EMOJI_CRLF_TEXT, LIE, PUTIN, interop
from workbench.core.model import DocumentLabel, Relation, Span
from workbench.formats.registered.w3c import _find_quote, document_iri
from workbench.formats.registry import detect_format
from workbench.services.codebooks import resolve_codebook
from workbench.services.exporting import export_project
from workbench.services.importing import import_paths
from workbench.storage import ProjectStore

W3C = interop("w3c-web-annotation")
# Samples the suite calls correct that the final schemas do not define (Composite, List,
# collections), as its README says.
UNDEFINED_SAMPLES = {"anno11.json", "anno12.json", "anno13.json", "collection1.json",
                     "example41.json", "example42.json", "example43.json"}


@cache
def _registry() -> Registry:
    resources = []
    for path in [*W3C.joinpath("definitions").glob("*.json"),
                 *W3C.joinpath("annotations").rglob("*.json")]:
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema.get("id", path.name),
                          Resource.from_contents(schema, default_specification=DRAFT4)))
    return Registry().with_resources(resources)


@cache
def must_validators() -> tuple[tuple[str, Draft4Validator], ...]:
    """One validator per MUST assertion of the W3C test suite, with format checking."""
    test = json.loads(W3C.joinpath("annotations", "annotationMusts.test").read_text())
    validators = []
    for assertion in test["assertions"]:
        schema = json.loads(W3C.joinpath(assertion).read_text(encoding="utf-8"))
        validators.append((assertion, Draft4Validator(schema, registry=_registry(),
                                                      format_checker=FormatChecker())))
    return tuple(validators)


def failed_musts(annotation: dict[str, Any]) -> list[str]:
    return [name for name, validator in must_validators() if not validator.is_valid(annotation)]


def _definition(name: str) -> Draft4Validator:
    return Draft4Validator({"$ref": f"collections.json#/definitions/{name}"},
                           registry=_registry(), format_checker=FormatChecker())


def test_the_validators_tell_correct_from_incorrect_samples() -> None:
    for path in sorted(W3C.joinpath("samples", "correct").glob("*.json")):
        if path.name not in UNDEFINED_SAMPLES:
            assert failed_musts(json.loads(path.read_text(encoding="utf-8"))) == [], path.name
    rejected = 0
    for path in sorted(W3C.joinpath("samples", "incorrect").glob("*.json")):
        try:
            sample = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue  # some incorrect samples are not even JSON
        assert failed_musts(sample), path.name
        rejected += 1
    assert rejected >= 15
    # Format checking is on: an id that is no URI fails.
    assert "annotations/3.1-annotationIdValidated.json" in failed_musts(
        {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "not a uri",
         "type": "Annotation", "target": "http://example.org/x"})


def _annotate(store: ProjectStore, document_id: int) -> None:
    actor = store.spans.add(Span(document_id, "Actors", "Antagonist", *PUTIN, "alice",
                                 attributes={"fine_roles": ["Deceiver"]}, note="a\r\nnote"))
    claim = store.spans.add(Span(document_id, "Claims", "Claim", *LIE, "bob",
                                 attributes={"check_worthy": True}))
    assert actor.id and claim.id
    store.relations.add(Relation(document_id, "Links", "asserts", actor.id, claim.id, "alice",
                                 note="reported"))
    store.document_labels.add(DocumentLabel(document_id, "Frames", "Political", "bob"))


def _export(store: ProjectStore, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    target = tmp_path / "annotations.json"
    export_project(store, "w3c", target)
    return target, json.loads(target.read_text(encoding="utf-8"))


def test_every_exported_annotation_passes_the_w3c_musts(
    store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    _annotate(store, emoji_document)
    _, collection = _export(store, tmp_path)
    for name in ("annotationCollectionTypeValueFound", "firstFound", "totalFound",
                 "labelDefinition"):
        assert _definition(name).is_valid(collection), name
    page = collection["first"]
    for name in ("annotationPageTypeValueFound", "startIndexDefinition",
                 "partOfValidIfPresent"):
        assert _definition(name).is_valid(page), name
    items = page["items"]
    assert len(items) == collection["total"] == 4
    assert {item["motivation"] for item in items} == {"tagging", "linking", "classifying"}
    for annotation in items:
        assert failed_musts(annotation) == []


def test_json_ld_keeps_every_key(
    store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    """Every key is a term of the W3C context or of the workbench's, so expansion keeps it."""
    _annotate(store, emoji_document)
    _, collection = _export(store, tmp_path)
    terms = set(json.loads(W3C.joinpath("context", "anno.jsonld").read_text())["@context"])

    def keys(value: Any) -> set[str]:
        if isinstance(value, dict):
            found = set(value)
            for key, item in value.items():
                if key not in ("@context", "wb:attributes"):  # a context; a JSON literal
                    found |= keys(item)
            return found
        if isinstance(value, list):
            return set().union(*(keys(item) for item in value)) if value else set()
        return set()

    unknown = {key for key in keys(collection)
               if key not in terms and not key.startswith(("@", "wb:"))}
    assert unknown == set()
    assert collection["@context"][1]["wb:attributes"]["@type"] == "@json"


def test_selectors_count_code_points(
    store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    _annotate(store, emoji_document)
    _, collection = _export(store, tmp_path)
    document = collection["wb:documents"][0]
    assert document["wb:text"] == EMOJI_CRLF_TEXT
    assert document["id"] == document_iri(EMOJI_CRLF_TEXT)
    spans = [a for a in collection["first"]["items"] if a["motivation"] == "tagging"]
    for annotation in spans:
        position, quote = annotation["target"]["selector"]
        text = EMOJI_CRLF_TEXT
        assert text[position["start"]:position["end"]] == quote["exact"]
        assert text[:position["start"]].endswith(quote["prefix"])
        assert text[position["end"]:].startswith(quote["suffix"])
    assert {(a["target"]["selector"][0]["start"], a["target"]["selector"][0]["end"])
            for a in spans} == {PUTIN, LIE}


def test_export_imports_into_an_empty_project(
    store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    _annotate(store, emoji_document)
    target, _ = _export(store, tmp_path)
    assert detect_format(target).name == "w3c"
    with ProjectStore.in_memory(resolve_codebook("empty")) as empty:
        report = import_paths(empty, [target], annotator="x")
        assert not report.failures
        document_id = empty.documents.ids()[0]
        assert empty.documents.text(document_id) == EMOJI_CRLF_TEXT
        spans = {s.label: s for s in empty.spans.for_document(document_id)}
        assert (spans["Antagonist"].layer, spans["Antagonist"].annotator) == ("Actors", "alice")
        assert spans["Antagonist"].attributes == {"fine_roles": ["Deceiver"]}
        assert spans["Antagonist"].note == "a\r\nnote"
        relation = empty.relations.for_document(document_id)[0]
        assert (relation.layer, relation.label, relation.note) == ("Links", "asserts",
                                                                   "reported")
        assert (relation.source_id, relation.target_id) == (spans["Antagonist"].id,
                                                           spans["Claim"].id)
        assert [(d.layer, d.label) for d in empty.document_labels.for_document(document_id)] \
            == [("Frames", "Political")]


def _collection(annotations: list[dict[str, Any]],
                text: str = "Alpha beta alpha beta\r\nAlpha 😊 gamma") -> dict[str, Any]:
    return {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationPage",
            "items": annotations,
            "wb:documents": [{"id": "urn:doc:1", "name": "doc", "wb:text": text}]}


def _tag(selector: Any, value: str = "Claim", target: str = "urn:doc:1") -> dict[str, Any]:
    return {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:a:1",
            "type": "Annotation", "body": {"type": "TextualBody", "purpose": "tagging",
                                           "value": value},
            "target": {"source": target, "selector": selector}}


def test_a_quote_alone_is_placed_by_its_prefix_and_suffix(
    store: ProjectStore, tmp_path: Path
) -> None:
    path = tmp_path / "quotes.json"
    quote = {"type": "TextQuoteSelector", "exact": "Alpha", "prefix": "\r\n", "suffix": " 😊"}
    path.write_text(json.dumps(_collection([_tag(quote)])), encoding="utf-8")
    report = import_paths(store, [path], annotator="x")
    assert not report.failures
    span = store.spans.for_document(store.documents.ids()[0])[0]
    text = store.documents.text(store.documents.ids()[0])
    assert (span.start, text[span.start:span.end]) == (text.index("\r\n") + 2, "Alpha")
    assert (span.layer, span.label) == ("Claims", "Claim")  # found by label in the project


@pytest.mark.parametrize(
    ("prefix", "suffix", "found"),
    [
        ("", "", None),  # "Alpha" appears twice
        ("", " beta", (0, 5)),  # nothing before the first: an empty prefix fits
        ("\r\n", "", (23, 28)),
        ("xx\r\n", "", None),  # the prefix must end where the quote begins
        ("", " 😊 gamma", (23, 28)),  # the suffix may reach the end of the text
        ("", " 😊 gamma!", None),  # ... but not past it
    ],
)
def test_quotes_are_placed_only_where_prefix_and_suffix_fit(
    prefix: str, suffix: str, found: tuple[int, int] | None
) -> None:
    text = "Alpha beta alpha beta\r\nAlpha 😊 gamma"
    quote = {"exact": "Alpha", "prefix": prefix, "suffix": suffix}
    assert _find_quote(quote, text) == found


@pytest.mark.parametrize(
    ("annotation", "message"),
    [
        (_tag([{"type": "TextPositionSelector", "start": 0, "end": 5},
               {"type": "TextQuoteSelector", "exact": "Beta"}]), "the quote 'Beta' is not"),
        (_tag({"type": "TextQuoteSelector", "exact": "beta"}), "not in the text once"),
        (_tag({"type": "TextPositionSelector", "start": 0, "end": 99}), "outside the text"),
        (_tag({"type": "TextPositionSelector", "start": 0, "end": 5}, target="urn:doc:2"),
         "not a document whose text is in this file"),
        (_tag({"type": "FragmentSelector", "value": "char=0,5"}), "neither a TextPosition"),
    ],
)
def test_bad_annotations_are_refused_with_line(
    store: ProjectStore, tmp_path: Path, annotation: dict[str, Any], message: str
) -> None:
    path = tmp_path / "bad.json"
    text = json.dumps(_collection([annotation]), indent=1)
    path.write_text(text, encoding="utf-8")
    report = import_paths(store, [path], annotator="x")
    assert message in str(report.failures[0])
    expected = next(n for n, line in enumerate(text.splitlines(), 1) if '"urn:a:1"' in line)
    assert report.failures[0].line == expected
    assert store.documents.count() == 0
