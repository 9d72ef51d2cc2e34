"""`workbench about`: the version, what this copy is built from, and where it runs from."""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(subparsers: Any) -> None:
    about = subparsers.add_parser(
        "about", help="the version, the bundled components and their licences")
    about.add_argument("--json", action="store_true", help="print JSON")
    about.set_defaults(run=run_about)


def run_about(args: argparse.Namespace) -> int:
    from workbench.services.about import about_info

    info = about_info()
    if args.json:
        print(json.dumps(info.to_dict(), indent=2, ensure_ascii=False))
        return 0
    print(f"Annotation Workbench {info.version}"
          f"{' (stand-alone app)' if info.frozen else ''}")
    print(f"spaCy {info.spacy}, pipeline {info.pipeline}; SQLite {info.sqlite}; "
          f"Python {info.python}")
    print(f"runs from {info.code}")
    print()
    width = max(len(c.name) for c in info.components)
    for component in info.components:
        print(f"{component.name:<{width}}  {component.version:<12}  {component.licence}")
    return 0
