"""SemEval technique spans (PTC 2020 / 2023) and SemEval-2025 entity framing, both ways."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import EMOJI_CRLF_TEXT, LIE, PUTIN, interop
from tests.semeval_scorers import ScorerRefused, tc_score
from workbench.core.drafts import ParsedFile
from workbench.core.model import Document, Span
from workbench.formats.registered import semeval_ptc
from workbench.formats.registry import ReadOptions
from workbench.services.exporting import export_project
from workbench.services.importing import import_paths
from workbench.services.project import create_project, open_project
from workbench.storage import ProjectStore

PTC = ("semeval", "ptc2020-tools-data")
TECHNIQUES = interop(*PTC, "propaganda-techniques-names-semeval2020task11.txt")
GOLD = interop(*PTC, "article736757214.labels-task-TC")
TASK10 = interop("semeval", "semeval2025-task10-sample")


def _ptc_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "ptc"
    folder.mkdir()
    shutil.copy(interop(*PTC, "article736757214.txt"), folder)
    shutil.copy(GOLD, folder / "train.labels.tsv")
    return folder


def test_ptc_gold_round_trip_scores_one(tmp_path: Path) -> None:
    with create_project(tmp_path / "p.wbproj", "empty") as store:
        report = import_paths(store, [_ptc_folder(tmp_path)], annotator="gold",
                              format_name="semeval-ptc")
        assert not report.failures, report.summary_lines()
        assert store.spans.count() == 5
        assert "Propaganda techniques/Loaded_Language" in report.labels_added
        out = tmp_path / "out"
        summary = export_project(store, "semeval-ptc", out)
    assert summary.spans == 5
    assert (out / "article736757214.txt").read_bytes() == \
        interop(*PTC, "article736757214.txt").read_bytes()
    assert tc_score(out / "labels.tsv", GOLD, TECHNIQUES) == (1.0, 1.0, 1.0)


def test_scorer_helper_can_fail() -> None:
    f1, _, _ = tc_score(interop(*PTC, "submission-task-TC.tsv"), GOLD, TECHNIQUES)
    assert f1 == pytest.approx(0.6)
    with pytest.raises(ScorerRefused):
        tc_score(interop(*PTC, "article736757214.task-SI.labels"), GOLD, TECHNIQUES)


def test_ptc_folder_is_detected_without_format_name(store: ProjectStore, tmp_path: Path) -> None:
    report = import_paths(store, [_ptc_folder(tmp_path)], annotator="gold")
    assert report.outcomes and report.outcomes[0].format == "semeval-ptc"


def test_labels_without_articles_annotate_project_documents(tmp_path: Path) -> None:
    with create_project(tmp_path / "p.wbproj", "semeval2020-ptc") as store:
        store.documents.add(Document(name="article736757214",
                                     text=interop(*PTC, "article736757214.txt").read_text()))
        labels_only = tmp_path / "labels"
        labels_only.mkdir()
        shutil.copy(GOLD, labels_only / "gold.labels")
        report = import_paths(store, [labels_only], annotator="gold", format_name="semeval-ptc")
        assert not report.failures, report.summary_lines()
        assert report.documents_existing == 1 and store.spans.count() == 5
        assert not report.labels_added


def test_labels_for_a_missing_document_fail_cleanly(store: ProjectStore, tmp_path: Path) -> None:
    folder = tmp_path / "labels"
    folder.mkdir()
    shutil.copy(GOLD, folder / "gold.labels")
    report = import_paths(store, [folder], annotator="gold", format_name="semeval-ptc")
    assert len(report.failures) == 1
    assert "no document named 'article736757214'" in str(report.failures[0])
    assert store.documents.count() == 0


@pytest.mark.parametrize(
    ("row", "message", "line"),
    [
        ("736757214\tLoaded_Language\t-3\t9", "negative", 2),
        ("736757214\tLoaded_Language\t3", "expected 4 tab-separated columns, found 3", 2),
        ("736757214\tLoaded_Language\t3\tx", "not a whole number", 2),
        ("736757214\tLoaded_Language\t3\t1_0", "not a whole number", 2),
        ("736757214\tLoaded_Language\t+3\t9", "not a whole number", 2),
        ("736757214\tLoaded_Language\t3\t99999", "outside the text", 2),
    ],
)
def test_bad_rows_name_file_and_line(store: ProjectStore, tmp_path: Path, row: str,
                                     message: str, line: int) -> None:
    folder = _ptc_folder(tmp_path)
    (folder / "train.labels.tsv").write_text(f"736757214\tDoubt\t0\t9\n{row}\n")
    report = import_paths(store, [folder], annotator="x", format_name="semeval-ptc")
    failures = [f for f in report.failures if "train.labels.tsv" in str(f)]
    assert len(failures) == 1 and message in str(failures[0]) and failures[0].line == line
    assert store.spans.count() == 0


def test_ptc_export_emoji_crlf_offsets(store: ProjectStore, emoji_document: int,
                                        tmp_path: Path) -> None:
    store.spans.add(Span(emoji_document, "Rhetorical devices", "Loaded_Language", *LIE, "a",
                         attributes={}, note="strong"))
    store.spans.add(Span(emoji_document, "Actors", "Antagonist", *PUTIN, "a"))
    summary = export_project(store, "semeval-ptc", tmp_path / "out")
    rows = (tmp_path / "out" / "labels.tsv").read_text().splitlines()
    article_id, label, start, end = rows[0].split("\t")
    assert label == "Loaded_Language" and (int(start), int(end)) == LIE
    text = (tmp_path / "out" / f"article{article_id}.txt").read_bytes().decode("utf-8")
    assert text == EMOJI_CRLF_TEXT and text[int(start):int(end)] == "that is a lie"
    assert any("other than" in line for line in summary.not_carried)
    assert "1 note" in summary.not_carried
    with create_project(tmp_path / "back.wbproj", "news-rhetoric") as back:
        report = import_paths(back, [tmp_path / "out"], annotator="b")
        assert not report.failures and not report.labels_added
        (span,) = back.spans.for_document(back.documents.ids()[0])
        assert (span.layer, span.label, span.start, span.end) == (
            "Rhetorical devices", "Loaded_Language", *LIE)


# --- SemEval-2025 Task 10 entity framing ---------------------------------------------------


def test_task10_sample_round_trips(tmp_path: Path) -> None:
    with create_project(tmp_path / "p.wbproj", "news-rhetoric") as store:
        report = import_paths(store, [TASK10], annotator="gold")
        assert not report.failures, report.summary_lines()
        assert report.outcomes[0].format == "semeval-entities"
        assert not report.labels_added and not report.warnings
        spans = {(s.label, s.attributes["fine_roles"][0]): s for i in store.documents.ids()
                 for s in store.spans.for_document(i)}
        washington = spans[("Antagonist", "Corrupt")]
        assert store.documents.excerpt(washington.document_id, washington.start,
                                       washington.end) in ("Washington", "Americans")
        export_project(store, "semeval-entities", tmp_path / "out")
    original = sorted((TASK10 / "subtask-1-annotations.txt").read_text().splitlines())
    exported = sorted((tmp_path / "out" / "subtask-1-annotations.txt").read_text().splitlines())
    assert exported == original
    for name in ("EN_CC_200053.txt", "EN_UA_DEV_100012.txt"):
        assert (tmp_path / "out" / "subtask-1-documents" / name).read_bytes() == \
            (TASK10 / "subtask-1-documents" / name).read_bytes()


def test_task10_mention_mismatch_warns_and_keeps_offsets(store: ProjectStore,
                                                         tmp_path: Path) -> None:
    folder = tmp_path / "t10"
    shutil.copytree(TASK10, folder)
    (folder / "subtask-1-annotations.txt").write_text(
        "EN_CC_200053.txt\tRishi Sun\t85\t95\tAntagonist\tDeceiver\tTyrant\n")
    report = import_paths(store, [folder], annotator="gold")
    assert not report.failures
    assert any("line 1" in w and "'Rishi Sun'" in w for w in report.warnings)
    (span,) = [s for i in store.documents.ids() for s in store.spans.for_document(i)]
    assert (span.start, span.end, span.attributes["fine_roles"]) == (85, 96,
                                                                   ["Deceiver", "Tyrant"])


def test_task10_export_emoji_crlf_end_inclusive(store: ProjectStore, emoji_document: int,
                                                 tmp_path: Path) -> None:
    store.spans.add(Span(emoji_document, "Actors", "Antagonist", *PUTIN, "a",
                         attributes={"fine_roles": ["Deceiver"], "entity_type": "Person"}))
    store.spans.add(Span(emoji_document, "Actors", "Actor", *LIE, "a"))
    summary = export_project(store, "semeval-entities", tmp_path / "out")
    (row,) = (tmp_path / "out" / "subtask-1-annotations.txt").read_text().splitlines()
    name, mention, start, end, main, fine = row.split("\t")
    assert (mention, int(start), int(end), main, fine) == (
        "Putin", PUTIN[0], PUTIN[1] - 1, "Antagonist", "Deceiver")
    text = (tmp_path / "out" / "subtask-1-documents" / name).read_bytes().decode("utf-8")
    assert text[int(start):int(end) + 1] == "Putin"
    assert any("not a main role" in line for line in summary.not_carried)
    assert any("other than fine roles" in line for line in summary.not_carried)


def test_layer_option_chooses_where_techniques_go(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.cli import main

    project = tmp_path / "p.wbproj"
    assert main(["init", str(project), "--codebook", "empty"]) == 0
    code = main(["import", str(project), str(_ptc_folder(tmp_path)), "--layer", "My techniques"])
    assert code == 0, capsys.readouterr().err
    with open_project(project) as store:
        assert {span.layer for doc in store.documents.ids()
                for span in store.spans.for_document(doc)} == {"My techniques"}


def test_task10_mention_with_a_unicode_line_separator_stays_one_row(
        store: ProjectStore, tmp_path: Path) -> None:
    document = store.documents.add(Document(name="EN_1", text="Said Vladimir\u2028Putin today"))
    assert document.id is not None
    store.spans.add(Span(document.id, "Actors", "Antagonist", 5, 19, "a",
                         attributes={"fine_roles": ["Deceiver"]}))
    export_project(store, "semeval-entities", tmp_path / "out")
    with create_project(tmp_path / "copy.wbproj", "news-rhetoric") as copy:
        report = import_paths(copy, [tmp_path / "out"], annotator="a")
        assert not report.failures, report.summary_lines()
        (span,) = [s for i in copy.documents.ids() for s in copy.spans.for_document(i)]
        assert (span.start, span.end) == (5, 19)


def test_the_shipped_technique_layer_is_read_once(tmp_path: Path) -> None:
    folder = _ptc_folder(tmp_path)
    rows = (folder / "train.labels.tsv").read_text(encoding="utf-8").splitlines()
    (folder / "train.labels.tsv").unlink()
    for number, row in enumerate(rows[:3]):
        (folder / f"part{number}.labels.tsv").write_text(row + "\n", encoding="utf-8")
    parsed = [item for item in semeval_ptc.read(folder, ReadOptions())
              if isinstance(item, ParsedFile)]
    codebooks = [item.codebook for item in parsed if item.codebook is not None]
    assert len(codebooks) == 3
    assert all(codebook is codebooks[0] for codebook in codebooks)
