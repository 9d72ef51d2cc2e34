"""Parquet for Hugging Face `datasets` and dataframes: one row per document.

Columns: `name`, `text`, `metadata` (JSON), `spans` (list of structs: `id`, `layer`, `label`,
`start`, `end` in code points, end exclusive, `text`, `annotator`, `attributes`, `note`,
`origin`, `created_at`, `updated_at`), `relations` (`layer`, `label`, `source` and `target`
as span ids, `annotator`, `attributes`, `note`, `origin`), `document_labels` and `statuses`.
Attributes are `list<struct<key, value>>` with each value as JSON text, because `datasets`
cannot load Arrow map columns and values differ in type. The codebook is kept as JSON in the
file's key-value metadata (`workbench.codebook`).

`datasets.load_dataset("parquet", data_files=...)` loads the file offline; pandas and pyarrow
read it directly. Documents are written in row groups, so big projects stream.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workbench.core.codebook import codebook_to_dict
from workbench.core.export_data import ExportBundle, ExportDocument, ExportSummary, WriteOptions
from workbench.formats.registry import Format
from workbench.formats.shared.atomic_output import atomic_file

ROWS_PER_GROUP = 500


def _schema() -> Any:
    """The Arrow schema (built on first use, so pyarrow loads only when exporting)."""
    import pyarrow as pa

    attributes = pa.list_(pa.struct([("key", pa.string()), ("value", pa.string())]))
    return pa.schema([
        ("name", pa.string()),
        ("text", pa.string()),
        ("metadata", pa.string()),
        ("spans", pa.list_(pa.struct([
            ("id", pa.int32()), ("layer", pa.string()), ("label", pa.string()),
            ("start", pa.int64()), ("end", pa.int64()), ("text", pa.string()),
            ("annotator", pa.string()), ("attributes", attributes), ("note", pa.string()),
            ("origin", pa.string()), ("created_at", pa.string()), ("updated_at", pa.string()),
        ]))),
        ("relations", pa.list_(pa.struct([
            ("layer", pa.string()), ("label", pa.string()), ("source", pa.int32()),
            ("target", pa.int32()), ("annotator", pa.string()), ("attributes", attributes),
            ("note", pa.string()), ("origin", pa.string()),
        ]))),
        ("document_labels", pa.list_(pa.struct([
            ("layer", pa.string()), ("label", pa.string()), ("annotator", pa.string()),
            ("note", pa.string()), ("origin", pa.string()),
        ]))),
        ("statuses", pa.list_(pa.struct([("annotator", pa.string()), ("status", pa.string())]))),
    ])


def write(bundle: ExportBundle, target: Path, options: WriteOptions) -> ExportSummary:
    import pyarrow as pa
    import pyarrow.parquet as pq

    summary = ExportSummary(format=FORMAT.name, target=str(target), files=[str(target)])

    schema = _schema().with_metadata({
        "workbench.codebook": json.dumps(codebook_to_dict(bundle.codebook), ensure_ascii=False),
        "workbench.project": bundle.project_name,
    })
    with atomic_file(target) as temporary, pq.ParquetWriter(
        temporary, schema, compression="zstd"
    ) as writer:
        rows: list[dict[str, Any]] = []
        for item in bundle.documents():
            rows.append(_row(item))
            summary.count(item)
            if len(rows) >= ROWS_PER_GROUP:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows = []
        if rows or not summary.documents:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
    return summary


def _attributes(values: dict[str, Any]) -> list[dict[str, str]]:
    return [{"key": key, "value": json.dumps(value, ensure_ascii=False)}
            for key, value in values.items()]


def _row(item: ExportDocument) -> dict[str, Any]:
    text = item.text
    numbers = {span.id: index for index, span in enumerate(item.spans, start=1)}
    return {
        "name": item.name,
        "text": text,
        "metadata": json.dumps(item.document.metadata, ensure_ascii=False, default=str),
        "spans": [{
            "id": numbers[span.id], "layer": span.layer, "label": span.label,
            "start": span.start, "end": span.end, "text": text[span.start:span.end],
            "annotator": span.annotator, "attributes": _attributes(span.attributes),
            "note": span.note, "origin": span.origin.value, "created_at": span.created_at,
            "updated_at": span.updated_at,
        } for span in item.spans],
        "relations": [{
            "layer": relation.layer, "label": relation.label,
            "source": numbers[relation.source_id], "target": numbers[relation.target_id],
            "annotator": relation.annotator, "attributes": _attributes(relation.attributes),
            "note": relation.note, "origin": relation.origin.value,
        } for relation in item.relations],
        "document_labels": [{
            "layer": label.layer, "label": label.label, "annotator": label.annotator,
            "note": label.note, "origin": label.origin.value,
        } for label in item.document_labels],
        "statuses": [{"annotator": name, "status": status}
                     for name, status in item.statuses.items()],
    }


FORMAT = Format(
    name="parquet",
    title="Parquet dataset (Hugging Face datasets, pandas)",
    extensions=(".parquet",),
    writer=write,
    carries=frozenset({"documents", "spans", "attributes", "notes", "relations",
                       "document_labels", "annotators", "codebook"}),
    description="One row per document with lists of spans, relations and document labels; "
    "attributes as key/JSON-value pairs; the codebook in the file metadata. Loads with "
    "datasets.load_dataset('parquet', data_files=...) offline.",
)
