"""The command line moves annotations out and back in through the standard formats."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import LIE, PUTIN
from workbench.cli import main
from workbench.core.model import Span
from workbench.services.project import create_project, open_project
from workbench.storage import ProjectStore


@pytest.mark.parametrize(("fmt", "name"), [("csv", "out.csv"), ("brat", "brat"),
                                           ("doccano", "out.jsonl"),
                                           ("label-studio", "out.json"), ("w3c", "out.json")])
def test_export_and_import_from_the_command_line(
    store: ProjectStore, emoji_document: int, tmp_path: Path, fmt: str, name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store.spans.add(Span(emoji_document, "Actors", "Antagonist", *PUTIN, "alice"))
    store.spans.add(Span(emoji_document, "Claims", "Claim", *LIE, "bob"))
    assert store.path is not None
    project = store.path
    store.close()
    target = tmp_path / name
    assert main(["export", str(project), "--format", fmt, "--output", str(target),
                 "--annotator", "alice", "--layer", "Actors"]) == 0
    assert "exported 1 document, 1 span" in capsys.readouterr().out
    copy = tmp_path / "copy.wbproj"
    create_project(copy, "news-rhetoric").close()
    assert main(["import", str(copy), str(target), "--format", fmt,
                 "--annotator", "carol"]) == 0
    with open_project(copy) as imported:
        spans = imported.spans.for_document(imported.documents.ids()[0])
        assert [(s.layer, s.label, s.start, s.end) for s in spans] == [
            ("Actors", "Antagonist", *PUTIN)]


def test_formats_lists_what_each_format_cannot_carry(
    capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["formats"]) == 0
    out = capsys.readouterr().out
    brat = out[out.index("brat "):]
    assert "does not carry: document labels, annotators" in brat.splitlines()[2]
