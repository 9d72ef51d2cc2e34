"""`python -m bench.team_demo TEAM.wbproj`: the demo project as a team would bring it back.

Three annotators each get a copy of the demo project and annotate its documents again, as
people do (most spans alike, some missed, cut differently or labelled otherwise; see
bench/team_corpus.py); then the copies are merged into TEAM.wbproj with `merge_projects`,
exactly as `workbench merge` does. The README's pictures of the team views are made from it.
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
from pathlib import Path

from bench.team_corpus import MISSED, RECUT, RELABELLED, TEAM_ANNOTATORS, _recut
from workbench.core.model import DocumentLabel, DocumentStatus, Origin, Relation, Span
from workbench.services.merging import merge_projects
from workbench.services.project import ensure_demo_project
from workbench.storage import ProjectStore


def annotate_again(path: Path, annotator: str, seed: str = "team-demo") -> None:
    """`annotator` redoes, in the copy at `path`, what the demo's annotator did."""
    with ProjectStore.open(path) as store, store.transaction():
        codebook = store.codebook.load()
        labels = {layer.name: [label.name for label in layer.labels if label.selectable]
                  for layer in codebook.layers}
        originals = [a for a in store.annotators.names() if a not in TEAM_ANNOTATORS]
        for document_id in store.documents.ids():
            rng = random.Random(f"{seed}:{annotator}:{document_id}")
            text = store.documents.text(document_id)
            mine: dict[int, int] = {}
            for span in store.spans.for_document(document_id, originals):
                roll = rng.random()
                if roll < MISSED:
                    continue
                start, end, label = span.start, span.end, span.label
                if roll < MISSED + RECUT:
                    start, end = _recut(rng, text, start, end)
                elif roll < MISSED + RECUT + RELABELLED:
                    label = rng.choice(labels[span.layer])
                if store.spans.id_at(document_id, span.layer, label, start, end, annotator):
                    continue
                copy = store.spans.add(Span(document_id, span.layer, label, start, end,
                                            annotator, Origin.MANUAL, dict(span.attributes)))
                assert span.id is not None and copy.id is not None
                mine[span.id] = copy.id
            for relation in store.relations.for_document(document_id):
                if relation.source_id in mine and relation.target_id in mine:
                    store.relations.add(Relation(document_id, relation.layer, relation.label,
                                                 mine[relation.source_id],
                                                 mine[relation.target_id], annotator))
            for item in store.document_labels.for_document(document_id):
                if item.annotator in originals and rng.random() < 0.85:
                    store.document_labels.add(DocumentLabel(document_id, item.layer,
                                                            item.label, annotator))
            store.documents.set_status(document_id, annotator, DocumentStatus.DONE)


def build_team_demo(target: Path) -> Path:
    if target.exists():
        raise SystemExit(f"{target} exists already")
    shutil.copy(ensure_demo_project(), target)
    with tempfile.TemporaryDirectory() as folder:
        copies = []
        for annotator in TEAM_ANNOTATORS:
            copy = Path(folder) / f"{annotator}.wbproj"
            shutil.copy(target, copy)
            annotate_again(copy, annotator)
            copies.append(copy)
        summary = merge_projects(target, copies)
        summary.backup.unlink()
    for line in summary.lines()[:-1]:
        print(line)
    return target


if __name__ == "__main__":
    build_team_demo(Path(sys.argv[1] if len(sys.argv) > 1 else "team-demo.wbproj"))
