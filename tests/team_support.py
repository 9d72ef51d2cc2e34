"""Project files as a team makes them: one project, a copy per annotator, work in each copy."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import EMOJI_CRLF_TEXT, LIE, PUTIN
from workbench.core.codebook import Codebook
from workbench.core.model import Document, DocumentLabel, DocumentStatus, Relation, Span
from workbench.core.resources import seeds_dir
from workbench.services.demo import add_demo_annotations
from workbench.services.importing import import_paths
from workbench.storage import ProjectStore


def team_base(path: Path, codebook: Codebook) -> Path:
    """The seeds demo (annotated by "lead") plus the emoji document, closed."""
    with ProjectStore.create(path, codebook) as store:
        assert not import_paths(store, [seeds_dir()], annotator="lead").failures
        add_demo_annotations(store, "lead")
        store.documents.add(Document(name="emoji-crlf", text=EMOJI_CRLF_TEXT))
    return path


def copy_for(base: Path, name: str) -> Path:
    target = base.with_name(f"{name}.wbproj")
    shutil.copy(base, target)
    return target


def annotate_emoji(path: Path, annotator: str, lie_label: str = "Claim") -> None:
    """`annotator` tags Putin and the lie in the emoji document, links them and marks it done."""
    with ProjectStore.open(path) as store:
        document_id = store.documents.find_by_name("emoji-crlf")
        assert document_id is not None
        putin = store.spans.add(Span(document_id, "Actors", "Protagonist", *PUTIN, annotator,
                                     note=f"{annotator}'s note"))
        lie = store.spans.add(Span(document_id, "Claims", lie_label, *LIE, annotator))
        assert putin.id is not None and lie.id is not None
        store.relations.add(Relation(document_id, "Links", "asserts", putin.id, lie.id,
                                     annotator))
        store.document_labels.add(DocumentLabel(document_id, "Frames", "Political", annotator))
        store.documents.set_status(document_id, annotator, DocumentStatus.DONE)
