"""`annotate` and `delete-span`: edit a project without the window, through the same
annotation session and rules (others' spans are read-only, no duplicate of your own span)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.excerpts import excerpt
from workbench.core.model import Span
from workbench.services.annotating import AnnotationSession
from workbench.services.project import default_annotator, open_project


def register(subparsers: Any) -> None:
    annotate = subparsers.add_parser(
        "annotate", help="tag a stretch of a document's text with a label")
    annotate.add_argument("project", type=Path)
    annotate.add_argument("--document", required=True, metavar="NAME",
                          help="the document, by name (see `workbench search`)")
    annotate.add_argument("--layer", required=True, help="a span layer of the codebook")
    annotate.add_argument("--label", required=True, help="a label of that layer")
    annotate.add_argument("--start", required=True, type=int,
                          help="first character, counted in code points from 0")
    annotate.add_argument("--end", required=True, type=int,
                          help="the character after the last one (end exclusive)")
    annotate.add_argument("--annotator", help="whose span it is (default: your login name)")
    annotate.add_argument("--snap", action="store_true",
                          help="grow start and end to whole words, as the window does")
    annotate.add_argument("--json", action="store_true", help="print the new span as JSON")
    annotate.set_defaults(run=run_annotate)

    delete = subparsers.add_parser(
        "delete-span", help="delete one of your spans (and the links that hang on it)")
    delete.add_argument("project", type=Path)
    delete.add_argument("span_id", type=int, metavar="ID")
    delete.add_argument("--annotator", help="who you are (default: your login name); "
                        "others' spans are read-only")
    delete.set_defaults(run=run_delete_span)


def run_annotate(args: argparse.Namespace) -> int:
    with open_project(args.project) as store:
        session = AnnotationSession(store, args.annotator or default_annotator())
        document = session.document_named(args.document)
        assert document.id is not None
        start, end = args.start, args.end
        if args.snap:
            from workbench.nlp.snapping import snap_to_tokens

            bounds = snap_to_tokens(document.text, start, end)
            if bounds is None:
                raise WorkbenchError(f"{start}-{end} holds no word to tag")
            start, end = bounds
        span = session.tag(document.id, args.layer, args.label, start, end).span
    if args.json:
        print(json.dumps(_as_json(span, document.text), ensure_ascii=False))
    else:
        print(f"added span {span.id}: {span.label} “{excerpt(span.text_in(document.text))}” "
              f"({span.layer}, {span.start}-{span.end}) by {span.annotator}")
    return 0


def run_delete_span(args: argparse.Namespace) -> int:
    with open_project(args.project) as store:
        session = AnnotationSession(store, args.annotator or default_annotator())
        edit = session.delete_span(args.span_id)
    links = edit.removed_links
    also = f" and its {links} link{'' if links == 1 else 's'}" if links else ""
    print(f"deleted span {args.span_id}{also}: {edit.span.label} by {edit.span.annotator}")
    return 0


def _as_json(span: Span, text: str) -> dict[str, Any]:
    return {"id": span.id, "document_id": span.document_id, "layer": span.layer,
            "label": span.label, "start": span.start, "end": span.end,
            "text": span.text_in(text), "annotator": span.annotator}
