"""The SQLite library the project files are written with (for About and bug reports)."""

from __future__ import annotations

import sqlite3


def sqlite_library_version() -> str:
    return sqlite3.sqlite_version
