"""Statistics tables across the corpus: who tagged what where, how far each annotator got,
which labels of different layers fall on the same words, which devices target which actors,
and how good the suggestions are.

Each table is a `Table`: key columns (names) followed by count columns, so the window, the
CSV output and the charts read them alike. Counts come from one `GROUP BY` each (see
`storage/corpus_counts.py`); co-occurrence is one ordered pass over the spans.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from workbench.core.errors import WorkbenchError
from workbench.services.actor_names import ActorAliases
from workbench.storage import ProjectStore
from workbench.storage.corpus_counts import CorpusCounts

Cell = str | int | float


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    keys: int = 1  # the first `keys` columns name the row; the rest are numbers
    note: str = ""

    @property
    def value_columns(self) -> tuple[str, ...]:
        return self.header[self.keys:]

    def row_names(self) -> list[str]:
        return [" / ".join(str(c) for c in row[:self.keys]) for row in self.rows]

    def matrix(self) -> list[list[float]]:
        return [[float(c) for c in row[self.keys:]] for row in self.rows]

    def records(self) -> list[dict[str, Cell]]:
        return [dict(zip(self.header, row, strict=True)) for row in self.rows]

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return out.getvalue()

    def lines(self) -> list[str]:
        """The table as aligned text."""
        cells = [list(self.header)] + [[_text(c) for c in row] for row in self.rows]
        widths = [max(len(row[i]) for row in cells) for i in range(len(self.header))]
        return ["  ".join(c.ljust(w) if i < self.keys else c.rjust(w)
                          for i, (c, w) in enumerate(zip(row, widths, strict=True))).rstrip()
                for row in cells]


def _text(cell: Cell) -> str:
    if isinstance(cell, float):
        return f"{cell:.2f}"
    return str(cell)


@dataclass
class CorpusStatistics:
    """The statistics of one project, each table computed when first asked for."""

    store: ProjectStore
    counts: CorpusCounts = field(init=False)

    def __post_init__(self) -> None:
        self.counts = CorpusCounts(self.store.db.conn)

    # --- labels ---------------------------------------------------------------------------

    def labels_by_annotator(self) -> Table:
        rows = self.counts.spans_by_label_and_annotator()
        annotators = sorted({annotator for _, _, annotator, _ in rows})
        cells: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for layer, label, annotator, n in rows:
            cells[(layer, label)][annotator] += n
        ordered = self._in_codebook_order(cells)
        return Table(
            "labels", "Spans per label and annotator",
            ("layer", "label", *annotators, "total"),
            tuple((layer, label, *(cells[(layer, label)][a] for a in annotators),
                   sum(cells[(layer, label)].values())) for layer, label in ordered),
            keys=2)

    def labels_by_document(self) -> Table:
        rows = self.counts.spans_by_document_and_label()
        labels = self._in_codebook_order({(layer, label) for _, _, layer, label, _ in rows})
        names = _unique_label_names(labels)
        column = {key: i for i, key in enumerate(labels)}
        per_document: dict[int, list[int]] = {}
        document_names: dict[int, str] = {}
        for document_id, name, layer, label, n in rows:
            document_names[document_id] = name
            per_document.setdefault(document_id, [0] * len(labels))[column[(layer, label)]] = n
        return Table(
            "documents", "Spans per document and label", ("document", *names, "total"),
            tuple((document_names[d], *values, sum(values))
                  for d, values in sorted(per_document.items())))

    def labels_by_group(self, group: str) -> Table:
        """Spans per label in groups of documents: by their labels of a document layer
        (e.g. Frames; a document with two frames counts in both) or by a metadata field."""
        codebook = self.store.codebook.load()
        if codebook.has_layer(group):
            groups = self.counts.document_groups_by_label(group)
        else:
            groups = self.counts.document_groups_by_metadata(group)
        if not groups:
            raise WorkbenchError(f"no document has a label of the layer or a field {group!r}")
        rows = self.counts.spans_by_document_and_label()
        group_names = sorted({g for values in groups.values() for g in values})
        cells: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for document_id, _, layer, label, n in rows:
            for name in groups.get(document_id, ()):
                cells[(layer, label)][name] += n
        ordered = self._in_codebook_order(cells)
        return Table(
            "groups", f"Spans per label by {group}", ("layer", "label", *group_names),
            tuple((layer, label, *(cells[(layer, label)][g] for g in group_names))
                  for layer, label in ordered), keys=2)

    # --- progress -------------------------------------------------------------------------

    def annotator_progress(self) -> Table:
        total = self.counts.document_count()
        statuses: dict[str, Counter[str]] = defaultdict(Counter)
        for annotator, status, n in self.counts.statuses():
            statuses[annotator][status] += n
        spans = Counter[str]()
        for _, _, annotator, n in self.counts.spans_by_label_and_annotator():
            spans[annotator] += n
        names = sorted(set(statuses) | set(spans))
        rows = []
        for name in names:
            done, started = statuses[name]["done"], statuses[name]["in_progress"]
            rows.append((name, total - done - started, started, done,
                         round(100 * done / total, 1) if total else 0.0, spans[name]))
        return Table("annotators", "Progress per annotator",
                     ("annotator", "new", "in progress", "done", "% done", "spans"),
                     tuple(rows), note=f"{total:,} documents")

    def document_progress(self) -> Table:
        """Per document: each annotator's status and spans."""
        documents = self.counts.documents()
        status: dict[tuple[int, str], str] = {}
        for document_id, annotator, value in self._document_statuses():
            status[(document_id, annotator)] = value
        spans: dict[tuple[int, str], int] = {}
        for document_id, annotator, n in self.counts.spans_by_document_and_annotator():
            spans[(document_id, annotator)] = n
        names = sorted({a for _, a in status} | {a for _, a in spans})
        header: list[str] = ["document"]
        for name in names:
            header += [f"{name}: status", f"{name}: spans"]
        rows = []
        for document_id, document in documents:
            row: list[Cell] = [document]
            for name in names:
                row += [status.get((document_id, name), "new").replace("_", " "),
                        spans.get((document_id, name), 0)]
            rows.append(tuple(row))
        return Table("progress", "Status and spans per document and annotator",
                     tuple(header), tuple(rows))

    def _document_statuses(self) -> list[tuple[int, str, str]]:
        reader = self.counts.conn
        annotators = self.counts.annotator_names()
        return [(int(d), annotators[a], str(s)) for d, a, s in reader.execute(
            "SELECT document_id, annotator_id, status FROM document_status")]

    def progress_over_time(self) -> Table:
        """Spans made so far, day by day, per annotator (from the spans' creation times)."""
        days = self.counts.span_days()
        annotators = sorted({a for _, a, _ in days})
        per_day: dict[str, Counter[str]] = defaultdict(Counter)
        for day, annotator, n in days:
            per_day[day][annotator] += n
        ordered = sorted(per_day)
        columns = {a: list(accumulate(per_day[d][a] for d in ordered)) for a in annotators}
        return Table("time", "Spans made over time (cumulative)", ("day", *annotators),
                     tuple((day, *(columns[a][i] for a in annotators))
                           for i, day in enumerate(ordered)))

    # --- co-occurrence and links ----------------------------------------------------------

    def cooccurrence(self, row_layer: str | None = None,
                     column_layer: str | None = None) -> Table:
        """How often a label of one layer overlaps a label of another layer (the same
        annotator's spans, in the same document), as a matrix."""
        labels = self.counts.label_names()
        pairs: Counter[tuple[int, int]] = Counter()
        active: list[tuple[int, int, int]] = []  # (end, label id, annotator id)
        current = -1
        for document_id, start, end, label_id, annotator_id in self.counts.span_places():
            if document_id != current:
                current, active = document_id, []
            active = [item for item in active if item[0] > start]
            for _, other, other_annotator in active:
                if other_annotator == annotator_id and labels[other][0] != labels[label_id][0]:
                    pairs[(min(other, label_id), max(other, label_id))] += 1
            active.append((end, label_id, annotator_id))
        used = {i for pair in pairs for i in pair}
        ordered = self._in_codebook_order({labels[i] for i in used})
        ids = {labels[i]: i for i in used}
        rows_keys = [k for k in ordered if row_layer is None or k[0] == row_layer]
        column_keys = [k for k in ordered if column_layer is None or k[0] == column_layer]

        def count(a: tuple[str, str], b: tuple[str, str]) -> int:
            x, y = ids[a], ids[b]
            return pairs.get((min(x, y), max(x, y)), 0)

        return Table(
            "cooccurrence", "Labels of different layers on the same words",
            ("layer", "label", *_unique_label_names(column_keys)),
            tuple((layer, label, *(count((layer, label), c) for c in column_keys))
                  for layer, label in rows_keys), keys=2,
            note="pairs of overlapping spans by the same annotator")

    def actors_by_device(self, relation: str = "targets") -> Table:
        """Which rhetorical devices target which actors (through `targets` links), actors
        by name with merged aliases."""
        aliases = ActorAliases(self.store)
        links = [link for link in self.counts.links() if link.relation == relation]
        cells: dict[str, Counter[str]] = defaultdict(Counter)
        shown: dict[str, Counter[str]] = defaultdict(Counter)
        devices: set[tuple[str, str]] = set()
        for link in links:
            actor = aliases.canonical(link.target_text)
            shown[actor][" ".join(link.target_text.split())] += 1
            cells[actor][link.source_label] += 1
            devices.add((link.source_layer, link.source_label))
        columns = [label for _, label in self._in_codebook_order(devices)]
        order = sorted(cells, key=lambda a: (-sum(cells[a].values()), a))
        return Table(
            "actor_device", f"Devices per actor (through “{relation}” links)",
            ("actor", *columns, "total"),
            tuple((shown[a].most_common(1)[0][0], *(cells[a][c] for c in columns),
                   sum(cells[a].values())) for a in order))

    def suggesters(self) -> Table:
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for suggester, status, n in self.counts.suggestions_by_suggester():
            counts[suggester][status] += n
        rows = []
        for name in sorted(counts):
            c = counts[name]
            decided = c["accepted"] + c["rejected"]
            rows.append((name, c["open"], c["accepted"], c["rejected"],
                         round(100 * c["accepted"] / decided, 1) if decided else 0.0))
        return Table("suggesters", "Suggestions per suggester",
                     ("suggester", "open", "accepted", "rejected", "% accepted"),
                     tuple(rows), note="% accepted of those decided")

    # --- helpers --------------------------------------------------------------------------

    def _in_codebook_order(self, keys: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        codebook = self.store.codebook.load()
        position: dict[tuple[str, str], tuple[int, int]] = {}
        for i, layer in enumerate(codebook.layers):
            for j, label in enumerate(layer.labels):
                position[(layer.name, label.name)] = (i, j)
        return sorted(keys, key=lambda k: (position.get(k, (999, 0)), k))


def _unique_label_names(keys: Sequence[tuple[str, str]]) -> list[str]:
    """Label names as column titles; "layer/label" where two layers share a name."""
    seen = Counter(label for _, label in keys)
    return [label if seen[label] == 1 else f"{layer}/{label}" for layer, label in keys]


TABLES_BY: dict[str, Callable[[CorpusStatistics], Table]] = {
    "label": CorpusStatistics.labels_by_annotator,
    "annotator": CorpusStatistics.annotator_progress,
    "document": CorpusStatistics.labels_by_document,
    "progress": CorpusStatistics.document_progress,
    "cooccurrence": CorpusStatistics.cooccurrence,
    "actor-device": CorpusStatistics.actors_by_device,
    "suggester": CorpusStatistics.suggesters,
    "time": CorpusStatistics.progress_over_time,
}


def statistics_table(store: ProjectStore, by: str) -> Table:
    """One table by name (see `TABLES_BY`), for `workbench stats --by`."""
    try:
        make = TABLES_BY[by]
    except KeyError:
        raise WorkbenchError(f"no table {by!r}; choose one of {', '.join(TABLES_BY)}") from None
    return make(CorpusStatistics(store))
