"""View > Attribution Graph: who asserts what about whom, drawn in a graphics view.

The graph comes from `services/attribution_graph.py`; networkx lays it out (spring layout,
seeded, so the same project draws the same way). Clicking a node lists the spans behind
it, a double-click on one opens its document there. Actors can be merged by hand (select
several with Ctrl and choose Merge); the merge is kept in the project.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import networkx as nx
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPolygonF,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.excerpts import excerpt
from workbench.services.annotating import AnnotationSession
from workbench.services.attribution_graph import (
    ACTOR,
    CLAIM,
    DEVICE,
    AttributionGraph,
    GraphFilter,
    build_graph,
    graph_labels,
    merge_actors,
    unmerge_actor,
)
from workbench.services.documents import document_excerpt, document_name

MOST_DRAWN = 300  # nodes drawn at most (the most connected); exports hold them all
SCALE = 110.0  # scene pixels per unit of the layout
KIND_COLORS = {ACTOR: "#0072B2", CLAIM: "#E69F00", DEVICE: "#CC79A7"}
RELATION_COLORS = {"asserts": "#0072B2", "is about": "#009E73", "targets": "#CC79A7",
                   "supports": "#56B4E9", "attacks": "#D55E00"}
NODE_ROLE = 1  # QGraphicsItem.data key holding a node's id
ANY = "__any__"


def packed_layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Each connected part laid out on its own (spring layout, seeded), the parts set in
    rows, largest first: far apart islands would otherwise shrink the whole drawing."""
    parts = sorted((sorted(part) for part in nx.connected_components(graph)),
                   key=lambda part: (-len(part), part[0]))
    total = sum(len(part) for part in parts)
    row_width = max(4.0, 2.2 * math.sqrt(total))
    positions: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for part in parts:
        radius = 0.0 if len(part) == 1 else 0.6 * math.sqrt(len(part))
        size = 2 * radius + 1.2
        if x > 0 and x + size > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        if len(part) == 1:
            placed = {part[0]: (0.0, 0.0)}
        else:
            placed = {node: (float(px), float(py)) for node, (px, py) in nx.spring_layout(
                graph.subgraph(part), seed=7, scale=radius).items()}
        for node, (px, py) in placed.items():
            positions[node] = (x + size / 2 + px, y + size / 2 + py)
        x += size
        row_height = max(row_height, size)
    return positions


class NodeItem(QGraphicsEllipseItem):
    def __init__(self, node: str, kind: str, label: str, mentions: int) -> None:
        radius = 7 + min(14, 3 * math.sqrt(mentions))
        super().__init__(-radius, -radius, 2 * radius, 2 * radius)
        self.node = node
        self.radius = radius
        self.setData(NODE_ROLE, node)
        self.setBrush(QBrush(QColor(KIND_COLORS.get(kind, "#888888"))))
        self.setPen(QPen(QColor("#ffffff"), 1.5))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(2)
        self.setToolTip(f"{label}\n{kind}, {mentions} span{'' if mentions == 1 else 's'}")
        self.text = QGraphicsSimpleTextItem(excerpt(label, 28), self)
        self.text.setPos(radius + 2, -8)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: object) -> object:
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self.setPen(QPen(QColor("#ffbf00") if value else QColor("#ffffff"),
                             3 if value else 1.5))
        return super().itemChange(change, value)


class AttributionGraphWindow(QWidget):
    span_requested = Signal(int, int)  # document id, span id

    def __init__(self, session: Callable[[], AnnotationSession],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("AttributionGraphWindow")
        self.setWindowTitle("Attribution Graph — Annotation Workbench")
        self._session = session
        self.graph: AttributionGraph | None = None
        self.drawn_nodes = 0
        self.items: dict[str, NodeItem] = {}
        self._build()
        self.resize(1200, 760)

    def _build(self) -> None:
        self.document_combo = QComboBox()
        self.label_combo = QComboBox()
        self.relation_combo = QComboBox()
        self.annotator_combo = QComboBox()
        for combo in (self.document_combo, self.label_combo, self.relation_combo,
                      self.annotator_combo):
            combo.activated.connect(lambda _i: self.refresh(keep_choices=True))
        self.counts = QLabel()
        self.counts.setObjectName("GraphCounts")
        self.counts.setWordWrap(True)
        merge = QPushButton("Merge Selected Actors…")
        merge.setToolTip("Make the selected actors one (Ctrl+click to select several)")
        merge.clicked.connect(self.merge_selected)
        unmerge = QPushButton("Unmerge Actor")
        unmerge.clicked.connect(self.unmerge_selected)
        graphml = QPushButton("Export GraphML…")
        graphml.clicked.connect(lambda: self.export("graphml"))
        edges = QPushButton("Export CSV Edges…")
        edges.clicked.connect(lambda: self.export("csv"))
        self.spans = QListWidget()
        self.spans.setObjectName("GraphSpans")
        self.spans.itemDoubleClicked.connect(self._on_span_chosen)
        self.message = QLabel()
        self.message.setWordWrap(True)

        side = QWidget()
        form = QFormLayout()
        form.addRow("Document:", self.document_combo)
        form.addRow("Label:", self.label_combo)
        form.addRow("Link:", self.relation_combo)
        form.addRow("Annotator:", self.annotator_combo)
        column = QVBoxLayout(side)
        column.addLayout(form)
        column.addWidget(self.counts)
        column.addWidget(merge)
        column.addWidget(unmerge)
        column.addWidget(graphml)
        column.addWidget(edges)
        column.addWidget(QLabel("Spans of the selected node (double-click opens):"))
        column.addWidget(self.spans, 1)
        column.addWidget(self.message)
        legend = QLabel(" ".join(
            f'<span style="color:{color}">●</span> {kind}s'
            for kind, color in KIND_COLORS.items()))
        column.addWidget(legend)

        self.scene = QGraphicsScene(self)
        self.scene.selectionChanged.connect(self._on_selection)
        self.view = QGraphicsView(self.scene)
        self.view.setObjectName("GraphView")
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        splitter = QSplitter()
        splitter.addWidget(side)
        splitter.addWidget(self.view)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([320, 880])
        layout = QHBoxLayout(self)
        layout.addWidget(splitter)

    # --- filling ---------------------------------------------------------------------------

    def current_filter(self) -> GraphFilter:
        def chosen(combo: QComboBox) -> str | None:
            data = combo.currentData()
            return None if data in (None, ANY) else str(data)

        document, label = chosen(self.document_combo), chosen(self.label_combo)
        relation = chosen(self.relation_combo)
        return GraphFilter(
            documents=frozenset([document]) if document else None,
            labels=frozenset([label]) if label else None,
            relations=frozenset([relation]) if relation else None,
            annotator=chosen(self.annotator_combo))

    def _fill_choices(self) -> None:
        store = self._session().store
        everything = build_graph(store)
        labels, relations = graph_labels(store)
        documents = sorted({link.document for link in everything.links})
        annotators = sorted({link.annotator for link in everything.links})
        for combo, values, every in (
                (self.document_combo, documents, "All documents"),
                (self.label_combo, labels, "All labels"),
                (self.relation_combo, relations, "All links"),
                (self.annotator_combo, annotators, "Everybody")):
            current = combo.currentData()
            combo.clear()
            combo.addItem(every, ANY)
            for value in values:
                combo.addItem(value, value)
            combo.setCurrentIndex(max(0, combo.findData(current)))

    def refresh(self, keep_choices: bool = False) -> None:
        if not keep_choices:
            self._fill_choices()
        self.graph = build_graph(self._session().store, self.current_filter())
        self._draw()

    def _draw(self) -> None:
        assert self.graph is not None
        graph = self.graph.graph
        self.scene.blockSignals(True)
        self.scene.clear()
        self.scene.blockSignals(False)
        self.items = {}
        self.spans.clear()
        nodes = sorted(graph.nodes, key=lambda n: (-graph.degree(n), n))[:MOST_DRAWN]
        shown = graph.subgraph(nodes)
        self.drawn_nodes = len(nodes)
        kinds = dict(graph.nodes(data="kind"))
        counted = {kind: sum(1 for k in kinds.values() if k == kind) for kind in KIND_COLORS}
        parts = ", ".join(f"{n:,} {kind}{'' if n == 1 else 's'}"
                          for kind, n in counted.items() if n)
        text = (f"{self.graph.node_count:,} nodes ({parts}), {self.graph.edge_count:,} "
                f"edges from {len(self.graph.links):,} links")
        if self.drawn_nodes < self.graph.node_count:
            text += f"; the {self.drawn_nodes:,} most connected drawn"
        self.counts.setText(text)
        if not nodes:
            self.scene.addText("No links yet: link actors to claims (asserts), claims to "
                               "actors (is about) or devices to actors (targets).")
            return
        text_color = self.palette().color(QPalette.ColorRole.Text)
        layout = packed_layout(nx.Graph(shown))
        for node in nodes:
            data = graph.nodes[node]
            item = NodeItem(node, str(data["kind"]), str(data["label"]), int(data["mentions"]))
            item.text.setBrush(QBrush(text_color))
            x, y = layout[node]
            item.setPos(QPointF(x * SCALE, y * SCALE))
            self.scene.addItem(item)
            self.items[node] = item
        for source, target, key in shown.edges(keys=True):
            self._draw_edge(self.items[source], self.items[target], str(key),
                            int(graph.edges[source, target, key]["weight"]))
        self.view.setSceneRect(self.scene.itemsBoundingRect().adjusted(-40, -40, 40, 40))
        self.fit()

    def fit(self) -> None:
        self.view.fitInView(self.view.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        if self.view.transform().m11() > 1.6:  # a small graph is not blown up
            self.view.resetTransform()
            self.view.scale(1.6, 1.6)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit()

    def _draw_edge(self, source: NodeItem, target: NodeItem, relation: str,
                   weight: int) -> None:
        line = QLineF(source.pos(), target.pos())
        if line.length() < 1:
            return
        unit = line.unitVector()
        delta = QPointF(unit.dx(), unit.dy())
        start = source.pos() + delta * source.radius
        end = target.pos() - delta * (target.radius + 2)
        path = QPainterPath(start)
        path.lineTo(end)
        angle = math.atan2(-(end.y() - start.y()), end.x() - start.x())
        size = 9.0
        head = QPolygonF([
            end,
            end - QPointF(math.cos(angle - 0.4) * size, -math.sin(angle - 0.4) * size),
            end - QPointF(math.cos(angle + 0.4) * size, -math.sin(angle + 0.4) * size)])
        path.addPolygon(head)
        color = QColor(RELATION_COLORS.get(relation, "#888888"))
        item = QGraphicsPathItem(path)
        item.setPen(QPen(color, 1 + min(4.0, math.log2(weight + 1))))
        item.setBrush(QBrush(color))
        item.setToolTip(f"{relation} ({weight} link{'' if weight == 1 else 's'})")
        item.setZValue(1)
        self.scene.addItem(item)
        label = QGraphicsSimpleTextItem(relation)
        label.setBrush(QBrush(color))
        middle = (start + end) / 2
        label.setPos(middle + QPointF(3, -14))
        label.setZValue(1)
        self.scene.addItem(label)

    # --- nodes and spans -------------------------------------------------------------------

    def selected_nodes(self) -> list[str]:
        return [item.node for item in self.scene.selectedItems() if isinstance(item, NodeItem)]

    def select_node(self, node: str) -> None:
        self.scene.clearSelection()
        self.items[node].setSelected(True)

    def _on_selection(self) -> None:
        self.spans.clear()
        if self.graph is None:
            return
        session = self._session()
        for node in self.selected_nodes()[:20]:
            if node not in self.graph.graph:  # drawn before the graph was built again
                continue
            for span_id in self.graph.spans_of(node)[:200]:
                try:
                    span = session.span(span_id)
                    text = document_excerpt(session.store, span.document_id, span.start,
                                            span.end)
                    document = document_name(session.store, span.document_id)
                except WorkbenchError:
                    continue  # deleted since the graph was drawn
                entry = QListWidgetItem(f"{excerpt(text, 50)} — {span.label}, {document}")
                entry.setData(Qt.ItemDataRole.UserRole, (span.document_id, span_id))
                self.spans.addItem(entry)

    def _on_span_chosen(self, item: QListWidgetItem) -> None:
        document_id, span_id = item.data(Qt.ItemDataRole.UserRole)
        self.span_requested.emit(int(document_id), int(span_id))

    # --- merging and export ----------------------------------------------------------------

    def merge_selected(self, into: str | None = None) -> bool:
        if self.graph is None:
            return False
        actors = [node for node in self.selected_nodes() if node.startswith(f"{ACTOR}:")]
        if len(actors) < 2:
            self.message.setText("select two or more actors to merge (Ctrl+click)")
            return False
        names = [str(self.graph.graph.nodes[node]["label"]) for node in actors]
        if into is None:
            into, ok = QInputDialog.getItem(self, "Merge Actors", "One actor, named:", names,
                                            0, False)
            if not ok:
                return False
        merge_actors(self._session().store, [node.split(":", 1)[1] for node in actors],
                     into)
        self.message.setText(f"merged {len(actors)} actors as {into}")
        self.refresh(keep_choices=True)
        return True

    def unmerge_selected(self) -> None:
        actors = [node for node in self.selected_nodes() if node.startswith(f"{ACTOR}:")]
        for node in actors:
            unmerge_actor(self._session().store, node.split(":", 1)[1])
        if actors:
            self.refresh(keep_choices=True)

    def export(self, kind: str) -> None:
        title = "GraphML (*.graphml)" if kind == "graphml" else "CSV edge list (*.csv)"
        name, _ = QFileDialog.getSaveFileName(self, "Export Graph", f"attribution.{kind}",
                                              title)
        if name:
            self.write(Path(name))

    def write(self, path: Path) -> bool:
        if self.graph is None:
            return False
        try:
            self.graph.write(path)
        except WorkbenchError as error:
            self.message.setText(str(error))
            return False
        self.message.setText(f"saved {path}")
        return True

    def scene_bounds(self) -> QRectF:
        return self.scene.itemsBoundingRect()
