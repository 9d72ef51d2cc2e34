"""UIMA CAS XMI: cassis loads our zip, INCEpTION's sample imports, bad input changes nothing."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from cassis import load_cas_from_xmi, load_typesystem

from tests.conftest import EMOJI_CRLF_TEXT, LIE, PUTIN, interop
from workbench.core.model import Relation, Span
from workbench.formats.registered import xmi
from workbench.services.exporting import export_project
from workbench.services.importing import import_paths
from workbench.services.project import create_project
from workbench.storage import ProjectStore

SAMPLE = interop("uima-xmi", "inception-stringmatch-relation")


def _annotate(store: ProjectStore, document_id: int) -> None:
    actor = store.spans.add(Span(
        document_id, "Actors", "Antagonist", *PUTIN, "alice",
        attributes={"fine_roles": ["Deceiver", "Tyrant"], "entity_type": "Person"},
        note="speaker"))
    claim = store.spans.add(Span(document_id, "Claims", "Claim", *LIE, "alice",
                                 attributes={"type": "Opinion or evaluation",
                                             "check_worthy": True}))
    assert actor.id and claim.id
    store.relations.add(Relation(document_id, "Links", "asserts", actor.id, claim.id, "alice"))


def test_cassis_loads_the_export_with_its_typesystem(store: ProjectStore, emoji_document: int,
                                                     tmp_path: Path) -> None:
    _annotate(store, emoji_document)
    export_project(store, "xmi", tmp_path / "out.zip")
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        assert sorted(archive.namelist()) == ["TypeSystem.xml", "emoji-crlf.xmi"]
        typesystem = load_typesystem(io.BytesIO(archive.read("TypeSystem.xml")))
        cas = load_cas_from_xmi(io.BytesIO(archive.read("emoji-crlf.xmi")),
                                typesystem=typesystem)
        raw = archive.read("emoji-crlf.xmi").decode("utf-8")
    assert cas.sofa_string == EMOJI_CRLF_TEXT
    (actor,) = cas.select("webanno.custom.Actors")
    assert (actor.get_covered_text(), actor.label, list(actor.fine__roles.elements)) == (
        "Putin", "Antagonist", ["Deceiver", "Tyrant"])
    (claim,) = cas.select("webanno.custom.Claims")
    assert claim.get_covered_text() == "that is a lie" and claim.check__worthy is True
    (link,) = cas.select("webanno.custom.Links")
    assert (link.Governor.get_covered_text(), link.Dependent.get_covered_text()) == (
        "Putin", "that is a lie")
    for name in ("webanno.custom.Actors", "webanno.custom.Claims", "webanno.custom.Links"):
        assert typesystem.get_type(name).supertype.name == "uima.tcas.Annotation"
    tokens = cas.select("de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token")
    assert "Putin" in [token.get_covered_text() for token in tokens]
    # On disk the offsets count UTF-16 units: the emoji takes two.
    assert f'begin="{PUTIN[0] + 1}" end="{PUTIN[1] + 1}" label="Antagonist"' in raw


def test_round_trip_keeps_spans_attributes_notes_relations(
    store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    _annotate(store, emoji_document)
    summary = export_project(store, "xmi", tmp_path / "out.zip")
    assert summary.warnings  # Links joins two span layers
    with create_project(tmp_path / "back.wbproj", "news-rhetoric") as back:
        report = import_paths(back, [tmp_path / "out.zip"], annotator="bob")
        assert not report.failures and not report.labels_added, report.summary_lines()
        document_id = back.documents.ids()[0]
        assert back.documents.text(document_id) == EMOJI_CRLF_TEXT

        def rows(project: ProjectStore, doc: int) -> set:
            return {(s.layer, s.label, s.start, s.end, json.dumps(s.attributes, sort_keys=True),
                     s.note) for s in project.spans.for_document(doc)}

        assert rows(back, document_id) == rows(store, emoji_document)
        (relation,) = back.relations.for_document(document_id)
        assert relation.label == "asserts"


def test_inception_sample_imports(tmp_path: Path) -> None:
    with create_project(tmp_path / "p.wbproj", "empty") as store:
        report = import_paths(store, [SAMPLE / "relation_test.xmi"], annotator="x")
        assert not report.failures, report.summary_lines()
        document_id = store.documents.ids()[0]
        text = store.documents.text(document_id)
        assert text == "Darmstadt is in Hessen.\r\nHannover is in Lower Saxony."
        spans = {s.id: s for s in store.spans.for_document(document_id)}
        assert sorted((s.layer, s.label, text[s.start:s.end]) for s in spans.values()) == [
            ("MyRelationBase", "city", "Darmstadt"), ("MyRelationBase", "city", "Hannover"),
            ("MyRelationBase", "state", "Hessen"), ("MyRelationBase", "state", "Lower Saxony")]
        (relation,) = store.relations.for_document(document_id)
        assert (relation.layer, relation.label) == ("MyRelationLayer", "located in")
        assert (text[spans[relation.source_id].start:spans[relation.source_id].end],
                text[spans[relation.target_id].start:spans[relation.target_id].end]) == (
            "Darmstadt", "Hessen")


def _sample_copy(tmp_path: Path, edit: tuple[str, str] | None = None) -> Path:
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE, folder)
    if edit:
        path = folder / "relation_test.xmi"
        path.write_text(path.read_text(encoding="utf-8").replace(*edit), encoding="utf-8")
    return folder / "relation_test.xmi"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (('begin="40" end="52" value="state"', 'begin="40" end="99" value="state"'),
         "outside the text"),
        (('<cas:NULL xmi:id="0"/>', '<cas:NULL xmi:id="0">'), "not well-formed XML"),
        (('<?xml version="1.0" encoding="UTF-8"?>',
          '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'),
         "DOCTYPE"),
    ],
)
def test_bad_xmi_is_refused_and_changes_nothing(store: ProjectStore, tmp_path: Path,
                                                edit: tuple[str, str], message: str) -> None:
    report = import_paths(store, [_sample_copy(tmp_path, edit)], annotator="x")
    assert len(report.failures) == 1 and message in str(report.failures[0])
    if message == "outside the text":
        assert report.failures[0].line is not None
    assert store.documents.count() == 0 and store.spans.count() == 0


@pytest.mark.skipif(not Path("/proc/self/mem").is_file(), reason="needs Linux's /proc")
def test_an_unreadable_typesystem_is_named(store: ProjectStore, tmp_path: Path) -> None:
    sample = _sample_copy(tmp_path)
    typesystem = sample.with_name("TypeSystem.xml")
    typesystem.unlink()
    typesystem.symlink_to("/proc/self/mem")  # reading it fails (EIO), even for root
    report = import_paths(store, [sample], annotator="x")
    assert [failure.path for failure in report.failures] == [typesystem]
    assert "cannot read the file" in report.failures[0].reason
    assert store.documents.count() == 0


@pytest.mark.parametrize("name", ["out.zip", "out.xmi"])
def test_an_archive_reads_back_whatever_its_extension(store: ProjectStore, emoji_document: int,
                                                      tmp_path: Path, name: str) -> None:
    _annotate(store, emoji_document)
    export_project(store, "xmi", tmp_path / name)
    assert xmi.sniff(tmp_path / name)
    with create_project(tmp_path / "copy.wbproj", "news-rhetoric") as copy:
        report = import_paths(copy, [tmp_path / name], annotator="x")
        assert not report.failures, report.summary_lines()
        assert copy.spans.count() == store.spans.count()
    (tmp_path / "plain.zip").write_bytes(b"not an archive")
    assert not xmi.sniff(tmp_path / "plain.zip")


def test_truncated_zip_is_refused(store: ProjectStore, emoji_document: int,
                                  tmp_path: Path) -> None:
    _annotate(store, emoji_document)
    export_project(store, "xmi", tmp_path / "out.zip")
    data = (tmp_path / "out.zip").read_bytes()
    (tmp_path / "cut.zip").write_bytes(data[: len(data) // 2])
    before = store.spans.count()
    report = import_paths(store, [tmp_path / "cut.zip"], annotator="x", format_name="xmi")
    assert len(report.failures) == 1 and "zip" in str(report.failures[0])
    assert store.spans.count() == before


def test_zip_entries_may_not_escape(store: ProjectStore, tmp_path: Path) -> None:
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("TypeSystem.xml", (SAMPLE / "TypeSystem.xml").read_bytes())
        archive.writestr("../../evil.xmi", (SAMPLE / "relation_test.xmi").read_bytes())
    report = import_paths(store, [path], annotator="x", format_name="xmi")
    assert len(report.failures) == 1 and "outside the archive" in str(report.failures[0])
    assert store.documents.count() == 0
