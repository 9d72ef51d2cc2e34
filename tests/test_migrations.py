"""Opening project files: migrations with a backup first, newer files and non-projects
refused without touching them."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EMOJI_CRLF_TEXT
from tests.editing_processes import WriteLockHolder
from workbench.cli import main
from workbench.core.codebook import Codebook
from workbench.core.errors import (
    NotAProjectError,
    ProjectTooNewError,
    ProjectUpgradeError,
    WorkbenchError,
)
from workbench.core.model import Document
from workbench.storage import ProjectStore, database, migrations
from workbench.storage.database import APPLICATION_ID, latest_version


def _fingerprint(path: Path) -> tuple[bytes, float]:
    return path.read_bytes(), path.stat().st_mtime


def test_a_new_project_is_at_the_latest_version(store: ProjectStore) -> None:
    assert store.schema_version() == latest_version() == len(migrations.MIGRATIONS)
    assert store.applied_migrations() == [m.name for m in migrations.MIGRATIONS]


def test_an_older_project_is_backed_up_then_migrated(
    project_path: Path, store: ProjectStore, emoji_document: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store.close()
    old_version = latest_version()

    def m9999_add_notes_table(db: object) -> None:
        db.execute("CREATE TABLE research_notes (id INTEGER PRIMARY KEY, body TEXT)")

    monkeypatch.setattr(migrations, "MIGRATIONS", (
        *migrations.MIGRATIONS, migrations.Migration("m9999_add_notes_table",
                                                     m9999_add_notes_table)))
    with ProjectStore.open(project_path) as migrated:
        assert migrated.schema_version() == old_version + 1
        assert migrated.applied_migrations()[-1] == "m9999_add_notes_table"
        assert migrated.documents.count() == 1
    backup = project_path.with_name(f"{project_path.name}.schema{old_version}.bak")
    conn = sqlite3.connect(backup)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == old_version
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    conn.close()


def test_a_failing_migration_leaves_the_file_at_its_version(
    project_path: Path, store: ProjectStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.close()
    version = latest_version()

    def m9999_broken(db: object) -> None:
        db.execute("CREATE TABLE half_done (id INTEGER)")
        raise sqlite3.OperationalError("disk on fire")

    monkeypatch.setattr(migrations, "MIGRATIONS", (
        *migrations.MIGRATIONS, migrations.Migration("m9999_broken", m9999_broken)))
    with pytest.raises(ProjectUpgradeError, match=r"from schema \d+ to \d+ \(m9999_broken: "
                       r"disk on fire\); the file stays at schema"):
        ProjectStore.open(project_path)
    conn = sqlite3.connect(project_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == version
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'"
                        ).fetchone()[0] == 0
    conn.close()


def test_a_newer_project_is_refused_and_left_alone(project_path: Path,
                                                   store: ProjectStore) -> None:
    store.db.execute("PRAGMA user_version = 999")
    store.close()
    before = _fingerprint(project_path)
    with pytest.raises(ProjectTooNewError, match="newer version"):
        ProjectStore.open(project_path)
    assert _fingerprint(project_path) == before


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "firefox.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE moz_places (id INTEGER)")
    conn.commit()
    conn.close()
    before = _fingerprint(path)
    with pytest.raises(NotAProjectError, match="another program"):
        ProjectStore.open(path)
    assert _fingerprint(path) == before
    assert not Path(f"{path}-wal").exists()


@pytest.mark.parametrize("content", [b"just some notes\n", b"", b"SQLite format 3\x00garbage"])
def test_files_that_are_not_projects_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.wbproj"
    path.write_bytes(content)
    with pytest.raises(NotAProjectError):
        ProjectStore.open(path)
    assert path.read_bytes() == content


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match="no such project"):
        ProjectStore.open(tmp_path / "nothing.wbproj")
    with pytest.raises(NotAProjectError, match="folder"):
        ProjectStore.open(tmp_path)


def test_create_refuses_to_overwrite(project_path: Path, store: ProjectStore,
                                     news_codebook: object) -> None:
    with pytest.raises(WorkbenchError, match="already exists"):
        ProjectStore.create(project_path, news_codebook)


def test_the_file_is_marked_as_ours(project_path: Path, store: ProjectStore) -> None:
    conn = sqlite3.connect(project_path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()


# --- other programs, kills and damaged files ------------------------------------------------


def _make_schema_3(path: Path, codebook: Codebook) -> None:
    """A project as the version with three migrations wrote it: its codebook and the emoji
    document."""
    path.unlink()
    db = database._configure(sqlite3.connect(path))
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    with db.atomic():
        for migration in migrations.MIGRATIONS[:3]:
            migration.apply(db)
            db.execute("INSERT INTO schema_migrations VALUES (?, 'then', '0.1.0')",
                       [migration.name])
        db.execute("PRAGMA user_version = 3")
    old = ProjectStore(db, path)
    with old.transaction():
        old.codebook.install(codebook)
        old.documents.add(Document(name="emoji-crlf", text=EMOJI_CRLF_TEXT))
    old.close()


def _version(path: Path) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def test_two_programs_opening_an_older_file_at_once_both_work(
    project_path: Path, store: ProjectStore, news_codebook: Codebook
) -> None:
    store.close()
    _make_schema_3(project_path, news_codebook)
    # A third program's write holds both at the lock, so that they start migrating together.
    with WriteLockHolder(project_path) as holder:
        both = [subprocess.Popen([sys.executable, "-m", "workbench", "stats", str(project_path)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
        time.sleep(1.5)
        holder.release()
        results = [child.communicate(timeout=60) for child in both]
    assert [child.returncode for child in both] == [0, 0], results
    assert all("documents:       1" in out and not err for out, err in results)
    assert _version(project_path) == latest_version()
    backups = sorted(p.name for p in project_path.parent.glob("*.bak*"))
    assert backups == [f"{project_path.name}.schema3.bak"]


def test_a_failing_migration_is_one_line_and_leaves_the_file_at_its_version(
    project_path: Path, store: ProjectStore, capsys: pytest.CaptureFixture[str]
) -> None:
    # A current file that says it is older: m0004's index is there already.
    store.db.execute("PRAGMA user_version = 3")
    store.close()
    assert main(["stats", str(project_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"{project_path} cannot be upgraded from schema 3 to 4" in err
    assert "index spans_outline already exists" in err
    assert "the file stays at schema 3" in err and ".schema3.bak" in err
    assert _version(project_path) == 3


def test_a_backup_cut_short_is_never_taken_for_a_whole_one(
    project_path: Path, store: ProjectStore, news_codebook: Codebook,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    store.close()
    _make_schema_3(project_path, news_codebook)
    backup = project_path.with_name(f"{project_path.name}.schema3.bak")
    partial = backup.with_name(f"{backup.name}.partial")

    def killed_before_the_rename(source: object, target: object) -> None:
        raise KeyboardInterrupt  # as a kill would, once the copy is written

    monkeypatch.setattr(database.os, "replace", killed_before_the_rename)
    with pytest.raises(KeyboardInterrupt):
        ProjectStore.open(project_path)
    assert partial.exists() and not backup.exists()
    assert _version(project_path) == 3
    monkeypatch.undo()
    with ProjectStore.open(project_path) as migrated:
        assert migrated.schema_version() == latest_version()
    assert not partial.exists()
    assert sorted(p.name for p in project_path.parent.glob("*.bak*")) == [backup.name]
    conn = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    conn.close()


def test_a_refused_newer_file_gets_nothing_beside_it(project_path: Path,
                                                     store: ProjectStore) -> None:
    store.db.execute("PRAGMA user_version = 999")
    store.close()
    before = sorted(project_path.parent.iterdir())
    with pytest.raises(ProjectTooNewError):
        ProjectStore.open(project_path)
    assert main(["stats", str(project_path)]) == 1
    assert sorted(project_path.parent.iterdir()) == before


def test_a_newer_file_another_program_has_open_is_refused_too(
    project_path: Path, store: ProjectStore
) -> None:
    # The version is in the other program's log, not yet in the file itself.
    store.db.execute("PRAGMA user_version = 999")
    assert Path(f"{project_path}-wal").exists()
    with pytest.raises(ProjectTooNewError):
        ProjectStore.open(project_path)
