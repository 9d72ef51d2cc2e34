"""Opening project files: migrations with a backup first, newer files and non-projects
refused without touching them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from workbench.core.errors import NotAProjectError, ProjectTooNewError, WorkbenchError
from workbench.storage import ProjectStore, migrations
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
        db.execute("CREATE TABLE research_notes (id INTEGER PRIMARY KEY, body TEXT)")  # type: ignore[attr-defined]

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
        db.execute("CREATE TABLE half_done (id INTEGER)")  # type: ignore[attr-defined]
        raise sqlite3.OperationalError("disk on fire")

    monkeypatch.setattr(migrations, "MIGRATIONS", (
        *migrations.MIGRATIONS, migrations.Migration("m9999_broken", m9999_broken)))
    with pytest.raises(sqlite3.OperationalError):
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
        ProjectStore.create(project_path, news_codebook)  # type: ignore[arg-type]


def test_the_file_is_marked_as_ours(project_path: Path, store: ProjectStore) -> None:
    conn = sqlite3.connect(project_path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()
