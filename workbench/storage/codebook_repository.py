"""The project's codebook, stored in the layers, labels and attribute_defs tables.

Annotations point at label rows by id, so renaming a label carries every span with it.
The whole codebook is small; it is read once and kept until a codebook edit.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from workbench.core.codebook import (
    DEFAULT_COLORS,
    AttributeDef,
    AttributeKind,
    Codebook,
    Label,
    Layer,
    LayerKind,
)
from workbench.core.errors import AnnotationError, CodebookError
from workbench.core.events import CodebookChanged

if TYPE_CHECKING:
    from workbench.storage.project_store import ProjectStore


class CodebookRepository:
    def __init__(self, store: ProjectStore) -> None:
        self._store = store
        self._codebook: Codebook | None = None
        self._label_ids: dict[tuple[str, str], int] = {}
        self._labels_by_id: dict[int, tuple[str, str]] = {}
        self._layer_ids: dict[str, int] = {}

    # --- reading -------------------------------------------------------------------------

    def load(self) -> Codebook:
        if self._codebook is None:
            self._codebook = self._read()
        return self._codebook

    def invalidate(self) -> None:
        self._codebook = None
        self._label_ids.clear()
        self._labels_by_id.clear()
        self._layer_ids.clear()

    def label_id(self, layer: str, label: str, kind: LayerKind | None = None) -> int:
        """The row id of a label; with `kind`, the layer must hold annotations of that kind."""
        codebook = self.load()
        if kind is not None and codebook.layer(layer).kind is not kind:
            raise AnnotationError(f"layer {layer!r} does not hold {_HOLDS[kind]}")
        try:
            return self._label_ids[(layer, label)]
        except KeyError:
            raise CodebookError(f"layer {layer!r} has no label {label!r}") from None

    def checked_attributes(self, layer: str, attributes: dict[str, Any]) -> dict[str, Any]:
        """Attribute values of an annotation of `layer`, checked and in canonical form."""
        if not attributes:
            return {}
        return self.load().layer(layer).check_attributes(attributes)

    def label_of(self, label_id: int) -> tuple[str, str]:
        """(layer name, label name) of a label row."""
        self.load()
        if label_id not in self._labels_by_id:
            self.invalidate()  # a label another program added since the codebook was read
            self.load()
        return self._labels_by_id[label_id]

    def layer_id(self, layer: str) -> int:
        self.load()
        try:
            return self._layer_ids[layer]
        except KeyError:
            raise CodebookError(f"the codebook has no layer {layer!r}") from None

    def _read(self) -> Codebook:
        db = self._store.db
        layer_rows = db.execute(
            "SELECT id, name, kind, description FROM layers ORDER BY position, id"
        ).fetchall()
        label_rows = db.execute(
            "SELECT id, layer_id, name, parent_id, color, hotkey, description, selectable, "
            "source_layer_id, target_layer_id FROM labels ORDER BY position, id"
        ).fetchall()
        attribute_rows = db.execute(
            "SELECT layer_id, name, kind, options, description, default_value, depends_on, "
            "option_groups FROM attribute_defs ORDER BY position, id"
        ).fetchall()
        layer_names = {row[0]: row[1] for row in layer_rows}
        label_names = {row[0]: row[2] for row in label_rows}
        labels_by_layer: dict[int, list[Label]] = {}
        self._label_ids.clear()
        self._labels_by_id.clear()
        for (id_, layer_id, name, parent_id, color, hotkey, description, selectable,
             source_id, target_id) in label_rows:
            labels_by_layer.setdefault(layer_id, []).append(
                Label(
                    name=name,
                    color=color,
                    hotkey=hotkey,
                    description=description,
                    parent=label_names.get(parent_id) if parent_id is not None else None,
                    selectable=bool(selectable),
                    source_layer=layer_names.get(source_id) if source_id else None,
                    target_layer=layer_names.get(target_id) if target_id else None,
                )
            )
            self._label_ids[(layer_names[layer_id], name)] = id_
            self._labels_by_id[id_] = (layer_names[layer_id], name)
        attributes_by_layer: dict[int, list[AttributeDef]] = {}
        for (layer_id, name, kind, options, description, default, depends_on,
             groups) in attribute_rows:
            attributes_by_layer.setdefault(layer_id, []).append(
                AttributeDef(
                    name=name,
                    kind=AttributeKind(kind),
                    options=tuple(json.loads(options)),
                    description=description,
                    default=json.loads(default) if default is not None else None,
                    depends_on=depends_on,
                    option_groups={k: tuple(v) for k, v in json.loads(groups).items()},
                )
            )
        self._layer_ids = {name: id_ for id_, name in layer_names.items()}
        layers = tuple(
            Layer(
                name=name,
                kind=LayerKind(kind),
                description=description,
                labels=tuple(labels_by_layer.get(id_, ())),
                attributes=tuple(attributes_by_layer.get(id_, ())),
            )
            for id_, name, kind, description in layer_rows
        )
        settings = self._store.settings
        return Codebook(name=settings.get("codebook_name", "Codebook"),
                        description=settings.get("codebook_description", ""), layers=layers)

    # --- writing -------------------------------------------------------------------------

    def install(self, codebook: Codebook) -> None:
        """Give a new project `codebook`: its name, description and every layer."""
        with self._store.transaction():
            self._store.settings.set("codebook_name", codebook.name)
            self._store.settings.set("codebook_description", codebook.description)
            existing = self.load()
            for layer in codebook.layers:
                if existing.has_layer(layer.name):
                    raise CodebookError(f"the project already has a layer {layer.name!r}")
            # Span layers first, so relation types can point at them.
            ordered = sorted(codebook.layers, key=lambda layer: layer.kind is LayerKind.RELATION)
            first = len(existing.layers)
            for layer in ordered:
                self._insert_layer(layer, position=first + codebook.layers.index(layer))
            self._changed()

    def add_layer(self, layer: Layer) -> None:
        with self._store.transaction():
            codebook = self.load()
            if codebook.has_layer(layer.name):
                raise CodebookError(f"the project already has a layer {layer.name!r}")
            codebook.with_layer(layer)  # building the codebook checks it against the rules
            self._insert_layer(layer, position=len(codebook.layers))
            self._changed()

    def add_label(self, layer_name: str, label: Label) -> None:
        with self._store.transaction():
            codebook = self.load()
            layer = codebook.layer(layer_name)
            if layer.has_label(label.name):
                raise CodebookError(f"layer {layer_name!r} already has a label {label.name!r}")
            codebook.with_layer(replace(layer, labels=(*layer.labels, label)))  # checks it
            self._insert_label(self._layer_ids[layer_name], label, position=len(layer.labels))
            self._changed()

    def ensure_label(self, layer_name: str, label_name: str, kind: LayerKind) -> bool:
        """Make sure a label exists, adding the layer and label if needed.

        Used when importing files whose labels the codebook lacks. Returns True when
        something was added, so the import summary can say so.
        """
        codebook = self.load()
        if codebook.has_layer(layer_name):
            layer = codebook.layer(layer_name)
            if layer.kind is not kind:
                raise CodebookError(
                    f"layer {layer_name!r} holds {layer.kind.value} labels, "
                    f"not {kind.value} labels"
                )
            if layer.has_label(label_name):
                return False
            color = DEFAULT_COLORS[len(layer.labels) % len(DEFAULT_COLORS)]
            self.add_label(layer_name, Label(name=label_name, color=color))
            return True
        color = DEFAULT_COLORS[len(codebook.layers) % len(DEFAULT_COLORS)]
        self.add_layer(Layer(name=layer_name, kind=kind, labels=(Label(label_name, color),)))
        return True

    def ensure_attribute(self, layer_name: str, name: str, value: Any) -> bool:
        """Make an imported attribute value storable, widening the codebook if needed.

        An unknown attribute is added with a kind guessed from the value; a value missing
        from an enum's options becomes a new option. An empty value (None or []) is no value
        and adds nothing: an enum without options would make the codebook unreadable.
        Returns True when something changed.
        """
        if value is None or value == []:
            return False
        layer = self.load().layer(layer_name)
        attribute = next((a for a in layer.attributes if a.name == name), None)
        values = value if isinstance(value, list) else [value]
        if attribute is None:
            kind = _guess_kind(value)
            options = (tuple(dict.fromkeys(str(v) for v in values))
                       if kind is AttributeKind.MULTI_ENUM else ())
            with self._store.transaction():
                self._insert_attribute(self.layer_id(layer_name),
                                       AttributeDef(name, kind, options), len(layer.attributes))
                self._changed()
            return True
        if attribute.kind not in (AttributeKind.ENUM, AttributeKind.MULTI_ENUM):
            return False
        missing = [str(v) for v in values if str(v) not in attribute.options]
        if not missing:
            return False
        with self._store.transaction():
            self._store.db.execute(
                "UPDATE attribute_defs SET options = ? WHERE layer_id = ? AND name = ?",
                [json.dumps([*attribute.options, *dict.fromkeys(missing)], ensure_ascii=False),
                 self.layer_id(layer_name), name],
            )
            self._changed()
        return True

    def merge(self, codebook: Codebook) -> list[str]:
        """Add what `codebook` has and the project lacks; never changes what exists.

        Returns "layer/label" names of the labels added.
        """
        added: list[str] = []
        with self._store.transaction():
            if codebook.description and not self.load().description:
                self._store.settings.set("codebook_description", codebook.description)
                self._changed()
            first = len(self.load().layers)
            # Span layers first, so relation types can point at them; positions keep the
            # order of the incoming codebook.
            ordered = sorted(codebook.layers, key=lambda layer: layer.kind is LayerKind.RELATION)
            for layer in ordered:
                if not self.load().has_layer(layer.name):
                    layer = replace(layer, labels=tuple(
                        replace(label, hotkey=None) if self._hotkey_taken(label.hotkey) else label
                        for label in layer.labels
                    ))
                    self.load().with_layer(layer)  # building the codebook checks it
                    self._insert_layer(layer, position=first + _index_of(codebook, layer.name))
                    self._changed()
                    added.extend(f"{layer.name}/{label.name}" for label in layer.labels)
                    continue
                existing = self.load().layer(layer.name)
                for label in _parents_first(layer.labels):
                    if not existing.has_label(label.name):
                        parent = label.parent if label.parent and (
                            existing.has_label(label.parent)
                            or f"{layer.name}/{label.parent}" in added
                        ) else None
                        hotkey = label.hotkey if not self._hotkey_taken(label.hotkey) else None
                        self.add_label(layer.name, replace(label, parent=parent, hotkey=hotkey))
                        added.append(f"{layer.name}/{label.name}")
                for attribute in layer.attributes:
                    if attribute.name not in {a.name for a in existing.attributes}:
                        self._insert_attribute(self.layer_id(layer.name), attribute,
                                               len(existing.attributes))
                        self._changed()
        return added

    def _hotkey_taken(self, hotkey: str | None) -> bool:
        if not hotkey:
            return False
        return any(
            (label.hotkey or "").lower() == hotkey.lower()
            for _, label in self.load().iter_labels()
        )

    def update_label(self, layer_name: str, label_name: str, **changes: Any) -> Label:
        """Change a label (name, color, hotkey, description, parent, selectable).

        Renaming keeps the label row, so every annotation follows the new name.
        """
        allowed = {"name", "color", "hotkey", "description", "parent", "selectable"}
        unknown = set(changes) - allowed
        if unknown:
            raise CodebookError(f"cannot change {sorted(unknown)} of a label")
        with self._store.transaction():
            codebook = self.load()
            layer = codebook.layer(layer_name)
            old = layer.label(label_name)
            new = replace(old, **changes)
            labels = tuple(new if label.name == old.name else label for label in layer.labels)
            if new.name != old.name:
                labels = tuple(
                    replace(label, parent=new.name) if label.parent == old.name else label
                    for label in labels
                )
            codebook.with_layer(replace(layer, labels=labels))  # checks the changed codebook
            label_id = self._label_ids[(layer_name, label_name)]
            parent_id = (
                self._label_ids[(layer_name, new.parent)] if new.parent is not None else None
            )
            self._store.db.execute(
                "UPDATE labels SET name = ?, color = ?, hotkey = ?, description = ?, "
                "parent_id = ?, selectable = ? WHERE id = ?",
                [new.name, new.color, new.hotkey, new.description, parent_id,
                 int(new.selectable), label_id],
            )
            self._changed()
            return new

    def delete_label(self, layer_name: str, label_name: str) -> None:
        """Remove a label that no annotation uses (annotations are never dropped silently)."""
        with self._store.transaction():
            label_id = self.label_id(layer_name, label_name)
            db = self._store.db
            used = sum(
                db.execute(f"SELECT count(*) FROM {table} WHERE label_id = ?", [label_id])
                .fetchone()[0]
                for table in ("spans", "relations", "document_labels")
            )
            if used:
                raise CodebookError(
                    f"label {label_name!r} is used by {used} annotation(s); "
                    "relabel or delete them first"
                )
            db.execute("DELETE FROM labels WHERE id = ?", [label_id])
            self._changed()

    def _insert_layer(self, layer: Layer, position: int) -> None:
        db = self._store.db
        cursor = db.execute(
            "INSERT INTO layers (name, kind, description, position) VALUES (?, ?, ?, ?)",
            [layer.name, layer.kind.value, layer.description, position],
        )
        layer_id = int(cursor.lastrowid or 0)
        self._layer_ids[layer.name] = layer_id
        positions = {label.name: index for index, label in enumerate(layer.labels)}
        label_ids: dict[str, int] = {}
        for label in _parents_first(layer.labels):
            label_ids[label.name] = self._insert_label(layer_id, label, positions[label.name],
                                                       label_ids)
        for index, attribute in enumerate(layer.attributes):
            self._insert_attribute(layer_id, attribute, index)

    def _insert_attribute(self, layer_id: int, attribute: AttributeDef, position: int) -> None:
        self._store.db.execute(
            "INSERT INTO attribute_defs (layer_id, name, kind, options, description, "
            "default_value, depends_on, option_groups, position) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                layer_id,
                attribute.name,
                attribute.kind.value,
                json.dumps(list(attribute.options), ensure_ascii=False),
                attribute.description,
                json.dumps(attribute.default) if attribute.default is not None else None,
                attribute.depends_on,
                json.dumps({k: list(v) for k, v in attribute.option_groups.items()},
                           ensure_ascii=False),
                position,
            ],
        )

    def _insert_label(
        self, layer_id: int, label: Label, position: int, siblings: dict[str, int] | None = None
    ) -> int:
        def resolve_layer(name: str | None) -> int | None:
            if name is None:
                return None
            row = self._store.db.execute("SELECT id FROM layers WHERE name = ?", [name]).fetchone()
            if row is None:
                raise CodebookError(f"relation type {label.name!r} links unknown layer {name!r}")
            return int(row[0])

        parent_id = None
        if label.parent is not None:
            if siblings is not None and label.parent in siblings:
                parent_id = siblings[label.parent]
            else:
                row = self._store.db.execute(
                    "SELECT id FROM labels WHERE layer_id = ? AND name = ?",
                    [layer_id, label.parent],
                ).fetchone()
                if row is None:
                    raise CodebookError(f"label {label.name!r}: unknown parent {label.parent!r}")
                parent_id = int(row[0])
        cursor = self._store.db.execute(
            "INSERT INTO labels (layer_id, name, parent_id, color, hotkey, description, "
            "selectable, source_layer_id, target_layer_id, position) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                layer_id, label.name, parent_id, label.color, label.hotkey, label.description,
                int(label.selectable), resolve_layer(label.source_layer),
                resolve_layer(label.target_layer), position,
            ],
        )
        return int(cursor.lastrowid or 0)

    def _changed(self) -> None:
        self.invalidate()
        self._store.announce(CodebookChanged())


_HOLDS = {LayerKind.SPAN: "spans", LayerKind.RELATION: "relations",
          LayerKind.DOCUMENT: "document labels"}


def _guess_kind(value: Any) -> AttributeKind:
    if isinstance(value, bool):
        return AttributeKind.BOOL
    if isinstance(value, int | float):
        return AttributeKind.NUMBER
    if isinstance(value, list):
        return AttributeKind.MULTI_ENUM
    return AttributeKind.TEXT


def _index_of(codebook: Codebook, layer_name: str) -> int:
    return next(i for i, layer in enumerate(codebook.layers) if layer.name == layer_name)


def _parents_first(labels: Sequence[Label]) -> list[Label]:
    """`labels` in their order, except that a parent listed after its child comes before it
    (a label row points at its parent's row, so the parent is written first)."""
    by_name = {label.name: label for label in labels}
    ordered: list[Label] = []
    placed: set[str] = set()

    def place(label: Label) -> None:
        if label.name in placed:
            return
        placed.add(label.name)
        parent = by_name.get(label.parent) if label.parent is not None else None
        if parent is not None:
            place(parent)
        ordered.append(label)

    for label in labels:
        place(label)
    return ordered
