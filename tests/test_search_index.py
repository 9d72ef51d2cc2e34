"""The full-text index is filled once per transaction, and stays exactly in step with the
stored texts through savepoint rollbacks, deletes, reused ids and migration."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import EMOJI_CRLF_TEXT
from workbench.core.codebook import Codebook
from workbench.core.model import Document
from workbench.storage import ProjectStore, migrations


class Boom(Exception):
    pass


def _names(store: ProjectStore, query: str) -> list[str]:
    return sorted(hit.name for hit in store.documents.search(query))


def _index_matches_texts(store: ProjectStore) -> None:
    """FTS5's own check: every indexed term agrees with the content table."""
    store.db.execute(
        "INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)")


def test_texts_are_indexed_when_the_transaction_commits(store: ProjectStore) -> None:
    with store.transaction():
        store.documents.add(Document(name="emoji", text=EMOJI_CRLF_TEXT))
        store.documents.add(Document(name="kyiv", text="Reporting from Kyiv today."))
        # Inside the transaction a search already sees what was added so far.
        assert _names(store, "Kyiv") == ["kyiv"]
    assert _names(store, "Obama") == ["emoji"]
    assert _names(store, "Kyiv") == ["kyiv"]
    _index_matches_texts(store)


def test_a_rolled_back_file_leaves_nothing_in_the_index(store: ProjectStore) -> None:
    with store.transaction():
        store.documents.add(Document(name="kept", text="Kept text about Tallinn."))
        with pytest.raises(Boom), store.transaction():
            store.documents.add(Document(name="dropped", text="Dropped text about Riga."))
            raise Boom
        # The next document takes the id the rolled-back one had.
        store.documents.add(Document(name="later", text="Later text about Vilnius."))
    assert _names(store, "Riga") == []
    assert _names(store, "Tallinn") == ["kept"]
    assert _names(store, "Vilnius") == ["later"]
    _index_matches_texts(store)


def test_a_rolled_back_transaction_indexes_nothing(store: ProjectStore) -> None:
    with pytest.raises(Boom), store.transaction():
        store.documents.add(Document(name="gone", text="Gone text about Minsk."))
        raise Boom
    store.documents.add(Document(name="next", text="Next text about Odesa."))
    assert _names(store, "Minsk") == []
    assert _names(store, "Odesa") == ["next"]
    _index_matches_texts(store)


def test_adding_and_deleting_in_one_transaction(store: ProjectStore) -> None:
    with store.transaction():
        stored = store.documents.add(Document(name="brief", text="A brief note on Lviv."))
        assert stored.id is not None
        store.documents.delete(stored.id)
    assert _names(store, "Lviv") == []
    _index_matches_texts(store)


@pytest.mark.parametrize("use", ["search", "delete"])
def test_a_failed_savepoint_that_used_the_index_leaves_earlier_texts_to_index(
    store: ProjectStore, use: str
) -> None:
    # Searching and deleting fill the index with the texts added so far, inside their
    # savepoint: when it rolls back, those texts must still be indexed before the commit.
    with store.transaction():
        store.documents.add(Document(name="first", text="First text about Kherson."))
        with pytest.raises(Boom), store.transaction():
            if use == "search":
                assert _names(store, "Kherson") == ["first"]
            else:
                gone = store.documents.add(Document(name="gone", text="Gone about Sumy."))
                assert gone.id is not None
                store.documents.delete(gone.id)
            raise Boom
        store.documents.add(Document(name="second", text="Second text about Kherson."))
    assert _names(store, "Kherson") == ["first", "second"]
    assert _names(store, "Sumy") == []
    _index_matches_texts(store)


def test_an_older_project_keeps_its_index_after_the_migration(
    project_path: Path, news_codebook: Codebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A project written before m0003, its document indexed by the trigger of that time.
    with monkeypatch.context() as old:
        names = [migration.name for migration in migrations.MIGRATIONS]
        before = names.index("m0003_index_texts_per_transaction")
        old.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:before])
        with ProjectStore.create(project_path, news_codebook) as store:
            store.db.execute(
                "INSERT INTO documents (id, name, content_hash, length, imported_at) "
                "VALUES (1, 'before', 'h', 22, '2024-01-01T00:00:00+00:00')")
            store.db.execute("INSERT INTO document_texts VALUES (1, 'Written about Kharkiv.')")
    with ProjectStore.open(project_path) as store:
        assert "m0003_index_texts_per_transaction" in store.applied_migrations()
        triggers = store.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = "
            "'document_texts'").fetchall()
        assert ("document_texts_fts_insert",) not in triggers
        store.documents.add(Document(name="after", text="Written about Kharkiv again."))
        assert _names(store, "Kharkiv") == ["after", "before"]
        _index_matches_texts(store)
    conn = sqlite3.connect(project_path)
    assert conn.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'Kharkiv'"
                        ).fetchone()[0] == 2
    conn.close()


def test_an_import_writes_the_index_once_per_commit(store: ProjectStore, tmp_path: Path) -> None:
    from workbench.services.importing import import_paths

    folder = tmp_path / "texts"
    folder.mkdir()
    for i in range(60):
        (folder / f"report-{i}.txt").write_bytes(
            f"Report {i} from Kyiv 😊\r\nword{i} and more.".encode())
    report = import_paths(store, [folder], annotator="alice")
    assert report.documents_added == 60
    assert _names(store, "word17") == ["report-17"]
    # FTS5 keeps one row in its _idx table per segment: each file in its own savepoint used
    # to make a segment of its own (15 here after merging), now the commit makes one.
    segments = store.db.execute("SELECT count(*) FROM documents_fts_idx").fetchone()[0]
    assert segments == 1
    _index_matches_texts(store)


def test_search_gives_the_best_ranked_page_as_one_ranked_query_does(store: ProjectStore) -> None:
    """Ranking first and reading snippets for the page only finds the same hits, in the
    same order, with the same snippets as FTS5's own ORDER BY rank (prefixes, phrases and
    NEAR included)."""
    words = ["Putin", "Kremlin", "talks", "sanctions", "negotiations", "leaders", "West"]
    store.documents.add_many(
        Document(name=f"doc {i:03}", text=f"{EMOJI_CRLF_TEXT} number {i} " + " ".join(
            words[(i * j) % len(words)] for j in range(3 + i % 11)))
        for i in range(150))
    ranked = (
        "SELECT f.rowid, d.name, snippet(documents_fts, 0, '[', ']', '…', 12) "
        "FROM documents_fts f JOIN documents d ON d.id = f.rowid "
        "WHERE documents_fts MATCH ? ORDER BY rank, f.rowid LIMIT ?")
    for query in ("Putin", "negotiat*", '"Western leaders"', "Kremlin NOT talks",
                  "NEAR(Putin sanctions, 3)", "lie", "nothing"):
        for limit in (5, 20, 200):
            expected = [tuple(row) for row in store.db.execute(ranked, [query, limit])]
            found = [(hit.document_id, hit.name, hit.snippet)
                     for hit in store.documents.search(query, limit=limit)]
            assert found == expected, (query, limit)
