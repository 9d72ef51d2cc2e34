"""`formats` and `export`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from workbench.cli.progress_line import ProgressLine
from workbench.formats.registry import CARRIES, all_formats
from workbench.services.exporting import export_project
from workbench.services.project import open_project


def register(subparsers: Any) -> None:
    formats = subparsers.add_parser("formats", help="list the file formats and what they carry")
    formats.add_argument("--json", action="store_true", help="print JSON")
    formats.set_defaults(run=run_formats)

    export = subparsers.add_parser("export", help="export documents and annotations")
    export.add_argument("project", type=Path)
    export.add_argument("--format", dest="format_name", required=True,
                        help="format name (see `workbench formats`)")
    export.add_argument("--output", type=Path, required=True,
                        help="file or folder to write (replaced only when complete)")
    export.add_argument("--annotator", action="append", dest="annotators", metavar="NAME",
                        help="only this annotator's annotations (repeatable)")
    export.add_argument("--layer", action="append", dest="layers", metavar="NAME",
                        help="only this layer (repeatable)")
    export.set_defaults(run=run_export)


def run_formats(args: argparse.Namespace) -> int:
    rows = []
    for fmt in all_formats().values():
        rows.append({
            "name": fmt.name,
            "title": fmt.title,
            "import": fmt.can_import,
            "export": fmt.can_export,
            "extensions": list(fmt.extensions),
            "carries": [item for item in CARRIES if item in fmt.carries],
            "description": fmt.description,
        })
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    width = max(len(row["name"]) for row in rows)
    for row in rows:
        modes = "/".join(
            mode for mode, ok in (("import", row["import"]), ("export", row["export"])) if ok
        )
        print(f"{row['name']:<{width}}  {modes:<13}  {row['title']}")
        print(f"{'':<{width}}  {'':<13}  carries: {', '.join(row['carries'])}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    with open_project(args.project) as store:
        summary = export_project(
            store, args.format_name, args.output, annotators=args.annotators,
            layers=args.layers, progress=ProgressLine("exporting"),
        )
    print("\n".join(summary.lines()))
    return 0
