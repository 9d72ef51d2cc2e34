"""Two programs on one project file: writers that never lose an acknowledged edit, a busy
file said in one line, readers that disturb nobody, caches that notice the other program."""

from __future__ import annotations

import json
import random
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import EMOJI_CRLF_TEXT, LIE, PUTIN
from tests.editing_processes import (
    FileState,
    WriteLockHolder,
    WriterLog,
    kill_writer_repeatedly,
    run_scene,
)
from workbench.core.codebook import Label
from workbench.core.errors import AnnotationError, CodebookError, ProjectBusyError
from workbench.core.model import Document, DocumentLabel, Relation, Span
from workbench.storage import ProjectStore, transactions

pytestmark = pytest.mark.slow


def test_two_writers_beside_readers_imports_and_exports_lose_nothing(tmp_path: Path) -> None:
    # Each writer edits as the window does, as fast as it can; a reader opens, reads and
    # closes again and again, an importer and an exporter do the same from "a terminal".
    result = run_scene(tmp_path / "shared.wbproj", seconds=3.0)
    report = "\n".join(result.lines())
    assert result.crashed == [], report
    assert result.acknowledged >= 20, report
    assert result.failed_edits == [], report
    assert result.lost_edits == 0, report
    assert result.integrity == "ok" and result.foreign_key_problems == 0, report
    assert min(result.side_runs[role] for role in ("reader", "importer", "exporter")) > 0, report
    assert result.side_failures == {}, report


def test_a_writer_killed_while_annotating_loses_no_acknowledged_edit(tmp_path: Path) -> None:
    result = kill_writer_repeatedly(tmp_path / "killed.wbproj", kills=5,
                                    rng=random.Random(20240611))
    assert result.kills == 5 and result.acknowledged > 0
    assert result.failed_edits == []
    assert result.lost_edits == 0
    assert result.integrity == ["ok"] * 5


def test_the_check_finds_a_lost_edit_and_accepts_the_one_in_flight() -> None:
    claim = [1, "Claims", "Claim", 0, 4, "w-1"]

    def said(*lines: tuple[str, list[list[object]]]) -> WriterLog:
        log = WriterLog("w")
        log.read([json.dumps({"event": event, "effects": effects})
                  for event, effects in lines] + ['{"n": 9, "event": "o'])  # cut by a kill
        return log

    def file(spans: dict[int, list[object]]) -> FileState:
        return FileState({"w": {k: tuple(v) for k, v in spans.items()}},
                         {}, {"w": {1: "in_progress"}}, "ok", 0)

    tagged = [["span", 7, claim], ["status", 1, "in_progress"]]
    noted = [["span", 7, [*claim[:5], "w-2-note"]]]
    log = said(("try", tagged), ("ok", tagged), ("try", noted))
    assert log.acknowledged == 1 and log.pending == noted
    assert log.lost_edits(file({7: claim})) == 0
    assert log.lost_edits(file({7: [*claim[:5], "w-2-note"]})) == 0  # in flight, committed
    assert log.lost_edits(file({})) == 1
    assert log.lost_edits(file({7: [*claim[:4], 5, "w-1"]})) == 1
    assert log.lost_edits(file({7: claim, 8: [*claim[:5], "stray"]})) == 1
    # A new span in flight: whatever number the file gave it.
    log = said(("try", tagged), ("ok", tagged), ("try", [["span", None, [2, *claim[1:]]]]))
    assert log.lost_edits(file({7: claim, 12: [2, *claim[1:]]})) == 0
    assert log.lost_edits(file({7: claim, 12: [3, *claim[1:]]})) == 1


# --- a busy file -------------------------------------------------------------------------


def _quick_timeout(store: ProjectStore, ms: int = 100) -> None:
    store.db.conn.execute(f"PRAGMA busy_timeout = {ms}")


def test_an_edit_waits_for_another_programs_write_to_finish(
    project_path: Path, store: ProjectStore, emoji_document: int
) -> None:
    holder = WriteLockHolder(project_path)
    threading.Timer(0.3, holder.release).start()
    began = time.monotonic()
    store.spans.add(Span(emoji_document, "Claims", "Claim", *LIE, "alice"))
    assert time.monotonic() - began >= 0.25
    assert transactions.BUSY_TIMEOUT_MS >= 1000
    assert store.db.conn.execute("PRAGMA busy_timeout").fetchone()[0] == \
        transactions.BUSY_TIMEOUT_MS


def test_a_file_busy_past_the_timeout_is_said_plainly_and_nothing_is_written(
    project_path: Path, store: ProjectStore, emoji_document: int
) -> None:
    _quick_timeout(store)
    with WriteLockHolder(project_path), pytest.raises(ProjectBusyError) as raised:
        store.spans.add(Span(emoji_document, "Claims", "Claim", *LIE, "newcomer"))
    assert str(raised.value) == (f"another program is writing to {project_path}; "
                                 "try again in a moment")
    assert store.spans.count() == 0 and "newcomer" not in store.annotators.names()
    # Once the other program is done, the same edit goes through.
    store.spans.add(Span(emoji_document, "Claims", "Claim", *LIE, "newcomer"))
    assert store.spans.count() == 1


def test_reads_go_on_while_another_program_writes(
    project_path: Path, store: ProjectStore, emoji_document: int
) -> None:
    store.spans.add(Span(emoji_document, "Claims", "Claim", *LIE, "alice"))
    with WriteLockHolder(project_path), ProjectStore.open(project_path) as reader:
        _quick_timeout(reader)
        assert reader.spans.count() == 1
        assert [hit.name for hit in reader.documents.search("lie")] == ["emoji-crlf"]


# --- other programs' changes and this store's memory ---------------------------------------


def test_an_annotator_another_program_added_is_not_added_twice(
    project_path: Path, store: ProjectStore, emoji_document: int
) -> None:
    with ProjectStore.open(project_path) as other:
        other.spans.add(Span(emoji_document, "Actors", "Actor", *PUTIN, "carol"))
    # This store read the annotators before "carol" existed.
    store.spans.add(Span(emoji_document, "Claims", "Claim", *LIE, "carol"))
    assert store.annotators.names() == ["carol"]
    assert {span.annotator for span in store.spans.for_document(emoji_document)} == {"carol"}


def test_a_label_another_program_added_is_seen(
    project_path: Path, store: ProjectStore, emoji_document: int
) -> None:
    assert not store.codebook.load().layer("Claims").has_label("Rumour")
    with ProjectStore.open(project_path) as other:
        other.codebook.add_label("Claims", Label("Rumour", color="#abcdef"))
        other.spans.add(Span(emoji_document, "Claims", "Rumour", *LIE, "bob"))
    # Reading the other program's span, and adding the same label once more.
    assert [span.label for span in store.spans.for_document(emoji_document)] == ["Rumour"]
    with pytest.raises(CodebookError):
        store.codebook.add_label("Claims", Label("Rumour", color="#abcdef"))
    store.spans.add(Span(emoji_document, "Claims", "Rumour", *PUTIN, "alice"))
    assert store.spans.count() == 2


def test_undo_brings_a_span_back_under_its_number_after_another_program_added_one(
    project_path: Path, store: ProjectStore, emoji_document: int
) -> None:
    span = store.spans.add(Span(emoji_document, "Claims", "Claim", *LIE, "alice"))
    deleted = store.spans.delete(span.id)
    with ProjectStore.open(project_path) as other:
        added = other.spans.add(Span(emoji_document, "Actors", "Actor", *PUTIN, "bob"))
    assert added.id != span.id  # a number the file has never had, not the freed one
    store.spans.restore(deleted)
    assert store.spans.get(span.id) == span
    again = store.spans.add(Span(emoji_document, "Claims", "Claim", *PUTIN, "alice"))
    assert again.id is not None and span.id is not None and added.id is not None
    assert again.id > max(span.id, added.id)


def test_links_and_document_labels_keep_their_numbers_too(
    project_path: Path, store: ProjectStore, emoji_document: int
) -> None:
    actor = store.spans.add(Span(emoji_document, "Actors", "Actor", *PUTIN, "alice"))
    claim = store.spans.add(Span(emoji_document, "Claims", "Claim", *LIE, "alice"))
    assert actor.id is not None and claim.id is not None
    link = store.relations.add(Relation(emoji_document, "Links", "asserts", actor.id,
                                        claim.id, "alice"))
    frame = store.document_labels.add(DocumentLabel(emoji_document, "Frames", "Political",
                                                    "alice"))
    store.relations.delete(link.id)
    store.document_labels.delete(frame.id)
    with ProjectStore.open(project_path) as other:
        other_link = other.relations.add(Relation(emoji_document, "Links", "asserts",
                                                  actor.id, claim.id, "bob"))
        other_frame = other.document_labels.add(DocumentLabel(emoji_document, "Frames",
                                                              "Political", "bob"))
    assert (other_link.id, other_frame.id) != (link.id, frame.id)
    assert store.relations.add(link) == link
    assert store.document_labels.add(frame).id == frame.id


def test_a_number_an_older_version_reused_is_refused_with_a_message(
    project_path: Path, store: ProjectStore, emoji_document: int
) -> None:
    span = store.spans.add(Span(emoji_document, "Claims", "Claim", *LIE, "alice"))
    deleted = store.spans.delete(span.id)
    # An older workbench beside this one numbers a new span as SQLite does: max(id) + 1.
    conn = sqlite3.connect(project_path)
    conn.execute("INSERT INTO spans (id, document_id, label_id, start_offset, end_offset, "
                 "annotator_id, origin, created_at, updated_at) SELECT ?, ?, id, ?, ?, "
                 "(SELECT id FROM annotators), 'manual', 'now', 'now' FROM labels "
                 "WHERE name = 'Actor'", [span.id, emoji_document, *PUTIN])
    conn.commit()
    conn.close()
    with pytest.raises(AnnotationError, match="cannot come back"):
        store.spans.restore(deleted)
    assert store.spans.count() == 1


def test_a_read_snapshot_sees_one_state_while_another_program_commits(
    project_path: Path, store: ProjectStore, emoji_document: int
) -> None:
    with ProjectStore.open(project_path) as other:
        with store.read_snapshot():
            before = store.spans.count()
            other.spans.add(Span(emoji_document, "Claims", "Claim", *LIE, "bob"))
            assert store.spans.count() == before == 0
            with pytest.raises(RuntimeError, match="read_snapshot"):
                store.spans.add(Span(emoji_document, "Claims", "Claim", *PUTIN, "alice"))
        assert store.spans.count() == 1


# --- closing -----------------------------------------------------------------------------


def test_closing_a_reader_leaves_the_writers_log_alone_and_the_last_close_folds_it(
    project_path: Path, store: ProjectStore, emoji_document: int
) -> None:
    wal = Path(f"{project_path}-wal")
    store.spans.add(Span(emoji_document, "Claims", "Claim", *LIE, "alice"))
    size = wal.stat().st_size
    assert size > 0
    with ProjectStore.open(project_path) as reader:
        assert reader.spans.count() == 1
    assert wal.stat().st_size == size  # no checkpoint by the reader
    store.close()
    assert not wal.exists() and not Path(f"{project_path}-shm").exists()
    conn = sqlite3.connect(f"{project_path.resolve().as_uri()}?immutable=1", uri=True)
    assert conn.execute("SELECT count(*) FROM spans").fetchone()[0] == 1
    conn.close()


def test_the_emoji_text_survives_all_of_it(project_path: Path, store: ProjectStore) -> None:
    added = store.documents.add(Document(name="again", text=EMOJI_CRLF_TEXT))
    store.close()
    with ProjectStore.open(project_path) as reopened:
        assert reopened.documents.text(added.id) == EMOJI_CRLF_TEXT


@pytest.mark.gui
def test_the_window_says_the_file_is_busy_and_the_tag_can_simply_be_made_again(
    qtbot, project_path: Path, store: ProjectStore, emoji_document: int
) -> None:
    from PySide6.QtCore import Qt

    from tests.desk_support import make_window, select_in_view

    window = make_window(qtbot, store)
    window.open_document(emoji_document)
    _quick_timeout(store)
    with WriteLockHolder(project_path):
        select_in_view(window, "Putin")
        qtbot.keyClick(window.view, Qt.Key.Key_A)
        assert window.statusBar().currentMessage() == (
            f"another program is writing to {project_path}; try again in a moment")
        assert window.desk.undo_stack.count() == 0  # nothing to undo: nothing was done
    assert store.spans.count() == 0
    select_in_view(window, "Putin")
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    assert [(s.label, s.start, s.end) for s in store.spans.for_document(emoji_document)] == [
        ("Antagonist", *PUTIN)]
    assert window.desk.undo_stack.count() == 1
