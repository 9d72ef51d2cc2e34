"""The first page of full-text hits for a common word at 100,000 documents.

What `workbench search PROJECT Putin` waits for: the best 20 documents by rank, with names
and snippets, for a word that nine documents in ten contain (the corpus is about Russian
politics). Judged against an absolute ceiling, 100 ms, because the ratio of
`full_text_search` compares the workbench with its own SQL. Baseline: the single FTS5
statement ("ORDER BY rank", which sorts every match first) through raw sqlite3.
"""

from __future__ import annotations

import sqlite3
import time

from bench.figure import Context, Figure
from bench.generator import SIZES
from workbench.services.project import open_project

LARGE = SIZES["L"]
WORD = "Putin"
PAGE = 20  # what `workbench search` shows by default
_BASELINE_SQL = (
    "SELECT f.rowid, d.name, snippet(documents_fts, 0, '[', ']', '…', 12) "
    "FROM documents_fts f JOIN documents d ON d.id = f.rowid "
    "WHERE documents_fts MATCH ? ORDER BY rank LIMIT ?"
)


class SearchFirstPage(Figure):
    key = "search_first_page"
    title = f"first page of search hits for a common word ({WORD}), 100,000 documents"
    baseline_title = "the same page by one FTS5 statement, raw sqlite3"
    target_ratio = 1.5
    limit = 0.1
    large = True

    def repeats(self, ctx: Context) -> int:
        return max(ctx.repeats, 9)

    def prepare(self, ctx: Context) -> None:
        path = ctx.cache.project(LARGE)
        self.store = open_project(path)
        self.connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)

    def workbench(self, ctx: Context) -> float:
        started = time.perf_counter()
        hits = self.store.documents.search(WORD, limit=PAGE)
        seconds = time.perf_counter() - started
        self._check([(hit.document_id, hit.name, hit.snippet) for hit in hits])
        return seconds

    def baseline(self, ctx: Context) -> float:
        started = time.perf_counter()
        rows = self.connection.execute(_BASELINE_SQL, (WORD, PAGE)).fetchall()
        seconds = time.perf_counter() - started
        self._check([tuple(row) for row in rows])
        return seconds

    def _check(self, hits: list[tuple[object, ...]]) -> None:
        if len(hits) != PAGE:
            raise RuntimeError(f"{len(hits)} hits for {WORD!r}, not a page")

    def finish(self, ctx: Context) -> None:
        self.store.close()
        self.connection.close()


FIGURE = SearchFirstPage()
