"""Charts for a paper, drawn with matplotlib from the statistics tables.

Figures are built on `matplotlib.figure.Figure` directly (no pyplot, no global state), so
the window shows them on its Qt canvas and an export writes them with matplotlib's own
PNG, SVG and PDF backends. A `ChartStyle` gives the colours: the window's light or dark
palette on screen, plain black on white for a file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.errors import WorkbenchError
from workbench.services.statistics import CorpusStatistics, Table

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn (a second's start-up)
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FORMATS = ("png", "svg", "pdf")
# Colour-blind-safe categorical colours (Okabe & Ito), one per series.
SERIES_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                 "#F0E442", "#000000")


@dataclass(frozen=True)
class ChartStyle:
    background: str = "#ffffff"
    text: str = "#000000"
    grid: str = "#d0d0d0"
    colormap: str = "Blues"

    @classmethod
    def plain(cls) -> ChartStyle:
        return cls()

    @classmethod
    def dark(cls) -> ChartStyle:
        return cls(background="#2b2d30", text="#e6e6e6", grid="#4a4d52", colormap="viridis")


@dataclass(frozen=True)
class ChartKind:
    key: str
    title: str
    draw: Callable[[CorpusStatistics, Figure, ChartStyle, str], None]
    needs_group: bool = False


def _styled(figure: Figure, style: ChartStyle) -> None:
    figure.set_facecolor(style.background)
    for axes in figure.axes:
        axes.set_facecolor(style.background)
        axes.tick_params(colors=style.text, which="both")
        for spine in axes.spines.values():
            spine.set_color(style.grid)
        axes.xaxis.label.set_color(style.text)
        axes.yaxis.label.set_color(style.text)
        axes.title.set_color(style.text)
        legend = axes.get_legend()
        if legend is not None:
            legend.get_frame().set_facecolor(style.background)
            legend.get_frame().set_edgecolor(style.grid)
            for text in legend.get_texts():
                text.set_color(style.text)


def _bars(figure: Figure, table: Table, columns: list[str], style: ChartStyle,
          title: str) -> None:
    axes = figure.add_subplot()
    names = [str(row[table.keys - 1]) for row in table.rows]
    if not names:
        _empty(axes, "no spans yet", style)
        return
    index = {column: table.header.index(column) for column in columns}
    count = len(columns)
    height = 0.8 / count
    positions = range(len(names))
    for n, column in enumerate(columns):
        values = [float(row[index[column]]) for row in table.rows]
        offsets = [p - 0.4 + height * (n + 0.5) for p in positions]
        axes.barh(offsets, values, height=height, label=column if count > 1 else None,
                  color=SERIES_COLORS[n % len(SERIES_COLORS)])
    axes.set_yticks(list(positions), names)
    axes.invert_yaxis()
    axes.set_xlabel("spans")
    axes.set_title(title)
    axes.grid(axis="x", color=style.grid, linewidth=0.6)
    axes.set_axisbelow(True)
    if count > 1:
        axes.legend(loc="lower right", fontsize="small")


def _empty(axes: Axes, message: str, style: ChartStyle) -> None:
    axes.text(0.5, 0.5, message, ha="center", va="center", color=style.text,
              transform=axes.transAxes)
    axes.set_axis_off()


def draw_labels(stats: CorpusStatistics, figure: Figure, style: ChartStyle, _: str) -> None:
    _bars(figure, stats.labels_by_annotator(), ["total"], style, "Spans per label")


def draw_labels_by_annotator(stats: CorpusStatistics, figure: Figure, style: ChartStyle,
                             _: str) -> None:
    table = stats.labels_by_annotator()
    _bars(figure, table, list(table.value_columns[:-1]), style,
          "Spans per label and annotator")


def draw_labels_by_group(stats: CorpusStatistics, figure: Figure, style: ChartStyle,
                         group: str) -> None:
    table = stats.labels_by_group(group)
    _bars(figure, table, list(table.value_columns[:len(SERIES_COLORS)]), style,
          f"Spans per label by {group}")


def _heatmap(figure: Figure, table: Table, style: ChartStyle, title: str) -> None:
    axes = figure.add_subplot()
    matrix = table.matrix()
    if not matrix or not matrix[0]:
        _empty(axes, "nothing to show yet", style)
        return
    image = axes.imshow(matrix, cmap=style.colormap, aspect="auto")
    columns = list(table.value_columns)
    axes.set_xticks(range(len(columns)), columns, rotation=45, ha="right")
    axes.set_yticks(range(len(matrix)), [str(row[table.keys - 1]) for row in table.rows])
    peak = max(max(row) for row in matrix) or 1.0
    if len(matrix) * len(columns) <= 400:
        for i, row in enumerate(matrix):
            for j, value in enumerate(row):
                if value:
                    axes.text(j, i, f"{value:g}", ha="center", va="center", fontsize="small",
                              color="white" if value > peak / 2 else "black")
    bar = figure.colorbar(image, ax=axes)
    bar.ax.tick_params(colors=style.text)
    bar.outline.set_edgecolor(style.grid)
    axes.set_title(title)


def draw_cooccurrence(stats: CorpusStatistics, figure: Figure, style: ChartStyle,
                      _: str) -> None:
    _heatmap(figure, stats.cooccurrence(), style,
             "Labels of different layers on the same words")


def draw_actor_device(stats: CorpusStatistics, figure: Figure, style: ChartStyle,
                      _: str) -> None:
    table = stats.actors_by_device()
    trimmed = Table(table.key, table.title, table.header[:-1],
                    tuple(row[:-1] for row in table.rows[:30]))
    _heatmap(figure, trimmed, style, "Devices targeting each actor")


def draw_progress(stats: CorpusStatistics, figure: Figure, style: ChartStyle,
                  _: str) -> None:
    from datetime import date

    table = stats.progress_over_time()
    axes = figure.add_subplot()
    if not table.rows:
        _empty(axes, "no spans yet", style)
        return
    from matplotlib.dates import date2num

    days = date2num([date.fromisoformat(str(row[0])) for row in table.rows])
    for n, annotator in enumerate(table.value_columns):
        values = [row[n + 1] for row in table.rows]
        axes.step(days, values, where="post", marker="o", markersize=3, label=annotator,
                  color=SERIES_COLORS[n % len(SERIES_COLORS)])
    axes.xaxis_date()
    axes.set_ylabel("spans made (cumulative)")
    axes.set_title("Progress over time")
    axes.grid(color=style.grid, linewidth=0.6)
    axes.legend(loc="upper left", fontsize="small")
    figure.autofmt_xdate()


CHARTS: dict[str, ChartKind] = {kind.key: kind for kind in (
    ChartKind("labels", "Label frequencies", draw_labels),
    ChartKind("labels-by-annotator", "Label frequencies per annotator",
              draw_labels_by_annotator),
    ChartKind("labels-by-group", "Label frequencies per document group",
              draw_labels_by_group, needs_group=True),
    ChartKind("cooccurrence", "Co-occurrence heat map", draw_cooccurrence),
    ChartKind("actor-device", "Devices per actor heat map", draw_actor_device),
    ChartKind("progress", "Progress over time", draw_progress),
)}


def draw_chart(stats: CorpusStatistics, kind: str, figure: Figure | None = None,
               style: ChartStyle | None = None, group: str = "") -> Figure:
    """Draw one chart on `figure` (cleared first; a new one when None)."""
    chart = CHARTS.get(kind)
    if chart is None:
        raise WorkbenchError(f"no chart {kind!r}; choose one of {', '.join(CHARTS)}")
    if chart.needs_group and not group:
        raise WorkbenchError("this chart needs a group: a document layer (e.g. Frames) or "
                             "a metadata field")
    style = style or ChartStyle.plain()
    from matplotlib.figure import Figure

    figure = figure if figure is not None else Figure(figsize=(8, 5.5), layout="constrained")
    figure.clear()
    chart.draw(stats, figure, style, group)
    _styled(figure, style)
    return figure


def save_chart(figure: Figure, path: Path) -> Path:
    """Write a figure as PNG, SVG or PDF (by the file's extension)."""
    path = Path(path)
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise WorkbenchError(f"{path}: save a chart as .png, .svg or .pdf")
    try:
        figure.savefig(str(path), format=suffix, dpi=200 if suffix == "png" else "figure",
                       facecolor=figure.get_facecolor())
    except OSError as error:
        raise WorkbenchError(f"cannot write {path}: {error.strerror}") from None
    return path


def export_chart(stats: CorpusStatistics, kind: str, path: Path, group: str = "") -> Path:
    """A chart drawn plain (black on white) and saved, for a paper."""
    return save_chart(draw_chart(stats, kind, style=ChartStyle.plain(), group=group), path)
