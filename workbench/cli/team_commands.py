"""`merge`, `agreement` and `curate`: bringing annotators' work together."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from workbench.cli.progress_line import ProgressLine


def register(subparsers: Any) -> None:
    merge = subparsers.add_parser(
        "merge", help="bring other annotators' project files into one project")
    merge.add_argument("target", type=Path, help="the project that receives the annotations")
    merge.add_argument("sources", type=Path, nargs="+", metavar="SOURCE",
                       help="project files to bring in (read, never changed)")
    merge.add_argument("--rename", action="append", default=[], metavar="OLD=NEW",
                       help="bring the sources' annotator OLD in as NEW (when two different "
                       "people share a name); may be given several times")
    merge.set_defaults(run=run_merge)


def run_merge(args: argparse.Namespace) -> int:
    from workbench.services.merging import merge_projects, parse_renames

    summary = merge_projects(args.target, args.sources, parse_renames(args.rename),
                             progress=ProgressLine("merging"))
    print("\n".join(summary.lines()))
    return 0
