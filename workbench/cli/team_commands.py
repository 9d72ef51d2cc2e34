"""`merge`, `agreement` and `curate`: bringing annotators' work together."""

from __future__ import annotations

import argparse
import json
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

    agree = subparsers.add_parser(
        "agreement", help="measure how far annotators agree (alpha_U, F1, alpha, kappa)")
    agree.add_argument("project", type=Path)
    agree.add_argument("--layer", action="append", default=[], metavar="NAME",
                       help="a span or document layer (default: all); may be repeated")
    agree.add_argument("--annotators", metavar="A,B,...",
                       help="the annotators to compare (default: all)")
    agree.add_argument("--documents", metavar="NAME,...",
                       help="only these documents (default: all that two of them annotated)")
    shape = agree.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print everything as JSON")
    shape.add_argument("--csv", action="store_true",
                       help="print one CSV row per layer and label")
    agree.set_defaults(run=run_agreement)

    curate = subparsers.add_parser(
        "curate", help="settle agreements into the curated version (the gold annotator)")
    curate.add_argument("project", type=Path)
    curate.add_argument("--auto", action="store_true", required=True,
                        help="accept every span, link and document label enough annotators "
                        "made alike (settling disagreements happens in Team > Curate)")
    curate.add_argument("--min-agree", type=int, default=2, metavar="N",
                        help="how many annotators must agree (default 2)")
    curate.add_argument("--curator", default="curation",
                        help="the annotator holding the curated version (default curation)")
    curate.add_argument("--annotators", metavar="A,B,...",
                        help="whose work is curated (default: everybody but the curator)")
    curate.set_defaults(run=run_curate)


def _names(value: str | None) -> list[str] | None:
    return [name.strip() for name in value.split(",") if name.strip()] if value else None


def run_agreement(args: argparse.Namespace) -> int:
    from workbench.services.agreement import compute_agreement, csv_text
    from workbench.services.project import open_project

    with open_project(args.project) as store:
        report = compute_agreement(store, _names(args.annotators), args.layer or None,
                                   _names(args.documents), progress=ProgressLine("measuring"))
    if args.json:
        print(json.dumps(report.data, indent=2, ensure_ascii=False))
    elif args.csv:
        print(csv_text(report.label_rows()), end="")
    else:
        print("\n".join(report.text_lines()))
    return 0


def run_curate(args: argparse.Namespace) -> int:
    from workbench.services.curation import Curation
    from workbench.services.project import open_project

    with open_project(args.project) as store:
        curation = Curation(store, args.curator, _names(args.annotators))
        _edit, counts = curation.accept_agreements(min_agree=args.min_agree,
                                                   progress=ProgressLine("curating"))
    print(counts.line())
    return 0


def run_merge(args: argparse.Namespace) -> int:
    from workbench.services.merging import merge_projects, parse_renames

    summary = merge_projects(args.target, args.sources, parse_renames(args.rename),
                             progress=ProgressLine("merging"))
    print("\n".join(summary.lines()))
    return 0
