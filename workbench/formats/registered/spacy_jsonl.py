"""The de-facto JSON Lines of spaCy projects and Prodigy: one document per line.

`{"text": ..., "spans": [{"start", "end", "label", "layer"}], "meta": {"name", "layers"}}`,
offsets in code points, end exclusive, sorted by start. Export only; spans of every layer share
the list (the extra `layer` key says whose each is; readers that do not know it ignore it).
"""

from __future__ import annotations

import json
from pathlib import Path

from workbench.core.export_data import ExportBundle, ExportSummary, Omissions, WriteOptions
from workbench.formats.registry import Format
from workbench.formats.shared.atomic_output import atomic_file


def write(bundle: ExportBundle, target: Path, options: WriteOptions) -> ExportSummary:
    summary = ExportSummary(format=FORMAT.name, target=str(target), files=[str(target)])
    omissions = Omissions()
    annotators: set[str] = set()
    with atomic_file(target) as temporary, temporary.open("w", encoding="utf-8") as out:
        for item in bundle.documents():
            spans = sorted(item.spans, key=lambda s: (s.start, s.end, s.layer, s.label))
            record = {
                "text": item.text,
                "spans": [{"start": s.start, "end": s.end, "label": s.label, "layer": s.layer}
                          for s in spans],
                "meta": {"name": item.name,
                         "layers": sorted({s.layer for s in spans})},
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            summary.documents += 1
            summary.spans += len(spans)
            annotators.update(s.annotator for s in spans)
            omissions.add("attribute value(s)", sum(len(s.attributes) for s in spans))
            omissions.add("note(s)", sum(1 for s in spans if s.note))
            omissions.add("relation(s)", len(item.relations))
            omissions.add("document label(s)", len(item.document_labels))
    if len(annotators) > 1:
        omissions.add(f"annotator names (spans of {len(annotators)} annotators share a line)")
    summary.not_carried = omissions.lines()
    return summary


FORMAT = Format(
    name="spacy-jsonl",
    title="spaCy / Prodigy JSON Lines (text and spans)",
    extensions=(".jsonl",),
    writer=write,
    carries=frozenset({"documents", "spans"}),
    description='One {"text", "spans": [{"start", "end", "label", "layer"}], "meta"} per line.',
)
