"""`concordance` (keyword in context, and tagging every match) and `graph` (the attribution
graph as GraphML or CSV edges)."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from workbench.cli.progress_line import ProgressLine
from workbench.core.errors import WorkbenchError
from workbench.services.annotating import AnnotationSession
from workbench.services.bulk_tagging import parse_layer_label, plan_tagging, tag_matches
from workbench.services.charts import CHARTS, export_chart
from workbench.services.concordance import (
    DEFAULT_CONTEXT,
    Concordance,
    ConcordanceQuery,
    Hit,
    LabelCondition,
    SearchMode,
    SortOrder,
    sorted_hits,
)
from workbench.services.project import default_annotator, open_project
from workbench.services.statistics import CorpusStatistics


def register(subparsers: Any) -> None:
    conc = subparsers.add_parser(
        "concordance", help="every place a word, phrase or pattern occurs, in context; "
        "optionally tag them all")
    conc.add_argument("project", type=Path)
    conc.add_argument("query", help='FTS5 syntax: words, "a phrase", prefix*, OR, NOT '
                      "(or a plain string with --plain, a pattern with --regex)")
    mode = conc.add_mutually_exclusive_group()
    mode.add_argument("--plain", action="store_true", help="find the string as typed")
    mode.add_argument("--regex", action="store_true",
                      help="QUERY is a (Python) regular expression")
    conc.add_argument("--match-case", action="store_true",
                      help="with --plain or --regex: upper and lower case differ")
    conc.add_argument("--context", type=int, default=DEFAULT_CONTEXT, metavar="N",
                      help=f"characters of context on each side (default {DEFAULT_CONTEXT})")
    conc.add_argument("--document", default="", metavar="TEXT",
                      help="only documents whose name holds TEXT")
    which = conc.add_mutually_exclusive_group()
    which.add_argument("--tagged", metavar="LAYER/LABEL",
                       help="only matches that carry this label (a span overlapping them)")
    which.add_argument("--untagged", metavar="LAYER/LABEL",
                       help="only matches that do not carry this label yet")
    conc.add_argument("--sort", choices=[o.value for o in SortOrder],
                      default=SortOrder.DOCUMENT.value,
                      help="order of the rows: document (default), left or right context")
    conc.add_argument("--limit", type=int, default=0, metavar="N",
                      help="print at most N rows (default: all)")
    output = conc.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument("--csv", action="store_true", help="print CSV")
    conc.add_argument("--tag", metavar="LAYER/LABEL",
                      help="tag every match with this label, snapped to whole words; "
                      "matches that carry it already are left alone")
    conc.add_argument("--no-snap", action="store_true",
                      help="with --tag: tag exactly the matched characters")
    conc.add_argument("--annotator", help="whose labels count and who tags "
                      "(default: your login name)")
    conc.set_defaults(run=run_concordance)

    graph = subparsers.add_parser(
        "graph", help="the attribution graph (who asserts what about whom) as GraphML or "
        "a CSV edge list")
    graph.add_argument("project", type=Path)
    graph.add_argument("--output", type=Path, metavar="FILE",
                       help="FILE.graphml (Gephi, networkx, yEd) or FILE.csv (one row per "
                       "link); without it, print counts")
    graph.add_argument("--document", action="append", metavar="NAME",
                       help="only links in this document (repeat for more)")
    graph.add_argument("--label", action="append", metavar="LABEL",
                       help="only links with a span of this label at either end (repeat)")
    graph.add_argument("--relation", action="append", metavar="TYPE",
                       help="only links of this type, e.g. asserts (repeat)")
    graph.add_argument("--annotator", help="only this annotator's links")
    graph.add_argument("--merge", action="append", metavar="ALIAS=NAME",
                       help="make ALIAS the same actor as NAME, kept in the project (repeat)")
    graph.add_argument("--unmerge", action="append", metavar="NAME",
                       help="make NAME an actor of its own again (repeat)")
    graph.add_argument("--json", action="store_true", help="print the counts as JSON")
    graph.set_defaults(run=run_graph)

    chart = subparsers.add_parser("chart", help="draw a chart of the statistics to a PNG, "
                                  "SVG or PDF file")
    chart.add_argument("project", type=Path)
    chart.add_argument("kind", choices=list(CHARTS), help="which chart")
    chart.add_argument("--output", type=Path, required=True, metavar="FILE",
                       help="FILE.png, FILE.svg or FILE.pdf")
    chart.add_argument("--group", default="", metavar="LAYER_OR_FIELD",
                       help="for labels-by-group: a document layer (Frames, Narratives) or a "
                       "metadata field that puts documents in groups")
    chart.set_defaults(run=run_chart)


def run_concordance(args: argparse.Namespace) -> int:
    mode = SearchMode.REGEX if args.regex else SearchMode.PLAIN if args.plain \
        else SearchMode.WORDS
    annotator = args.annotator or default_annotator()
    with open_project(args.project) as store:
        session = AnnotationSession(store, annotator)
        condition = None
        if args.tagged or args.untagged:
            layer, label = parse_layer_label(session, args.tagged or args.untagged)
            condition = LabelCondition(layer, label, present=bool(args.tagged),
                                       annotator=annotator)
        query = ConcordanceQuery(args.query, mode, args.match_case, args.context,
                                 args.document, condition,
                                 annotator=annotator if args.annotator else None)
        hits = list(Concordance.of(store).hits(query))
        if args.tag:
            return _tag(session, hits, args)
    hits = sorted_hits(hits, SortOrder(args.sort))
    shown = hits[:args.limit] if args.limit > 0 else hits
    if args.json:
        print(json.dumps([hit.as_dict() for hit in shown], indent=2, ensure_ascii=False))
    elif args.csv:
        _write_csv(shown)
    else:
        for line in kwic_lines(shown, args.context):
            print(line)
        documents = len({hit.document_id for hit in hits})
        print(f"{len(hits):,} match{'' if len(hits) == 1 else 'es'} in {documents:,} "
              f"document{'' if documents == 1 else 's'}", file=sys.stderr)
    return 0


def run_chart(args: argparse.Namespace) -> int:
    with open_project(args.project) as store:
        path = export_chart(CorpusStatistics(store), args.kind, args.output, args.group)
    print(f"saved {path}")
    return 0


def run_graph(args: argparse.Namespace) -> int:
    # networkx, needed by this command only: imported here, the command line starts sooner.
    from workbench.services.attribution_graph import (
        GraphFilter,
        build_graph,
        merge_actors,
        unmerge_actor,
    )

    keep = GraphFilter(
        documents=frozenset(args.document) if args.document else None,
        labels=frozenset(args.label) if args.label else None,
        relations=frozenset(args.relation) if args.relation else None,
        annotator=args.annotator)
    with open_project(args.project) as store:
        for pair in args.merge or ():
            alias, equals, name = pair.partition("=")
            if not equals or not alias.strip() or not name.strip():
                raise WorkbenchError(f"--merge takes ALIAS=NAME, not {pair!r}")
            merge_actors(store, [alias], name)
        for name in args.unmerge or ():
            unmerge_actor(store, name)
        built = build_graph(store, keep)
        if args.output:
            built.write(args.output)
    kinds = Counter(kind for _, kind in built.graph.nodes(data="kind"))
    counts = {"nodes": built.node_count, "edges": built.edge_count, "links": len(built.links),
              **{f"{kind}_nodes": n for kind, n in sorted(kinds.items())}}
    if args.json:
        print(json.dumps(counts, indent=2))
    else:
        where = f" to {args.output}" if args.output else ""
        parts = ", ".join(f"{kind} {n:,}" for kind, n in sorted(kinds.items()))
        print(f"{built.node_count:,} nodes ({parts}), {built.edge_count:,} edges from "
              f"{len(built.links):,} links{where}")
    return 0


def _tag(session: AnnotationSession, hits: list[Hit], args: argparse.Namespace) -> int:
    layer, label = parse_layer_label(session, args.tag)
    plan = plan_tagging(session, hits, layer, label)
    result = tag_matches(session, plan, snap=not args.no_snap,
                         progress=ProgressLine("tagging"))
    summary = {"matches": plan.matches, "added": result.added,
               "already_tagged": result.already_tagged, "skipped": result.skipped,
               "not_taggable": result.not_taggable, "layer": layer, "label": label,
               "annotator": session.annotator}
    if args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
    else:
        extra = [f"{result.already_tagged:,} already tagged"]
        if result.skipped:
            extra.append(f"{result.skipped:,} the same words as another match")
        if result.not_taggable:
            extra.append(f"{result.not_taggable:,} without a word")
        print(f"tagged {result.added:,} of {plan.matches:,} matches as {label} "
              f"({'; '.join(extra)})")
    return 0


def kwic_lines(hits: list[Hit], context: int) -> list[str]:
    """Aligned keyword-in-context lines: left context right-aligned, the match in brackets."""
    if not hits:
        return []
    name_width = min(30, max(len(hit.document) for hit in hits))
    return [f"{hit.document[:name_width]:<{name_width}}  {hit.left:>{context}} "
            f"[{hit.match}] {hit.right}" for hit in hits]


def _write_csv(hits: list[Hit]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["document", "document_id", "start", "end", "left", "match", "right",
                     "labels"])
    for hit in hits:
        writer.writerow([hit.document, hit.document_id, hit.start, hit.end, hit.left,
                         hit.match, hit.right, ";".join(hit.labels)])

