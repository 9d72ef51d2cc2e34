"""Exporting the curated version (`workbench export --gold`), and a warning where a format
would mix annotators.

SemEval's labels files have no column for who made a span: the spans of several annotators
written into one of them look like one person's work (and score as duplicates)."""

from __future__ import annotations

from collections.abc import Sequence

from workbench.storage import ProjectStore
from workbench.storage.team_reader import annotators_with_spans

ONE_ANNOTATOR_FORMATS = ("semeval-ptc", "semeval-entities")


def mixed_annotator_warnings(store: ProjectStore, format_name: str,
                             annotators: Sequence[str] | None,
                             layers: Sequence[str] | None) -> list[str]:
    if format_name not in ONE_ANNOTATOR_FORMATS:
        return []
    who = [name for name in annotators_with_spans(store, layers)
           if not annotators or name in annotators]
    if len(who) < 2:
        return []
    return [f"the spans of {len(who)} annotators ({', '.join(who)}) went into one labels "
            "file, which cannot say who made which; export one annotator's (--annotator "
            "NAME, or --gold for the curated version)"]
