"""The figures, one module each. Adding a figure: write `bench/figures/<key>.py` with a
`FIGURE` (a `bench.figure.Figure`) and add `<key>` below; see bench/README.md."""

from __future__ import annotations

import importlib

from bench.figure import Figure

# In the order of the table.
FIGURE_MODULES: tuple[str, ...] = (
    "import_files",
    "open_project",
    "open_long_document",
    "add_span_long_document",
    "full_text_search",
    "peak_memory",
    "suggest_throughput",
)


def load_figure(key: str) -> Figure:
    module = importlib.import_module(f"bench.figures.{key}")
    figure = module.FIGURE
    if not isinstance(figure, Figure) or figure.key != key:
        raise TypeError(f"bench/figures/{key}.py must define FIGURE with key {key!r}")
    return figure
