"""Importing a folder of plain text files into a new project, at three sizes.

Baseline: the same files listed, read and inserted with one `executemany` into a bare table
that has an FTS5 index like the project's (an import must leave the texts searchable), in
one transaction, with SQLite's default settings. The workbench on top decodes and checks
every file, hashes it to find duplicates, records its metadata and commits in batches (WAL,
synchronous=FULL), each file atomic on its own. The three sizes show that the cost grows
with the work only: 1,000 files run at every size, 10,000 and 50,000 with the large figures.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from bench.figure import Context, Figure
from bench.generator import import_set
from workbench.services.importing import import_paths
from workbench.services.project import create_project

_BASELINE_SCHEMA = (
    "CREATE TABLE documents (id INTEGER PRIMARY KEY, name TEXT NOT NULL, text TEXT NOT NULL)",
    "CREATE VIRTUAL TABLE documents_fts USING fts5(text, content='documents', "
    "content_rowid='id')",
)


class ImportFiles(Figure):
    baseline_title = "sqlite3 executemany + FTS5"
    target_ratio = 2.0

    def __init__(self, count: int) -> None:
        self.count = count
        self.key = f"import_files:{count // 1000}k"
        self.title = f"import {count:,} text files"
        self.large = count > 1_000

    def describe(self, ctx: Context) -> str:
        return self.title

    def repeats(self, ctx: Context) -> int:
        return ctx.repeats if self.count <= 10_000 else min(ctx.repeats, 3)

    def prepare(self, ctx: Context) -> None:
        self.folder = ctx.cache.text_files(import_set(self.count))
        self.files = sorted(self.folder.glob("*.txt"))

    def workbench(self, ctx: Context) -> float:
        path = ctx.scratch("import.wbproj")
        with create_project(path) as store:
            started = time.perf_counter()
            report = import_paths(store, [self.folder], annotator="bench")
            seconds = time.perf_counter() - started
        ctx.discard(path)
        if report.failures or report.documents_added != len(self.files):
            raise RuntimeError(f"import went wrong: {report.summary_lines()[:5]}")
        return seconds

    def baseline(self, ctx: Context) -> float:
        path = ctx.scratch("import-baseline.sqlite")
        connection = sqlite3.connect(path)
        for statement in _BASELINE_SCHEMA:
            connection.execute(statement)
        started = time.perf_counter()
        rows = [(file.stem, _read(file)) for file in sorted(self.folder.glob("*.txt"))]
        with connection:
            connection.executemany("INSERT INTO documents (name, text) VALUES (?, ?)", rows)
            connection.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")
        seconds = time.perf_counter() - started
        connection.close()
        ctx.discard(path)
        return seconds


def _read(file: Path) -> str:
    return file.read_bytes().decode("utf-8")


FIGURES = [ImportFiles(1_000), ImportFiles(10_000), ImportFiles(50_000)]
