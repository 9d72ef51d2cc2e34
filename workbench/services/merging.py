"""Merging annotators' project files into one project: the rules, checked before anything is
written, then one transaction after a backup.

- Documents are matched by their text (content hash), not by name; a document only in a
  source is added.
- Codebooks are compared first (core/codebook_merge.py); what the target lacks is added, and
  a conflict stops the merge with every reason listed and nothing changed.
- Annotators stay apart: an annotator is the same person in two files when name and creation
  time agree (a merged annotator keeps its creation time, and copies of one project share
  theirs). The same name with another creation time is somebody else and is refused, unless
  `renames` gives one of them a new name.
- Spans, links, document labels, notes, statuses and where each came from arrive whole; what
  the target holds already (same document, annotator, label and place) is not added again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.codebook_merge import codebook_conflicts
from workbench.core.errors import WorkbenchError
from workbench.core.progress import ProgressCallback, no_progress
from workbench.storage import ProjectStore
from workbench.storage.project_merge import (
    MergeCounts,
    annotator_identities,
    backup_before_merge,
    merge_records,
    read_only_project,
)


class MergeRefused(WorkbenchError):
    """The merge would break a rule; `reasons` lists every one (nothing was changed)."""

    def __init__(self, reasons: Sequence[str]) -> None:
        self.reasons = list(reasons)
        super().__init__("cannot merge, nothing was changed: " + "; ".join(self.reasons))


@dataclass
class SourceSummary:
    path: Path
    counts: MergeCounts
    labels_added: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        c = self.counts
        lines = [
            f"{self.path.name}: {c.documents_added} documents added, {c.documents_matched} "
            "matched by their text",
            f"  {c.spans_added} spans, {c.relations_added} links, {c.document_labels_added} "
            f"document labels, {c.statuses_added + c.statuses_updated} statuses arrived",
        ]
        present = c.spans_present + c.relations_present + c.document_labels_present
        if present:
            lines.append(f"  {present} annotations were in the project already")
        if c.annotators_added:
            lines.append(f"  new annotators: {', '.join(c.annotators_added)}")
        if self.labels_added:
            lines.append(f"  labels added to the codebook: {', '.join(self.labels_added)}")
        return lines


@dataclass
class MergeSummary:
    target: Path
    backup: Path
    sources: list[SourceSummary]

    def lines(self) -> list[str]:
        lines = [line for source in self.sources for line in source.lines()]
        lines.append(f"backup of the project before the merge: {self.backup}")
        return lines

    @property
    def added(self) -> int:
        return sum(s.counts.spans_added + s.counts.relations_added
                   + s.counts.document_labels_added + s.counts.documents_added
                   for s in self.sources)


def parse_renames(items: Sequence[str]) -> dict[str, str]:
    """`OLD=NEW` pairs (from the command line) as a mapping."""
    renames: dict[str, str] = {}
    for item in items:
        old, sep, new = item.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise WorkbenchError(f"--rename takes OLD=NEW, not {item!r}")
        renames[old.strip()] = new.strip()
    return renames


def merge_projects(target_path: Path, sources: Sequence[Path],
                   renames: Mapping[str, str] | None = None,
                   progress: ProgressCallback = no_progress) -> MergeSummary:
    """Merge the project files `sources` into the project at `target_path`."""
    renames = dict(renames or {})
    target_path = Path(target_path)
    if not sources:
        raise WorkbenchError("name at least one project file to merge")
    resolved = [Path(source).resolve() for source in sources]
    if target_path.resolve() in resolved:
        raise WorkbenchError(f"{target_path} cannot be merged into itself")
    if len(set(resolved)) != len(resolved):
        raise WorkbenchError("a project file is named twice")
    with ExitStack() as stack:
        target = stack.enter_context(ProjectStore.open(target_path))
        opened = [stack.enter_context(read_only_project(Path(path))) for path in sources]
        return _merge_into(target, [Path(p) for p in sources], opened, renames, progress)


def _merge_into(target: ProjectStore, paths: list[Path], sources: list[ProjectStore],
                renames: dict[str, str], progress: ProgressCallback) -> MergeSummary:
    reasons = _codebook_reasons(target, paths, sources)
    names, annotator_reasons = _annotator_plan(target, paths, sources, renames)
    reasons += annotator_reasons
    if reasons:
        raise MergeRefused(reasons)
    assert target.path is not None
    summaries = []
    with target.transaction():
        # Under the write lock: a file another program is writing to gets no stray backup,
        # and the backup is exactly what the merge starts from.
        backup = backup_before_merge(target)
        for number, (path, source, mapping) in enumerate(zip(paths, sources, names,
                                                             strict=True)):
            progress(number, len(sources), f"merging {path.name}")
            labels_added = target.codebook.merge(source.codebook.load())
            counts = merge_records(target, source, mapping)
            summaries.append(SourceSummary(path, counts, labels_added))
    progress(len(sources), len(sources), "merged")
    return MergeSummary(target.path, backup, summaries)


def _codebook_reasons(target: ProjectStore, paths: list[Path],
                      sources: list[ProjectStore]) -> list[str]:
    reasons: list[str] = []
    codebooks = [source.codebook.load() for source in sources]
    mine = target.codebook.load()
    for index, (path, codebook) in enumerate(zip(paths, codebooks, strict=True)):
        reasons += codebook_conflicts(mine, codebook, path.name)
        for earlier_path, earlier in zip(paths[:index], codebooks[:index], strict=True):
            # What an earlier source adds to the target must agree with this one too.
            reasons += [f"{reason} (as {earlier_path.name} brings it)"
                        for reason in codebook_conflicts(earlier, codebook, path.name,
                                                         checked=mine)]
    return list(dict.fromkeys(reasons))


def _annotator_plan(target: ProjectStore, paths: list[Path], sources: list[ProjectStore],
                    renames: dict[str, str]) -> tuple[list[dict[str, str]], list[str]]:
    """Each source's annotator names in the target, and the clashes that refuse the merge."""
    known = annotator_identities(target)  # name -> created at, as the merge goes on
    where = dict.fromkeys(known, "the project")
    plans: list[dict[str, str]] = []
    reasons: list[str] = []
    for path, source in zip(paths, sources, strict=True):
        plan: dict[str, str] = {}
        for name, created_at in annotator_identities(source).items():
            wanted = renames.get(name, name)
            plan[name] = wanted
            if wanted not in known:
                known[wanted], where[wanted] = created_at, path.name
            elif known[wanted] != created_at:
                reasons.append(
                    f"annotator {wanted!r} of {path.name} is not the {wanted!r} of "
                    f"{where[wanted]}; rename one of them (--rename {name}=NEW)")
        plans.append(plan)
    return plans, reasons
