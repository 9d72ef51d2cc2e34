"""Agreement between annotators, for the window and the command line (no Qt here).

`compute_agreement(store, ...)` reads the study once (study.py), measures it (measures.py,
with the pure measures in unitizing.py, coding.py and matching.py) and returns an
`AgreementReport`: the figures as plain data (the `workbench agreement --json` shape), tables
for CSV, and the study itself, so the disagreements behind a figure (drilldown.py) can be
listed without reading the project again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.progress import ProgressCallback, no_progress
from workbench.services.agreement.drilldown import (
    NONE,
    ConfusionMatrix,
    Disagreement,
    confusion_matrix,
    disagreements,
)
from workbench.services.agreement.measures import measure
from workbench.services.agreement.study import Study, read_study
from workbench.storage import ProjectStore
from workbench.storage.project_merge import read_only_project

__all__ = [
    "NONE",
    "AgreementReport",
    "ConfusionMatrix",
    "Disagreement",
    "compute_agreement",
    "compute_agreement_in_file",
    "confusion_matrix",
    "disagreements",
    "excerpt_of",
]

FIGURES = ("alpha_u", "f1_exact", "f1_overlap", "alpha_nominal", "kappa")


@dataclass
class AgreementReport:
    study: Study
    data: dict[str, Any]

    @property
    def notes(self) -> list[str]:
        return list(self.data["notes"])

    def label_rows(self) -> list[dict[str, Any]]:
        """One row per layer (label empty) and per label: every figure, counts per annotator."""
        rows = []
        for layer, figures in self.data["layers"].items():
            rows.append(self._row(layer, "", figures, {}))
            for label, label_figures in figures["labels"].items():
                rows.append(self._row(layer, label, label_figures, label_figures["counts"]))
        return rows

    def _row(self, layer: str, label: str, figures: dict[str, Any],
             counts: dict[str, int]) -> dict[str, Any]:
        kind = self.data["layers"][layer]["kind"]
        row: dict[str, Any] = {"layer": layer, "label": label, "kind": kind}
        for name in FIGURES:
            row[name] = figures.get(name)
        for annotator in self.data["annotators"]:
            row[f"count {annotator}"] = counts.get(annotator, "" if not label else 0)
        return row

    def pair_rows(self) -> list[dict[str, Any]]:
        return [{"layer": layer, **pair} for layer, figures in self.data["layers"].items()
                for pair in figures["pairs"]]

    def document_rows(self) -> list[dict[str, Any]]:
        rows = []
        for layer, figures in self.data["layers"].items():
            for name, values in figures["documents"].items():
                row = {"layer": layer, "document": name}
                row.update({k: (", ".join(v) if k == "annotators" else v)
                            for k, v in values.items() if k != "labels"})
                rows.append(row)
        return rows

    def text_lines(self) -> list[str]:
        data = self.data
        lines = [f"annotators: {', '.join(data['annotators'])}",
                 f"documents annotated by two or more of them: {data['documents']}"]
        for layer, figures in data["layers"].items():
            if figures["kind"] == "span":
                lines.append(f"{layer}: alpha_U {_number(figures['alpha_u'])}, F1 exact "
                             f"{_number(figures['f1_exact'])}, F1 overlap "
                             f"{_number(figures['f1_overlap'])}")
                for label, values in figures["labels"].items():
                    lines.append(f"  {label}: alpha_U {_number(values['alpha_u'])}, F1 exact "
                                 f"{_number(values['f1_exact'])}, F1 overlap "
                                 f"{_number(values['f1_overlap'])}, spans "
                                 + " / ".join(str(n) for n in values["counts"].values()))
            else:
                lines.append(f"{layer}: alpha (nominal) {_number(figures['alpha_nominal'])}, "
                             f"{figures['kappa_kind'].title()}'s kappa "
                             f"{_number(figures['kappa'])}")
                for label, values in figures["labels"].items():
                    lines.append(f"  {label}: alpha (nominal) "
                                 f"{_number(values['alpha_nominal'])}")
        lines.extend(f"note: {note}" for note in data["notes"])
        return lines


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def csv_text(rows: Sequence[dict[str, Any]]) -> str:
    """Rows as CSV (figures with 4 decimals, undefined ones empty)."""
    out = io.StringIO()
    if not rows:
        return ""
    columns = list(dict.fromkeys(key for row in rows for key in row))
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else f"{v:.4f}" if isinstance(v, float) else v)
                         for k, v in row.items()})
    return out.getvalue()


def excerpt_of(store: ProjectStore, item: Disagreement, limit: int = 60) -> str:
    """The text a disagreement is about, on one line (empty if the document is gone)."""
    try:
        text = store.documents.excerpt(item.document_id, item.start,
                                       min(item.end, item.start + limit))
    except WorkbenchError:
        return ""
    return " ".join(text.split()) + ("…" if item.end - item.start > limit else "")


def compute_agreement_in_file(path: Path, annotators: Sequence[str] | None = None,
                              layers: Sequence[str] | None = None,
                              documents: Sequence[str] | None = None,
                              progress: ProgressCallback = no_progress) -> AgreementReport:
    """The same, on a read-only connection of its own (for a worker thread)."""
    with read_only_project(path) as store:
        return compute_agreement(store, annotators, layers, documents, progress)


def compute_agreement(store: ProjectStore, annotators: Sequence[str] | None = None,
                      layers: Sequence[str] | None = None,
                      documents: Sequence[str] | None = None,
                      progress: ProgressCallback = no_progress) -> AgreementReport:
    study = read_study(store, annotators, layers, documents)
    return AgreementReport(study, measure(study, progress))
