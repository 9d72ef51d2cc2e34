"""brat type names and configuration files (annotation.conf, visual.conf).

brat has no escaping: type, relation and attribute names (and attribute values) may use only
`[A-Za-z0-9_-]`. `encode_name` maps any label to such a name reversibly; names that already
fit and hold no `__` stay as they are (`Name_Calling-Labeling`, `Merge-org`). The escape is a
double underscore: `__<hex>_` is the character with that code point, `___` a space. A label
whose name is taken by another layer is qualified as `<layer>__-_<label>`.

The workbench writes `annotation.conf` with one `!<layer>` group per span layer (brat shows the
labels grouped; `!` makes the group itself unselectable), a `# layer: <name>` comment before
the relation types of each relation layer, `# several values: <attribute>` before attributes
that take a list, and `visual.conf` with each label's colour and, where the name had to be
encoded, its real name. brat ignores the comments; the reader uses them to rebuild layers and
attribute kinds. Configurations written by brat users import too: their types then land in
the layers "Entities", "Events" and "Relations" (or the project's layer holding the label).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.codebook import (
    DEFAULT_COLORS,
    AttributeDef,
    AttributeKind,
    Codebook,
    Label,
    Layer,
    LayerKind,
)
from workbench.formats.shared.input_files import read_bytes

_PLAIN = re.compile(r"[A-Za-z0-9-]")
_HEX = re.compile(r"[0-9a-f]*")
QUALIFIER = "__-_"
MARKER = "# annotation.conf written by the Annotation Workbench"
ENTITY_LAYER, EVENT_LAYER, RELATION_LAYER = "Entities", "Events", "Relations"
EVENT_ARGUMENT_LAYER = "Event arguments"
TRUE_FALSE = ("true", "false")


def encode_name(text: str) -> str:
    """A brat-safe name for `text`; `decode_name` gives `text` back."""
    out: list[str] = []
    for index, char in enumerate(text):
        following = text[index + 1] if index + 1 < len(text) else None
        if _PLAIN.fullmatch(char):
            out.append(char)
        elif char == "_" and following is not None and _PLAIN.fullmatch(following):
            out.append("_")
        elif char == " ":
            out.append("___")
        else:
            out.append(f"__{ord(char):x}_")
    return "".join(out)


def decode_name(name: str) -> str:
    """The text an encoded name stands for (a name brat users wrote comes back as is)."""
    out: list[str] = []
    index = 0
    while index < len(name):
        char = name[index]
        if char == "_" and name.startswith("__", index):
            digits = _HEX.match(name, index + 2)
            assert digits is not None
            close = digits.end()
            if close < len(name) and name[close] == "_":
                out.append(chr(int(digits.group(), 16)) if digits.group() else " ")
                index = close + 1
                continue
        out.append(char)
        index += 1
    return "".join(out)


def split_name(name: str) -> tuple[str | None, str]:
    """(layer or None, label) of a type name, undoing `qualified_name`."""
    if QUALIFIER in name:
        layer, label = name.split(QUALIFIER, 1)
        return decode_name(layer), decode_name(label)
    return None, decode_name(name)


def qualified_name(layer: str, label: str) -> str:
    return f"{encode_name(layer)}{QUALIFIER}{encode_name(label)}"


def group_layer(name: str) -> str:
    """The layer a `!group` of our annotation.conf stands for."""
    return decode_name(name.lstrip("!").removesuffix(QUALIFIER))


@dataclass
class TypeNames:
    """The brat name of every (layer, label) of the exported codebook, unique across kinds."""

    spans: dict[tuple[str, str], str] = field(default_factory=dict)
    relations: dict[tuple[str, str], str] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)  # span layer -> group name

    @classmethod
    def for_codebook(cls, codebook: Codebook) -> TypeNames:
        names = cls()
        pairs = [(layer, label) for layer in codebook.layers
                 if layer.kind is not LayerKind.DOCUMENT for label in layer.labels]
        counts: dict[str, int] = {}
        for layer in codebook.span_layers:
            counts[encode_name(layer.name)] = counts.get(encode_name(layer.name), 0) + 1
        for _, label in pairs:
            counts[encode_name(label.name)] = counts.get(encode_name(label.name), 0) + 1
        for layer in codebook.span_layers:
            group = encode_name(layer.name)
            names.groups[layer.name] = group if counts[group] == 1 else f"{group}{QUALIFIER}"
        for layer, label in pairs:
            plain = encode_name(label.name)
            name = plain if counts[plain] == 1 else qualified_name(layer.name, label.name)
            target = names.spans if layer.kind is LayerKind.SPAN else names.relations
            target[(layer.name, label.name)] = name
        return names


@dataclass
class AttributeUse:
    """What annotation.conf says about one attribute, gathered while exporting."""

    targets: set[str] = field(default_factory=set)  # brat type names it attaches to
    values: dict[str, None] = field(default_factory=dict)  # encoded values, in order
    several: bool = False


class Overlaps:
    """How the exported spans overlap, by pair of brat types, for annotation.conf's
    `<OVERLAP>` rules: brat's verify_annotations refuses any overlap of two entities that no
    rule allows ("Claim cannot contain Loaded_Language", "crossing span").

    brat asks `contain` of (inner, outer) and `equal` and `cross` of either order."""

    def __init__(self) -> None:
        self.kinds: dict[tuple[str, str], set[str]] = {}

    def add_document(self, spans: list[tuple[int, int, str]]) -> None:
        """(start, end, brat type) of one document's spans, from first to last fragment."""
        ordered = sorted(spans, key=lambda s: (s[0], -s[1]))
        active: list[tuple[int, int, str]] = []
        for start, end, kind in ordered:
            active = [span for span in active if span[1] > start]
            for other_start, other_end, other_kind in active:
                if (other_start, other_end) == (start, end):
                    self._add(min(kind, other_kind), max(kind, other_kind), "equal")
                elif other_start <= start and end <= other_end:
                    self._add(kind, other_kind, "contain")  # this one inside the other
                else:
                    self._add(min(kind, other_kind), max(kind, other_kind), "cross")
            active.append((start, end, kind))

    def _add(self, first: str, second: str, kind: str) -> None:
        self.kinds.setdefault((first, second), set()).add(kind)

    def rules(self) -> list[str]:
        """One rule per outer type and kind of overlap, listing the inner types."""
        grouped: dict[tuple[str, str], list[str]] = {}
        for (first, second), kinds in sorted(self.kinds.items()):
            key = (second, "|".join(sorted(kinds)))
            grouped.setdefault(key, []).append(first)
        return [f"<OVERLAP>\tArg1:{'|'.join(firsts)}, Arg2:{second}, <OVL-TYPE>:{kinds}"
                for (second, kinds), firsts in grouped.items()]


def render_annotation_conf(codebook: Codebook, names: TypeNames,
                           attributes: dict[str, AttributeUse],
                           overlaps: Overlaps | None = None) -> str:
    lines = [MARKER, "# Types under a !group are the labels of one layer.", "", "[entities]"]
    for layer in codebook.span_layers:
        lines.append(f"!{names.groups[layer.name]}")
        for label in layer.labels:
            depth = _depth(layer, label)
            prefix = "" if label.selectable else "!"
            lines.append("\t" * depth + prefix + names.spans[(layer.name, label.name)])
    lines += ["", "[relations]"]
    span_types = {layer.name: [names.spans[(layer.name, label.name)] for label in layer.labels
                               if label.selectable] for layer in codebook.span_layers}
    every_type = [name for types in span_types.values() for name in types]
    for layer in codebook.relation_layers:
        lines.append(f"# layer: {layer.name}")
        for label in layer.labels:
            sources = span_types.get(label.source_layer or "", every_type) or every_type
            targets = span_types.get(label.target_layer or "", every_type) or every_type
            lines.append(f"{names.relations[(layer.name, label.name)]}\t"
                         f"Arg1:{'|'.join(sources)}, Arg2:{'|'.join(targets)}")
    if overlaps is not None and overlaps.kinds:
        lines.append("# How the exported spans overlap (brat refuses overlaps no rule allows)")
        lines += overlaps.rules()
    lines += ["", "[events]", "", "[attributes]"]
    for name, use in attributes.items():
        if use.several:
            lines.append(f"# several values: {name}")
        arguments = f"Arg:{'|'.join(sorted(use.targets))}"
        values = f", Value:{'|'.join(use.values)}" if use.values else ""
        lines.append(f"{name}\t{arguments}{values}")
    return "\n".join(lines) + "\n"


def _depth(layer: Layer, label: Label) -> int:
    depth, parent = 1, label.parent
    while parent is not None:
        depth += 1
        parent = next((item.parent for item in layer.labels if item.name == parent), None)
    return depth


def render_visual_conf(codebook: Codebook, names: TypeNames) -> str:
    shown = ["[labels]"]
    drawing = ["[drawing]"]
    for (layer_name, label_name), name in [*names.spans.items(), *names.relations.items()]:
        if name != label_name:
            shown.append(f"{name} | {label_name}")
        label = codebook.layer(layer_name).label(label_name)
        drawing.append(f"{name}\tbgColor:{label.color}" if (layer_name, label_name)
                       in names.spans else f"{name}\tcolor:{label.color}")
    for layer_name, group in names.groups.items():
        if group != layer_name:
            shown.append(f"{group} | {layer_name}")
    return "\n".join([*shown, "", *drawing]) + "\n"


# --- reading ------------------------------------------------------------------------------


@dataclass
class BratConfig:
    """What a reader needs from annotation.conf (and visual.conf) to place types in layers."""

    ours: bool = False
    span_layers: dict[str, str] = field(default_factory=dict)  # type name -> layer
    event_types: set[str] = field(default_factory=set)
    relation_layers: dict[str, str] = field(default_factory=dict)  # relation type -> layer
    several: set[str] = field(default_factory=set)  # attributes that take lists
    true_false: set[str] = field(default_factory=set)  # attributes with Value:true|false
    binary: set[str] = field(default_factory=set)  # attributes without values
    codebook: Codebook | None = None

    def span_layer(self, type_name: str) -> tuple[str, str, bool]:
        """(layer, label, layer_from_codebook) of a text-bound annotation's type."""
        layer, label = split_name(type_name)
        if layer is not None:
            return layer, label, False
        if type_name in self.span_layers:
            return self.span_layers[type_name], label, False
        if type_name in self.event_types:
            return EVENT_LAYER, label, True
        return ENTITY_LAYER, label, True

    def relation_layer(self, type_name: str) -> tuple[str, str, bool]:
        layer, label = split_name(type_name)
        if layer is not None:
            return layer, label, False
        if type_name in self.relation_layers:
            return self.relation_layers[type_name], label, False
        return RELATION_LAYER, label, True


def find_config(folder: Path, root: Path) -> Path | None:
    """The annotation.conf that applies in `folder`: its own or the nearest above, up to root."""
    current = folder.resolve()
    top = root.resolve()
    while True:
        candidate = current / "annotation.conf"
        if candidate.is_file():
            return candidate
        if current == top or current.parent == current or not current.is_relative_to(top):
            return None
        current = current.parent


def read_config(path: Path | None) -> BratConfig:
    if path is None:
        return BratConfig()
    text = read_bytes(path).decode("utf-8-sig", errors="replace")
    config = BratConfig(ours=text.startswith(MARKER))
    colors = _read_colors(path.with_name("visual.conf"))
    section = ""
    relation_layer = RELATION_LAYER
    stack: list[str] = []  # entity hierarchy by indentation
    span_labels: dict[str, list[Label]] = {}
    relation_labels: dict[str, list[Label]] = {}
    attributes: list[tuple[str, list[str], list[str]]] = []
    for raw in text.splitlines():
        stripped = raw.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip().lower()
            continue
        if stripped.startswith("#"):
            _read_directive(stripped, section, config)
            if stripped.startswith("# layer:") and section == "relations":
                relation_layer = stripped.split(":", 1)[1].strip() or RELATION_LAYER
            continue
        if not stripped or stripped.startswith("<"):  # blank, or a macro definition
            continue
        if section in ("entities", "events"):
            depth = len(raw) - len(raw.lstrip("\t"))
            name = stripped.split()[0]
            del stack[depth:]
            stack.append(name)
            _place_type(config, section, stack, span_labels, colors)
        elif section == "relations":
            name = stripped.split()[0]
            config.relation_layers[name] = relation_layer
            labels = relation_labels.setdefault(relation_layer, [])
            label_name = split_name(name)[1]
            if all(label.name != label_name for label in labels):
                labels.append(_label(label_name, colors.get(name), len(labels)))
        elif section == "attributes":
            attributes.append(_attribute_line(stripped, config))
    config.codebook = _codebook(config, span_labels, relation_labels, attributes)
    return config


def _read_directive(line: str, section: str, config: BratConfig) -> None:
    if section == "attributes" and line.startswith("# several values:"):
        config.several.add(line.split(":", 1)[1].strip())


def _place_type(config: BratConfig, section: str, stack: list[str],
                span_labels: dict[str, list[Label]], colors: dict[str, str]) -> None:
    name = stack[-1].lstrip("!")
    selectable = not stack[-1].startswith("!")
    if section == "events":
        config.event_types.add(name)
        layer, path = EVENT_LAYER, stack
    elif config.ours:
        if len(stack) == 1:
            return  # a layer group
        layer, path = group_layer(stack[0]), stack[1:]
    else:
        layer, path = ENTITY_LAYER, stack
    qualified_layer, label_name = split_name(name)
    layer = qualified_layer or layer
    config.span_layers.setdefault(name, layer)
    parent = split_name(path[-2].lstrip("!"))[1] if len(path) > 1 else None
    labels = span_labels.setdefault(layer, [])
    if all(label.name != label_name for label in labels):
        labels.append(Label(name=label_name, color=colors.get(name) or _color(len(labels)),
                            parent=parent, selectable=selectable))


def _attribute_line(line: str, config: BratConfig) -> tuple[str, list[str], list[str]]:
    name, _, rest = line.partition("\t") if "\t" in line else line.partition(" ")
    targets: list[str] = []
    values: list[str] = []
    for part in rest.split(","):
        key, _, value = part.strip().partition(":")
        if key == "Arg":
            targets = value.split("|")
        elif key == "Value":
            values = value.split("|")
    name = name.strip()
    if not values:
        config.binary.add(name)
    elif sorted(values) == sorted(TRUE_FALSE):
        config.true_false.add(name)
    return name, targets, values


def _codebook(config: BratConfig, span_labels: dict[str, list[Label]],
              relation_labels: dict[str, list[Label]],
              attributes: list[tuple[str, list[str], list[str]]]) -> Codebook | None:
    if not span_labels and not relation_labels:
        return None
    defs: dict[str, list[AttributeDef]] = {}
    for name, targets, values in attributes:
        targeted: set[str] = set()
        for target in targets:
            if target == "<ENTITY>":
                targeted.update(layer for layer in span_labels if layer != EVENT_LAYER)
            elif target == "<EVENT>":
                targeted.add(EVENT_LAYER)
            elif target in config.span_layers:
                targeted.add(config.span_layers[target])
        if name in config.binary or name in config.true_false:
            definition = AttributeDef(decode_name(name), AttributeKind.BOOL)
        else:
            kind = AttributeKind.MULTI_ENUM if name in config.several else AttributeKind.ENUM
            definition = AttributeDef(decode_name(name), kind,
                                      tuple(dict.fromkeys(decode_name(v) for v in values)))
        for layer in sorted(targeted):
            if layer in span_labels:
                defs.setdefault(layer, []).append(definition)
    layers = [Layer(name, LayerKind.SPAN, labels=tuple(labels),
                    attributes=tuple(defs.get(name, ())))
              for name, labels in span_labels.items()]
    layers += [Layer(name, LayerKind.RELATION, labels=tuple(labels))
               for name, labels in relation_labels.items()]
    return Codebook(name="brat annotation.conf", layers=tuple(layers))


def _label(name: str, color: str | None, index: int) -> Label:
    return Label(name=name, color=color or _color(index))


def _color(index: int) -> str:
    return DEFAULT_COLORS[index % len(DEFAULT_COLORS)]


_COLOR = re.compile(r"(?:bgColor|color):(#[0-9a-fA-F]{6})")


def _read_colors(path: Path) -> dict[str, str]:
    """Type name -> colour from visual.conf's [drawing] section, when there is one."""
    if not path.is_file():
        return {}
    colors: dict[str, str] = {}
    section = ""
    for raw in read_bytes(path).decode("utf-8-sig", errors="replace").splitlines():
        stripped = raw.strip()
        if stripped.startswith("["):
            section = stripped.strip("[]").lower()
        elif section == "drawing" and stripped and not stripped.startswith("#"):
            match = _COLOR.search(stripped)
            if match:
                colors[stripped.split()[0]] = match.group(1).lower()
    return colors
