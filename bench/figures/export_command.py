"""Exporting 100k spans (5,000 documents) from the project file, as `workbench export` does.

What the user waits for, from the command to the last byte: the project's spans, relations
and labels read and selected, the format's writer, the file moved into place
(`services.exporting.export_project` on an open project). Baseline: the same spans read from
the file with raw sqlite3 (the texts in one query, the spans in another, label and
annotator names from their tables) and written as one `json.dumps` row per span. Targets:
at most 2 for the native `jsonl` and for `csv`; `xlsx` and `spacy` (the slowest writers
users ask for) are reported.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from bench.figure import Context, Figure
from bench.generator import EXPORT_SET
from workbench.formats.registry import get_format
from workbench.services.exporting import export_project
from workbench.services.project import open_project

TARGETS = {"jsonl": 2.0, "csv": 2.0}
FORMATS = ("jsonl", "csv", "xlsx", "spacy")
# After a warm-up this slow, a single sample is enough.
SLOW_SECONDS = 15.0

def export_target(ctx: Context, name: str, prefix: str) -> Path:
    fmt = get_format(name)
    suffix = "" if fmt.reads_folders or not fmt.extensions else fmt.extensions[0]
    return ctx.scratch(f"{prefix}-{name}{suffix}")


def write_baseline(project: Path, target: Path) -> int:
    """The plainest export of the spans: the texts in one query, the spans in another (in
    the same document order), one json.dumps per span."""
    connection = sqlite3.connect(f"{project.resolve().as_uri()}?mode=ro", uri=True)
    labels = {i: (layer, label) for i, layer, label in connection.execute(
        "SELECT l.id, la.name, l.name FROM labels l JOIN layers la ON la.id = l.layer_id")}
    annotators = dict(connection.execute("SELECT id, name FROM annotators"))
    texts = connection.execute(
        "SELECT d.id, d.name, t.text FROM documents d "
        "JOIN document_texts t ON t.document_id = d.id ORDER BY d.id")
    document_id, name, text = -1, "", ""
    written = 0
    with target.open("w", encoding="utf-8") as out:
        for span_document, label_id, start, end, annotator_id, attributes, note in \
                connection.execute(
                    "SELECT document_id, label_id, start_offset, end_offset, annotator_id, "
                    "attributes, note FROM spans ORDER BY document_id, start_offset"):
            while document_id != span_document:
                document_id, name, text = texts.fetchone()
            layer, label = labels[label_id]
            out.write(json.dumps({
                "document": name, "layer": layer, "label": label, "start": start,
                "end": end, "text": text[start:end], "annotator": annotators[annotator_id],
                "attributes": json.loads(attributes), "note": note,
            }, ensure_ascii=False) + "\n")
            written += 1
    connection.close()
    return written


class ExportCommand(Figure):
    baseline_title = "raw sqlite3 reads, json.dumps per span, to a file"

    large = True  # minutes at any size (100k spans in each format): not in CI's S run

    def __init__(self, name: str) -> None:
        self.name = name
        self.key = f"export_command:{name}"
        self.title = f"export 100k spans as {name} from the project (command to last byte)"
        self.target_ratio = TARGETS.get(name)
        self.seconds = 0.0

    def describe(self, ctx: Context) -> str:
        return self.title

    def repeats(self, ctx: Context) -> int:
        return 1 if self.seconds > SLOW_SECONDS else min(ctx.repeats, 5)

    def prepare(self, ctx: Context) -> None:
        self.project = ctx.cache.export_project()

    def workbench(self, ctx: Context) -> float:
        target = export_target(ctx, self.name, "command")
        started = time.perf_counter()
        with open_project(self.project) as store:
            summary = export_project(store, self.name, target)
        self.seconds = time.perf_counter() - started
        ctx.discard(target)
        for name in summary.files:
            ctx.discard(Path(name))
        if summary.spans != EXPORT_SET.spans:
            raise RuntimeError(f"{self.name} exported {summary.spans} spans")
        return self.seconds

    def baseline(self, ctx: Context) -> float:
        target = ctx.scratch("command-baseline.jsonl")
        started = time.perf_counter()
        written = write_baseline(self.project, target)
        seconds = time.perf_counter() - started
        ctx.discard(target)
        if written != EXPORT_SET.spans:
            raise RuntimeError(f"the baseline wrote {written} spans")
        return seconds


FIGURES = [ExportCommand(name) for name in FORMATS]
