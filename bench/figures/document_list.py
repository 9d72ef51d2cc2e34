"""The document list of a 100,000-document project: reaching its end, and filtering it.

`jump`: the list scrolled to its end and the last document opened, timed until both the list
and the text have been painted. The list knows every id, so it seeks instead of reading the
pages on the way. Baseline: the same in a project of one list page (500 documents) of the
same corpus.

`filter`: the last document's name typed into the filter one key at a time (the first keys
match most of the list, the last one document), each key applied (the
window waits for a pause in typing; here every key counts) until the list is painted again;
the sample is the slowest key. Baseline: what the list shows, by raw sqlite3 queries for
each key: the number of matches and the first page of them.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from bench.figure import Context, Figure
from bench.generator import ONE_PAGE, SIZES

LARGE = SIZES["L"]


def _window(project: Path) -> Any:
    from bench.gui import open_window, settle

    window, _ = open_window(project)
    window.resize(1400, 860)
    settle()
    return window


class JumpToLast(Figure):
    key = "document_list:jump"
    title = "jump to the last of 100,000 documents (list scrolled to the end, opened)"
    baseline_title = "the same in a 500-document project"
    target_ratio = 2.0
    limit = 0.1
    large = True

    def repeats(self, ctx: Context) -> int:
        return max(ctx.repeats, 9)

    def prepare(self, ctx: Context) -> None:
        self.large_window = _window(ctx.cache.project(LARGE))
        self.small_window = _window(ctx.cache.project(ONE_PAGE))

    def _sample(self, window: Any) -> float:
        from bench.gui import do_and_wait_painted, settle

        table = window.document_table
        table.selectRow(0)
        table.scrollToTop()
        settle()
        model = window.document_model
        last = model.rowCount() - 1

        def jump() -> None:
            table.scrollToBottom()
            table.selectRow(last)

        seconds = do_and_wait_painted(jump, [table.viewport(), window.view.viewport()],
                                      what="the last document")
        if window.desk.document_id != model.document_id(last):
            raise RuntimeError("the last document was not opened")
        settle()
        return seconds

    def workbench(self, ctx: Context) -> float:
        return self._sample(self.large_window)

    def baseline(self, ctx: Context) -> float:
        return self._sample(self.small_window)

    def finish(self, ctx: Context) -> None:
        from bench.gui import close_window

        close_window(self.large_window)
        close_window(self.small_window)


class FilterList(Figure):
    key = "document_list:filter"
    title = "filter the list of 100,000 documents by name, slowest key"
    baseline_title = "count and first page of the matches, raw sqlite3"
    target_ratio = 2.0
    limit = 0.05
    large = True

    def prepare(self, ctx: Context) -> None:
        path = ctx.cache.project(LARGE)
        self.window = _window(path)
        self.connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        [(self.typed,)] = self.connection.execute(
            "SELECT name FROM documents ORDER BY id DESC LIMIT 1").fetchall()

    def workbench(self, ctx: Context) -> float:
        from bench.gui import do_and_wait_painted, settle

        model, table = self.window.document_model, self.window.document_table
        slowest = 0.0
        for typed in range(1, len(self.typed) + 1):
            seconds = do_and_wait_painted(lambda n=typed: model.set_filter(self.typed[:n]),
                                          [table.viewport()], what="the filtered list")
            slowest = max(slowest, seconds)
        if model.total != 1 or model.index(0, 0).data() != self.typed:
            raise RuntimeError(f"filtering for {self.typed!r} left {model.total} documents")
        model.set_filter("")
        settle()
        return slowest

    def baseline(self, ctx: Context) -> float:
        slowest = 0.0
        for typed in range(1, len(self.typed) + 1):
            pattern = [f"%{self.typed[:typed]}%"]
            started = time.perf_counter()
            [(count,)] = self.connection.execute(
                "SELECT count(*) FROM documents WHERE name LIKE ?", pattern).fetchall()
            rows = self.connection.execute(
                "SELECT id, name, length, span_count FROM documents WHERE name LIKE ? "
                "ORDER BY id LIMIT 200", pattern).fetchall()
            slowest = max(slowest, time.perf_counter() - started)
        if count != 1 or len(rows) != 1:
            raise RuntimeError(f"the baseline found {count} documents for {self.typed!r}")
        return slowest

    def finish(self, ctx: Context) -> None:
        from bench.gui import close_window

        close_window(self.window)
        self.connection.close()


FIGURES = [JumpToLast(), FilterList()]
