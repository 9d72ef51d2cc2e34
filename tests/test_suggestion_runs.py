"""Running suggesters over a project: progress, cancel, processes, settings, pattern files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EMOJI_CRLF_TEXT
from workbench.cli import main
from workbench.core.errors import CancelledError, InputFileError, WorkbenchError
from workbench.core.model import Document
from workbench.core.progress import CancelToken
from workbench.nlp.suggester import word_count
from workbench.services.suggesting import (
    plan_run,
    prepare_run,
    run_suggestions,
    store_result,
    texts_for_worker,
)
from workbench.services.suggestion_settings import (
    load_patterns_into_project,
    load_settings,
    pattern_set,
    update_settings,
)
from workbench.storage import ProjectStore

TEXTS = [
    "“We will never accept this deal, whatever happens,” said Zelensky on Monday.",
    EMOJI_CRLF_TEXT,
    "What about the so-called experts? According to NATO, the war could last for years.",
    "Nothing to see here.",
]


@pytest.fixture
def documents(store: ProjectStore) -> list[int]:
    stored = store.documents.add_many(Document(f"d{i}", text) for i, text in enumerate(TEXTS))
    return [d.id for d in stored if d.id is not None]


def test_a_run_reports_counts_per_suggester(store: ProjectStore, documents: list[int]) -> None:
    seen: list[tuple[int, int]] = []
    report = run_suggestions(store, pipeline="blank",
                             progress=lambda done, total, what: seen.append((done, total)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert report.documents == 4 and report.words == sum(word_count(t) for t in TEXTS)
    assert report.tallies["claims"].stored.relations_added == 3
    assert report.tallies["devices"].stored.added == 2
    assert report.tallies["actors"].stored.added == 4  # Zelensky, Putin, Obama, NATO
    assert report.tallies["claims"].stored.kept == 3  # the speakers the actors had
    assert report.unavailable.keys() == {"learned"}
    assert store.spans.count() == 0
    lines = report.summary_lines()
    assert lines[0] == f"pipeline: {report.pipeline}"
    assert any(line.startswith("claims: 6 proposed, 3 new suggestions, 3 new relation")
               for line in lines)


def test_a_cancelled_run_keeps_whole_documents(store: ProjectStore,
                                               documents: list[int]) -> None:
    cancel = CancelToken()

    def cancel_after_two(done: int, total: int, what: str) -> None:
        if done == 2:
            cancel.cancel()

    report = run_suggestions(store, pipeline="blank", progress=cancel_after_two,
                             cancel=cancel)
    assert report.cancelled and report.documents == 2
    stored_documents = {s.document_id for s in store.suggestions.find()}
    assert stored_documents == set(documents[:2])
    assert "cancelled" in report.summary_lines()[-1]
    with pytest.raises(CancelledError):
        cancel.check()


def test_two_processes_give_the_same_suggestions(store: ProjectStore,
                                                 documents: list[int]) -> None:
    engine = prepare_run(store, pipeline="blank")
    items = [(d, store.documents.text(d)) for d in documents]
    one = [(r.document_id, r.proposals) for r in engine.run(items, n_process=1)]
    two = [(r.document_id, r.proposals) for r in engine.run(items, n_process=2,
                                                             batch_size=1)]
    assert one == two


def test_only_the_documents_asked_for(store: ProjectStore, documents: list[int]) -> None:
    report = run_suggestions(store, suggesters=["devices"], pipeline="blank",
                             document_ids=[documents[2]])
    assert report.documents == 1 and list(report.tallies) == ["devices"]
    assert {s.document_id for s in store.suggestions.find()} == {documents[2]}


def test_ids_the_project_does_not_hold_are_left_out(store: ProjectStore,
                                                   documents: list[int]) -> None:
    # The same rule as texts_for_worker: a document deleted meanwhile has nothing to read.
    report = run_suggestions(store, suggesters=["devices"], pipeline="blank",
                             document_ids=[documents[2], 999])
    assert report.documents == 1
    assert {s.document_id for s in store.suggestions.find()} == {documents[2]}


def test_switched_off_suggesters_do_not_run(store: ProjectStore, documents: list[int]) -> None:
    update_settings(store, disable=["actors", "claims"], pipeline="blank")
    assert load_settings(store).enabled() == ["devices", "learned"]
    report = run_suggestions(store)
    assert report.pipeline.name == "blank:en"
    assert set(report.tallies) == {"devices"}
    update_settings(store, enable=["claims"], clear_pipeline=True)
    settings = load_settings(store)
    assert settings.pipeline is None and "claims" in settings.enabled()
    with pytest.raises(WorkbenchError, match="unknown suggester 'nope'"):
        update_settings(store, enable=["nope"])


def test_a_project_carries_its_own_pattern_list(store: ProjectStore, documents: list[int],
                                                tmp_path: Path) -> None:
    mine = tmp_path / "mine.jsonl"
    mine.write_text('{"label": "Flag_Waving", "pattern": "nothing to see"}\n', encoding="utf-8")
    load_patterns_into_project(store, "device_patterns", mine)
    mine.unlink()  # the project keeps its copy
    assert pattern_set(store, "device_patterns").labels() == ["Flag_Waving"]
    run_suggestions(store, suggesters=["devices"], pipeline="blank")
    [suggestion] = store.suggestions.find()
    assert suggestion.label == "Flag_Waving" and "line 1" in suggestion.reason


def test_a_bad_pattern_file_changes_nothing(project_path: Path, store: ProjectStore,
                                            tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"label": "Doubt", "pattern": "fine"}\n{"label": "Doubt"}\n',
                   encoding="utf-8")
    with pytest.raises(InputFileError):
        load_patterns_into_project(store, "device_patterns", bad)
    store.close()
    assert main(["suggestions", "settings", str(project_path), "--disable", "claims",
                 "--device-patterns", str(bad)]) == 1
    assert f"{bad}, line 2:" in capsys.readouterr().err
    assert main(["suggestions", "settings", str(project_path), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["patterns"] == {} and shown["disabled"] == []


def test_settings_from_the_command_line(project_path: Path, store: ProjectStore,
                                        tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    store.close()
    good = tmp_path / "actors.jsonl"
    good.write_text('{"label": "PERSON", "pattern": "Zelensky"}\n', encoding="utf-8")
    assert main(["suggestions", "settings", str(project_path), "--pipeline", "blank",
                 "--disable", "learned", "--known-actors", str(good)]) == 0
    out = capsys.readouterr().out
    assert "known actors: 1 pattern(s)" in out and "pipeline:   blank" in out
    assert "learned     off" in out
    assert main(["suggestions", "settings", str(project_path), "--shipped-patterns"]) == 0
    assert "known actors: shipped list" in capsys.readouterr().out
    assert main(["suggestions", "pipelines"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "blank:en"


def test_a_worker_thread_reads_texts_through_its_own_connection(
    store: ProjectStore, documents: list[int]
) -> None:
    import threading

    everything = texts_for_worker(store)
    some = texts_for_worker(store, [documents[3], documents[0], 999])
    read: dict[str, list[tuple[int, str]]] = {}

    def work() -> None:  # sqlite3 refuses a connection made in another thread
        read["all"] = list(everything)
        read["some"] = list(some)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert [text for _, text in read["all"]] == TEXTS
    assert read["some"] == [(documents[3], TEXTS[3]), (documents[0], TEXTS[0])]


def test_a_plan_is_read_first_and_run_later(store: ProjectStore, documents: list[int]) -> None:
    plan = plan_run(store, suggesters=["devices"], pipeline="blank")
    assert [s.name for s in plan.suggesters] == ["devices"]
    engine = plan.engine()
    results = list(engine.run(texts_for_worker(store)))
    assert [r.document_id for r in results] == documents
    store_result(store, results[2], engine.pipelines)
    assert {s.label for s in store.suggestions.find()} == {"Whataboutism", "Doubt"}
