"""Suggestions and suggested relations (tables `suggestions`, `suggested_relations`).

Storing a suggester's proposals for a document is idempotent: a proposal already stored
(open, accepted or rejected, by any suggester) is not stored again, one that matches an
annotated span of the same layer is left out, and the open suggestions of that suggester
which it no longer proposes are withdrawn.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.core.codebook import LayerKind
from workbench.core.errors import AnnotationError, WorkbenchError
from workbench.core.events import SuggestedRelationChanged, SuggestionChanged, SuggestionsChanged
from workbench.core.model import check_span_offsets, now_utc
from workbench.core.suggestions import (
    DocumentProposals,
    PipelineInfo,
    StoreCounts,
    SuggestedRelation,
    Suggestion,
    SuggestionStatus,
)
from workbench.storage.batches import chunks, marks
from workbench.storage.span_repository import dump_attributes, load_attributes

if TYPE_CHECKING:
    from workbench.storage.project_store import ProjectStore

_COLUMNS = (
    "id, document_id, label_id, start_offset, end_offset, attributes, score, reason, "
    "suggester, pipeline, pipeline_version, status, span_id, decided_by, decided_at, "
    "created_at"
)
_RELATION_COLUMNS = (
    "id, document_id, label_id, source_suggestion_id, source_span_id, target_suggestion_id, "
    "target_span_id, reason, suggester, pipeline, pipeline_version, status, relation_id, "
    "created_at"
)


@dataclass(frozen=True, slots=True)
class SuggestionFilter:
    """Which suggestions a listing or a bulk decision covers; None means any."""

    document_id: int | None = None
    layer: str | None = None
    label: str | None = None
    suggester: str | None = None
    status: SuggestionStatus | None = SuggestionStatus.OPEN


@dataclass(frozen=True, slots=True)
class SuggestionLinks:
    """How suggestions point at one span and the relations on it.

    Deleting the span loosens these ties (the schema sets `suggestions.span_id` and
    `suggested_relations.relation_id` to NULL and deletes the suggested relations with an end
    on the span); restoring the span ties them again.
    """

    span_id: int
    document_id: int
    accepted: tuple[int, ...] = ()  # suggestions accepted as the span
    relations: tuple[SuggestedRelation, ...] = ()  # suggested with an end on the span
    made: tuple[tuple[int, int], ...] = ()  # (suggested relation, relation made from it)

    def __bool__(self) -> bool:
        return bool(self.accepted or self.relations or self.made)


# An end of a relation proposal once stored: ("suggestion", id) or ("span", id).
_End = tuple[str, int]


class SuggestionRepository:
    def __init__(self, store: ProjectStore) -> None:
        self._store = store

    # --- storing what a suggester proposes ------------------------------------------------

    def store_proposals(
        self, proposals: DocumentProposals, suggester: str, pipeline: PipelineInfo
    ) -> StoreCounts:
        """Store one suggester's proposals for one document, atomically."""
        counts = StoreCounts()
        db = self._store.db
        document_id = proposals.document_id
        codebook = self._store.codebook
        # The rules of a span: a suggestion that breaks one could never be accepted.
        text = self._store.documents.text(document_id)
        with self._store.transaction():
            known = self._keys_of_document(document_id)
            annotated = self._annotated_offsets(document_id)
            ends: list[_End | None] = []
            proposed_keys: set[tuple[int, int, int]] = set()
            now = now_utc()
            for proposal in proposals.spans:
                label_id = codebook.label_id(proposal.layer, proposal.label, LayerKind.SPAN)
                try:
                    check_span_offsets(proposal.start, proposal.end, text)
                except AnnotationError as error:
                    raise AnnotationError(
                        f"suggester {suggester!r}, document {document_id}: {error}"
                    ) from None
                key = (label_id, proposal.start, proposal.end)
                proposed_keys.add(key)
                span_id = annotated.get((proposal.layer, proposal.start, proposal.end))
                found = known.get(key)
                if found is not None:
                    suggestion_id, status, accepted_span = found
                    if status == SuggestionStatus.REJECTED:
                        counts.previously_rejected += 1
                        ends.append(None)
                    elif status == SuggestionStatus.ACCEPTED:
                        counts.previously_accepted += 1
                        ends.append(("span", accepted_span) if accepted_span else None)
                    else:
                        counts.kept += 1
                        ends.append(("suggestion", suggestion_id))
                    continue
                if span_id is not None:
                    counts.already_annotated += 1
                    ends.append(("span", span_id))
                    continue
                attributes = codebook.checked_attributes(proposal.layer, proposal.attributes)
                cursor = db.execute(
                    "INSERT INTO suggestions (document_id, label_id, start_offset, end_offset, "
                    "attributes, score, reason, suggester, pipeline, pipeline_version, status, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)",
                    [document_id, label_id, proposal.start, proposal.end,
                     dump_attributes(attributes), proposal.score, proposal.reason, suggester,
                     pipeline.name, pipeline.version, now],
                )
                new_id = int(cursor.lastrowid or 0)
                known[key] = (new_id, SuggestionStatus.OPEN, None)
                counts.added += 1
                ends.append(("suggestion", new_id))
            counts.withdrawn = self._withdraw_unproposed(document_id, suggester, proposed_keys)
            for relation in proposals.relations:
                source, target = ends[relation.source], ends[relation.target]
                if source is None or target is None:
                    continue
                if source[0] == "span" and target[0] == "span":
                    continue  # nothing left to decide on: both ends are annotations already
                counts.relations_added += self._insert_relation(
                    document_id, relation.layer, relation.label, source, target,
                    relation.reason, suggester, pipeline, now,
                )
            if counts.added or counts.withdrawn or counts.relations_added:
                self._store.announce(SuggestionsChanged(document_id, suggester))
        return counts

    def _keys_of_document(
        self, document_id: int
    ) -> dict[tuple[int, int, int], tuple[int, SuggestionStatus, int | None]]:
        rows = self._store.db.execute(
            "SELECT label_id, start_offset, end_offset, id, status, span_id FROM suggestions "
            "WHERE document_id = ?",
            [document_id],
        ).fetchall()
        return {
            (label_id, start, end): (id_, SuggestionStatus(status), span_id)
            for label_id, start, end, id_, status, span_id in rows
        }

    def _annotated_offsets(self, document_id: int) -> dict[tuple[str, int, int], int]:
        """(layer, start, end) -> span id, for the spans already in the document."""
        rows = self._store.db.execute(
            "SELECT label_id, start_offset, end_offset, id FROM spans WHERE document_id = ? "
            "ORDER BY id",
            [document_id],
        ).fetchall()
        found: dict[tuple[str, int, int], int] = {}
        for label_id, start, end, span_id in rows:
            layer = self._store.codebook.label_of(label_id)[0]
            found.setdefault((layer, start, end), span_id)
        return found

    def _withdraw_unproposed(
        self, document_id: int, suggester: str, proposed: set[tuple[int, int, int]]
    ) -> int:
        rows = self._store.db.execute(
            "SELECT id, label_id, start_offset, end_offset FROM suggestions "
            "WHERE document_id = ? AND suggester = ? AND status = 'open'",
            [document_id, suggester],
        ).fetchall()
        stale = [row[0] for row in rows if (row[1], row[2], row[3]) not in proposed]
        for chunk in chunks(stale):
            self._store.db.execute(f"DELETE FROM suggestions WHERE id IN ({marks(chunk)})", chunk)
        return len(stale)

    def _insert_relation(
        self, document_id: int, layer: str, label: str, source: _End, target: _End,
        reason: str, suggester: str, pipeline: PipelineInfo, now: str,
    ) -> int:
        label_id = self._store.codebook.label_id(layer, label, LayerKind.RELATION)
        source_suggestion, source_span = _split_end(source)
        target_suggestion, target_span = _split_end(target)
        cursor = self._store.db.execute(
            "INSERT INTO suggested_relations (document_id, label_id, source_suggestion_id, "
            "source_span_id, target_suggestion_id, target_span_id, reason, suggester, "
            "pipeline, pipeline_version, status, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?) ON CONFLICT DO NOTHING",
            [document_id, label_id, source_suggestion, source_span, target_suggestion,
             target_span, reason, suggester, pipeline.name, pipeline.version, now],
        )
        return cursor.rowcount

    # --- reading ---------------------------------------------------------------------------

    def get(self, suggestion_id: int) -> Suggestion:
        row = self._store.db.execute(
            f"SELECT {_COLUMNS} FROM suggestions WHERE id = ?", [suggestion_id]
        ).fetchone()
        if row is None:
            raise WorkbenchError(f"no suggestion with id {suggestion_id}")
        return self._from_row(row)

    def find(self, which: SuggestionFilter = SuggestionFilter(), limit: int | None = None
             ) -> list[Suggestion]:
        """Suggestions in document and text order."""
        where, params = self._where(which)
        sql = (f"SELECT {_COLUMNS} FROM suggestions {where} "
               "ORDER BY document_id, start_offset, end_offset DESC, id")
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [self._from_row(row) for row in self._store.db.execute(sql, params).fetchall()]

    def for_document(
        self, document_id: int, status: SuggestionStatus | None = SuggestionStatus.OPEN
    ) -> list[Suggestion]:
        return self.find(SuggestionFilter(document_id=document_id, status=status))

    def ids(self, which: SuggestionFilter) -> list[int]:
        where, params = self._where(which)
        rows = self._store.db.execute(
            f"SELECT id FROM suggestions {where} ORDER BY document_id, start_offset, id", params
        ).fetchall()
        return [row[0] for row in rows]

    def count(self, which: SuggestionFilter = SuggestionFilter(status=None)) -> int:
        where, params = self._where(which)
        return int(self._store.db.execute(
            f"SELECT count(*) FROM suggestions {where}", params
        ).fetchone()[0])

    def count_by_status(self) -> Counter[str]:
        rows = self._store.db.execute(
            "SELECT status, count(*) FROM suggestions GROUP BY status"
        ).fetchall()
        return Counter({status: n for status, n in rows})

    def count_by_suggester(self, status: SuggestionStatus | None = None) -> dict[str, int]:
        sql = "SELECT suggester, count(*) FROM suggestions"
        params: list[Any] = []
        if status is not None:
            sql += " WHERE status = ?"
            params.append(status.value)
        rows = self._store.db.execute(sql + " GROUP BY suggester ORDER BY suggester", params)
        return dict(rows.fetchall())

    def count_by_label(
        self, status: SuggestionStatus | None = SuggestionStatus.OPEN
    ) -> dict[tuple[str, str], int]:
        sql = "SELECT label_id, count(*) FROM suggestions"
        params: list[Any] = []
        if status is not None:
            sql += " WHERE status = ?"
            params.append(status.value)
        rows = self._store.db.execute(sql + " GROUP BY label_id", params).fetchall()
        return {self._store.codebook.label_of(label_id): n for label_id, n in rows}

    def relations_for_document(
        self, document_id: int, status: SuggestionStatus | None = None
    ) -> list[SuggestedRelation]:
        sql = f"SELECT {_RELATION_COLUMNS} FROM suggested_relations WHERE document_id = ?"
        params: list[Any] = [document_id]
        if status is not None:
            sql += " AND status = ?"
            params.append(status.value)
        rows = self._store.db.execute(sql + " ORDER BY id", params).fetchall()
        return [self._relation_from_row(row) for row in rows]

    def relations_touching(
        self, suggestion_id: int, status: SuggestionStatus | None = SuggestionStatus.OPEN
    ) -> list[SuggestedRelation]:
        sql = (f"SELECT {_RELATION_COLUMNS} FROM suggested_relations "
               "WHERE (source_suggestion_id = ? OR target_suggestion_id = ?)")
        params: list[Any] = [suggestion_id, suggestion_id]
        if status is not None:
            sql += " AND status = ?"
            params.append(status.value)
        rows = self._store.db.execute(sql + " ORDER BY id", params).fetchall()
        return [self._relation_from_row(row) for row in rows]

    def get_relation(self, relation_suggestion_id: int) -> SuggestedRelation:
        row = self._store.db.execute(
            f"SELECT {_RELATION_COLUMNS} FROM suggested_relations WHERE id = ?",
            [relation_suggestion_id],
        ).fetchone()
        if row is None:
            raise WorkbenchError(f"no suggested relation with id {relation_suggestion_id}")
        return self._relation_from_row(row)

    def count_relations(self, status: SuggestionStatus | None = None) -> int:
        sql = "SELECT count(*) FROM suggested_relations"
        params: list[Any] = []
        if status is not None:
            sql += " WHERE status = ?"
            params.append(status.value)
        return int(self._store.db.execute(sql, params).fetchone()[0])

    # --- deciding --------------------------------------------------------------------------

    def set_decision(
        self, suggestion_id: int, status: SuggestionStatus, annotator: str | None,
        span_id: int | None = None,
    ) -> Suggestion:
        """Record a decision (or take it back with OPEN), returning the changed suggestion."""
        with self._store.transaction():
            old = self.get(suggestion_id)
            if status is SuggestionStatus.OPEN:
                decided_by, decided_at = None, None
            else:
                decided_by = self._store.annotators.ensure(annotator or "annotator")
                decided_at = now_utc()
            self._store.db.execute(
                "UPDATE suggestions SET status = ?, span_id = ?, decided_by = ?, "
                "decided_at = ? WHERE id = ?",
                [status.value, span_id, decided_by, decided_at, suggestion_id],
            )
            new = self.get(suggestion_id)
            self._store.announce(SuggestionChanged(old, new))
        return new

    def set_relation_decision(
        self, relation_suggestion_id: int, status: SuggestionStatus,
        relation_id: int | None = None,
    ) -> SuggestedRelation:
        with self._store.transaction():
            old = self.get_relation(relation_suggestion_id)
            self._store.db.execute(
                "UPDATE suggested_relations SET status = ?, relation_id = ? WHERE id = ?",
                [status.value, relation_id, relation_suggestion_id],
            )
            new = self.get_relation(relation_suggestion_id)
            self._store.announce(SuggestedRelationChanged(old, new))
        return new

    def span_of_end(self, suggestion_id: int | None, span_id: int | None) -> int | None:
        """The span an end of a suggested relation stands for now, if there is one."""
        if span_id is not None:
            return span_id
        row = self._store.db.execute(
            "SELECT span_id FROM suggestions WHERE id = ? AND status = 'accepted'",
            [suggestion_id],
        ).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    # --- what a deleted span takes along ---------------------------------------------------

    def links_to_span(self, span_id: int, document_id: int, relation_ids: Sequence[int]
                      ) -> SuggestionLinks:
        """What ties suggestions to a span about to be deleted, and to `relation_ids` (the
        relations that go with it), so that `restore_links` can tie them again."""
        db = self._store.db
        accepted = tuple(row[0] for row in db.execute(
            "SELECT id FROM suggestions WHERE span_id = ? ORDER BY id", [span_id]))
        relations = tuple(self._relation_from_row(row) for row in db.execute(
            f"SELECT {_RELATION_COLUMNS} FROM suggested_relations "
            "WHERE source_span_id = ? OR target_span_id = ? ORDER BY id", [span_id, span_id]))
        made: list[tuple[int, int]] = []
        for chunk in chunks(relation_ids):
            made.extend(db.execute(
                "SELECT id, relation_id FROM suggested_relations "
                f"WHERE relation_id IN ({marks(chunk)}) ORDER BY id", chunk).fetchall())
        on_span = {relation.id for relation in relations}
        return SuggestionLinks(span_id, document_id, accepted, relations,
                               tuple((s, r) for s, r in made if s not in on_span))

    def restore_links(self, links: SuggestionLinks) -> None:
        """Tie suggestions to a restored span (and its relations) as they were before the
        delete; what has gone since (a withdrawn suggestion) stays gone."""
        if not links:
            return
        db = self._store.db
        with self._store.transaction():
            for chunk in chunks(links.accepted):
                db.execute(
                    "UPDATE suggestions SET span_id = ? WHERE status = 'accepted' "
                    f"AND span_id IS NULL AND id IN ({marks(chunk)})",
                    [links.span_id, *chunk])
            for relation in links.relations:
                self._insert_relation_row(relation)
            for relation_suggestion_id, relation_id in links.made:
                db.execute(
                    "UPDATE suggested_relations SET relation_id = ? "
                    "WHERE id = ? AND relation_id IS NULL",
                    [relation_id, relation_suggestion_id])
            self._store.announce(SuggestionsChanged(links.document_id))

    def _insert_relation_row(self, relation: SuggestedRelation) -> None:
        """Put back a suggested relation as it was, unless a suggestion at an end has gone."""
        db = self._store.db
        ends = {i for i in (relation.source_suggestion_id, relation.target_suggestion_id)
                if i is not None}
        found = db.execute(f"SELECT count(*) FROM suggestions WHERE id IN ({marks(ends)})",
                           list(ends)).fetchone()[0]
        if found < len(ends):
            return
        db.execute(
            f"INSERT INTO suggested_relations ({_RELATION_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [relation.id, relation.document_id,
             self._store.codebook.label_id(relation.layer, relation.label),
             relation.source_suggestion_id, relation.source_span_id,
             relation.target_suggestion_id, relation.target_span_id, relation.reason,
             relation.suggester, relation.pipeline.name, relation.pipeline.version,
             relation.status.value, relation.relation_id, relation.created_at],
        )

    # --- helpers ---------------------------------------------------------------------------

    def _where(self, which: SuggestionFilter) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if which.document_id is not None:
            clauses.append("document_id = ?")
            params.append(which.document_id)
        if which.status is not None:
            clauses.append("status = ?")
            params.append(SuggestionStatus(which.status).value)
        if which.suggester is not None:
            clauses.append("suggester = ?")
            params.append(which.suggester)
        if which.label is not None and which.layer is not None:
            clauses.append("label_id = ?")
            params.append(self._store.codebook.label_id(which.layer, which.label))
        elif which.label is not None or which.layer is not None:
            ids = self._label_ids(which.layer, which.label)
            if not ids:
                clauses.append("0")
            else:
                clauses.append(f"label_id IN ({marks(ids)})")
                params.extend(ids)
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), params

    def _label_ids(self, layer: str | None, label: str | None) -> list[int]:
        codebook = self._store.codebook.load()
        ids = []
        for each_layer, each_label in codebook.iter_labels():
            if layer is not None and each_layer.name != layer:
                continue
            if label is not None and each_label.name != label:
                continue
            if each_layer.kind is LayerKind.SPAN:
                ids.append(self._store.codebook.label_id(each_layer.name, each_label.name))
        if layer is not None and not codebook.has_layer(layer):
            raise WorkbenchError(f"the codebook has no layer {layer!r}")
        if label is not None and not ids:
            raise WorkbenchError(f"the codebook has no span label {label!r}")
        return ids

    def _from_row(self, row: Sequence[Any]) -> Suggestion:
        (id_, document_id, label_id, start, end, attributes, score, reason, suggester,
         pipeline, pipeline_version, status, span_id, decided_by, decided_at, created_at) = row
        layer, label = self._store.codebook.label_of(label_id)
        return Suggestion(
            document_id=document_id, layer=layer, label=label, start=start, end=end,
            suggester=suggester, pipeline=PipelineInfo(pipeline, pipeline_version),
            attributes=load_attributes(attributes), score=score, reason=reason,
            status=SuggestionStatus(status), span_id=span_id,
            decided_by=(self._store.annotators.name_of(decided_by)
                        if decided_by is not None else None),
            decided_at=decided_at, created_at=created_at, id=id_,
        )

    def _relation_from_row(self, row: Sequence[Any]) -> SuggestedRelation:
        (id_, document_id, label_id, source_suggestion, source_span, target_suggestion,
         target_span, reason, suggester, pipeline, pipeline_version, status, relation_id,
         created_at) = row
        layer, label = self._store.codebook.label_of(label_id)
        return SuggestedRelation(
            document_id=document_id, layer=layer, label=label, suggester=suggester,
            pipeline=PipelineInfo(pipeline, pipeline_version),
            source_suggestion_id=source_suggestion, source_span_id=source_span,
            target_suggestion_id=target_suggestion, target_span_id=target_span,
            reason=reason, status=SuggestionStatus(status), relation_id=relation_id,
            created_at=created_at, id=id_,
        )


def _split_end(end: _End) -> tuple[int | None, int | None]:
    kind, id_ = end
    return (id_, None) if kind == "suggestion" else (None, id_)
