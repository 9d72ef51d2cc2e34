"""The concordance: the first page of keyword-in-context rows for a common word.

Workbench: `Concordance.page` for the word "Russia" (in most documents), 200 rows with
their contexts and the labels already at each match. Baseline: the same FTS5 query
through a raw `sqlite3` connection, for the documents the page shows (in document order)
with the matches marked by `highlight()`, the spans of those documents with their label
names in one more query, and the 200 rows (left context, match, right context, labels
overlapping the match) cut from the marked texts with a regular expression and a plain
loop: the plainest means to the same page (without checking the marks). Both connections
stay open, so the page cache is warm for both.
"""

from __future__ import annotations

import re
import sqlite3
import time

from bench.figure import Context, Figure
from workbench.services.concordance import Concordance, ConcordanceQuery
from workbench.services.project import open_project

WORD = "Russia"
PAGE = 200
CONTEXT = 40
_MARKED = re.compile("\ue000(.*?)\ue001", re.DOTALL)
_BASELINE_SQL = (
    "SELECT f.rowid, d.name, highlight(documents_fts, 0, char(57344), char(57345)) "
    "FROM documents_fts f JOIN documents d ON d.id = f.rowid "
    "WHERE documents_fts MATCH ? AND f.rowid > 0 ORDER BY f.rowid LIMIT ?"
)


class ConcordanceFirstPage(Figure):
    key = "concordance_first_page"
    title = "concordance of a common word over N documents, first page"
    baseline_title = "the same FTS5 query, raw sqlite3"
    target_ratio = 1.5

    def prepare(self, ctx: Context) -> None:
        path = ctx.cache.project(ctx.spec)
        self.store = open_project(path)
        self.concordance = Concordance.of(self.store)
        self.connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        first = self.concordance.page(ConcordanceQuery(WORD), PAGE)
        self.documents = len({hit.document_id for hit in first})

    def workbench(self, ctx: Context) -> float:
        started = time.perf_counter()
        page = self.concordance.page(ConcordanceQuery(WORD), PAGE)
        seconds = time.perf_counter() - started
        if len(page) < PAGE:
            raise RuntimeError(f"{WORD!r} has only {len(page)} matches; the corpus is wrong")
        self.documents = len({hit.document_id for hit in page})
        return seconds

    def baseline(self, ctx: Context) -> float:
        started = time.perf_counter()
        rows = self.connection.execute(_BASELINE_SQL, (WORD, self.documents)).fetchall()
        ids = [row[0] for row in rows]
        spans: dict[int, list[tuple[int, int, str]]] = {}
        for document_id, start, end, label in self.connection.execute(
                "SELECT s.document_id, s.start_offset, s.end_offset, l.name FROM spans s "
                f"JOIN labels l ON l.id = s.label_id WHERE s.document_id IN "
                f"({','.join('?' * len(ids))})", ids):
            spans.setdefault(document_id, []).append((start, end, label))
        page = []
        for document_id, name, marked in rows:
            text = marked.replace("\ue000", "").replace("\ue001", "")
            shift = 0
            for found in _MARKED.finditer(marked):
                start = found.start() - shift
                end = start + len(found.group(1))
                shift += 2
                labels = [label for s, e, label in spans.get(document_id, ())
                          if s < end and e > start]
                page.append((document_id, name, start, end, text[max(0, start - CONTEXT):start],
                             text[start:end], text[end:end + CONTEXT], labels))
        page = page[:PAGE]
        seconds = time.perf_counter() - started
        if len(rows) != self.documents or len(page) != PAGE:
            raise RuntimeError("the baseline made another page than the workbench")
        return seconds

    def finish(self, ctx: Context) -> None:
        self.store.close()
        self.connection.close()


FIGURE = ConcordanceFirstPage()
