"""REFI-QDA: our .qdpx validates against Project.xsd; ATLAS.ti exports and real .qdc import."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import EMOJI_CRLF_TEXT, LIE, PUTIN, interop
from workbench.core.model import DocumentLabel, Relation, Span
from workbench.services.exporting import export_project
from workbench.services.importing import import_paths
from workbench.services.project import create_project
from workbench.storage import ProjectStore

REFI = interop("refi-qda")
QDC_FILES = sorted((REFI / "portableqda-tests").glob("*.qdc"))


def _annotate(store: ProjectStore, document_id: int) -> None:
    actor = store.spans.add(Span(document_id, "Actors", "Antagonist", *PUTIN, "alice",
                                 note="the speaker"))
    claim = store.spans.add(Span(document_id, "Claims", "Claim", *LIE, "bob",
                                 attributes={"type": "Factual"}))
    assert actor.id and claim.id
    store.relations.add(Relation(document_id, "Links", "asserts", actor.id, claim.id, "alice"))
    store.document_labels.add(DocumentLabel(document_id, "Frames", "Political", "bob"))


def _project_xml(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("project.qde"))


def test_export_validates_against_project_xsd(store: ProjectStore, emoji_document: int,
                                              tmp_path: Path) -> None:
    _annotate(store, emoji_document)
    summary = export_project(store, "qdpx", tmp_path / "out.qdpx")
    assert "1 attribute value" in summary.not_carried
    schema = etree.XMLSchema(etree.parse(str(REFI / "Project.xsd")))
    root = _project_xml(tmp_path / "out.qdpx")
    assert schema.validate(root), schema.error_log
    ns = {"q": "urn:QDA-XML:project:1.0"}
    users = {u.get("name"): u.get("guid") for u in root.iterfind("q:Users/q:User", ns)}
    assert set(users) == {"alice", "bob"}
    for element in root.iter():
        for attribute in ("guid", "targetGUID", "creatingUser", "originGUID"):
            value = element.get(attribute)
            assert value is None or value == value.lower()
    selections = root.findall(".//q:PlainTextSelection", ns)
    assert all(s.get("creatingUser") in users.values() for s in selections)
    putin = next(s for s in selections if s.get("startPosition") == str(PUTIN[0]))
    assert putin.get("endPosition") == str(PUTIN[1]) and putin.get("creatingUser") == users[
        "alice"]
    (source,) = root.findall(".//q:TextSource", ns)
    path = source.get("plainTextPath").removeprefix("internal://")
    with zipfile.ZipFile(tmp_path / "out.qdpx") as archive:
        text = archive.read(f"sources/{path}").decode("utf-8")
    assert text == EMOJI_CRLF_TEXT and text[PUTIN[0]:PUTIN[1]] == "Putin"


def test_round_trip_keeps_spans_notes_links_labels_users(
    store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    _annotate(store, emoji_document)
    export_project(store, "qdpx", tmp_path / "out.qdpx")
    with create_project(tmp_path / "back.wbproj", "empty") as back:
        report = import_paths(back, [tmp_path / "out.qdpx"], annotator="nobody")
        assert not report.failures and not report.warnings, report.summary_lines()
        document_id = back.documents.ids()[0]
        assert back.documents.text(document_id) == EMOJI_CRLF_TEXT
        assert {(s.layer, s.label, s.start, s.end, s.annotator, s.note)
                for s in back.spans.for_document(document_id)} == {
            ("Actors", "Antagonist", *PUTIN, "alice", "the speaker"),
            ("Claims", "Claim", *LIE, "bob", "")}
        (relation,) = back.relations.for_document(document_id)
        assert (relation.layer, relation.label) == ("Links", "asserts")
        (label,) = back.document_labels.for_document(document_id)
        assert (label.layer, label.label, label.annotator) == ("Frames", "Political", "bob")
        codebook = back.codebook.load()
        devices = codebook.layer("Rhetorical devices")
        assert devices.label("Doubt").parent == "Attack on reputation"
        assert not devices.label("Attack on reputation").selectable


@pytest.mark.parametrize("name", ["blank-atlas-project.qdpx", "target-atlas-project.qdpx"])
def test_atlas_ti_exports_import(store: ProjectStore, name: str) -> None:
    report = import_paths(store, [REFI / name], annotator="x")
    assert not report.failures, report.summary_lines()
    if name.startswith("target"):
        codes = store.codebook.load().layer("Codes")
        assert codes.label("2022-05-10T02:05:59Z 19e4dce").parent == "Commits"


@pytest.mark.parametrize("path", QDC_FILES, ids=[p.stem for p in QDC_FILES])
def test_real_codebooks_import(store: ProjectStore, path: Path) -> None:
    report = import_paths(store, [path], annotator="x")
    assert not report.failures, report.summary_lines()
    added = report.labels_added
    assert added and all(name.startswith("Codes/") for name in added)
    if path.stem == "portableQDA_Atlasti":  # namespace urn:QDA-XML:codebook:0:4
        codes = store.codebook.load().layer("Codes")
        assert codes.label("code1.1").parent == "code1"
        assert not codes.label("code3").selectable


def test_qdc_export_matches_the_codebook_schema_and_comes_back(store: ProjectStore,
                                                              tmp_path: Path) -> None:
    export_project(store, "qdc", tmp_path / "book.qdc")
    schema = etree.XMLSchema(etree.parse(str(REFI / "Codebook.reconstructed.xsd")))
    assert schema.validate(etree.parse(str(tmp_path / "book.qdc"))), schema.error_log
    with create_project(tmp_path / "copy.wbproj", "empty") as copy:
        report = import_paths(copy, [tmp_path / "book.qdc"], annotator="x")
        assert not report.failures
        original, copied = store.codebook.load(), copy.codebook.load()
        assert [(layer.name, layer.kind) for layer in copied.layers] == [
            (layer.name, layer.kind) for layer in original.layers]
        for layer in original.layers:
            assert [(label.name, label.parent, label.selectable, label.color)
                    for label in copied.layer(layer.name).labels] == [
                (label.name, label.parent, label.selectable, label.color.lower())
                for label in layer.labels]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04 truncated", "not a valid zip"),
        (None, "no project.qde"),
        (b"<Project", "not well-formed XML"),
    ],
)
def test_bad_qdpx_is_refused(store: ProjectStore, tmp_path: Path, content: bytes | None,
                             message: str) -> None:
    path = tmp_path / "bad.qdpx"
    if content is not None and content.startswith(b"PK"):
        path.write_bytes(content)
    else:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("project.qde" if content else "other.txt", content or b"x")
    report = import_paths(store, [path], annotator="x")
    assert len(report.failures) == 1 and message in str(report.failures[0])
    assert store.documents.count() == 0


def test_selection_outside_the_text_names_the_line(store: ProjectStore, emoji_document: int,
                                                   tmp_path: Path) -> None:
    _annotate(store, emoji_document)
    export_project(store, "qdpx", tmp_path / "out.qdpx")
    with zipfile.ZipFile(tmp_path / "out.qdpx") as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["project.qde"] = members["project.qde"].replace(
        f'endPosition="{PUTIN[1]}"'.encode(), b'endPosition="9999"')
    with zipfile.ZipFile(tmp_path / "bad.qdpx", "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with create_project(tmp_path / "fresh.wbproj", "empty") as fresh:
        report = import_paths(fresh, [tmp_path / "bad.qdpx"], annotator="x")
        assert len(report.failures) == 1 and "outside the text" in str(report.failures[0])
        assert report.failures[0].line is not None
        assert fresh.documents.count() == 0 and fresh.spans.count() == 0
