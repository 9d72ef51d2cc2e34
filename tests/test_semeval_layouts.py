"""SemEval files as the organisers lay them out, and labels files that are damaged: every
row is read or the file is refused by name, and a refused file takes nothing in with it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import interop
from tests.semeval_scorers import tc_score
from workbench.core.model import Document
from workbench.services.exporting import export_project
from workbench.services.importing import import_paths
from workbench.services.project import create_project
from workbench.storage import ProjectStore

PTC = ("semeval", "ptc2020-tools-data")
ARTICLE = interop(*PTC, "article736757214.txt")
GOLD = interop(*PTC, "article736757214.labels-task-TC")
TECHNIQUES = interop(*PTC, "propaganda-techniques-names-semeval2020task11.txt")
TASK10 = interop("semeval", "semeval2025-task10-sample")


def _organisers_layout(tmp_path: Path) -> tuple[Path, Path]:
    """datasets/train-articles/article<ID>.txt and datasets/train-task2-TC.labels."""
    articles = tmp_path / "datasets" / "train-articles"
    articles.mkdir(parents=True)
    shutil.copy(ARTICLE, articles)
    labels = tmp_path / "datasets" / "train-task2-TC.labels"
    shutil.copy(GOLD, labels)
    return articles, labels


@pytest.mark.parametrize("labels_first", [False, True])
def test_articles_folder_and_labels_file_import_in_one_command(
    tmp_path: Path, labels_first: bool
) -> None:
    articles, labels = _organisers_layout(tmp_path)
    paths = [labels, articles] if labels_first else [articles, labels]
    with create_project(tmp_path / "p.wbproj", "semeval2020-ptc") as store:
        report = import_paths(store, paths, annotator="gold", format_name="semeval-ptc")
        assert not report.failures, report.summary_lines()
        assert store.documents.count() == 1 and store.spans.count() == 5


def test_a_labels_file_alone_annotates_documents_already_in_the_project(
    tmp_path: Path
) -> None:
    _, labels = _organisers_layout(tmp_path)
    with create_project(tmp_path / "p.wbproj", "semeval2020-ptc") as store:
        store.documents.add(Document(name="article736757214", text=ARTICLE.read_text()))
        report = import_paths(store, [labels], annotator="gold", format_name="semeval-ptc")
        assert not report.failures, report.summary_lines()
        assert report.documents_existing == 1 and store.spans.count() == 5


def test_a_task10_annotations_file_alone_annotates_project_documents(tmp_path: Path) -> None:
    with create_project(tmp_path / "p.wbproj", "news-rhetoric") as store:
        for document in sorted((TASK10 / "subtask-1-documents").iterdir()):
            store.documents.add(Document(name=document.stem, text=document.read_text()))
        report = import_paths(store, [TASK10 / "subtask-1-annotations.txt"], annotator="gold",
                              format_name="semeval-entities")
        assert not report.failures, report.summary_lines()
        rows = (TASK10 / "subtask-1-annotations.txt").read_text().strip().splitlines()
        assert store.spans.count() == len(rows)


def test_a_row_given_twice_stays_two_rows_for_the_scorer(tmp_path: Path) -> None:
    folder = tmp_path / "ptc"
    folder.mkdir()
    shutil.copy(ARTICLE, folder)
    rows = GOLD.read_text().splitlines()
    gold = folder / "train.labels.tsv"
    gold.write_text("\n".join([*rows, rows[0]]) + "\n")
    with create_project(tmp_path / "p.wbproj", "semeval2020-ptc") as store:
        report = import_paths(store, [folder], annotator="gold", format_name="semeval-ptc")
        assert store.spans.count() == len(rows) + 1
        assert any("repeat another record" in warning for warning in report.warnings)
        again = import_paths(store, [folder], annotator="gold", format_name="semeval-ptc")
        assert again.total("spans_added") == 0 and store.spans.count() == len(rows) + 1
        export_project(store, "semeval-ptc", tmp_path / "out")
    exported = (tmp_path / "out" / "labels.tsv").read_text().splitlines()
    assert len(exported) == len(rows) + 1
    assert tc_score(tmp_path / "out" / "labels.tsv", gold, TECHNIQUES)[0] == 1.0


def _ptc_with_labels(tmp_path: Path, content: bytes) -> Path:
    folder = tmp_path / "ptc"
    folder.mkdir()
    shutil.copy(ARTICLE, folder)
    (folder / "article111.txt").write_text("An article the labels do not name.\n")
    (folder / "train.labels.tsv").write_bytes(content)
    return folder


GOOD_ROWS = GOLD.read_bytes()


@pytest.mark.parametrize(("content", "message", "line"), [
    (GOOD_ROWS + b"736757214\tDoubt\t2", "expected 4 tab-separated columns", 6),
    (GOOD_ROWS + b"736757214\tDoubt\t-2\t9\n", "negative", 6),
    (GOOD_ROWS + b"736757214\tDoubt\tten\t19\n", "not a whole number", 6),
    (GOOD_ROWS + b"\x1c\x1d\x0b\x0c\n", "expected 4 tab-separated columns", 6),
    (GOOD_ROWS.decode().encode("utf-16"), "must be UTF-8", None),
    (GOOD_ROWS + b"736757214\t\xff\xfeDoubt\t2\t9\n", "must be UTF-8", None),
])
def test_a_damaged_labels_file_is_refused_and_takes_nothing_in(
    store: ProjectStore, tmp_path: Path, content: bytes, message: str, line: int | None
) -> None:
    folder = _ptc_with_labels(tmp_path, content)
    report = import_paths(store, [folder], annotator="gold", format_name="semeval-ptc")
    first = report.failures[0]
    assert first.path.name == "train.labels.tsv" and message in first.reason, str(first)
    assert first.line == line
    assert "not imported either" in str(report.failures[-1])
    assert store.documents.count() == 0 and store.spans.count() == 0


def test_a_damaged_task10_file_is_refused_whole(store: ProjectStore, tmp_path: Path) -> None:
    folder = tmp_path / "task10"
    shutil.copytree(TASK10, folder)
    annotations = folder / "subtask-1-annotations.txt"
    bad_row = "EN_CC_200053.txt\tPutin\t-1\t4\tAntagonist\tTyrant\n"
    annotations.write_text(annotations.read_text() + bad_row)
    report = import_paths(store, [folder], annotator="gold", format_name="semeval-entities")
    assert report.failures and "negative" in report.failures[0].reason
    assert store.documents.count() == 0 and store.spans.count() == 0
