"""Counts that describe a project, for `workbench stats` and the status bar."""

from __future__ import annotations

from typing import Any

from workbench.storage import ProjectStore


def project_stats(store: ProjectStore) -> dict[str, Any]:
    tally = store.spans.tally()
    span_counts = tally.by_label
    # Every span label appears, with 0 when unused, so scripts can rely on the keys.
    labels: dict[str, int] = {}
    layers: dict[str, int] = {}
    for layer in store.codebook.load().span_layers:
        layers[layer.name] = 0
        for label in layer.labels:
            if label.selectable:
                labels.setdefault(label.name, 0)
    for (layer_name, label_name), n in sorted(span_counts.items()):
        labels[label_name] = labels.get(label_name, 0) + n
        layers[layer_name] = layers.get(layer_name, 0) + n
    relation_counts = {
        label: n for (_, label), n in sorted(store.relations.count_by_label().items())
    }
    document_label_counts = {
        label: n for (_, label), n in sorted(store.document_labels.count_by_label().items())
    }
    by_status = store.suggestions.count_by_status()
    return {
        "project": str(store.path) if store.path else None,
        "schema_version": store.schema_version(),
        "codebook": store.codebook.load().name,
        "documents": store.documents.count(),
        "spans": tally.total,
        "relations": store.relations.count(),
        "document_labels": store.document_labels.count(),
        "annotators": store.annotators.names(),
        "labels": labels,
        "layers": layers,
        "relation_types": relation_counts,
        "document_label_counts": document_label_counts,
        "spans_by_annotator": tally.by_annotator,
        "spans_by_origin": dict(tally.by_origin),
        # Suggestions are not annotations: counted apart, never in "spans" above.
        "suggestions": {
            status: by_status.get(status, 0)
            for status in ("open", "accepted", "rejected")
        },
    }


def stats_lines(stats: dict[str, Any]) -> list[str]:
    """The same figures as readable lines."""
    lines = [
        f"project:         {stats['project']}",
        f"codebook:        {stats['codebook']}",
        f"documents:       {stats['documents']}",
        f"spans:           {stats['spans']}",
        f"relations:       {stats['relations']}",
        f"document labels: {stats['document_labels']}",
        f"annotators:      {', '.join(stats['annotators']) or '-'}",
    ]
    suggestions = stats.get("suggestions") or {}
    if any(suggestions.values()):
        lines.append(
            f"suggestions:     {suggestions['open']} open, {suggestions['accepted']} accepted, "
            f"{suggestions['rejected']} rejected (not counted as spans)"
        )
    used = {label: n for label, n in stats["labels"].items() if n}
    if used:
        lines.append("spans by label:")
        width = max(len(label) for label in used)
        lines.extend(f"  {label:<{width}}  {n}" for label, n in used.items())
    return lines
