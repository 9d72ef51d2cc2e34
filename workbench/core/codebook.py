"""Codebooks: the layers, labels, attribute definitions and relation types of a project.

A codebook is a plain JSON or TOML file a researcher can copy and edit (see
`resources/codebooks/`). The same structure lives inside every project file; this module only
knows the rules, not where the codebook is stored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from workbench.core.errors import CodebookError, json_problem

_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
# A palette that stays readable as a background behind black text, cycled for labels
# that come without a colour (imported files rarely carry one).
DEFAULT_COLORS = (
    "#ffd166", "#8ecae6", "#b5e48c", "#f4a6a6", "#cdb4db", "#ffc8a2", "#a0e7e5",
    "#e9c46a", "#bde0fe", "#d8f3dc", "#ffafcc", "#caffbf", "#fdffb6", "#9bf6ff",
)


class LayerKind(StrEnum):
    SPAN = "span"
    RELATION = "relation"
    DOCUMENT = "document"


class AttributeKind(StrEnum):
    ENUM = "enum"
    MULTI_ENUM = "multi_enum"
    TEXT = "text"
    BOOL = "bool"
    NUMBER = "number"


@dataclass(frozen=True, slots=True)
class AttributeDef:
    """One attribute that annotations of a layer can carry.

    `option_groups` narrows the options by the annotation's label (or by the value of the
    attribute named in `depends_on`), e.g. SemEval fine roles that belong to one main role.
    """

    name: str
    kind: AttributeKind
    options: tuple[str, ...] = ()
    description: str = ""
    default: Any = None
    depends_on: str | None = None
    option_groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def options_for(self, key: str | None) -> tuple[str, ...]:
        """The options allowed when the label (or `depends_on` value) is `key`."""
        if key is not None and key in self.option_groups:
            return self.option_groups[key]
        return self.options

    def check(self, value: Any) -> Any:
        """Return `value` in its canonical form, or raise CodebookError."""
        if value is None:
            return None
        kind = self.kind
        if kind is AttributeKind.ENUM:
            if not isinstance(value, str) or (self.options and value not in self.options):
                raise CodebookError(
                    f"attribute {self.name!r}: {value!r} is not one of {list(self.options)}"
                )
            return value
        if kind is AttributeKind.MULTI_ENUM:
            values = [value] if isinstance(value, str) else value
            if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
                raise CodebookError(f"attribute {self.name!r}: expected a list of options")
            unknown = [v for v in values if self.options and v not in self.options]
            if unknown:
                raise CodebookError(f"attribute {self.name!r}: unknown options {unknown}")
            return list(dict.fromkeys(values))
        if kind is AttributeKind.TEXT:
            return str(value)
        if kind is AttributeKind.BOOL:
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.lower() in {"true", "yes", "1", "false", "no", "0"}:
                return value.lower() in {"true", "yes", "1"}
            raise CodebookError(f"attribute {self.name!r}: {value!r} is not true or false")
        if kind is AttributeKind.NUMBER:
            if isinstance(value, bool):
                raise CodebookError(f"attribute {self.name!r}: {value!r} is not a number")
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise CodebookError(f"attribute {self.name!r}: {value!r} is not a number") from None
            return int(number) if number.is_integer() else number
        raise CodebookError(f"attribute {self.name!r}: unknown kind {kind!r}")


@dataclass(frozen=True, slots=True)
class Label:
    """A label of a layer. Labels may nest (`parent`); a group label can be non-selectable.

    For relation layers a label is a relation type, optionally restricted to links from
    `source_layer` to `target_layer`.
    """

    name: str
    color: str = "#cccccc"
    hotkey: str | None = None
    description: str = ""
    parent: str | None = None
    selectable: bool = True
    source_layer: str | None = None
    target_layer: str | None = None

    @property
    def short_name(self) -> str:
        """The last part of a path-like name ("URW: A: B" gives "B")."""
        return self.name.rsplit(": ", 1)[-1]


@dataclass(frozen=True, slots=True)
class Layer:
    name: str
    kind: LayerKind
    description: str = ""
    labels: tuple[Label, ...] = ()
    attributes: tuple[AttributeDef, ...] = ()

    def label(self, name: str) -> Label:
        for label in self.labels:
            if label.name == name:
                return label
        raise CodebookError(f"layer {self.name!r} has no label {name!r}")

    def has_label(self, name: str) -> bool:
        return any(label.name == name for label in self.labels)

    def attribute(self, name: str) -> AttributeDef:
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute
        raise CodebookError(f"layer {self.name!r} has no attribute {name!r}")

    def children(self, parent: str | None) -> list[Label]:
        return [label for label in self.labels if label.parent == parent]

    def check_attributes(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Validate attribute values against this layer's definitions."""
        known = {a.name: a for a in self.attributes}
        checked: dict[str, Any] = {}
        for name, value in values.items():
            if name not in known:
                raise CodebookError(f"layer {self.name!r} has no attribute {name!r}")
            normalized = known[name].check(value)
            if normalized is not None and normalized != []:
                checked[name] = normalized
        return checked


@dataclass(frozen=True, slots=True)
class Codebook:
    name: str
    description: str = ""
    layers: tuple[Layer, ...] = ()

    def __post_init__(self) -> None:
        validate(self)

    def layer(self, name: str) -> Layer:
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise CodebookError(f"the codebook has no layer {name!r}")

    def has_layer(self, name: str) -> bool:
        return any(layer.name == name for layer in self.layers)

    def layers_of(self, kind: LayerKind) -> list[Layer]:
        return [layer for layer in self.layers if layer.kind is kind]

    @property
    def span_layers(self) -> list[Layer]:
        return self.layers_of(LayerKind.SPAN)

    @property
    def relation_layers(self) -> list[Layer]:
        return self.layers_of(LayerKind.RELATION)

    @property
    def document_layers(self) -> list[Layer]:
        return self.layers_of(LayerKind.DOCUMENT)

    def iter_labels(self) -> Iterator[tuple[Layer, Label]]:
        for layer in self.layers:
            for label in layer.labels:
                yield layer, label

    def with_layer(self, layer: Layer) -> Codebook:
        """A copy with `layer` added or replacing the layer of the same name."""
        layers = [existing for existing in self.layers if existing.name != layer.name]
        position = next((i for i, old in enumerate(self.layers) if old.name == layer.name), None)
        if position is None:
            layers.append(layer)
        else:
            layers.insert(position, layer)
        return replace(self, layers=tuple(layers))

    def to_dict(self) -> dict[str, Any]:
        return codebook_to_dict(self)


def validate(codebook: Codebook) -> None:
    """The rules every codebook keeps; raises CodebookError naming the first broken one."""
    layer_names = [layer.name for layer in codebook.layers]
    _no_duplicates(layer_names, "layer")
    hotkeys: dict[str, str] = {}
    for layer in codebook.layers:
        if not layer.name.strip():
            raise CodebookError("a layer needs a name")
        names = [label.name for label in layer.labels]
        _no_duplicates(names, f"label in layer {layer.name!r}")
        _no_duplicates([a.name for a in layer.attributes], f"attribute in layer {layer.name!r}")
        for label in layer.labels:
            if not label.name.strip():
                raise CodebookError(f"layer {layer.name!r} has a label without a name")
            if not _COLOR.fullmatch(label.color):
                raise CodebookError(
                    f"label {label.name!r}: colour {label.color!r} is not #RRGGBB"
                )
            if label.parent is not None and label.parent not in names:
                raise CodebookError(
                    f"label {label.name!r}: parent {label.parent!r} is not in layer {layer.name!r}"
                )
            if label.hotkey:
                # Span and document labels share one keyboard; relation types have their own
                # mode, so they may reuse a key.
                scope = "relation" if layer.kind is LayerKind.RELATION else "label"
                key = f"{scope}:{label.hotkey.lower()}"
                if key in hotkeys:
                    raise CodebookError(
                        f"hotkey {label.hotkey!r} is used by both {hotkeys[key]!r} "
                        f"and {label.name!r}"
                    )
                hotkeys[key] = label.name
            for endpoint in (label.source_layer, label.target_layer):
                if endpoint is not None and endpoint not in layer_names:
                    raise CodebookError(
                        f"relation type {label.name!r} links layer {endpoint!r}, "
                        "which the codebook does not have"
                    )
        _no_parent_cycles(layer)
        for attribute in layer.attributes:
            if attribute.kind in (AttributeKind.ENUM, AttributeKind.MULTI_ENUM):
                if not attribute.options:
                    raise CodebookError(
                        f"attribute {attribute.name!r} of layer {layer.name!r} needs options"
                    )
                for group, options in attribute.option_groups.items():
                    stray = [o for o in options if o not in attribute.options]
                    if stray:
                        raise CodebookError(
                            f"attribute {attribute.name!r}: options {stray} of group "
                            f"{group!r} are not among its options"
                        )


def _no_duplicates(names: Iterable[str], what: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise CodebookError(f"duplicate {what}: {name!r}")
        seen.add(name)


def _no_parent_cycles(layer: Layer) -> None:
    parents = {label.name: label.parent for label in layer.labels}
    for name in parents:
        seen = {name}
        parent = parents[name]
        while parent is not None:
            if parent in seen:
                raise CodebookError(f"labels of layer {layer.name!r} nest in a circle at {name!r}")
            seen.add(parent)
            parent = parents.get(parent)


# --- reading and writing codebook files -------------------------------------------------------


def codebook_from_dict(data: Mapping[str, Any], source: str = "codebook") -> Codebook:
    """Build a codebook from the plain structure of a JSON/TOML codebook file."""
    try:
        layers = tuple(_layer_from_dict(raw, index) for index, raw in enumerate(data["layers"]))
        return Codebook(
            name=str(data.get("name", "Untitled codebook")),
            description=str(data.get("description", "")),
            layers=layers,
        )
    except CodebookError as error:
        raise CodebookError(f"{source}: {error}") from None
    except (KeyError, TypeError, ValueError) as error:
        raise CodebookError(f"{source}: malformed codebook ({_describe(error)})") from None


def _describe(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"missing key {error.args[0]!r}"
    return str(error)


def _layer_from_dict(raw: Mapping[str, Any], index: int) -> Layer:
    kind = LayerKind(raw.get("kind", "span"))
    labels: list[Label] = []
    color_index = 0

    def add(label_raw: Mapping[str, Any] | str, parent: str | None) -> None:
        nonlocal color_index
        if isinstance(label_raw, str):
            label_raw = {"name": label_raw}
        color = label_raw.get("color")
        if color is None:
            color = DEFAULT_COLORS[(index * 5 + color_index) % len(DEFAULT_COLORS)]
            color_index += 1
        label = Label(
            name=str(label_raw["name"]),
            color=str(color),
            hotkey=label_raw.get("hotkey") or None,
            description=str(label_raw.get("description", "")),
            parent=label_raw.get("parent", parent),
            selectable=bool(label_raw.get("selectable", True)),
            source_layer=label_raw.get("source_layer"),
            target_layer=label_raw.get("target_layer"),
        )
        labels.append(label)
        for child in label_raw.get("children", ()):
            add(child, label.name)

    for label_raw in raw.get("labels", ()):
        add(label_raw, None)
    attributes = tuple(
        AttributeDef(
            name=str(a["name"]),
            kind=AttributeKind(a["kind"]),
            options=tuple(a.get("options", ())),
            description=str(a.get("description", "")),
            default=a.get("default"),
            depends_on=a.get("depends_on"),
            option_groups={k: tuple(v) for k, v in a.get("option_groups", {}).items()},
        )
        for a in raw.get("attributes", ())
    )
    return Layer(
        name=str(raw["name"]),
        kind=kind,
        description=str(raw.get("description", "")),
        labels=tuple(labels),
        attributes=attributes,
    )


def codebook_to_dict(codebook: Codebook) -> dict[str, Any]:
    """The flat, file-ready structure (labels listed with explicit parents)."""
    layers = []
    for layer in codebook.layers:
        labels = []
        for label in layer.labels:
            item: dict[str, Any] = {"name": label.name, "color": label.color}
            if label.hotkey:
                item["hotkey"] = label.hotkey
            if label.description:
                item["description"] = label.description
            if label.parent is not None:
                item["parent"] = label.parent
            if not label.selectable:
                item["selectable"] = False
            if label.source_layer:
                item["source_layer"] = label.source_layer
            if label.target_layer:
                item["target_layer"] = label.target_layer
            labels.append(item)
        attributes = []
        for attribute in layer.attributes:
            a: dict[str, Any] = {"name": attribute.name, "kind": attribute.kind.value}
            if attribute.options:
                a["options"] = list(attribute.options)
            if attribute.description:
                a["description"] = attribute.description
            if attribute.default is not None:
                a["default"] = attribute.default
            if attribute.depends_on:
                a["depends_on"] = attribute.depends_on
            if attribute.option_groups:
                a["option_groups"] = {k: list(v) for k, v in attribute.option_groups.items()}
            attributes.append(a)
        entry: dict[str, Any] = {"name": layer.name, "kind": layer.kind.value}
        if layer.description:
            entry["description"] = layer.description
        entry["labels"] = labels
        if attributes:
            entry["attributes"] = attributes
        layers.append(entry)
    return {"name": codebook.name, "description": codebook.description, "layers": layers}


def load_codebook_file(path: Path) -> Codebook:
    """Read a `.json` or `.toml` codebook file."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CodebookError(f"{path}: cannot read codebook ({error.strerror})") from None
    import tomllib  # here: only a .toml codebook needs it, and the command line starts sooner

    try:
        if path.suffix.lower() == ".toml":
            data = tomllib.loads(raw.decode("utf-8"))
        else:
            data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CodebookError(f"{path}: a codebook must be UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise CodebookError(f"{path}, line {error.lineno}: {json_problem(error)}") from None
    except tomllib.TOMLDecodeError as error:
        raise CodebookError(f"{path}: invalid TOML ({error})") from None
    if not isinstance(data, dict):
        raise CodebookError(f"{path}: a codebook file holds one object with 'layers'")
    return codebook_from_dict(data, source=str(path))

