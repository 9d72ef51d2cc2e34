"""Exporting 100k spans (5,000 documents) in every format of the registry that can export.

One line per format, found in the registry, so a new format is measured without touching
this file. The workbench side is the format's writer over the selection, written to a scratch
file or folder; the baseline writes the same spans as rows with one `json.dumps` per span to
a file (document, layer, label, offsets, text, annotator, attributes, note). Both start from
the same documents and annotations already read from the project (read once, not timed: the
reading is the same for every format, and is logged once as its own number), so the ratio is
what the format itself costs over the plainest serialisation. Targets: at most 2 for the
native `jsonl` and for `csv`, at most 10 for every other format.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import ClassVar

from bench.figure import Context, Figure
from workbench.core.export_data import ExportBundle, ExportDocument, WriteOptions
from workbench.formats.registry import Format, all_formats
from workbench.services.exporting import build_bundle
from workbench.services.project import open_project

TARGETS = {"jsonl": 2.0, "csv": 2.0}
OTHER_FORMATS_TARGET = 10.0
# After a warm-up this slow, a single sample is enough (and keeps `make bench` in minutes).
SLOW_SECONDS = 15.0


class _Selection:
    """The export set read from its project once, shared by every format's figure."""

    bundle: ClassVar[ExportBundle | None] = None
    documents: ClassVar[list[ExportDocument]] = []

    @classmethod
    def load(cls, ctx: Context) -> ExportBundle:
        if cls.bundle is None:
            with open_project(ctx.cache.export_project()) as store:
                started = time.perf_counter()
                read = build_bundle(store)
                cls.documents = list(read.documents())
                seconds = time.perf_counter() - started
            spans = sum(len(item.spans) for item in cls.documents)
            ctx.log(f"  read {len(cls.documents):,} documents with {spans:,} spans from the "
                    f"project in {seconds:.2f} s (not part of the figures)")
            documents = cls.documents
            cls.bundle = ExportBundle(
                codebook=read.codebook, documents=lambda: iter(documents),
                document_count=len(documents), annotators=read.annotators,
                project_name=read.project_name,
            )
        return cls.bundle

    @classmethod
    def release(cls) -> None:
        cls.bundle = None
        cls.documents = []


class ExportFormat(Figure):
    title = "export 100k spans as FORMAT"
    baseline_title = "json.dumps of the span rows to a file"

    def __init__(self, fmt: Format, last: bool) -> None:
        self.format = fmt
        self.key = f"export_formats:{fmt.name}"
        self.target_ratio = TARGETS.get(fmt.name, OTHER_FORMATS_TARGET)
        self.last = last
        self.seconds = 0.0

    def describe(self, ctx: Context) -> str:
        return f"export 100k spans as {self.format.name}"

    def repeats(self, ctx: Context) -> int:
        # Called after the warm-up, whose duration decides.
        return 1 if self.seconds > SLOW_SECONDS else ctx.repeats

    def prepare(self, ctx: Context) -> None:
        self.bundle = _Selection.load(ctx)

    def _target(self, ctx: Context) -> Path:
        fmt = self.format
        suffix = "" if fmt.reads_folders or not fmt.extensions else fmt.extensions[0]
        return ctx.scratch(f"export-{fmt.name}{suffix}")

    def workbench(self, ctx: Context) -> float:
        assert self.format.writer is not None
        target = self._target(ctx)
        started = time.perf_counter()
        summary = self.format.writer(self.bundle, target, WriteOptions())
        self.seconds = time.perf_counter() - started
        ctx.discard(target)
        for name in summary.files:  # side files (a labeling configuration)
            ctx.discard(Path(name))
        carries_documents = "documents" in self.format.carries
        if carries_documents and summary.documents != self.bundle.document_count:
            raise RuntimeError(f"{self.format.name} exported {summary.documents} documents")
        return self.seconds

    def baseline(self, ctx: Context) -> float:
        target = ctx.scratch("export-baseline.jsonl")
        started = time.perf_counter()
        with target.open("w", encoding="utf-8") as out:
            for item in self.bundle.documents():
                name, text = item.name, item.text
                for span in item.spans:
                    out.write(json.dumps({
                        "document": name, "layer": span.layer, "label": span.label,
                        "start": span.start, "end": span.end, "text": text[span.start:span.end],
                        "annotator": span.annotator, "attributes": span.attributes,
                        "note": span.note,
                    }, ensure_ascii=False) + "\n")
        seconds = time.perf_counter() - started
        ctx.discard(target)
        return seconds

    def finish(self, ctx: Context) -> None:
        if self.last:
            _Selection.release()


def _figures() -> list[ExportFormat]:
    exporting = [fmt for fmt in all_formats().values() if fmt.can_export]
    return [ExportFormat(fmt, last=index == len(exporting) - 1)
            for index, fmt in enumerate(exporting)]


FIGURES = _figures()
