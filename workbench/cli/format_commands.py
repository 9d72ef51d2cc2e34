"""`formats` and `export`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from workbench.cli.format_options import (
    EXPORT_FLAGS,
    OptionError,
    add_export_flags,
    chosen_options,
)
from workbench.cli.progress_line import ProgressLine
from workbench.core.export_data import WriteOptions
from workbench.formats.registry import CARRIES, all_formats, get_format


def register(subparsers: Any) -> None:
    formats = subparsers.add_parser("formats", help="list the file formats and what they carry")
    formats.add_argument("--json", action="store_true", help="print JSON")
    formats.add_argument("--markdown", action="store_true",
                         help="print the table of formats as in the README")
    formats.set_defaults(run=run_formats)

    export = subparsers.add_parser("export", help="export documents and annotations")
    export.add_argument("project", type=Path)
    export.add_argument("--format", dest="format_name", required=True,
                        help="format name (see `workbench formats`)")
    export.add_argument("--output", type=Path, required=True,
                        help="file or folder to write (replaced only when complete)")
    export.add_argument("--annotator", action="append", dest="annotators", metavar="NAME",
                        help="only this annotator's annotations (repeatable)")
    export.add_argument("--gold", nargs="?", const="curation", metavar="CURATOR",
                        help="only the curated version: the annotator `curation` (or "
                        "CURATOR), as Team > Curate and `workbench curate` make it")
    export.add_argument("--layer", action="append", dest="layers", metavar="NAME",
                        help="only this layer (repeatable)")
    add_export_flags(export)
    export.set_defaults(run=run_export)


def run_formats(args: argparse.Namespace) -> int:
    formats = list(all_formats().values())
    if args.json:
        rows = [{
            "name": fmt.name,
            "title": fmt.title,
            "import": fmt.can_import,
            "export": fmt.can_export,
            "extensions": list(fmt.extensions),
            "carries": [item for item in CARRIES if item in fmt.carries],
            "does_not_carry": fmt.not_carried(),
            "description": fmt.description,
        } for fmt in formats]
        print(json.dumps(rows, indent=2))
        return 0
    if args.markdown:
        print(markdown_table())
        return 0
    width = max(len(fmt.name) for fmt in formats)
    for fmt in formats:
        modes = "/".join(
            mode for mode, ok in (("import", fmt.can_import), ("export", fmt.can_export)) if ok
        )
        print(f"{fmt.name:<{width}}  {modes:<13}  {fmt.title}")
        indent = " " * (width + 17)
        print(f"{indent}carries: {', '.join(fmt.carried())}")
        missing = fmt.not_carried()
        if missing:
            print(f"{indent}does not carry: {missing}")
    return 0


def markdown_table() -> str:
    """The table of formats in the README (a test keeps the two the same)."""
    lines = ["| name | files | import | export | carries | does not carry |",
             "|---|---|---|---|---|---|"]
    for fmt in all_formats().values():
        files = ", ".join(f"`{ext}`" for ext in fmt.extensions)
        if fmt.reads_folders:
            files = f"folder ({files})" if files else "folder"
        lines.append(
            f"| `{fmt.name}` | {files} | {'yes' if fmt.can_import else ''} | "
            f"{'yes' if fmt.can_export else ''} | {', '.join(fmt.carried())} | "
            f"{fmt.not_carried() or '—'} |"
        )
    return "\n".join(lines)


def run_export(args: argparse.Namespace) -> int:
    from workbench.services.exporting import export_project  # only this command needs it
    from workbench.services.project import open_project

    try:
        extra = chosen_options(args, EXPORT_FLAGS, get_format(args.format_name), exporting=True)
    except OptionError as error:
        print(f"workbench export: error: {error}", file=sys.stderr)
        return 2
    with open_project(args.project) as store:
        summary = export_project(
            store, args.format_name, args.output,
            annotators=[args.gold, *(args.annotators or [])] if args.gold else args.annotators,
            layers=args.layers, options=WriteOptions(extra=extra),
            progress=ProgressLine("exporting"),
        )
    print("\n".join(summary.lines()))
    return 0
