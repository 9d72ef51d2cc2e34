"""What an annotation keeps when it gets another label."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench.core.codebook import AttributeKind, Layer


def carried_attributes(layer: Layer, label: str, attributes: Mapping[str, Any]) -> dict[str, Any]:
    """The attribute values still allowed for `label` of `layer`.

    Attributes the layer does not define are dropped (the span moved to another layer), and
    options that belong to another label's group (a Protagonist's fine roles on a span
    relabelled Antagonist) are left out.
    """
    known = {definition.name: definition for definition in layer.attributes}
    kept: dict[str, Any] = {}
    for name, value in attributes.items():
        definition = known.get(name)
        if definition is None:
            continue
        if definition.option_groups and definition.kind in (
            AttributeKind.ENUM, AttributeKind.MULTI_ENUM
        ):
            key = label if definition.depends_on is None else attributes.get(definition.depends_on)
            allowed = definition.options_for(key if isinstance(key, str) else None)
            if isinstance(value, list):
                value = [v for v in value if v in allowed]
                if not value:
                    continue
            elif value not in allowed:
                continue
        kept[name] = value
    return kept
