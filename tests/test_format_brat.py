"""brat standoff: brat's tutorial files import, exports re-read with matching text, names map
reversibly to [A-Za-z0-9_-], bad .ann lines are refused with file and line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import EMOJI_CRLF_TEXT, LIE, PUTIN, interop
from workbench.core.codebook import Codebook, Label, Layer, LayerKind
from workbench.core.model import Document, DocumentLabel, Relation, Span
from workbench.formats.registry import detect_format
from workbench.formats.shared.brat_conf import decode_name, encode_name, split_name
from workbench.services.codebooks import resolve_codebook
from workbench.services.exporting import export_project
from workbench.services.importing import import_paths
from workbench.storage import ProjectStore

TUTORIAL = "brat", "nlplab-news"
ANN_LINE = re.compile(r"^T\d+\t(\S+) ([\d ;]+)\t(.*)$")


@given(st.text(min_size=1))
def test_names_map_reversibly_to_brat_characters(text: str) -> None:
    name = encode_name(text)
    assert re.fullmatch(r"[A-Za-z0-9_-]+", name)
    assert decode_name(name) == text


@pytest.mark.parametrize("name", ["Name_Calling-Labeling", "Merge-org", "Geographical_part",
                                  "Appeal_to_Fear-Prejudice", "Person"])
def test_names_brat_accepts_stay_as_they_are(name: str) -> None:
    assert encode_name(name) == name == decode_name(name)


def test_spaces_and_other_characters_are_escaped() -> None:
    assert encode_name("is about") == "is___about"
    assert encode_name("URW: Blaming") == "URW__3a____Blaming"
    assert split_name("Narratives__-_Other") == ("Narratives", "Other")


def test_brats_tutorial_files_import(store: ProjectStore) -> None:
    with ProjectStore.in_memory(resolve_codebook("empty")) as empty:
        report = import_paths(empty, [interop(*TUTORIAL)], annotator="tester")
        assert not report.failures
        assert report.documents_added == 3
        assert report.total("spans_added") == 50
        # 1 relation, 2 from the Alias equivalence, 20 + 6 event arguments, 2 relations
        assert report.total("relations_added") == 31
        warnings = "\n".join(report.warnings)
        assert "1 equivalence(s) imported as a chain of relations (line 6)" in warnings
        assert "10 event(s) imported as their trigger span" in warnings
        codebook = empty.codebook.load()
        assert [label.name for label in codebook.layer("Entities").labels] == [
            "Person", "Organization", "GPE", "Money"]
        assert codebook.layer("Events").attribute("Confidence").options == (
            "High", "Neutral", "Low")
        assert {label.name for label in codebook.layer("Relations").labels} >= {
            "Located", "Family", "Alias"}
        spans = {(s.label, s.start, s.end): s for d in empty.documents.ids()
                 for s in empty.spans.for_document(d)}
        assert spans[("Report", 506, 513)].attributes == {"Confidence": "Neutral"}
        assert spans[("Person", 497, 505)].attributes == {"Individual": True}
        assert spans[("GPE", 412, 421)].note == "Should fictional places be annotated?"
        assert spans[("Merge-org", 495, 501)].note.startswith("Annotate as one merge event")
        notes = [r.note for d in empty.documents.ids() for r in empty.relations.for_document(d)
                 if r.note]
        assert notes == ["Should this be marked? It's not explicitly stated."]
        for document_id in empty.documents.ids():
            text = empty.documents.text(document_id)
            for span in empty.spans.for_document(document_id):
                assert text[span.start:span.end].strip()
    # Into a project with another codebook, the tutorial's types land in their own layers.
    report = import_paths(store, [interop(*TUTORIAL)], annotator="tester")
    assert not report.failures and "Entities/Person" in report.labels_added


def _annotate(store: ProjectStore, document_id: int) -> None:
    actor = store.spans.add(Span(
        document_id, "Actors", "Antagonist", *PUTIN, annotator="alice",
        attributes={"fine_roles": ["Deceiver", "Tyrant"], "entity_type": "Country or place"},
        note="first line\r\nsecond line",
    ))
    claim = store.spans.add(Span(document_id, "Claims", "Claim", *LIE, annotator="bob",
                                 attributes={"check_worthy": False, "type": "Prediction"}))
    crossing = store.spans.add(Span(document_id, "Rhetorical devices", "Loaded_Language",
                                    EMOJI_CRLF_TEXT.index("news"), PUTIN[1], annotator="bob"))
    assert actor.id and claim.id and crossing.id
    store.relations.add(Relation(document_id, "Links", "is about", claim.id, actor.id, "alice",
                                 note="why"))
    store.document_labels.add(DocumentLabel(document_id, "Frames", "Political", "bob"))


def test_export_rereads_with_matching_text(
    store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    _annotate(store, emoji_document)
    target = tmp_path / "brat"
    summary = export_project(store, "brat", target)
    assert sorted(p.name for p in target.iterdir()) == [
        "annotation.conf", "emoji-crlf.ann", "emoji-crlf.txt", "visual.conf"]
    assert (target / "emoji-crlf.txt").read_bytes() == EMOJI_CRLF_TEXT.encode("utf-8")
    assert summary.not_carried == [
        "1 note with line breaks or tabs written on one line", "1 document label",
        "annotator names (alice, bob)"]
    text = EMOJI_CRLF_TEXT
    ann = (target / "emoji-crlf.ann").read_text(encoding="utf-8").splitlines()
    spans = [ANN_LINE.match(line) for line in ann if line.startswith("T")]
    assert len(spans) == 3
    for match in spans:
        assert match is not None
        pieces = [tuple(map(int, piece.split())) for piece in match.group(2).split(";")]
        assert " ".join(text[s:e] for s, e in pieces) == match.group(3)
    by_type = {m.group(1): m.group(2) for m in spans if m}
    assert by_type["Antagonist"] == f"{PUTIN[0]} {PUTIN[1]}"  # code points, after the emoji
    news = text.index("news")
    assert by_type["Loaded_Language"] == f"{news} {news + 4};{PUTIN[0]} {PUTIN[1]}"
    # Spans come in text order: T1 the device, T2 the actor, T3 the claim.
    assert ann[2:7] == [
        "A1\tentity_type T2 Country___or___place", "A2\tfine_roles T2 Deceiver",
        "A3\tfine_roles T2 Tyrant", "#1\tAnnotatorNotes T2\tfirst line second line",
        f"T3\tClaim {LIE[0]} {LIE[1]}\tthat is a lie"]
    assert "A4\tcheck_worthy T3 false" in ann and "A5\ttype T3 Prediction" in ann
    assert "R1\tis___about Arg1:T3 Arg2:T2\t" in ann
    assert "#2\tAnnotatorNotes R1\twhy" in ann


def test_configuration_groups_labels_by_layer(
    store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    _annotate(store, emoji_document)
    target = tmp_path / "brat"
    export_project(store, "brat", target)
    conf = (target / "annotation.conf").read_text(encoding="utf-8")
    entities = conf.split("[entities]")[1].split("[relations]")[0]
    assert "!Claims\n\tClaim\n!Actors\n\tProtagonist\n" in entities
    assert "\t!Attack___on___reputation\n\t\tName_Calling-Labeling\n" in entities
    relations = conf.split("[relations]")[1].split("[events]")[0]
    assert "# layer: Links\n" in relations
    assert "asserts\tArg1:Protagonist|Antagonist|Innocent|Actor, Arg2:Claim" in relations
    attributes = conf.split("[attributes]")[1]
    assert "# several values: fine_roles\nfine_roles\tArg:" in attributes
    assert "check_worthy\tArg:Claim, Value:true|false" in attributes
    visual = (target / "visual.conf").read_text(encoding="utf-8")
    assert "is___about | is about" in visual and "Claim\tbgColor:#ffe08a" in visual


def test_export_imports_into_an_empty_project_with_layers_and_kinds(
    store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    _annotate(store, emoji_document)
    target = tmp_path / "brat"
    export_project(store, "brat", target)
    with ProjectStore.in_memory(resolve_codebook("empty")) as empty:
        report = import_paths(empty, [target], annotator="carol")
        assert not report.failures
        codebook = empty.codebook.load()
        assert [layer.name for layer in codebook.layers][:4] == [
            "Claims", "Actors", "Rhetorical devices", "Links"]
        assert codebook.layer("Actors").attribute("fine_roles").kind.value == "multi_enum"
        assert codebook.layer("Claims").attribute("check_worthy").kind.value == "bool"
        assert codebook.layer("Actors").label("Antagonist").color == "#f28482"
        document_id = empty.documents.ids()[0]
        spans = {s.label: s for s in empty.spans.for_document(document_id)}
        assert spans["Antagonist"].attributes == {"fine_roles": ["Deceiver", "Tyrant"],
                                                  "entity_type": "Country or place"}
        assert spans["Claim"].attributes == {"check_worthy": False, "type": "Prediction"}
        assert (spans["Loaded_Language"].start, spans["Loaded_Language"].end) == (
            EMOJI_CRLF_TEXT.index("news"), PUTIN[1])
        relation = empty.relations.for_document(document_id)[0]
        assert (relation.layer, relation.label, relation.note) == ("Links", "is about", "why")


def test_labels_shared_by_two_layers_keep_their_layers(tmp_path: Path) -> None:
    codebook = Codebook("two", layers=(
        Layer("Frames", LayerKind.SPAN, labels=(Label("Other"), Label("Frames"))),
        Layer("Actors", LayerKind.SPAN, labels=(Label("Other"),)),
    ))
    with ProjectStore.in_memory(codebook) as store:
        document = store.documents.add(Document(name="d", text="One two three"))
        assert document.id is not None
        store.spans.add(Span(document.id, "Frames", "Other", 0, 3, "a"))
        store.spans.add(Span(document.id, "Actors", "Other", 4, 7, "a"))
        store.spans.add(Span(document.id, "Frames", "Frames", 8, 13, "a"))
        export_project(store, "brat", tmp_path / "out")
        ann = (tmp_path / "out" / "d.ann").read_text(encoding="utf-8")
        assert "T1\tFrames__-_Other 0 3" in ann and "T2\tActors__-_Other 4 7" in ann
        assert "T3\tFrames__-_Frames 8 13" in ann
        with ProjectStore.in_memory(resolve_codebook("empty")) as empty:
            assert not import_paths(empty, [tmp_path / "out"], annotator="a").failures
            assert sorted((s.layer, s.label) for s in empty.spans.for_document(1)) == [
                ("Actors", "Other"), ("Frames", "Frames"), ("Frames", "Other")]


def _brat_folder(tmp_path: Path, ann: str, text: str = "Alpha beta\r\ngamma 😊 delta") -> Path:
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "good.txt").write_bytes(b"A good text")
    (folder / "good.ann").write_text("T1\tPerson 2 6\tgood\n", encoding="utf-8")
    (folder / "bad.txt").write_bytes(text.encode("utf-8"))
    (folder / "bad.ann").write_text(ann, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("ann", "message"),
    [
        ("T1\tPerson 0 5\tAlpha\nT2\tPerson -3 5\tAlpha\n", "offsets -3-5 fall outside"),
        ("T1\tPerson 0 5\tAlpha\nT2\tPerson 0 five\tAlpha\n", "not 'start end' pairs"),
        ("T1\tPerson 0 5\tAlpha\nT2\tPerson 20 99\tdelta\n", "fall outside the text"),
        ("T1\tPerson 0 5\tAlpha\nT2\tPerson 6 10\tbetta\n", "does not match the .txt"),
        ("T1\tPerson 0 5\tAlpha\nR1\tKnows Arg1:T1 Arg2:T7\t\n", "unknown annotation 'T7'"),
        ("T1\tPerson 0 5\tAlpha\nX1\twhat is this\n", "not a brat annotation line"),
        ("T1\tPerson 0 5\tAlpha\nA1\tNegation T9\n", "unknown annotation 'T9'"),
        ("T1\tPerson 0 5\tAlpha\nT1\tPerson 6 10\tbeta\n", "annotation id T1 is used twice"),
    ],
)
def test_bad_ann_lines_are_refused_with_file_and_line(
    store: ProjectStore, tmp_path: Path, ann: str, message: str
) -> None:
    folder = _brat_folder(tmp_path, ann)
    report = import_paths(store, [folder], annotator="x")
    assert [f.path.name for f in report.failures] == ["bad.ann"]
    assert message in str(report.failures[0])
    assert report.failures[0].line == 2
    assert report.documents_added == 1  # the good pair still imports, the bad one not at all
    assert [d.name for d in store.documents.summaries()] == ["good"]


def test_offsets_count_code_points_after_emoji_and_crlf(
    store: ProjectStore, tmp_path: Path
) -> None:
    text = "Alpha beta\r\ngamma 😊 delta"
    start = text.index("delta")
    folder = _brat_folder(tmp_path, f"T1\tPerson {start} {start + 5}\tdelta\n", text)
    report = import_paths(store, [folder], annotator="x")
    assert not report.failures
    document_id = next(d.id for d in store.documents.summaries() if d.name == "bad")
    span = store.spans.for_document(document_id)[0]
    assert text[span.start:span.end] == "delta"


def test_a_single_ann_file_is_read_with_its_text(store: ProjectStore, tmp_path: Path) -> None:
    folder = tmp_path / "one"
    shutil.copytree(interop(*TUTORIAL), folder)
    ann = folder / "110-note_annotation.ann"
    assert detect_format(ann).name == "brat"
    report = import_paths(store, [ann], annotator="x")
    assert not report.failures and report.documents_added == 1
    assert report.total("spans_added") == 14


def test_ann_without_text_is_reported(store: ProjectStore, tmp_path: Path) -> None:
    folder = tmp_path / "orphan"
    folder.mkdir()
    (folder / "lost.ann").write_text("T1\tPerson 0 4\tJohn\n", encoding="utf-8")
    report = import_paths(store, [folder], annotator="x")
    assert "no text file with the same name" in str(report.failures[0])


def test_types_without_configuration_find_the_projects_layer(
    store: ProjectStore, tmp_path: Path
) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "d.txt").write_text("Putin said it was fine.", encoding="utf-8")
    (folder / "d.ann").write_text(
        "T1\tAntagonist 0 5\tPutin\nT2\tClaim 11 22\tit was fine\nT3\tPlace 0 5\tPutin\n"
        "R1\tasserts Arg1:T1 Arg2:T2\t\n", encoding="utf-8")
    report = import_paths(store, [folder], annotator="x")
    assert not report.failures
    assert report.labels_added == ["Entities/Place"]
    spans = store.spans.for_document(store.documents.ids()[0])
    assert sorted((s.layer, s.label) for s in spans) == [
        ("Actors", "Antagonist"), ("Claims", "Claim"), ("Entities", "Place")]
    assert [(r.layer, r.label) for r in store.relations.for_document(1)] == [
        ("Links", "asserts")]


def _pair(folder: Path, stem: str, text: str = "Putin said it.") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.txt").write_text(text, encoding="utf-8")
    (folder / f"{stem}.ann").write_text("T1\tAntagonist 0 5\tPutin\n", encoding="utf-8")


@pytest.mark.skipif(not Path("/proc/self/mem").is_file(), reason="needs Linux's /proc")
def test_an_unreadable_text_fails_its_own_pair_only(store: ProjectStore, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    _pair(folder, "a", "Putin said one thing.")
    _pair(folder, "b")
    _pair(folder, "c", "Putin said another thing.")
    (folder / "b.txt").unlink()
    # A file whose reading fails (EIO), whoever runs the tests: permissions do not stop root.
    (folder / "b.txt").symlink_to("/proc/self/mem")
    report = import_paths(store, [folder], annotator="x", format_name="brat")
    assert [failure.path.name for failure in report.failures] == ["b.txt"]
    assert "cannot read the file" in report.failures[0].reason
    assert sorted(d.name for d in store.documents.iter_all()) == ["a", "c"]


def test_reading_looks_as_deep_as_detecting(store: ProjectStore, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    _pair(folder, "top")
    _pair(folder / "a" / "b" / "c", "three", "Putin said a third thing.")
    _pair(folder / "a" / "b" / "c" / "d", "four", "Putin said a fourth thing.")
    report = import_paths(store, [folder], annotator="x", format_name="brat")
    assert not report.failures
    assert sorted(d.name for d in store.documents.iter_all()) == ["a/b/c/three", "top"]


def test_the_export_summary_lists_every_file_written(store: ProjectStore, tmp_path: Path
                                                     ) -> None:
    for name in ("one", "two"):
        store.documents.add(Document(name=name, text=f"The {name} text."))
    target = tmp_path / "brat"
    summary = export_project(store, "brat", target)
    written = sorted(path.name for path in target.iterdir())
    assert sorted(summary.files) == written == [
        "annotation.conf", "one.ann", "one.txt", "two.ann", "two.txt", "visual.conf"]
