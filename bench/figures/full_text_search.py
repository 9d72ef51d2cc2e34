"""Full-text search: twenty queries of every kind FTS5 offers, over the whole project.

Baseline: the same queries as plain SQL through a raw `sqlite3` connection to the same file,
asking for the same thing the workbench shows (document id, name and a snippet, best
hundred by rank). Both connections stay open across samples, so the page cache is warm for
both.
"""

from __future__ import annotations

import sqlite3
import time

from bench.figure import Context, Figure
from workbench.services.project import open_project

# Common and rare words, phrases, prefixes, boolean operators and NEAR, as users type them.
QUERIES = (
    "Putin",
    "Kremlin",
    "sanctions",
    "negotiat*",
    '"Western leaders"',
    '"collective West"',
    '"rule of law"',
    "Russia NOT Ukraine",
    "Obama OR Blinken",
    "Macron AND Scholz",
    "diplomacy AND isolation",
    "NEAR(Putin Moscow, 5)",
    "BRICS",
    "Minsk",
    "TALLINN",
    "Juknevičienė",
    "Okafor",
    "propagand*",
    "aggression",
    "reader",
)
LIMIT = 100
_BASELINE_SQL = (
    "SELECT f.rowid, d.name, snippet(documents_fts, 0, '[', ']', '…', 12) "
    "FROM documents_fts f JOIN documents d ON d.id = f.rowid "
    "WHERE documents_fts MATCH ? ORDER BY rank LIMIT ?"
)


class FullTextSearch(Figure):
    key = "full_text_search"
    title = f"full-text search, {len(QUERIES)} queries"
    baseline_title = "the same FTS5 queries, raw sqlite3"
    target_ratio = 1.5

    def prepare(self, ctx: Context) -> None:
        path = ctx.cache.project(ctx.spec)
        self.store = open_project(path)
        self.connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        self.hits = 0

    def workbench(self, ctx: Context) -> float:
        started = time.perf_counter()
        hits = sum(len(self.store.documents.search(query, limit=LIMIT)) for query in QUERIES)
        seconds = time.perf_counter() - started
        self._check(hits)
        return seconds

    def baseline(self, ctx: Context) -> float:
        started = time.perf_counter()
        hits = sum(
            len(self.connection.execute(_BASELINE_SQL, (query, LIMIT)).fetchall())
            for query in QUERIES
        )
        seconds = time.perf_counter() - started
        self._check(hits)
        return seconds

    def _check(self, hits: int) -> None:
        """Both sides must find the same number of hits, or they did not do the same work."""
        if not hits:
            raise RuntimeError("the search queries found nothing; the corpus is wrong")
        if self.hits and hits != self.hits:
            raise RuntimeError(f"searches found {hits} hits, earlier {self.hits}")
        self.hits = hits

    def finish(self, ctx: Context) -> None:
        self.store.close()
        self.connection.close()


FIGURE = FullTextSearch()
