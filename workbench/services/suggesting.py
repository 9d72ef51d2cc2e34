"""Running suggesters over a project's documents and storing what they propose.

The pipeline work (`prepare_run` + `SuggestionEngine.run`) needs no project connection, so
the window can run it in a worker thread and hand each result to `store_result` on its
main thread. The command line does both in turn with `run_suggestions`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from workbench.core.codebook import Codebook
from workbench.core.errors import CancelledError
from workbench.core.progress import CancelToken, ProgressCallback, no_progress
from workbench.core.suggestions import PipelineInfo, StoreCounts
from workbench.core.wording import counted
from workbench.nlp.engine import BATCH_SIZE, DocumentResult, SuggestionEngine
from workbench.nlp.pipelines import load_pipeline
from workbench.nlp.suggester import Suggester
from workbench.services.suggestion_settings import build_suggesters, load_settings
from workbench.storage import ProjectStore
from workbench.storage.text_reader import read_texts


@dataclass
class SuggesterTally:
    """What one suggester proposed in a run, and what became of the proposals."""

    proposed: int = 0
    relations_proposed: int = 0
    stored: StoreCounts = field(default_factory=StoreCounts)

    def to_dict(self) -> dict[str, int]:
        return {"proposed": self.proposed, "relations_proposed": self.relations_proposed,
                **{name: getattr(self.stored, name)
                   for name in self.stored.__dataclass_fields__}}


@dataclass
class SuggestionRunReport:
    pipeline: PipelineInfo
    suggesters: list[str]
    documents: int = 0
    words: int = 0
    seconds: float = 0.0
    tallies: dict[str, SuggesterTally] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    cancelled: bool = False

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds > 0 else 0.0

    def add(self, result: DocumentResult, stored: dict[str, StoreCounts]) -> None:
        self.documents += 1
        self.words += result.words
        for name, proposals in result.proposals.items():
            tally = self.tallies.setdefault(name, SuggesterTally())
            tally.proposed += len(proposals.spans)
            tally.relations_proposed += len(proposals.relations)
            tally.stored.merge(stored[name])

    def to_dict(self) -> dict[str, Any]:
        return {
            "pipeline": {"name": self.pipeline.name, "version": self.pipeline.version},
            "suggesters": {name: self.tallies.get(name, SuggesterTally()).to_dict()
                           for name in self.suggesters},
            "unavailable": self.unavailable,
            "documents": self.documents,
            "words": self.words,
            "seconds": round(self.seconds, 3),
            "words_per_second": round(self.words_per_second, 1),
            "notes": self.notes,
            "cancelled": self.cancelled,
        }

    def summary_lines(self) -> list[str]:
        lines = [f"pipeline: {self.pipeline}",
                 f"documents: {self.documents} ({self.words} words, {self.seconds:.1f} s)"]
        for name in self.suggesters:
            if name in self.unavailable:
                lines.append(f"{name}: not run ({self.unavailable[name]})")
                continue
            tally = self.tallies.get(name, SuggesterTally())
            stored = tally.stored
            line = (f"{name}: {tally.proposed:,} proposed, "
                    f"{counted(stored.added, 'new suggestion')}, "
                    f"{counted(stored.relations_added, 'new relation')}")
            skipped = []
            if stored.kept:
                skipped.append(f"{stored.kept} already suggested")
            if stored.previously_rejected:
                skipped.append(f"{stored.previously_rejected} rejected before")
            if stored.previously_accepted:
                skipped.append(f"{stored.previously_accepted} accepted before")
            if stored.already_annotated:
                skipped.append(f"{stored.already_annotated} already annotated")
            if stored.withdrawn:
                skipped.append(f"{stored.withdrawn} withdrawn")
            if skipped:
                line += " (" + ", ".join(skipped) + ")"
            lines.append(line)
        lines.extend(f"note: {note}" for note in self.notes)
        if self.cancelled:
            lines.append("cancelled: the documents above keep their suggestions; "
                         "the rest were not looked at")
        return lines


@dataclass
class RunPlan:
    """What a run needs from the project, read up front so the rest can run anywhere."""

    suggesters: list[Suggester]
    pipeline: str | None
    codebook: Codebook

    def engine(self) -> SuggestionEngine:
        """Load the pipeline (falling back as needed) and prepare the suggesters (slow:
        call it where waiting does not freeze anything)."""
        return SuggestionEngine(load_pipeline(self.pipeline), self.suggesters, self.codebook)


def plan_run(store: ProjectStore, suggesters: Sequence[str] | None = None,
             pipeline: str | None = None) -> RunPlan:
    return RunPlan(build_suggesters(store, suggesters),
                   pipeline or load_settings(store).pipeline, store.codebook.load())


def prepare_run(store: ProjectStore, suggesters: Sequence[str] | None = None,
                pipeline: str | None = None) -> SuggestionEngine:
    return plan_run(store, suggesters, pipeline).engine()


def texts_for_worker(store: ProjectStore, document_ids: Sequence[int] | None = None
                     ) -> Iterable[tuple[int, str]]:
    """Texts a worker thread may iterate: through its own read-only connection when the
    project is a file, else (a project in memory) read here and now. Ids the project does
    not hold are left out, as in `DocumentRepository.texts`."""
    if store.path is not None:
        return read_texts(store.path, document_ids)
    return list(store.documents.texts(document_ids))


def store_result(store: ProjectStore, result: DocumentResult,
                 pipelines: Mapping[str, PipelineInfo]) -> dict[str, StoreCounts]:
    """Write one document's proposals, all suggesters in one transaction.

    `pipelines` names what produced each suggester's proposals (`SuggestionEngine.pipelines`).
    """
    counts: dict[str, StoreCounts] = {}
    with store.transaction():
        for name, proposals in result.proposals.items():
            counts[name] = store.suggestions.store_proposals(proposals, name, pipelines[name])
    return counts


def run_suggestions(
    store: ProjectStore,
    suggesters: Sequence[str] | None = None,
    pipeline: str | None = None,
    document_ids: Sequence[int] | None = None,
    n_process: int = 1,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    engine: SuggestionEngine | None = None,
    batch_size: int = BATCH_SIZE,
) -> SuggestionRunReport:
    """Suggest over the documents (all, or `document_ids`), storing each as it is done."""
    engine = engine or prepare_run(store, suggesters, pipeline)
    names = [s.name for s in engine.ready] + list(engine.unavailable)
    report = SuggestionRunReport(engine.pipeline.info, names,
                                 unavailable=dict(engine.unavailable), notes=list(engine.notes))
    total = len(document_ids) if document_ids is not None else store.documents.count()
    # Read lazily, a batch at a time: a large project never sits in memory whole.
    items = store.documents.texts(document_ids)
    started = time.perf_counter()
    try:
        for result in engine.run(items, total=total, n_process=n_process, progress=progress,
                                 cancel=cancel, batch_size=batch_size):
            report.add(result, store_result(store, result, engine.pipelines))
    except CancelledError:
        report.cancelled = True
    report.seconds = time.perf_counter() - started
    return report
