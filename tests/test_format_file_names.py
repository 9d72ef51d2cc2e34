"""File names that formats writing one file per document (or layer) make from names: unique
regardless of case, and short enough for every file system."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

import pytest

from workbench.core.model import Document, Span
from workbench.formats.shared.file_names import safe_stem, unique_stem
from workbench.services.codebooks import resolve_codebook
from workbench.services.exporting import export_project
from workbench.services.importing import import_paths
from workbench.storage import ProjectStore

NAMES = ("Report", "report", "x" * 300, "日本" * 150, "Doc 1 ü", "../../etc/passwd")


def _written_names(target: Path) -> list[str]:
    if target.is_file():
        with zipfile.ZipFile(target) as archive:
            return [Path(name).name for name in archive.namelist()]
    return [path.name for path in target.rglob("*") if path.is_file()]


@pytest.mark.parametrize("format_name", ["brat", "webanno-tsv", "xmi", "semeval-ptc",
                                         "semeval-entities"])
def test_one_file_per_document_whatever_the_names(
    store: ProjectStore, tmp_path: Path, format_name: str
) -> None:
    for number, name in enumerate(NAMES):
        document = store.documents.add(Document(name=name, text=f"Putin number {number}."))
        assert document.id is not None
        store.spans.add(Span(document.id, "Actors", "Antagonist", 0, 5, "a",
                             attributes={"fine_roles": ["Deceiver"]}))
    target = tmp_path / ("export.zip" if format_name == "xmi" else "export")
    summary = export_project(store, format_name, target)
    assert summary.documents == len(NAMES)
    written = _written_names(target)
    assert len({name.casefold() for name in written}) == len(written)
    assert all(len(name.encode("utf-8")) <= 255 for name in written)
    with ProjectStore.in_memory(resolve_codebook("news-rhetoric")) as copy:
        report = import_paths(copy, [target], annotator="x", format_name=format_name)
        assert not report.failures, report.summary_lines()
        assert sorted(copy.documents.text(i) for i in copy.documents.ids()) == sorted(
            f"Putin number {number}." for number in range(len(NAMES)))


def test_stems_keep_letters_and_stay_short() -> None:
    assert safe_stem("Doc 1 ü") == "Doc_1_ü"
    assert safe_stem("../a/b") == "a_b"
    assert safe_stem("...") == "document"
    assert len(safe_stem("x" * 300)) == 100
    assert len(safe_stem("日本" * 150).encode("utf-8")) <= 200
    assert safe_stem("a" * 99 + ".b") == "a" * 99  # no dot left at the cut


def test_stems_are_unique_regardless_of_case_and_normalisation() -> None:
    taken: set[str] = set()
    stems = [unique_stem(stem, taken) for stem in ("Report", "report", "REPORT", "e\u0301",
                                                   "\u00e9")]
    assert stems == ["Report", "report-2", "REPORT-3", "e\u0301", "\u00e9-2"]


@pytest.mark.parametrize("umask, file_mode, folder_mode", [(0o022, 0o644, 0o755),
                                                          (0o077, 0o600, 0o700),
                                                          (0o002, 0o664, 0o775)])
def test_exports_get_the_permissions_of_any_new_file(store, tmp_path, umask, file_mode,
                                                     folder_mode) -> None:
    store.documents.add(Document(name="one", text="One text."))
    before = os.umask(umask)
    try:
        export_project(store, "jsonl", tmp_path / "out.jsonl")
        export_project(store, "brat", tmp_path / "brat")
    finally:
        os.umask(before)
    assert stat.S_IMODE((tmp_path / "out.jsonl").stat().st_mode) == file_mode
    assert stat.S_IMODE((tmp_path / "brat").stat().st_mode) == folder_mode
    assert stat.S_IMODE((tmp_path / "brat" / "one.ann").stat().st_mode) == file_mode
