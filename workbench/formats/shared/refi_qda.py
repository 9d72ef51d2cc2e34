"""REFI-QDA codes (QDA-XML 1.0) and how they map to a codebook; shared by qdpx and qdc.

Export: every layer is a top-level code (not codable) whose description says
`workbench layer: <kind>`; its labels are codes nested below it, following the label
hierarchy; a label that cannot be chosen is not codable. Import is lenient, as real files from
other tools are not always schema-valid (ATLAS.ti 9 writes `urn:QDA-XML:codebook:0:4`): element
names are matched without their namespace. Codes from other tools go to one span layer
"Codes" with their hierarchy kept; a name used twice gets its parent's name in front.
GUIDs are written in lowercase; colours become `#RRGGBB`.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from workbench.core.codebook import DEFAULT_COLORS, Codebook, Label, Layer, LayerKind

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
LAYER_MARK = "workbench layer: "
FOREIGN_LAYER = "Codes"
FOREIGN_DOCUMENT_LAYER = "Document codes"
_NAMESPACE = uuid.UUID("6f1e7c1a-51e4-4f5e-9a53-8f0a2f7c9b10")
_COLOR = re.compile(r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


_NAMESPACE_BYTES = _NAMESPACE.bytes


def guid(*parts: object) -> str:
    """A stable lowercase GUID for one thing of an export (same input, same GUID): the
    name-based UUID (version 5) of the parts, made without a uuid.UUID object (an export
    makes one per span, coding and note)."""
    name = "\u241f".join(str(p) for p in parts).encode("utf-8")
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + name).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    hex_digits = digest.hex()
    return (f"{hex_digits[:8]}-{hex_digits[8:12]}-{hex_digits[12:16]}-{hex_digits[16:20]}-"
            f"{hex_digits[20:]}")


def local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    for child in element:
        if local(child) == name:
            yield child


def child(element: etree._Element, name: str) -> etree._Element | None:
    return next(children(element, name), None)


def description(element: etree._Element) -> str:
    node = child(element, "Description")
    if node is not None and node.text:
        return node.text
    return element.get("description") or ""


# --- codes to a codebook ------------------------------------------------------------------


@dataclass
class CodeMap:
    """What a file's codes mean here: the codebook and each code GUID's (layer, label)."""

    codebook: Codebook | None
    by_guid: dict[str, tuple[str, str, LayerKind]] = field(default_factory=dict)


def read_codes(codes_element: etree._Element | None, name: str) -> CodeMap:
    if codes_element is None:
        return CodeMap(None)
    layers: dict[str, tuple[LayerKind, list[Label]]] = {}
    by_guid: dict[str, tuple[str, str, LayerKind]] = {}

    def add(layer: str, kind: LayerKind, code: etree._Element, parent: str | None) -> None:
        labels = layers.setdefault(layer, (kind, []))[1]
        label_name = (code.get("name") or "").strip() or "(unnamed)"
        if any(label.name == label_name for label in labels):
            label_name = f"{parent} > {label_name}" if parent else f"{label_name} (2)"
        color = _color(code.get("color"), len(labels))
        labels.append(Label(name=label_name, color=color, description=description(code),
                            parent=parent, selectable=code.get("isCodable", "true") != "false"))
        by_guid[(code.get("guid") or "").strip("{}").lower()] = (layer, label_name, kind)
        for nested in children(code, "Code"):
            add(layer, kind, nested, label_name)

    for code in children(codes_element, "Code"):
        mark = description(code)
        if mark.startswith(LAYER_MARK) and mark[len(LAYER_MARK):] in LayerKind.__members__.values():
            layer, kind = (code.get("name") or FOREIGN_LAYER), LayerKind(mark[len(LAYER_MARK):])
            layers.setdefault(layer, (kind, []))
            for nested in children(code, "Code"):
                add(layer, kind, nested, None)
        else:
            add(FOREIGN_LAYER, LayerKind.SPAN, code, None)
    built = tuple(Layer(name=layer, kind=kind, labels=tuple(labels))
                  for layer, (kind, labels) in layers.items())
    return CodeMap(Codebook(name=name, layers=built) if built else None, by_guid)


def _color(value: str | None, index: int) -> str:
    if value and _COLOR.match(value.strip()):
        digits = value.strip()[1:]
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return f"#{digits.lower()}"
    return DEFAULT_COLORS[index % len(DEFAULT_COLORS)]


# --- a codebook to codes ------------------------------------------------------------------


def code_guid(layer: str, label: str | None = None) -> str:
    return guid("code", layer, label or "")


def write_codes(parent: etree._Element, namespace: str, codebook: Codebook) -> None:
    codes = etree.SubElement(parent, f"{{{namespace}}}Codes")
    for layer in codebook.layers:
        top = etree.SubElement(codes, f"{{{namespace}}}Code", guid=code_guid(layer.name),
                               name=layer.name, isCodable="false")
        etree.SubElement(top, f"{{{namespace}}}Description").text = LAYER_MARK + layer.kind.value
        _nested(top, namespace, layer, None)


def _nested(element: etree._Element, namespace: str, layer: Layer, parent: str | None) -> None:
    for label in layer.children(parent):
        code = etree.SubElement(
            element, f"{{{namespace}}}Code", guid=code_guid(layer.name, label.name),
            name=label.name, isCodable="true" if label.selectable else "false",
            color=label.color.lower())
        if label.description:
            etree.SubElement(code, f"{{{namespace}}}Description").text = label.description
        _nested(code, namespace, layer, label.name)
