"""Imports commit many files at a time (each still atomic), within limits on files and text,
and store runs of plain files in one go with the same outcome as one by one."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.conftest import EMOJI_CRLF_TEXT
from workbench.core.drafts import DocumentDraft, ParsedFile
from workbench.core.errors import WorkbenchError
from workbench.core.events import Event
from workbench.core.model import Document
from workbench.services import importing
from workbench.services.importing import import_paths
from workbench.storage import ProjectStore


def _parsed(*lengths: int) -> list[ParsedFile]:
    return [ParsedFile(source=f"f{i}.txt", format="text",
                       documents=[DocumentDraft(name=f"f{i}", text="x" * n)])
            for i, n in enumerate(lengths)]


def test_commits_group_files_up_to_a_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "COMMIT_EVERY", 2)
    chunks = list(importing._commit_chunks(_parsed(1, 1, 1, 1, 1)))
    assert [len(chunk) for chunk in chunks] == [2, 2, 1]


def test_a_commit_closes_early_when_the_text_is_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "COMMIT_CHARACTERS", 100)
    chunks = list(importing._commit_chunks(_parsed(10, 95, 10, 10, 200, 5)))
    assert [[p.source for p in chunk] for chunk in chunks] == [
        ["f0.txt", "f1.txt"], ["f2.txt", "f3.txt", "f4.txt"], ["f5.txt"]]


# --- plain files are stored a run at a time ------------------------------------------------


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode("utf-8"))
    return path


def _texts(store: ProjectStore) -> dict[str, str]:
    return {document.name: document.text for document in store.documents.iter_all()}


def test_a_run_of_text_files_matches_content_and_names(store: ProjectStore,
                                                       tmp_path: Path) -> None:
    store.documents.add(Document(name="report", text="An older text."))
    _write(tmp_path / "a", "report.txt", EMOJI_CRLF_TEXT)
    _write(tmp_path / "b", "report.txt", "Another report from Kyiv.")
    _write(tmp_path / "b", "same.txt", EMOJI_CRLF_TEXT)  # the same text under another name
    _write(tmp_path / "b", "old.txt", "An older text.")
    seen: list[Event] = []
    store.events.subscribe(seen.append)
    report = import_paths(store, [tmp_path / "a", tmp_path / "b"], annotator="alice")
    assert not report.failures
    assert [(o.documents_added, o.documents_existing) for o in report.outcomes] == [
        (1, 0), (0, 1), (1, 0), (0, 1)]  # b/ is walked in name order: old, report, same
    assert _texts(store) == {"report": "An older text.", "report (2)": EMOJI_CRLF_TEXT,
                             "report (3)": "Another report from Kyiv."}
    # One announcement for the run, not one per document: the document list reloads once.
    assert [type(event).__name__ for event in seen].count("DocumentsAdded") == 1
    hits = store.documents.search("Putin")
    assert [hit.name for hit in hits] == ["report (2)"]


def test_annotated_files_between_plain_ones_keep_their_order(store: ProjectStore,
                                                             tmp_path: Path) -> None:
    jsonl = tmp_path / "b-annotated.jsonl"
    jsonl.write_text(json.dumps({"name": "annotated", "text": EMOJI_CRLF_TEXT}) + "\n",
                     encoding="utf-8")
    _write(tmp_path, "a-plain.txt", "First plain text.")
    _write(tmp_path, "c-plain.txt", EMOJI_CRLF_TEXT)  # the text the jsonl file brought
    report = import_paths(store, [tmp_path], annotator="alice")
    assert [(Path(o.source).name, o.documents_added, o.documents_existing)
            for o in report.outcomes] == [
        ("a-plain.txt", 1, 0), ("b-annotated.jsonl", 1, 0), ("c-plain.txt", 0, 1)]


def test_when_a_run_is_refused_each_file_is_written_on_its_own(
    store: ProjectStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(3):
        _write(tmp_path, f"t{i}.txt", f"Text number {i}.")

    add_or_find = store.documents.add_or_find

    def refuse_runs(documents: Sequence[Document]) -> list[tuple[int, bool]]:
        if len(documents) > 1:
            raise WorkbenchError("the change breaks a rule of the project")
        return add_or_find(documents)

    monkeypatch.setattr(store.documents, "add_or_find", refuse_runs)
    report = import_paths(store, [tmp_path], annotator="alice")
    assert not report.failures and report.documents_added == 3
    assert sorted(_texts(store)) == ["t0", "t1", "t2"]
