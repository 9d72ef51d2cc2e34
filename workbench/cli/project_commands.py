"""`init`, `import`, `stats`, `search` and `codebooks`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from workbench.cli.format_options import (
    IMPORT_FLAGS,
    OptionError,
    add_import_flags,
    chosen_options,
)
from workbench.cli.progress_line import ProgressLine
from workbench.formats.registry import ReadOptions, get_format
from workbench.services.codebooks import DEFAULT_CODEBOOK, shipped_codebooks
from workbench.services.documents import codebook_of, search_documents
from workbench.services.project import create_project, default_annotator, open_project
from workbench.services.statistics import TABLES_BY, statistics_table
from workbench.services.stats import project_stats, stats_lines


def register(subparsers: Any) -> None:
    init = subparsers.add_parser("init", help="create a new project file")
    init.add_argument("project", type=Path, help="the project file to create")
    init.add_argument(
        "--codebook", default=DEFAULT_CODEBOOK,
        help=f"a shipped codebook ({', '.join(shipped_codebooks())}) or a codebook file "
        f"(.json/.toml); default {DEFAULT_CODEBOOK}",
    )
    init.set_defaults(run=run_init)

    imp = subparsers.add_parser(
        "import", help="import documents (and their annotations) from files or folders"
    )
    imp.add_argument("project", type=Path)
    imp.add_argument("paths", type=Path, nargs="+", metavar="PATH")
    imp.add_argument("--format", dest="format_name", help="read every PATH in this format "
                     "(default: judged by extension and content; see `workbench formats`)")
    imp.add_argument("--annotator", help="who the imported annotations belong to when the "
                     "file does not say (default: your login name)")
    imp.add_argument("--text-column", default="text",
                     help="column or key holding the text in .csv/.tsv/.jsonl (default: text)")
    imp.add_argument("--name-column", help="column or key naming each document")
    imp.add_argument("--layer", help="the layer for labels of files that name none "
                     "(SemEval label files); default: the layer of the codebook that fits")
    add_import_flags(imp)
    imp.set_defaults(run=run_import)

    stats = subparsers.add_parser("stats", help="count documents, spans, relations and labels")
    stats.add_argument("project", type=Path)
    stats.add_argument("--json", action="store_true", help="print JSON")
    stats.add_argument("--by", choices=list(TABLES_BY), help="one table: spans per label "
                       "and annotator (label), progress per annotator (annotator), spans "
                       "per document and label (document), and more")
    stats.add_argument("--csv", action="store_true", help="print the --by table as CSV")
    stats.set_defaults(run=run_stats)

    search = subparsers.add_parser("search", help="full-text search over the documents")
    search.add_argument("project", type=Path)
    search.add_argument("query", help='words, "a phrase", OR, NOT, prefix*')
    search.add_argument("--limit", type=int, default=20)
    search.set_defaults(run=run_search)

    codebooks = subparsers.add_parser("codebooks", help="list the codebooks that come shipped")
    codebooks.set_defaults(run=run_codebooks)


def run_init(args: argparse.Namespace) -> int:
    with create_project(args.project, args.codebook) as store:
        codebook = codebook_of(store)
        print(f"created {args.project} with codebook {codebook.name!r} "
              f"({len(codebook.layers)} layers)")
    return 0


def run_import(args: argparse.Namespace) -> int:
    # The importing service, imported only for the command that needs it: the command
    # line starts in a fraction of a second.
    from workbench.services.importing import import_paths

    annotator = args.annotator or default_annotator()
    forced = get_format(args.format_name) if args.format_name else None
    try:
        extra = chosen_options(args, IMPORT_FLAGS, forced, exporting=False)
    except OptionError as error:
        print(f"workbench import: error: {error}", file=sys.stderr)
        return 2
    options = ReadOptions(text_column=args.text_column, name_column=args.name_column,
                          annotator=args.annotator, layer=args.layer, extra=extra)
    with open_project(args.project) as store:
        report = import_paths(
            store, args.paths, annotator=annotator, format_name=args.format_name,
            options=options, progress=ProgressLine("importing"),
        )
    if report.outcomes or report.skipped:
        for line in report.summary_lines():
            if not line.startswith("failed "):
                print(line)
    for failure in report.failures:
        print(f"workbench: error: {failure}", file=sys.stderr)
    if not report.failures and not report.outcomes:
        print("workbench: error: nothing to import in the given paths", file=sys.stderr)
        return 1
    return 1 if report.failures else 0


def run_stats(args: argparse.Namespace) -> int:
    if args.by or args.csv:
        with open_project(args.project) as store:
            table = statistics_table(store, args.by or "label")
        if args.csv:
            sys.stdout.write(table.to_csv())
        elif args.json:
            print(json.dumps(table.records(), indent=2, ensure_ascii=False))
        else:
            print("\n".join(table.lines()))
        return 0
    with open_project(args.project) as store:
        stats = project_stats(store)
    if args.json:
        print(json.dumps(stats, indent=2, ensure_ascii=False))
    else:
        print("\n".join(stats_lines(stats)))
    return 0


def run_search(args: argparse.Namespace) -> int:
    with open_project(args.project) as store:
        hits = search_documents(store, args.query, limit=args.limit)
    for hit in hits:
        print(f"{hit.name}\t{hit.snippet}")
    if not hits:
        print("no matches", file=sys.stderr)
    return 0


def run_codebooks(args: argparse.Namespace) -> int:
    for name, path in shipped_codebooks().items():
        print(f"{name}\t{path}")
    return 0
