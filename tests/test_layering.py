"""The layers below the UI never load Qt, so they run headless and stay testable."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import workbench

PACKAGE = Path(workbench.__file__).parent
HEADLESS = ("core", "storage", "formats", "nlp", "services", "cli")


def _modules(package: str) -> list[str]:
    folder = PACKAGE / package
    if not folder.is_dir():
        return []
    return [
        "workbench." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        .removesuffix(".__init__")
        for path in sorted(folder.rglob("*.py"))
    ]


def test_headless_packages_import_without_pyside6() -> None:
    modules = [m for package in HEADLESS for m in _modules(package)]
    assert len(modules) > 20
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(loaded)\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_layers_import_only_downwards() -> None:
    allowed = {
        "core": {"core"},
        "storage": {"core", "storage"},
        "formats": {"core", "formats"},
        "nlp": {"core", "nlp"},
    }
    problems = []
    for layer, permitted in allowed.items():
        for path in (PACKAGE / layer).rglob("*.py") if (PACKAGE / layer).is_dir() else ():
            for name in _imports(path):
                parts = name.split(".")
                if parts[0] == "workbench" and len(parts) > 1 and parts[1] not in permitted:
                    problems.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert problems == []


def test_sql_lives_only_in_storage() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "storage" in path.relative_to(PACKAGE).parts:
            continue
        if {"sqlite3", "sqlite_utils"} & {n.split(".")[0] for n in _imports(path)}:
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


def test_qt_lives_only_in_ui() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.relative_to(PACKAGE).parts[0] == "ui":
            continue
        if {"PySide6", "shiboken6"} & {n.split(".")[0] for n in _imports(path)}:
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


def test_listing_formats_loads_no_heavy_library() -> None:
    """Format modules load their big libraries on first use, so the command line and the
    window start quickly."""
    heavy = ("openpyxl", "pyarrow", "spacy", "cassis", "pandas", "trafilatura", "docx",
             "pypdf", "PySide6")
    code = (
        "import sys\n"
        "from workbench.formats.registry import all_formats\n"
        "all_formats()\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_each_format_module_is_named_like_its_format() -> None:
    from workbench.formats.registry import FORMAT_MODULES, FORMAT_PACKAGE, all_formats

    folder = PACKAGE / "formats" / "registered"
    on_disk = {path.stem for path in folder.glob("*.py")} - {"__init__"}
    assert on_disk == set(FORMAT_MODULES)
    for name, fmt in all_formats().items():
        module = sys.modules[f"{FORMAT_PACKAGE}.{name.replace('-', '_')}"]
        assert module.FORMAT is fmt


def test_no_format_module_imports_another() -> None:
    """Code two formats share lives in formats/shared, so each format reads on its own."""
    problems = []
    for path in (PACKAGE / "formats" / "registered").glob("*.py"):
        for name in _imports(path):
            if name.startswith("workbench.formats.registered"):
                problems.append(f"{path.name} imports {name}")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            from_root = node.module == "workbench.formats" if isinstance(node, ast.ImportFrom) \
                else False
            if isinstance(node, ast.ImportFrom) and (node.level or from_root):
                problems.append(f"{path.name} imports relatively or from the package root")
    assert problems == []


REPOSITORIES = {"settings", "annotators", "codebook", "documents", "spans", "relations",
                "document_labels", "suggestions", "suggestion_models", "db", "transaction",
                "announce"}


def _store_reaches(path: Path) -> list[str]:
    """Places where a module reaches into a project store's repositories or connection."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Attribute) or node.attr not in REPOSITORIES:
            continue
        owner = node.value
        name = owner.id if isinstance(owner, ast.Name) else (
            owner.attr if isinstance(owner, ast.Attribute) else "")
        if name in ("store", "_store"):
            found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} uses {name}.{node.attr}")
    return found


def test_ui_and_cli_reach_storage_only_through_services() -> None:
    """The window and the command line edit and read through services (the annotation
    session above all); from storage they may import types, nothing that does work."""
    problems = []
    for layer in ("ui", "cli"):
        for path in sorted((PACKAGE / layer).rglob("*.py")):
            problems.extend(_store_reaches(path))
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                        "workbench.storage"):
                    problems.extend(
                        f"{path.relative_to(PACKAGE)} imports {alias.name} from storage"
                        for alias in node.names if not alias.name[:1].isupper())
                elif isinstance(node, ast.Import):
                    problems.extend(
                        f"{path.relative_to(PACKAGE)} imports {alias.name}"
                        for alias in node.names if alias.name.startswith("workbench.storage"))
    assert problems == []


def test_no_module_of_the_window_writes_to_a_repository() -> None:
    import re

    write = re.compile(r"store\.(spans|relations|documents|document_labels|suggestions)\."
                       r"(add|delete|update|restore|set|remove)")
    offenders = [f"{path.relative_to(PACKAGE)}:{n}"
                 for path in sorted((PACKAGE / "ui").rglob("*.py"))
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if write.search(line)]
    assert offenders == []


def test_the_editing_rules_are_tested_without_qt() -> None:
    """The annotation session's tests pass with the Qt test plugin switched off, and nothing
    they run loads PySide6."""
    code = (
        "import sys, pytest\n"
        "code = pytest.main(['-q', '-p', 'no:pytest-qt', '-p', 'no:cacheprovider',\n"
        "                    '-o', 'addopts=', '-W', 'ignore::pytest.PytestConfigWarning',\n"
        "                    'tests/test_annotation_session.py'])\n"
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print('QT LOADED:', qt)\n"
        "sys.exit(int(code) or (3 if qt else 0))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False, cwd=PACKAGE.parent)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "QT LOADED: []" in result.stdout


def test_every_announced_event_is_a_declared_type() -> None:
    """Storage announces events by constructing a type of core.events; a kind nobody can
    name (a typo, a string) fails here, and the hub refuses it at run time too."""
    from workbench.core.events import EVENT_TYPES

    declared = {t.__name__ for t in EVENT_TYPES}
    announced: set[str] = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("announce", "emit") and node.args:
                argument = node.args[0]
                if isinstance(argument, ast.Call) and isinstance(argument.func, ast.Name) \
                        and argument.func.id[:1].isupper():
                    announced.add(argument.func.id)
                elif node.func.attr == "announce":
                    announced.add(f"<not a constructor at {path.name}:{node.lineno}>")
    assert announced, "no announcements found"
    assert announced - declared == set()
