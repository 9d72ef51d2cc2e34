"""Suggestion throughput: words per second through the suggesters, as `workbench suggest`.

Baseline: a bare `nlp.pipe` of the same pipeline over the same texts, with the same batch size
(the engine's `BATCH_SIZE`, passed to both sides) and the same number of processes (two when
the machine has more than one core), measured in the same run. The workbench on top runs the
actors, claims and devices suggesters on every parsed document in the main process and
stores what they propose in a project, one transaction per document.

The table compares seconds (workbench / baseline); the throughput ratio the suggesters reach
is its inverse, suggested words per second over bare words per second, logged after the
samples. A fixed number of documents keeps the figure to a minute at every corpus size.
"""

from __future__ import annotations

import os
import shutil
import statistics
import time

from bench.figure import Context, Figure
from bench.generator import document_texts
from workbench.nlp.engine import BATCH_SIZE

DOCUMENTS = 200
SUGGESTERS = ("actors", "claims", "devices")


def processes() -> int:
    return 2 if (os.cpu_count() or 1) > 1 else 1


class SuggestThroughput(Figure):
    key = "suggest_throughput"
    title = "suggest on N documents"
    baseline_title = "bare nlp.pipe, same texts and processes"
    target_ratio = 1.3
    pipeline_name: str | None = None  # None: the one `workbench suggest` would choose

    def describe(self, ctx: Context) -> str:
        count = min(DOCUMENTS, ctx.spec.documents)
        return f"suggest ({', '.join(SUGGESTERS)}) on {count} documents, {processes()} processes"

    def repeats(self, ctx: Context) -> int:
        return min(ctx.repeats, 3)  # each sample parses the texts: a few seconds apiece

    def prepare(self, ctx: Context) -> None:
        from workbench.core.model import Document
        from workbench.nlp.pipelines import load_pipeline
        from workbench.nlp.suggester import word_count
        from workbench.services.project import create_project

        self.texts = list(document_texts(ctx.spec, DOCUMENTS))
        self.words = sum(word_count(text) for text in self.texts)
        self.pipeline = load_pipeline(self.pipeline_name)
        self.template = ctx.scratch("suggest-template.wbproj")
        with create_project(self.template) as store:
            store.documents.add_many(
                Document(f"doc{i:04d}", text) for i, text in enumerate(self.texts))
        self.samples: dict[str, list[float]] = {"workbench": [], "baseline": []}

    def workbench(self, ctx: Context) -> float:
        from workbench.services.project import open_project
        from workbench.services.suggesting import plan_run, run_suggestions

        path = ctx.scratch("suggest.wbproj")
        shutil.copyfile(self.template, path)  # every sample starts with no suggestions
        with open_project(path) as store:
            engine = plan_run(store, SUGGESTERS, self.pipeline.info.name).engine()
            started = time.perf_counter()
            report = run_suggestions(store, engine=engine, n_process=processes(),
                                     batch_size=BATCH_SIZE)
            seconds = time.perf_counter() - started
            stored = store.suggestions.count()
        ctx.discard(path)
        if report.documents != len(self.texts) or report.unavailable or not stored:
            raise RuntimeError(f"the suggestion run went wrong: {report.summary_lines()}")
        self.samples["workbench"].append(seconds)
        return seconds

    def baseline(self, ctx: Context) -> float:
        nlp = self.pipeline.nlp
        started = time.perf_counter()
        for _ in nlp.pipe(self.texts, batch_size=BATCH_SIZE, n_process=processes()):
            pass
        seconds = time.perf_counter() - started
        self.samples["baseline"].append(seconds)
        return seconds

    def finish(self, ctx: Context) -> None:
        ctx.discard(self.template)
        skip = 1 if self.warmup else 0  # the runner's warm-up calls are not samples
        timed = {side: values[skip:] for side, values in self.samples.items()}
        if not (timed["workbench"] and timed["baseline"]):
            return
        suggested = self.words / statistics.median(timed["workbench"])
        bare = self.words / statistics.median(timed["baseline"])
        ctx.log(f"  {self.words:,} words with {self.pipeline.info}: suggested "
                f"{suggested:,.0f} words/s, bare nlp.pipe {bare:,.0f} words/s, "
                f"throughput ratio {suggested / bare:.2f}")


FIGURE = SuggestThroughput()
