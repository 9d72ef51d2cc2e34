"""Importing documents: every supported kind of file, encodings, duplicates, and bad files
that are reported and change nothing."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tests.sample_files import NEWS_PAGE, write_docx, write_pdf
from workbench.core.progress import CancelToken
from workbench.core.resources import seeds_dir
from workbench.formats.registry import ReadOptions
from workbench.services.importing import import_paths
from workbench.storage import ProjectStore


def _import(store: ProjectStore, *paths: Path, **kwargs: object):
    return import_paths(store, list(paths), annotator="tester", **kwargs)


def _texts(store: ProjectStore) -> dict[str, str]:
    return {doc.name: doc.text for doc in store.documents.iter_all()}


def test_seeds_import_once(store: ProjectStore) -> None:
    first = _import(store, seeds_dir())
    assert first.documents_added == 5 and not first.failures
    second = _import(store, seeds_dir())
    assert second.documents_added == 0 and second.documents_existing == 5
    assert store.documents.count() == 5
    names = sorted(_texts(store))
    assert names == sorted(p.stem for p in seeds_dir().glob("*.txt"))


def test_text_is_stored_exactly_as_in_the_file(store: ProjectStore) -> None:
    seed = sorted(seeds_dir().glob("*.txt"))[1]
    _import(store, seed)
    assert _texts(store)[seed.stem] == seed.read_text(encoding="utf-8")
    metadata = store.documents.metadata(store.documents.find_by_name(seed.stem))
    assert metadata["source_file"] == seed.name and metadata["encoding"] == "utf-8"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Le café du Kremlin\r\n".encode(), "utf-8"),
        ("\ufeffLe café du Kremlin\r\n".encode(), "utf-8 with BOM"),
        ("Le café du Kremlin\r\n".encode("utf-16"), "utf-16"),
        ("Le café du Kremlin\r\n".encode("utf-16-le"), "utf-16-le"),
        ("Le café du Kremlin\r\n".encode("utf-16-be"), "utf-16-be"),
        ("Le café du Kremlin\r\n".encode("cp1252"), "cp1252"),
        ("Le café du Kremlin 😊\r\n".encode("utf-32"), "utf-32"),
    ],
)
def test_encodings_arrive_as_the_right_text(
    store: ProjectStore, tmp_path: Path, data: bytes, encoding: str
) -> None:
    path = tmp_path / "cafe.txt"
    path.write_bytes(data)
    report = _import(store, path)
    assert not report.failures
    text = _texts(store)["cafe"]
    assert text.startswith("Le café du Kremlin")
    assert text.endswith("\r\n")
    assert store.documents.metadata(store.documents.ids()[0])["encoding"] == encoding


def test_short_cp1252_cafe(store: ProjectStore, tmp_path: Path) -> None:
    path = tmp_path / "menu.txt"
    path.write_bytes("café".encode("cp1252"))
    _import(store, path)
    assert _texts(store)["menu"] == "café"


def test_long_cp1251_russian_text(store: ProjectStore, tmp_path: Path) -> None:
    text = ("Президент России Владимир Путин заявил, что разговоры об изоляции России — "
            "это ложь. Он подчеркнул открытость Москвы к переговорам с Западом. ") * 4
    path = tmp_path / "ru.txt"
    path.write_bytes(text.encode("cp1251"))
    _import(store, path)
    assert _texts(store)["ru"] == text


def test_markdown_keeps_text_and_title(store: ProjectStore, tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("# Isolating Russia\n\nSome *emphasis* here.\n", encoding="utf-8")
    _import(store, path)
    assert _texts(store)["note"].startswith("# Isolating Russia")
    assert store.documents.metadata(store.documents.ids()[0])["title"] == "Isolating Russia"


def test_html_gives_article_and_comments_without_navigation(
    store: ProjectStore, tmp_path: Path
) -> None:
    path = tmp_path / "putin-page.html"
    path.write_text(NEWS_PAGE, encoding="utf-8")
    report = _import(store, path)
    assert not report.failures
    text = _texts(store)["putin-page"]
    assert "BRICS Summit held in Kazan" in text
    assert "pure propaganda" in text
    assert "Cookie settings" not in text and "Home" not in text
    metadata = store.documents.metadata(store.documents.ids()[0])
    assert metadata["author"] == "Jennifer Hicks"
    assert text[metadata["comments_start"]:].startswith("Finally some balanced")


def test_docx_paragraphs_and_tables(store: ProjectStore, tmp_path: Path) -> None:
    path = write_docx(tmp_path / "memo.docx", ["First paragraph.", "Second – with “quotes”."],
                      title="A memo")
    _import(store, path)
    assert _texts(store)["memo"] == "First paragraph.\nSecond – with “quotes”.\nKremlin\tMoscow"
    assert store.documents.metadata(store.documents.ids()[0])["title"] == "A memo"


def test_docx_that_inflates_out_of_all_proportion_is_refused(store: ProjectStore,
                                                             tmp_path: Path) -> None:
    whole = write_docx(tmp_path / "whole.docx", ["Some words."])
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(bomb, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":  # 8 MB of blanks inside the body
                data = data.replace(b"</w:body>", b" " * 8_000_000 + b"</w:body>")
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    assert bomb.stat().st_size < 100_000
    report = _import(store, bomb)
    assert [f.path.name for f in report.failures] == ["bomb.docx"]
    assert "zip bomb" in report.failures[0].reason
    assert store.documents.count() == 0


def test_pdf_text_layer(store: ProjectStore, tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "report.pdf", ["Sanctions will backfire.", "So they say."])
    report = _import(store, path)
    assert not report.failures
    text = _texts(store)["report"]
    assert "Sanctions will backfire." in text and "So they say." in text
    assert store.documents.metadata(store.documents.ids()[0])["pages"] == 1


def test_csv_rows_become_documents(store: ProjectStore, tmp_path: Path) -> None:
    path = tmp_path / "comments.csv"
    path.write_text(
        'id,author,body\n'
        'c1,Ann,"Putin is right, the West\nis weak."\n'
        'c2,Bob,Nonsense.\n', encoding="utf-8")
    report = _import(store, path, options=ReadOptions(text_column="body", annotator="tester"))
    assert not report.failures
    assert _texts(store) == {"c1": "Putin is right, the West\nis weak.", "c2": "Nonsense."}
    metadata = store.documents.metadata(store.documents.find_by_name("c2"))
    assert metadata["fields"] == {"id": "c2", "author": "Bob"} and metadata["row"] == 4


def test_tsv_and_jsonl_rows(store: ProjectStore, tmp_path: Path) -> None:
    tsv = tmp_path / "rows.tsv"
    tsv.write_text("title\ttext\nOne\tFirst text.\nTwo\tSecond text.\n", encoding="utf-8")
    jsonl = tmp_path / "rows.jsonl"
    jsonl.write_text(
        json.dumps({"name": "j1", "text": "Third 😊 text.", "lang": "en"}) + "\n\n"
        + json.dumps({"name": "j2", "text": "Fourth text."}) + "\n", encoding="utf-8")
    report = _import(store, tsv, jsonl)
    assert not report.failures
    assert _texts(store) == {"One": "First text.", "Two": "Second text.",
                             "j1": "Third 😊 text.", "j2": "Fourth text."}


@pytest.mark.parametrize(
    ("name", "content", "reason", "line"),
    [
        ("blob.bin", bytes(range(256)) * 4, "binary", None),
        ("empty.txt", b"", "empty", None),
        ("blank.txt", b"  \n\n ", "empty", None),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(200), "binary", None),
        ("bad.csv", b"name,text\na,one\nb,two,three\n", "expected 2 columns", 3),
        ("nocol.csv", b"name,body\na,one\n", "no column 'text'", 1),
        ("bad.jsonl", b'{"text": "ok"}\n{"text": \n', "invalid JSON", 2),
        ("list.jsonl", b'["not", "an", "object"]\n', "one JSON object", 1),
        ("fake.pdf", b"not a pdf at all", "no %PDF header", None),
        ("fake.docx", b"PK\x03\x04 not really", "not a readable .docx", None),
    ],
)
def test_bad_files_are_reported_and_change_nothing(
    store: ProjectStore, tmp_path: Path, name: str, content: bytes, reason: str,
    line: int | None,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    report = _import(store, path)
    assert [f.path.name for f in report.failures] == [name]
    assert reason in report.failures[0].reason
    assert report.failures[0].line == line
    assert store.documents.count() == 0


def test_truncated_docx_and_pdf_are_refused(store: ProjectStore, tmp_path: Path) -> None:
    docx_file = write_docx(tmp_path / "whole.docx", ["Some words."])
    pdf_file = write_pdf(tmp_path / "whole.pdf", ["Some words."])
    cut_docx = tmp_path / "cut.docx"
    cut_docx.write_bytes(docx_file.read_bytes()[: docx_file.stat().st_size // 2])
    cut_pdf = tmp_path / "cut.pdf"
    cut_pdf.write_bytes(pdf_file.read_bytes()[: pdf_file.stat().st_size // 2])
    report = _import(store, cut_docx, cut_pdf)
    reasons = {f.path.name: f.reason for f in report.failures}
    assert "truncated" in reasons["cut.docx"] and "truncated" in reasons["cut.pdf"]
    assert store.documents.count() == 0


def test_a_bad_file_does_not_stop_the_good_ones(store: ProjectStore, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text("A good text.", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "picture.png").write_bytes(b"\x89PNG")
    (folder / ".hidden.txt").write_text("hidden", encoding="utf-8")
    report = _import(store, folder, tmp_path / "missing.txt")
    assert report.documents_added == 1
    assert {f.path.name for f in report.failures} == {"empty.txt", "missing.txt"}
    assert [Path(p).name for p, _ in report.skipped] == ["picture.png"]
    assert list(_texts(store)) == ["good"]


def test_csv_with_one_bad_row_imports_nothing_of_that_file(
    store: ProjectStore, tmp_path: Path
) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("name,text\na,one\nb,\nc,three\n", encoding="utf-8")
    report = _import(store, path)
    assert report.failures[0].line == 3
    assert store.documents.count() == 0


def test_progress_is_reported_and_cancel_stops_between_files(
    store: ProjectStore, tmp_path: Path
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(5):
        (folder / f"doc{i}.txt").write_text(f"Document number {i}.", encoding="utf-8")
    cancel = CancelToken()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int, what: str) -> None:
        seen.append((done, total))
        if done == 2:
            cancel.cancel()

    report = _import(store, folder, progress=progress, cancel=cancel)
    assert report.cancelled
    assert store.documents.count() == report.documents_added == 2
    assert seen[0] == (0, 5)
    assert any("cancelled" in line for line in report.summary_lines())
