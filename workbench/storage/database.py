"""Opening, creating and migrating the project file: the one SQLite connection we own.

A project is an SQLite file marked with our `application_id`, its schema version kept in
`PRAGMA user_version` and each applied migration recorded in `schema_migrations`. A file
written by a newer version is refused; an older one is copied aside before it is migrated.
Other programs may have the same file open at the same time (see `transactions.py`): the
version is read again under the write lock before anything is migrated, and checking a
file we then refuse leaves nothing beside it.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from workbench.core.errors import (
    NotAProjectError,
    ProjectTooNewError,
    ProjectUpgradeError,
    WorkbenchError,
)
from workbench.storage import migrations, transactions
from workbench.storage.migrations import MigrationFailed, apply_migrations
from workbench.storage.transactions import ProjectDatabase

# "WBK1": tells our project files apart from every other SQLite database.
APPLICATION_ID = 0x57424B31
SQLITE_MAGIC = b"SQLite format 3\x00"


def latest_version() -> int:
    """The schema version this version of the workbench writes."""
    return len(migrations.MIGRATIONS)


def create_database(path: Path) -> ProjectDatabase:
    """Create a new, empty project file at `path` (which must not exist yet)."""
    if not path.parent.exists():
        raise WorkbenchError(f"cannot create {path}: folder {path.parent} does not exist")
    try:
        # Claimed with O_EXCL: of two programs creating the same file, one is told it exists.
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    except FileExistsError:
        raise WorkbenchError(f"{path} already exists; choose a new file name") from None
    except OSError as error:
        raise WorkbenchError(f"cannot create {path}: {error.strerror}") from None
    try:
        db = _configure(sqlite3.connect(str(path)), path)
    except sqlite3.Error as error:
        path.unlink(missing_ok=True)
        raise WorkbenchError(f"cannot create {path}: {error}") from None
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    apply_migrations(db)
    return db


def open_database(path: Path) -> ProjectDatabase:
    """Open an existing project, migrating it (after a backup copy) when it is older."""
    _refuse_newer(path, inspect_project_file(path))
    try:
        db = _configure(sqlite3.connect(str(path)), path)
    except sqlite3.DatabaseError as error:
        raise NotAProjectError(f"{path} is not a readable workbench project ({error})") from None
    try:
        _migrate(db, path)
    except BaseException:
        db.close()
        raise
    return db


def _migrate(db: ProjectDatabase, path: Path) -> None:
    backups: list[Path] = []

    def back_up(version: int) -> None:
        # A copy of the file as it was, in case the user needs to go back to an older version.
        backups.append(backup_copy(path, path.with_name(f"{path.name}.schema{version}.bak")))

    try:
        found = apply_migrations(db, before_first=back_up)
    except MigrationFailed as failure:
        copy = f"; a copy from before the upgrade is {backups[0]}" if backups else ""
        raise ProjectUpgradeError(
            f"{path} cannot be upgraded from schema {failure.version} to "
            f"{failure.version + 1} ({failure}); the file stays at schema "
            f"{failure.version}{copy}"
        ) from failure
    # The first look was before the lock: another program may have written since.
    _refuse_newer(path, found)


def _refuse_newer(path: Path, version: int) -> None:
    latest = latest_version()
    if version > latest:
        raise ProjectTooNewError(
            f"{path} was written by a newer version of the workbench (schema {version}, "
            f"this version reads up to {latest}); please update the workbench"
        )


def inspect_project_file(path: Path) -> int:
    """Return the schema version of a project file, refusing anything that is not one.

    Reads the file without changing it or adding anything beside it: no journal, no WAL
    switch, no migration. With no `-wal` file beside it (no program has it open, none died
    with changes in it) the file alone is the whole database, and is read as an immutable
    one, so even the `-wal` and `-shm` files a read-only connection makes are never made.
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
    mode = "ro" if Path(f"{path}-wal").exists() else "ro&immutable=1"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True)
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
    """Copy a database consistently (SQLite's backup API), never overwriting an older copy.

    The copy is written under a temporary name and renamed when complete, so a copy that is
    there is whole: a kill mid-copy leaves only the temporary file, taken away next time.
    """
    candidate, n = target, 1
    while candidate.exists():
        candidate = target.with_name(f"{target.name}.{n}")
        n += 1
    partial = candidate.with_name(f"{candidate.name}.partial")
    for leftover in (partial, Path(f"{partial}-journal")):
        leftover.unlink(missing_ok=True)
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(str(partial))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(partial, candidate)
    return candidate


def _configure(conn: sqlite3.Connection, path: Path | None = None) -> ProjectDatabase:
    # First, so that every later statement waits for another program's write to finish.
    conn.execute(f"PRAGMA busy_timeout = {transactions.BUSY_TIMEOUT_MS}")
    db = ProjectDatabase(conn, path)
    db.execute("PRAGMA foreign_keys = ON")  # sqlite-utils leaves them off
    # WAL: readers never block the writer, and a crash mid-write cannot damage the file.
    db.enable_wal()
    # FULL: a commit the user saw is on disk even if the machine loses power right after.
    db.execute("PRAGMA synchronous = FULL")
    return db
