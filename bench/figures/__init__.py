"""The figures, one module each. Adding a figure: write `bench/figures/<key>.py` with a
`FIGURE` (a `bench.figure.Figure`) and add `<key>` below; see bench/README.md. A module that
measures one thing several ways (every export format) defines `FIGURES` instead, each with a
key `<key>:<variant>`; `--figures <key>` runs them all."""

from __future__ import annotations

import importlib

from bench.figure import Figure

# In the order of the table.
FIGURE_MODULES: tuple[str, ...] = (
    "import_files",
    "open_project",
    "open_in_window",
    "open_long_document",
    "edit_long_document",
    "scroll_long_paragraph",
    "full_text_search",
    "search_first_page",
    "concordance_first_page",
    "document_list",
    "project_stats",
    "statistics_tables",
    "cli_startup",
    "peak_memory",
    "suggest_throughput",
    "export_formats",
    "export_command",
    "export_window",
    "agreement",
)


def load_figure(key: str) -> Figure:
    module = importlib.import_module(f"bench.figures.{key}")
    figure = module.FIGURE
    if not isinstance(figure, Figure) or figure.key != key:
        raise TypeError(f"bench/figures/{key}.py must define FIGURE with key {key!r}")
    return figure


def load_figures(key: str) -> list[Figure]:
    """The figures of one module: its FIGURES, or its single FIGURE."""
    module = importlib.import_module(f"bench.figures.{key}")
    if not hasattr(module, "FIGURES"):
        return [load_figure(key)]
    figures = list(module.FIGURES)
    for figure in figures:
        if not isinstance(figure, Figure) or not figure.key.startswith(f"{key}:"):
            raise TypeError(f"bench/figures/{key}.py: FIGURES must hold figures keyed {key}:...")
    return figures
