"""The background run: a worker thread computes, the main thread writes, cancel stops it."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from workbench.core.codebook import Codebook
from workbench.core.model import Document
from workbench.core.suggestions import DocumentProposals
from workbench.nlp.devices import DeviceSuggester
from workbench.nlp.pipelines import LoadedPipeline
from workbench.services.suggesting import RunPlan, plan_run
from workbench.storage import ProjectStore
from workbench.ui.suggestion_runner import SuggestionRunner

pytestmark = pytest.mark.gui


class SlowDevices(DeviceSuggester):
    """The device suggester, slowed down so that a run lasts long enough to cancel."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: set[int] = set()

    def prepare(self, pipeline: LoadedPipeline, codebook: Codebook) -> list[str]:
        self.threads.add(threading.get_ident())
        return super().prepare(pipeline, codebook)

    def propose(self, doc, proposals: DocumentProposals) -> None:
        self.threads.add(threading.get_ident())
        time.sleep(0.2)
        super().propose(doc, proposals)


def test_a_run_computes_in_a_worker_and_writes_in_the_main_thread(
    qtbot, seeded_store: ProjectStore
) -> None:
    runner = SuggestionRunner(seeded_store)
    written_in: set[int] = set()
    seeded_store.events.subscribe(lambda event: written_in.add(threading.get_ident()))
    slow = SlowDevices()
    progress: list[tuple[int, int]] = []
    runner.progressed.connect(lambda done, total: progress.append((done, total)))
    with qtbot.waitSignal(runner.finished, timeout=60_000) as finished:
        runner.start(RunPlan([slow], "blank", seeded_store.codebook.load()))
        assert runner.running
        assert seeded_store.suggestions.count() == 0  # start() returned before any work
    report = finished.args[0]
    assert not runner.running and not report.cancelled
    assert report.documents == 5 and progress[-1] == (5, 5)
    assert report.tallies["devices"].stored.added == seeded_store.suggestions.count() > 0
    assert threading.get_ident() not in slow.threads  # the suggesters ran elsewhere
    assert written_in == {threading.get_ident()}  # every write happened here
    assert seeded_store.spans.count() == 0


def test_cancel_keeps_the_documents_already_done(
    qtbot, seeded_store: ProjectStore
) -> None:
    runner = SuggestionRunner(seeded_store)
    runner.document_stored.connect(lambda _: runner.cancel())
    with qtbot.waitSignal(runner.finished, timeout=60_000) as finished:
        runner.start(RunPlan([SlowDevices()], "blank", seeded_store.codebook.load()))
    report = finished.args[0]
    assert report.cancelled and 1 <= report.documents < 5
    stored = {s.document_id for s in seeded_store.suggestions.find()}
    assert len(stored) <= report.documents


def _handles_on(path: Path) -> list[str]:
    """The files this process holds open whose names start with `path`."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(path)):
            found.append(target)
    return sorted(found)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_a_cancelled_run_closes_its_connection_in_its_thread(
    qtbot, store: ProjectStore
) -> None:
    """The worker reads texts through a connection of its own, opened in its thread. A run
    stopped half way closes it there too (no other thread may): once the project is closed
    as well, the process holds nothing of the project file open."""
    store.documents.add_many(Document(name=f"report {i}", text=f"Putin said {i} lies.")
                             for i in range(40))  # more than the pipeline reads ahead
    assert store.path is not None
    runner = SuggestionRunner(store)
    runner.document_stored.connect(lambda _: runner.cancel())
    with qtbot.waitSignal(runner.finished, timeout=60_000) as finished:
        runner.start(RunPlan([SlowDevices()], "blank", store.codebook.load()))
    assert finished.args[0].cancelled and finished.args[0].documents < 40
    store.close()
    assert _handles_on(store.path) == []


def test_a_second_run_waits_for_the_first(
    qtbot, seeded_store: ProjectStore
) -> None:
    from workbench.core.errors import WorkbenchError

    runner = SuggestionRunner(seeded_store)
    plan = RunPlan([SlowDevices()], "blank", seeded_store.codebook.load())
    runner.start(plan)
    with pytest.raises(WorkbenchError, match="already"):
        runner.start(plan)
    runner.cancel_and_wait()
    assert not runner.running
    with qtbot.waitSignal(runner.finished, timeout=60_000):
        runner.start(plan_run(seeded_store, suggesters=["devices"], pipeline="blank"),
                     document_ids=seeded_store.documents.ids()[:2])


def test_a_run_with_nothing_to_run_says_why(
    qtbot, seeded_store: ProjectStore
) -> None:
    runner = SuggestionRunner(seeded_store)
    with qtbot.waitSignal(runner.finished, timeout=60_000) as finished:
        runner.start(RunPlan([DeviceSuggester()], "blank", Codebook("nothing")))
    report = finished.args[0]
    assert "devices" in report.unavailable and seeded_store.suggestions.count() == 0


def test_a_failing_run_reports_and_writes_nothing(
    qtbot, seeded_store: ProjectStore
) -> None:
    from workbench.nlp.spancat import LearnedSuggester

    runner = SuggestionRunner(seeded_store)
    broken = LearnedSuggester([("spancat:Actors", b"not a model")])
    with qtbot.waitSignal(runner.failed, timeout=60_000) as failed:
        runner.start(RunPlan([broken], "blank", seeded_store.codebook.load()))
    assert "cannot be read" in failed.args[0]
    assert not runner.running and seeded_store.suggestions.count() == 0
