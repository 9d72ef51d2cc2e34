"""spaCy DocBin and JSONL, CoNLL-2003 IOB2: spaCy's own readers accept what we write."""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
import zlib
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin

from tests.conftest import EMOJI_CRLF_TEXT, LIE, PUTIN
from workbench.core.model import Document, DocumentLabel, Relation, Span
from workbench.formats.shared.safe_input import MAX_MEMBER_BYTES
from workbench.services.exporting import export_project
from workbench.services.importing import import_paths
from workbench.services.project import create_project
from workbench.storage import ProjectStore

TEXT = EMOJI_CRLF_TEXT
OBAMA = (TEXT.index("Obama"), TEXT.index("Obama") + 5)
# Overlaps "that is a lie", so one file per layer cannot hold both in IOB.
LIE_OBAMA = (TEXT.index("a lie"), OBAMA[1])


def _annotate(store: ProjectStore, document_id: int) -> None:
    actor = store.spans.add(Span(document_id, "Actors", "Antagonist", *PUTIN, "alice",
                                 attributes={"fine_roles": ["Deceiver"]}, note="speaker"))
    store.spans.add(Span(document_id, "Actors", "Protagonist", *OBAMA, "alice"))
    claim = store.spans.add(Span(document_id, "Claims", "Claim", *LIE, "alice"))
    store.spans.add(Span(document_id, "Claims", "Claim", *LIE_OBAMA, "alice"))
    assert actor.id and claim.id
    store.relations.add(Relation(document_id, "Links", "asserts", actor.id, claim.id, "alice"))
    store.document_labels.add(DocumentLabel(document_id, "Frames", "Political", "alice"))


def test_docbin_loads_and_every_span_aligns_strictly(store: ProjectStore, emoji_document: int,
                                                     tmp_path: Path) -> None:
    _annotate(store, emoji_document)
    export_project(store, "spacy", tmp_path / "out.spacy")
    nlp = spacy.blank("en")
    (doc,) = DocBin().from_disk(tmp_path / "out.spacy").get_docs(nlp.vocab)
    assert doc.text == TEXT
    expected = {(s.layer, s.label, s.start, s.end) for s in store.spans.for_document(
        emoji_document)}
    found = {(key, span.label_, span.start_char, span.end_char)
             for key, group in doc.spans.items() for span in group}
    assert found == expected
    for _, _, start, end in expected:
        aligned = doc.char_span(start, end, alignment_mode="strict")
        assert aligned is not None and aligned.text == TEXT[start:end]
    assert doc.cats == {"Political": 1.0}


def test_docbin_round_trip_is_lossless(store: ProjectStore, emoji_document: int,
                                       tmp_path: Path) -> None:
    _annotate(store, emoji_document)
    summary = export_project(store, "spacy", tmp_path / "out.spacy")
    assert not summary.not_carried
    with create_project(tmp_path / "back.wbproj", "news-rhetoric") as back:
        report = import_paths(back, [tmp_path / "out.spacy"], annotator="bob")
        assert not report.failures and not report.labels_added, report.summary_lines()
        document_id = back.documents.ids()[0]
        assert back.documents.text(document_id) == TEXT

        def rows(project: ProjectStore, doc: int) -> set:
            return {(s.layer, s.label, s.start, s.end, json.dumps(s.attributes), s.note)
                    for s in project.spans.for_document(doc)}

        assert rows(back, document_id) == rows(store, emoji_document)
        assert [r.label for r in back.relations.for_document(document_id)] == ["asserts"]
        assert [(d.layer, d.label) for d in back.document_labels.for_document(document_id)] == [
            ("Frames", "Political")]


def test_foreign_docbin_ents_and_cats_import(store: ProjectStore, tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    doc = nlp("Putin met Obama in Geneva.")
    doc.ents = [doc.char_span(0, 5, label="PERSON"), doc.char_span(10, 15, label="PERSON")]
    doc.cats = {"Political": 0.9, "Economic": 0.1}
    DocBin(docs=[doc]).to_disk(tmp_path / "ner.spacy")
    report = import_paths(store, [tmp_path / "ner.spacy"], annotator="model")
    assert not report.failures
    document_id = store.documents.ids()[0]
    assert {(s.layer, s.label, s.start, s.end) for s in store.spans.for_document(document_id)} \
        == {("Entities", "PERSON", 0, 5), ("Entities", "PERSON", 10, 15)}
    assert [(d.layer, d.label) for d in store.document_labels.for_document(document_id)] == [
        ("Categories", "Political")]


@pytest.mark.parametrize("data", [b"", b"not zlib at all", b"x\x9c" + b"\x00" * 40])
def test_broken_docbin_is_refused(store: ProjectStore, tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "broken.spacy"
    path.write_bytes(data)
    report = import_paths(store, [path], annotator="x")
    assert len(report.failures) == 1 and "broken.spacy" in str(report.failures[0])
    assert store.documents.count() == 0


def test_docbin_bomb_is_refused_without_inflating_it_in_memory(store: ProjectStore,
                                                               tmp_path: Path) -> None:
    # Zeros past the 512 MB limit, compressed chunk by chunk.
    compressor = zlib.compressobj(1)  # the fastest level: 2.3 MB on disk
    zero_chunk = bytes(1 << 20)
    path = tmp_path / "bomb.spacy"
    with path.open("wb") as out:
        for _ in range(MAX_MEMBER_BYTES // len(zero_chunk) + 8):
            out.write(compressor.compress(zero_chunk))
        out.write(compressor.flush())
    assert path.stat().st_size < 4 << 20
    tracemalloc.start()
    try:
        report = import_paths(store, [path], annotator="x")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "inflates beyond the size limit" in str(report.failures[0])
    assert peak < 64 << 20, f"{peak >> 20} MB held while checking the size"
    assert store.documents.count() == 0


def test_spacy_jsonl_lines(store: ProjectStore, emoji_document: int, tmp_path: Path) -> None:
    _annotate(store, emoji_document)
    summary = export_project(store, "spacy-jsonl", tmp_path / "out.jsonl")
    (line,) = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert record["text"] == TEXT and record["meta"]["name"] == "emoji-crlf"
    for span in record["spans"]:
        assert TEXT[span["start"]:span["end"]] in ("Putin", "Obama", "that is a lie",
                                                   "a lie. Obama")
    assert {"1 relation", "1 note", "1 document label"} <= set(summary.not_carried)


def _iob_is_strict(lines: list[str]) -> None:
    previous = "O"
    for line in lines:
        if not line.strip() or line.startswith("-DOCSTART-"):
            previous = "O"
            continue
        tag = line.split()[-1]
        if tag.startswith("I-"):
            assert previous != "O" and previous[2:] == tag[2:], line
        previous = tag


def test_conll_is_read_by_spacy_convert_and_strict_iob2(
    store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    _annotate(store, emoji_document)
    other = store.documents.add(Document(name="second", text="Obama spoke.\nPutin listened."))
    assert other.id
    store.spans.add(Span(other.id, "Claims", "Claim", 0, 12, "alice"))
    summary = export_project(store, "conll", tmp_path / "conll")
    assert "1 overlapping span of layer 'Claims'" in summary.not_carried
    claims = tmp_path / "conll" / "Claims.conll"
    lines = claims.read_text(encoding="utf-8").splitlines()
    assert lines.count("-DOCSTART- -X- O O") == 2
    _iob_is_strict(lines)
    result = subprocess.run(
        [sys.executable, "-m", "spacy", "convert", str(claims), str(tmp_path), "-c", "ner"],
        capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    docs = list(DocBin().from_disk(tmp_path / "Claims.spacy").get_docs(spacy.blank("en").vocab))
    assert len(docs) == 2
    assert [(e.text, e.label_) for e in docs[0].ents] == [("that is a lie", "Claim")]
    assert [(e.text, e.label_) for e in docs[1].ents] == [("Obama spoke .", "Claim")]
    actors = (tmp_path / "conll" / "Actors.conll").read_text(encoding="utf-8").splitlines()
    assert "Putin _ _ B-Antagonist" in actors and "😊 _ _ O" in actors


def test_the_docbin_is_what_spacy_would_write(store: ProjectStore, emoji_document: int) -> None:
    """The writer adds Docs and serialises the DocBin itself (spaCy's own calls walk every
    token as a Python object): the message must be the one spaCy's DocBin makes."""
    import zlib

    from spacy.tokens import DocBin

    from workbench.core.export_data import Omissions
    from workbench.formats.registered import spacy as spacy_format
    from workbench.services.exporting import build_bundle

    store.spans.add(Span(emoji_document, "Claims", "Claim", *LIE, "a", note="n"))
    store.spans.add(Span(emoji_document, "Actors", "Antagonist", *PUTIN, "a"))
    vocab = spacy_format._blank_vocab()
    ours, theirs = DocBin(store_user_data=True), DocBin(store_user_data=True)
    seen: set[str] = set()
    for item in build_bundle(store).documents():
        doc, words = spacy_format.make_doc(vocab, item, Omissions())
        spacy_format.add_to_docbin(ours, doc, words, seen)
        theirs.add(doc)
    assert ours.strings == theirs.strings
    assert zlib.decompress(_written(ours)) == zlib.decompress(theirs.to_bytes())


def _written(docbin: object) -> bytes:
    import io

    from workbench.formats.registered.spacy import write_docbin

    out = io.BytesIO()
    write_docbin(docbin, out)
    return out.getvalue()


def test_an_empty_docbin_is_what_spacy_would_write() -> None:
    import zlib

    from spacy.tokens import DocBin

    empty = DocBin(store_user_data=True)
    assert zlib.decompress(_written(empty)) == zlib.decompress(empty.to_bytes())
    assert len(DocBin().from_bytes(_written(empty))) == 0


def test_bin_headers_are_msgpacks_own() -> None:
    import srsly

    from workbench.formats.registered.spacy import _bin_header

    for size in (0, 1, 255, 256, 65535, 65536, 1 << 20):
        packed = srsly.msgpack_dumps(b"x" * size)
        assert packed == _bin_header(size) + b"x" * size
