"""Opening, creating and migrating the project file: the one SQLite connection we own.

A project is an SQLite file marked with our `application_id`, its schema version kept in
`PRAGMA user_version` and each applied migration recorded in `schema_migrations`. A file
written by a newer version is refused; an older one is copied aside before it is migrated.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from workbench.core.errors import NotAProjectError, ProjectTooNewError, WorkbenchError
from workbench.storage import migrations
from workbench.storage.migrations import apply_migrations

# "WBK1": tells our project files apart from every other SQLite database.
APPLICATION_ID = 0x57424B31
SQLITE_MAGIC = b"SQLite format 3\x00"


def latest_version() -> int:
    """The schema version this version of the workbench writes."""
    return len(migrations.MIGRATIONS)


def create_database(path: Path) -> sqlite_utils.Database:
    """Create a new, empty project file at `path` (which must not exist yet)."""
    if path.exists():
        raise WorkbenchError(f"{path} already exists; choose a new file name")
    if not path.parent.exists():
        raise WorkbenchError(f"cannot create {path}: folder {path.parent} does not exist")
    try:
        conn = sqlite3.connect(str(path))
    except sqlite3.Error as error:
        raise WorkbenchError(f"cannot create {path}: {error}") from None
    db = _configure(conn)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    apply_migrations(db, from_version=0)
    return db


def open_database(path: Path) -> sqlite_utils.Database:
    """Open an existing project, migrating it (after a backup copy) when it is older."""
    version = inspect_project_file(path)
    latest = latest_version()
    if version > latest:
        raise ProjectTooNewError(
            f"{path} was written by a newer version of the workbench (schema {version}, "
            f"this version reads up to {latest}); please update the workbench"
        )
    if version < latest:
        # A copy of the file as it was, in case the user needs to go back to an older version.
        backup_copy(path, path.with_name(f"{path.name}.schema{version}.bak"))
    db = _configure(sqlite3.connect(str(path)))
    if version < latest:
        apply_migrations(db, from_version=version)
    return db


def inspect_project_file(path: Path) -> int:
    """Return the schema version of a project file, refusing anything that is not one.

    Reads the file without changing it: no journal, no WAL switch, no migration.
    """
    if not path.exists():
        raise WorkbenchError(f"{path}: no such project file")
    if path.is_dir():
        raise NotAProjectError(f"{path} is a folder, not a workbench project file")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise WorkbenchError(f"{path}: cannot read ({error.strerror})") from None
    if header != SQLITE_MAGIC:
        raise NotAProjectError(f"{path} is not a workbench project (it is not an SQLite file)")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise NotAProjectError(f"{path} is not a readable workbench project ({error})") from None
    if app_id != APPLICATION_ID:
        raise NotAProjectError(
            f"{path} is an SQLite database of another program, not a workbench project"
        )
    return int(version)


def backup_copy(source: Path, target: Path) -> Path:
    """Copy a database consistently (SQLite's backup API), never overwriting an older copy."""
    candidate, n = target, 1
    while candidate.exists():
        candidate = target.with_name(f"{target.name}.{n}")
        n += 1
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(str(candidate))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return candidate


def _configure(conn: sqlite3.Connection) -> sqlite_utils.Database:
    db = sqlite_utils.Database(conn, execute_plugins=False)
    db.execute("PRAGMA foreign_keys = ON")  # sqlite-utils leaves them off
    db.execute("PRAGMA busy_timeout = 5000")
    # WAL: readers never block the writer, and a crash mid-write cannot damage the file.
    db.enable_wal()
    # FULL: a commit the user saw is on disk even if the machine loses power right after.
    db.execute("PRAGMA synchronous = FULL")
    return db
