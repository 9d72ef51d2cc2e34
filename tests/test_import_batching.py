"""Imports commit many files at a time (each still atomic), within limits on files and text."""

from __future__ import annotations

import pytest

from workbench.core.drafts import DocumentDraft, ParsedFile
from workbench.services import importing


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
