"""Can two codebooks be merged? The rules for bringing another project's codebook in.

Layers, labels and attributes are matched by name (labels within their layer). What one side
lacks can be added; a name both have must mean the same thing on both sides, or the merge
would put annotations where they do not fit. Colours, keys and descriptions may differ: the
target's win.
"""

from __future__ import annotations

from workbench.core.codebook import AttributeKind, Codebook, LayerKind

_CHOICES = (AttributeKind.ENUM, AttributeKind.MULTI_ENUM)


def codebook_conflicts(target: Codebook, source: Codebook, source_name: str,
                       checked: Codebook | None = None) -> list[str]:
    """Every reason `source` cannot be merged into `target`, one readable line each.

    With `checked`, what that codebook has is left out (it was compared already): used to
    compare two sources only where the project itself has nothing to say.
    """
    conflicts: list[str] = []
    for layer in source.layers:
        if not target.has_layer(layer.name):
            continue
        ours = target.layer(layer.name)
        seen = checked.layer(layer.name) if checked is not None and checked.has_layer(
            layer.name) else None
        if ours.kind is not layer.kind:
            if seen is None:
                conflicts.append(
                    f"layer {layer.name!r} holds {ours.kind.value} labels in the project but "
                    f"{layer.kind.value} labels in {source_name}")
            continue
        if layer.kind is LayerKind.RELATION:
            for label in layer.labels:
                if not ours.has_label(label.name) or (seen and seen.has_label(label.name)):
                    continue
                mine = ours.label(label.name)
                if (mine.source_layer, mine.target_layer) != (label.source_layer,
                                                              label.target_layer):
                    conflicts.append(
                        f"link type {layer.name}/{label.name} goes "
                        f"{_ends(mine.source_layer, mine.target_layer)} in the project but "
                        f"{_ends(label.source_layer, label.target_layer)} in {source_name}")
        known = {attribute.name: attribute for attribute in ours.attributes}
        for attribute in layer.attributes:
            mine_attribute = known.get(attribute.name)
            if mine_attribute is None or (
                    seen and any(a.name == attribute.name for a in seen.attributes)):
                continue
            where = f"attribute {attribute.name!r} of layer {layer.name!r}"
            if mine_attribute.kind is not attribute.kind:
                conflicts.append(
                    f"{where} is {mine_attribute.kind.value} in the project but "
                    f"{attribute.kind.value} in {source_name}")
            elif attribute.kind in _CHOICES:
                # Values chosen from fewer options still fit; an option the project lacks
                # would not.
                missing = [o for o in attribute.options if o not in mine_attribute.options]
                if missing:
                    conflicts.append(
                        f"{where} has options {missing} in {source_name} that the project "
                        "lacks")
    return conflicts


def _ends(source: str | None, target: str | None) -> str:
    return f"from {source or 'any layer'} to {target or 'any layer'}"
