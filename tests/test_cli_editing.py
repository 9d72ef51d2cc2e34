"""`workbench annotate` and `workbench delete-span`: the session's rules from the command line."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import EMOJI_CRLF_TEXT, PUTIN
from workbench.cli import main
from workbench.core.model import Document
from workbench.core.resources import seeds_dir
from workbench.storage import ProjectStore

SEED = "002_a32b31f8f4665c4d"


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def dump(project: Path) -> list[str]:
    conn = sqlite3.connect(project)
    lines = list(conn.iterdump())
    conn.close()
    return lines


@pytest.fixture
def demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    project = tmp_path / "demo.wbproj"
    assert run(capsys, "init", project)[0] == 0
    assert run(capsys, "import", project, seeds_dir())[0] == 0
    return project


def spans_counted(capsys: pytest.CaptureFixture[str], project: Path) -> int:
    code, out, _ = run(capsys, "stats", project, "--json")
    assert code == 0
    return int(json.loads(out)["spans"])


def test_annotate_adds_a_span_that_stats_counts_and_delete_span_removes_it(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (seeds_dir() / f"{SEED}.txt").read_text(encoding="utf-8")
    start = text.index("Antony Blinken")
    code, out, err = run(capsys, "annotate", demo, "--document", SEED, "--layer", "Actors",
                         "--label", "Protagonist", "--start", start, "--end", start + 14,
                         "--annotator", "bob", "--json")
    assert (code, err) == (0, "")
    added = json.loads(out)
    assert (added["text"], added["annotator"]) == ("Antony Blinken", "bob")
    assert spans_counted(capsys, demo) == 1
    code, out, err = run(capsys, "delete-span", demo, added["id"], "--annotator", "bob")
    assert (code, err) == (0, "")
    assert out == f"deleted span {added['id']}: Protagonist by bob\n"
    assert spans_counted(capsys, demo) == 0


def test_snap_grows_to_whole_words(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (seeds_dir() / f"{SEED}.txt").read_text(encoding="utf-8")
    start = text.index("Antony Blinken")
    code, out, _ = run(capsys, "annotate", demo, "--document", SEED, "--layer", "Actors",
                       "--label", "Actor", "--start", start + 2, "--end", start + 10,
                       "--annotator", "bob", "--snap", "--json")
    assert code == 0 and json.loads(out)["text"] == "Antony Blinken"


@pytest.mark.parametrize(("arguments", "message"), [
    (["--document", SEED, "--layer", "Actors", "--label", "Actor", "--start", "0",
      "--end", "999999"], "fall outside the text"),
    (["--document", SEED, "--layer", "Actors", "--label", "Nobody", "--start", "0",
      "--end", "3"], "has no label 'Nobody'"),
    (["--document", "no-such-document", "--layer", "Actors", "--label", "Actor",
      "--start", "0", "--end", "3"], "no document named 'no-such-document'"),
    (["--document", SEED, "--layer", "Frames", "--label", "Political", "--start", "0",
      "--end", "3"], "is not a span layer"),
])
def test_bad_annotate_input_exits_1_with_one_line_and_changes_nothing(
    demo: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    before = dump(demo)
    code, out, err = run(capsys, "annotate", demo, *arguments)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and message in err and err.startswith("workbench: error: ")
    assert dump(demo) == before


def test_delete_span_refuses_another_annotators_span_and_an_unknown_id(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "annotate", demo, "--document", SEED, "--layer", "Actors",
                       "--label", "Actor", "--start", 0, "--end", 8, "--annotator", "alice",
                       "--json")
    span_id = json.loads(out)["id"]
    before = dump(demo)
    code, _, err = run(capsys, "delete-span", demo, span_id, "--annotator", "bob")
    assert code == 1 and "cannot delete alice's Actor span" in err and err.count("\n") == 1
    code, _, err = run(capsys, "delete-span", demo, 9999, "--annotator", "alice")
    assert code == 1 and "no span with id 9999" in err
    assert dump(demo) == before


def test_annotate_counts_code_points_after_an_emoji_and_a_crlf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], news_codebook
) -> None:
    project = tmp_path / "emoji.wbproj"
    with ProjectStore.create(project, news_codebook) as store:
        store.documents.add(Document(name="emoji", text=EMOJI_CRLF_TEXT))
    code, out, _ = run(capsys, "annotate", project, "--document", "emoji", "--layer",
                       "Actors", "--label", "Actor", "--start", PUTIN[0], "--end", PUTIN[1],
                       "--json")
    assert code == 0 and json.loads(out)["text"] == "Putin"
