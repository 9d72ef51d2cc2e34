"""The project file: the only package that speaks SQL."""

import sys


def _import_sqlite_utils() -> None:
    """Import sqlite-utils without pandas and numpy.

    sqlite-utils imports them when they are installed, only to map their types to column
    types (values we never give it); that is 0.3-0.5 s before any command can start. They
    stay importable for whoever needs them later.
    """
    hidden = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` fail
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            del sys.modules[name]


_import_sqlite_utils()

from workbench.storage.project_store import ProjectStore  # noqa: E402

__all__ = ["ProjectStore"]
