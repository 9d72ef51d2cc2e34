"""`workbench gui`: open the window (Qt is imported only here, when asked for)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    gui = subparsers.add_parser("gui", help="open the workbench window")
    gui.add_argument("project", type=Path, nargs="?",
                     help="project file to open (default: the demo project)")
    gui.add_argument("--screenshot", type=Path, metavar="FILE.png",
                     help="render the window to FILE.png and exit")
    gui.add_argument("--size", default="1400x860", help="window size for --screenshot")
    gui.add_argument("--document", help="name of the document to show first")
    gui.add_argument("--select", metavar="TEXT",
                     help="select the span whose text is TEXT (for example for a screenshot)")
    gui.add_argument("--concordance", metavar="QUERY",
                     help="open Search > Concordance on QUERY")
    gui.add_argument("--chart", metavar="KIND",
                     help="open View > Statistics on a chart (see `workbench chart`)")
    gui.add_argument("--graph", action="store_true", help="open View > Attribution Graph")
    gui.add_argument("--view", choices=("agreement", "curate", "merge"),
                     help="also open a team view (Team > Agreement, Team > Curate, File > "
                     "Merge Projects); "
                     "with --screenshot, render that view instead of the window")
    gui.set_defaults(run=run_gui)


def run_gui(args: argparse.Namespace) -> int:
    from workbench.ui.app import run

    return run(
        project=args.project, screenshot=args.screenshot, size=args.size,
        document=args.document, select=args.select, view=args.view,
        concordance=args.concordance, chart=args.chart, graph=args.graph,
    )


def gui_main() -> int:
    """Entry point of the `workbench-gui` launcher (no console window on Windows): the same
    as `workbench gui ARGS`."""
    from workbench.cli import main

    return main(["gui", *sys.argv[1:]])
