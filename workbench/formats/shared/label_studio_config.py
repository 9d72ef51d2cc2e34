"""Label Studio's labeling configuration (XML) for a codebook, and back.

Each span layer is a `<Labels name="LAYER">`; each attribute of a span layer a per-region
control named `LAYER.ATTRIBUTE` shown for that layer's regions (`<Choices>` single or multiple,
true/false as two choices, `<Number>`, `<TextArea>`); notes are the per-region `<TextArea
name="note">`; relation labels are `<Relations>`; each document layer is a `<Choices>` on the
whole text. Read back, the configuration gives the codebook (but for relation layers, whose
names it does not hold) and tells the reader which control is which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from workbench.core.codebook import (
    DEFAULT_COLORS,
    AttributeDef,
    AttributeKind,
    Codebook,
    Label,
    Layer,
    LayerKind,
)
from workbench.core.errors import CodebookError, InputFileError
from workbench.formats.shared.input_files import read_bytes
from workbench.formats.shared.safe_input import parse_xml

_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
TEXT_NAME = "text"
NOTE_NAME = "note"
TRUE_FALSE = ("true", "false")


def note_control(codebook: Codebook) -> str:
    """The name of the notes control, clear of every layer's name."""
    name = NOTE_NAME
    while codebook.has_layer(name):
        name += "_"
    return name


def attribute_control(layer: str, attribute: str) -> str:
    return f"{layer}.{attribute}"


def render_config(codebook: Codebook) -> str:
    view = etree.Element("View")
    etree.SubElement(view, "Text", name=TEXT_NAME, value=f"${TEXT_NAME}")
    for layer in codebook.span_layers:
        labels = etree.SubElement(view, "Labels", name=layer.name, toName=TEXT_NAME)
        for label in layer.labels:
            if label.selectable:
                etree.SubElement(labels, "Label", value=label.name, background=label.color)
    for layer in codebook.span_layers:
        for attribute in layer.attributes:
            _attribute_control(view, layer.name, attribute)
    etree.SubElement(view, "TextArea", name=note_control(codebook), toName=TEXT_NAME,
                     perRegion="true", editable="true", placeholder="note")
    relation_labels = list(dict.fromkeys(
        label.name for layer in codebook.relation_layers for label in layer.labels))
    if relation_labels:
        relations = etree.SubElement(view, "Relations")
        for name in relation_labels:
            etree.SubElement(relations, "Relation", value=name)
    for layer in codebook.document_layers:
        choices = etree.SubElement(view, "Choices", name=layer.name, toName=TEXT_NAME,
                                   choice="multiple", showInline="false")
        for label in layer.labels:
            if label.selectable:
                etree.SubElement(choices, "Choice", value=label.name)
    return etree.tostring(view, pretty_print=True, encoding="unicode")


def _attribute_control(view: etree._Element, layer: str, attribute: AttributeDef) -> None:
    common = {"name": attribute_control(layer, attribute.name), "toName": TEXT_NAME,
              "perRegion": "true", "whenTagName": layer}
    kind = attribute.kind
    if kind is AttributeKind.NUMBER:
        etree.SubElement(view, "Number", **common)
    elif kind is AttributeKind.TEXT:
        etree.SubElement(view, "TextArea", **common, placeholder=attribute.name)
    else:
        options = TRUE_FALSE if kind is AttributeKind.BOOL else attribute.options
        multiple = kind is AttributeKind.MULTI_ENUM
        choices = etree.SubElement(view, "Choices", **common,
                                   choice="multiple" if multiple else "single")
        for option in options:
            etree.SubElement(choices, "Choice", value=option)


@dataclass
class ConfigControls:
    """What a configuration says about the controls named in results."""

    text_key: str = TEXT_NAME
    note: str = NOTE_NAME
    span_layers: set[str] = field(default_factory=set)
    # control name -> (layer, attribute, kind)
    attributes: dict[str, tuple[str, str, AttributeKind]] = field(default_factory=dict)
    document_layers: set[str] = field(default_factory=set)
    codebook: Codebook | None = None


def read_config(path: Path) -> ConfigControls:
    data = read_bytes(path)
    view = parse_xml(data, path)
    controls = ConfigControls()
    layers: dict[str, Layer] = {}
    attributes: dict[str, list[AttributeDef]] = {}
    for element in view.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        name = element.get("name", "")
        if tag == "Text" and element.get("value", "").startswith("$"):
            controls.text_key = element.get("value", "")[1:]
        elif tag == "Labels":
            controls.span_layers.add(name)
            layers[name] = Layer(name, LayerKind.SPAN, labels=_labels(element, "Label"))
        elif tag in ("Choices", "Number", "TextArea") and element.get("perRegion") == "true":
            if tag == "TextArea" and "." not in name:
                controls.note = name
                continue
            layer = element.get("whenTagName") or name.split(".", 1)[0]
            attribute = name[len(layer) + 1:] if name.startswith(f"{layer}.") else name
            kind = _kind(tag, element)
            options: tuple[str, ...] = ()
            if kind in (AttributeKind.ENUM, AttributeKind.MULTI_ENUM):
                options = tuple(dict.fromkeys(
                    c.get("value", "") for c in element.iter("Choice") if c.get("value")))
                if not options:
                    kind = AttributeKind.TEXT
            controls.attributes[name] = (layer, attribute, kind)
            attributes.setdefault(layer, []).append(AttributeDef(attribute, kind, options))
        elif tag == "Choices":
            controls.document_layers.add(name)
            layers[name] = Layer(name, LayerKind.DOCUMENT, labels=_labels(element, "Choice"))
    built = [Layer(layer.name, layer.kind, labels=layer.labels,
                   attributes=tuple(attributes.get(layer.name, ())))
             for layer in layers.values()]
    try:
        controls.codebook = Codebook("Label Studio configuration", layers=tuple(built))
    except CodebookError as error:
        raise InputFileError(path, f"the configuration does not make a codebook ({error})") \
            from None
    return controls


def _kind(tag: str, element: etree._Element) -> AttributeKind:
    if tag == "Number":
        return AttributeKind.NUMBER
    if tag == "TextArea":
        return AttributeKind.TEXT
    values = sorted(choice.get("value", "") for choice in element.iter("Choice"))
    if values == sorted(TRUE_FALSE):
        return AttributeKind.BOOL
    return AttributeKind.MULTI_ENUM if element.get("choice") == "multiple" else AttributeKind.ENUM


def _labels(element: etree._Element, child: str) -> tuple[Label, ...]:
    labels: list[Label] = []
    for index, item in enumerate(element.iter(child)):
        value = item.get("value", "")
        if not value or any(label.name == value for label in labels):
            continue
        color = item.get("background", "")
        if not _COLOR.fullmatch(color):
            color = DEFAULT_COLORS[index % len(DEFAULT_COLORS)]
        labels.append(Label(value, color.lower()))
    return tuple(labels)
