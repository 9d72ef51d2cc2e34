"""How codebook layers and attributes are named in INCEpTION's type system (TSV and XMI).

A span layer becomes the UIMA type `webanno.custom.<Name>` with a `label` feature and one
feature per attribute (plus `note`); a relation layer becomes `webanno.custom.<Name>` with
`Governor`, `Dependent`, `label` and its attributes. UIMA names must be Java identifiers, so
names are encoded reversibly: letters and digits stay, a space becomes `_`, an underscore `__`,
anything else `_0x<hex>_` ("Rhetorical devices" -> `Rhetorical_devices`); an attribute whose
name UIMA or cassis reserve (`type`, `begin`) gets the suffix `_0x0_`.
"""

from __future__ import annotations

import keyword
import re

from workbench.core.export_data import ExportBundle

CUSTOM_PREFIX = "webanno.custom."
LABEL_FEATURE = "label"
NOTE_FEATURE = "note"
GOVERNOR = "Governor"
DEPENDENT = "Dependent"
# Feature names UIMA or our own mapping already use, and names dkpro-cassis cannot give an
# accessor (Python keywords and `type`).
_RESERVED = {"begin", "end", "sofa", "type", LABEL_FEATURE, NOTE_FEATURE, GOVERNOR, DEPENDENT,
             *keyword.kwlist}
_RESERVED_MARK = "_0x0_"
_ESCAPE = re.compile(r"__|_0x([0-9A-F]+)_|_")


def encode(name: str) -> str:
    out: list[str] = []
    for index, char in enumerate(name):
        if char == "_":
            out.append("__")
        elif char == " ":
            out.append("_")
        elif char.isascii() and char.isalnum() and not (index == 0 and char.isdigit()):
            out.append(char)
        else:
            out.append(f"_0x{ord(char):X}_")
    return "".join(out) or "_0x5F_"


def decode(identifier: str) -> str:
    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "__":
            return "_"
        if token == "_":
            return " "
        return chr(int(match.group(1), 16))

    return _ESCAPE.sub(replace, identifier)


def type_name(layer: str) -> str:
    return CUSTOM_PREFIX + encode(layer)


def layer_name(uima_type: str) -> str:
    """Our layer name for a UIMA type: custom layers decoded, others by their short name."""
    if uima_type.startswith(CUSTOM_PREFIX):
        return decode(uima_type[len(CUSTOM_PREFIX):])
    return uima_type.rsplit(".", 1)[-1]


def feature_name(attribute: str) -> str:
    encoded = encode(attribute)
    if encoded in _RESERVED:
        # A marker no encoded name contains (it would stand for U+0000).
        encoded += _RESERVED_MARK
    return encoded


def attribute_name(feature: str) -> str:
    if feature.endswith(_RESERVED_MARK):
        feature = feature[:-len(_RESERVED_MARK)]
    return decode(feature)


def label_feature(features: list[str]) -> str | None:
    """Which feature of another tool's layer holds the label: `label`, `value` or the first."""
    for preferred in (LABEL_FEATURE, "value"):
        if preferred in features:
            return preferred
    return features[0] if features else None


def relation_bases(bundle: ExportBundle) -> tuple[dict[str, str], list[str]]:
    """Per relation layer, the one span type its relations link; and the layers that link
    several span types (they attach to uima.tcas.Annotation)."""
    seen: dict[str, set[str]] = {}
    for item in bundle.documents():
        layer_of = {span.id: span.layer for span in item.spans}
        for relation in item.relations:
            seen.setdefault(relation.layer, set()).update(
                (layer_of[relation.source_id], layer_of[relation.target_id]))
    bases = {name: type_name(next(iter(layers))) for name, layers in seen.items()
             if len(layers) == 1}
    return bases, sorted(name for name, layers in seen.items() if len(layers) > 1)
