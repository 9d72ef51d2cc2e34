"""Agreement over a team's project: 1,000 documents, each annotated by three annotators
(about 55,000 spans; bench/team_corpus.py), every span and document layer measured.

Baseline: reading the same spans from SQLite into Python lists (one raw `sqlite3` query),
the least any measure of them must do. The figure is the whole `compute_agreement`: reading
the study, alpha_U, F1 with both matchings, the pairwise and per-document tables, and
alpha and kappa of the document layers. It is held under three seconds, so the window's
agreement view stays interactive at this size.
"""

from __future__ import annotations

import sqlite3
import time

from bench.cache import remove
from bench.figure import Context, Figure
from bench.project_builder import build_project
from bench.team_corpus import TEAM, TEAM_ANNOTATORS, team_documents
from workbench.core.model import DocumentStatus
from workbench.services.agreement import compute_agreement
from workbench.services.project import open_project
from workbench.storage.database import latest_version

_SPANS_SQL = ("SELECT id, document_id, label_id, start_offset, end_offset, annotator_id "
              "FROM spans")


class Agreement(Figure):
    key = "agreement"
    title = "agreement, 1,000 documents x 3 annotators"
    baseline_title = "reading the same spans from SQLite into lists"
    target_ratio = None
    limit = 3.0

    def describe(self, ctx: Context) -> str:
        return f"{self.title} ({self.spans:,} spans)" if getattr(self, "spans", 0) else \
            self.title

    def prepare(self, ctx: Context) -> None:
        path = ctx.cache.root / f"{TEAM.key}-team-schema{latest_version()}.wbproj"
        if not path.exists():
            ctx.cache.root.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(path.name + ".partial")
            remove(partial)
            ctx.log(f"generating {path.name} (first run only; kept in {ctx.cache.root})")
            build_project(partial, team_documents())
            with open_project(partial) as store, store.transaction():
                # Each annotator went through every document (and marked it done), whether
                # or not they found anything to tag in it.
                for document_id in store.documents.ids():
                    for annotator in TEAM_ANNOTATORS:
                        store.documents.set_status(document_id, annotator, DocumentStatus.DONE)
            partial.rename(path)
        self.store = open_project(path)
        self.connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        self.spans = self.store.spans.count()

    def workbench(self, ctx: Context) -> float:
        started = time.perf_counter()
        report = compute_agreement(self.store)
        seconds = time.perf_counter() - started
        counted = sum(sum(values["counts"].values())
                      for figures in report.data["layers"].values()
                      if figures["kind"] == "span" for values in figures["labels"].values())
        if counted != self.spans:
            raise RuntimeError(f"agreement counted {counted} spans of {self.spans}")
        return seconds

    def baseline(self, ctx: Context) -> float:
        started = time.perf_counter()
        rows = self.connection.execute(_SPANS_SQL).fetchall()
        seconds = time.perf_counter() - started
        if len(rows) != self.spans:
            raise RuntimeError(f"read {len(rows)} spans of {self.spans}")
        return seconds

    def finish(self, ctx: Context) -> None:
        self.store.close()
        self.connection.close()


FIGURE = Agreement()
