"""The command line starts without importing what its commands do not need: pandas and
numpy (which sqlite-utils would pull in), spaCy, Qt, matplotlib, networkx, and the
formats' readers (only the registry, which loads them on demand)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from workbench.storage import ProjectStore

HEAVY = ("pandas", "numpy", "spacy", "PySide6", "pyarrow", "lxml", "openpyxl",
         "matplotlib", "networkx", "workbench.nlp.spancat")
READERS_ALLOWED = ("workbench.formats.registry", "workbench.formats.shared")


def _imported_by(*arguments: str) -> list[str]:
    script = (
        "import json, sys\n"
        "from workbench.cli import main\n"
        "code = main(sys.argv[1:])\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "heavy += [m for m in sys.modules if m.startswith('workbench.formats.')\n"
        f"          and not m.startswith({READERS_ALLOWED!r})]\n"
        "print(json.dumps(heavy), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, *arguments], capture_output=True,
                          text=True, check=True)
    return list(json.loads(done.stderr.strip().splitlines()[-1]))


def test_stats_and_search_import_nothing_heavy(store: ProjectStore, project_path: Path) -> None:
    store.close()
    assert _imported_by("stats", str(project_path)) == []
    assert _imported_by("search", str(project_path), "Putin") == []


def test_the_suggester_names_need_no_suggester() -> None:
    from workbench.nlp import catalog

    assert list(catalog.SUGGESTERS) == catalog.suggester_names()
    assert all(cls.name == name for name, cls in catalog.SUGGESTERS.items())
