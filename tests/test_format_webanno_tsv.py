"""WebAnno TSV 3.3: INCEpTION's conformance files import, and our exports come back whole."""

from __future__ import annotations

import io
import json
import warnings
from pathlib import Path

import pytest
from cassis import load_cas_from_xmi, load_typesystem

from tests.conftest import EMOJI_CRLF_TEXT, LIE, PUTIN, interop
from workbench.core.model import Document, Relation, Span
from workbench.core.offsets import Utf16Map
from workbench.services.exporting import export_project
from workbench.services.importing import import_paths
from workbench.services.project import create_project
from workbench.storage import ProjectStore

SUITE_ALL = sorted(interop("webanno-tsv", "inception-tsv3-suite-all").glob("*.tsv"))
SUITE = interop("webanno-tsv", "inception-tsv3-suite")
XMI_CASES = sorted(p.name for p in SUITE.iterdir() if p.is_dir())
DKPRO = "de.tudarmstadt.ukp.dkpro.core.api."


def test_the_suite_has_75_files() -> None:
    assert len(SUITE_ALL) == 75 and len(XMI_CASES) == 6


@pytest.mark.parametrize("path", SUITE_ALL, ids=[p.stem for p in SUITE_ALL])
def test_every_conformance_file_imports(tmp_path: Path, path: Path) -> None:
    with create_project(tmp_path / "p.wbproj", "empty") as store:
        report = import_paths(store, [path], annotator="inception")
        assert not report.failures, report.summary_lines()
        assert report.outcomes[0].format == "webanno-tsv"
        document_id = store.documents.ids()[0]
        text = store.documents.text(document_id)
        lines = path.read_text(encoding="utf-8").splitlines()
        sentence_text = [line[len("#Text="):] for line in lines if line.startswith("#Text=")]
        words = " ".join(sentence_text).replace("\\t", "\t").split()
        assert "".join(text.split()) == "".join(words)
        # Every annotation cell is either imported or named in a warning.
        skipped = sum("was not imported" in w for w in report.warnings)
        has_cells = any(cell not in ("_", "") for line in lines if line[:1].isdigit()
                        for cell in line.split("\t")[3:])
        assert store.spans.count() + skipped > 0 or not has_cells


def _reference_typesystem() -> object:
    typesystem = load_typesystem(io.BytesIO(SUITE.joinpath("webannoTestTypes.xml").read_bytes()))
    annotation = "uima.tcas.Annotation"
    string = "uima.cas.String"
    named_entity = typesystem.create_type(DKPRO + "ner.type.NamedEntity", annotation)
    typesystem.create_feature(named_entity, "value", string)
    typesystem.create_feature(named_entity, "identifier", string)
    typesystem.create_type(DKPRO + "segmentation.type.Token", annotation)
    typesystem.create_type(DKPRO + "segmentation.type.Sentence", annotation)
    meta = typesystem.create_type(DKPRO + "metadata.type.DocumentMetaData", annotation)
    for feature in ("documentId", "isLastSegment"):
        typesystem.create_feature(meta, feature, string)
    complex_relation = typesystem.get_type("webanno.custom.ComplexRelation")
    typesystem.create_feature(complex_relation, "intValue", "uima.cas.Integer")
    return typesystem


def _cassis_view(case: str) -> tuple[set, set, int]:
    """Spans and relations as cassis reads reference.xmi, in code points."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cas = load_cas_from_xmi(io.BytesIO(SUITE.joinpath(case, "reference.xmi").read_bytes()),
                                typesystem=_reference_typesystem())
    text = cas.sofa_string
    spans, relations, empty = set(), set(), 0
    skip = ("Token", "Sentence", "DocumentMetaData")
    for annotation in cas.select("uima.tcas.Annotation"):
        short = annotation.type.name.rsplit(".", 1)[-1]
        if short in skip:
            continue
        if annotation.type.get_feature("Governor") is not None:
            gov, dep = annotation.Governor, annotation.Dependent
            relations.add(((gov.begin, gov.end), (dep.begin, dep.end), annotation.value))
            continue
        if annotation.begin == annotation.end:
            empty += 1
            continue
        value = getattr(annotation, "value", None)
        spans.add((annotation.begin, annotation.end, value, text[annotation.begin:annotation.end]))
    return spans, relations, empty


@pytest.mark.parametrize("case", XMI_CASES)
def test_tsv_import_agrees_with_cassis_on_the_reference_xmi(tmp_path: Path, case: str) -> None:
    expected_spans, expected_relations, empty = _cassis_view(case)
    with create_project(tmp_path / "p.wbproj", "empty") as store:
        report = import_paths(store, [SUITE / case / "reference.tsv"], annotator="x")
        assert not report.failures
        assert sum("was not imported" in w for w in report.warnings) == empty
        document_id = store.documents.ids()[0]
        text = store.documents.text(document_id)
        stored = store.spans.for_document(document_id)
        by_id = {span.id: span for span in stored}
        spans = {(s.start, s.end, None if s.label == s.layer else s.label, text[s.start:s.end])
                 for s in stored if s.layer != "Token"}
        relations = {((by_id[r.source_id].start, by_id[r.source_id].end),
                      (by_id[r.target_id].start, by_id[r.target_id].end),
                      None if r.label == r.layer else r.label)
                     for r in store.relations.for_document(document_id)}
    assert spans == expected_spans
    assert relations == expected_relations


def _annotate(store: ProjectStore, document_id: int) -> None:
    actor = store.spans.add(Span(
        document_id, "Actors", "Antagonist", *PUTIN, "alice",
        attributes={"fine_roles": ["Deceiver", "Tyrant"], "entity_type": "Person"},
        note="said it [twice] | _maybe_ -> *really*"))
    claim = store.spans.add(Span(document_id, "Claims", "Claim", *LIE, "alice",
                                 attributes={"type": "Opinion or evaluation",
                                             "check_worthy": True}))
    store.spans.add(Span(document_id, "Claims", "Claim", LIE[0], LIE[1] - 4, "alice"))
    assert actor.id and claim.id
    store.relations.add(Relation(document_id, "Links", "asserts", actor.id, claim.id, "alice"))


def test_export_round_trip_keeps_everything_it_carries(store: ProjectStore, emoji_document: int,
                                                       tmp_path: Path) -> None:
    _annotate(store, emoji_document)
    summary = export_project(store, "webanno-tsv", tmp_path / "out")
    assert summary.files == ["emoji-crlf.tsv"] and not summary.not_carried
    with create_project(tmp_path / "back.wbproj", "news-rhetoric") as back:
        report = import_paths(back, [tmp_path / "out"], annotator="bob")
        assert not report.failures and not report.labels_added, report.summary_lines()
        document_id = back.documents.ids()[0]
        assert back.documents.text(document_id) == EMOJI_CRLF_TEXT
        original = {(s.layer, s.label, s.start, s.end, json.dumps(s.attributes, sort_keys=True),
                     s.note) for s in store.spans.for_document(emoji_document)}
        copied = back.spans.for_document(document_id)
        assert {(s.layer, s.label, s.start, s.end, json.dumps(s.attributes, sort_keys=True),
                 s.note) for s in copied} == original
        (relation,) = back.relations.for_document(document_id)
        by_id = {s.id: s for s in copied}
        assert (relation.label, by_id[relation.source_id].start,
                by_id[relation.target_id].start) == ("asserts", PUTIN[0], LIE[0])


def test_offsets_on_disk_are_utf16(store: ProjectStore, emoji_document: int,
                                   tmp_path: Path) -> None:
    _annotate(store, emoji_document)
    export_project(store, "webanno-tsv", tmp_path / "out")
    rows = [line.split("\t") for line in (tmp_path / "out" / "emoji-crlf.tsv")
            .read_text(encoding="utf-8").splitlines() if line[:1].isdigit()]
    putin = next(row for row in rows if row[2] == "Putin")
    utf16 = Utf16Map(EMOJI_CRLF_TEXT)
    assert putin[1] == f"{utf16.to_utf16(PUTIN[0])}-{utf16.to_utf16(PUTIN[1])}"
    assert utf16.to_utf16(PUTIN[0]) == PUTIN[0] + 1
    encoded = EMOJI_CRLF_TEXT.encode("utf-16-le")
    begin, end = (int(x) for x in putin[1].split("-"))
    assert encoded[2 * begin:2 * end].decode("utf-16-le") == "Putin"


def test_mixed_relations_are_flagged(store: ProjectStore, emoji_document: int,
                                     tmp_path: Path) -> None:
    _annotate(store, emoji_document)
    summary = export_project(store, "webanno-tsv", tmp_path / "out")
    assert any("uima.tcas.Annotation" in w for w in summary.warnings)
    header = (tmp_path / "out" / "emoji-crlf.tsv").read_text(encoding="utf-8").splitlines()
    assert "#T_RL=webanno.custom.Links|label|note|BT_uima.tcas.Annotation" in header


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "bad.tsv"
    path.write_text("#FORMAT=WebAnno TSV 3.3\n#T_SP=webanno.custom.Span|value\n\n\n"
                    "#Text=This is\n" + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        ("1-1\t0-4\tThis\tX\textra\t\n", "expected 4 tab-separated columns", 6),
        ("1-1\t-3-4\tThis\tX\t\n", "negative offsets are not allowed", 6),
        ("1-1\t0-4\tThis\tX[1\t\n1-2\t5-7\tis\tY[zz]\t\n", "not a valid disambiguation id", 7),
        ("1-1\t0-4\tThis\tX\t\n\n1-2\t5-7\tis\tY\t\n", "must follow a #Text=", 8),
    ],
)
def test_malformed_files_fail_with_line_and_change_nothing(
    store: ProjectStore, tmp_path: Path, body: str, message: str, line: int
) -> None:
    report = import_paths(store, [_write(tmp_path, body)], annotator="x",
                          format_name="webanno-tsv")
    assert len(report.failures) == 1, report.summary_lines()
    assert message in str(report.failures[0]) and report.failures[0].line == line
    assert store.documents.count() == 0


def test_plain_tsv_is_still_a_document_table(store: ProjectStore, tmp_path: Path) -> None:
    path = tmp_path / "docs.tsv"
    path.write_text("text\nA first text.\n", encoding="utf-8")
    report = import_paths(store, [path], annotator="x")
    assert report.outcomes[0].format == "csv-documents"


def test_project_documents_survive_a_round_trip(tmp_path: Path) -> None:
    with create_project(tmp_path / "a.wbproj", "news-rhetoric") as store:
        text = "  Leading spaces stay.\r\n\r\nTabs\tand [brackets] | pipes *stay* too.\n"
        document = store.documents.add(Document(name="odd", text=text))
        assert document.id
        store.spans.add(Span(document.id, "Claims", "Claim", 2, 9, "a"))
        store.spans.add(Span(document.id, "Claims", "Claim", text.index("[b"),
                             text.index("pipes"), "a"))
        summary = export_project(store, "webanno-tsv", tmp_path / "out")
        assert not summary.warnings
    with create_project(tmp_path / "b.wbproj", "news-rhetoric") as back:
        report = import_paths(back, [tmp_path / "out" / "odd.tsv"], annotator="b")
        assert not report.failures
        document_id = back.documents.ids()[0]
        assert back.documents.text(document_id) == text
        assert {(s.start, s.end) for s in back.spans.for_document(document_id)} == {
            (2, 9), (text.index("[b"), text.index("pipes"))}


def _token_chain_tsv(tokens: int) -> str:
    """One sentence of `tokens` words, each linked to the word before it by a relation
    attached to tokens (no span layer), as INCEpTION writes dependency-like layers."""
    words = [f"w{number}" for number in range(tokens)]
    rows, offset = [], 0
    for number, word in enumerate(words, start=1):
        cells = "_\t_" if number == 1 else f"next\t1-{number - 1}"
        rows.append(f"1-{number}\t{offset}-{offset + len(word)}\t{word}\t{cells}\t")
        offset += len(word) + 1
    return ("#FORMAT=WebAnno TSV 3.3\n#T_RL=webanno.custom.Relation|value|"
            "BT_de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token\n\n\n"
            f"#Text={' '.join(words)}\n" + "\n".join(rows) + "\n")


def test_relations_between_tokens_share_one_span_per_token(tmp_path: Path) -> None:
    path = tmp_path / "chain.tsv"
    path.write_text(_token_chain_tsv(40), encoding="utf-8")
    with create_project(tmp_path / "p.wbproj", "empty") as store:
        report = import_paths(store, [path], annotator="x")
        assert not report.failures, report.summary_lines()
        document_id = store.documents.ids()[0]
        text = store.documents.text(document_id)
        spans = {span.id: text[span.start:span.end]
                 for span in store.spans.for_document(document_id)}
        assert sorted(spans.values()) == sorted(f"w{number}" for number in range(40))
        links = {(spans[r.source_id], spans[r.target_id])
                 for r in store.relations.for_document(document_id)}
    assert links == {(f"w{number - 1}", f"w{number}") for number in range(1, 40)}
