"""An export reads one snapshot: a program that commits to the project while the export runs
cannot give it a state of the project that was never committed."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.core.model import Document, Span
from workbench.services.exporting import export_project
from workbench.services.project import create_project
from workbench.storage import ProjectStore

TEXT = "Putin said that it is a lie. Obama disagreed."


def test_a_commit_during_the_export_is_not_half_seen(tmp_path: Path) -> None:
    path = tmp_path / "p.wbproj"
    with create_project(path, "news-rhetoric") as store:
        ids = []
        for name in ("first", "second", "third"):
            document = store.documents.add(Document(name=name, text=f"{name}: {TEXT}"))
            assert document.id is not None
            ids.append(document.id)
        other = ProjectStore.open(path)  # another program on the same file
        written = []

        def progress(done: int, total: int, what: str) -> None:
            # The first document is read; now the other program adds a span to every
            # document in one transaction.
            if done == 1 and not written:
                with other.transaction():
                    for document_id in ids:
                        other.spans.add(Span(document_id, "Claims", "Claim", 0, 5, "other"))
                written.append(True)

        target = tmp_path / "out.jsonl"
        try:
            export_project(store, "jsonl", target, progress=progress)
        finally:
            other.close()
        assert written
        lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
        spans = [len(record["spans"]) for record in lines[1:]]
        assert spans == [0, 0, 0]  # the state when the export began, all of it
        assert store.spans.count() == 3  # and the commit is there once the export is done
