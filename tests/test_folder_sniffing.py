"""Which folder format a folder is, judged without opening its plain text files."""

from __future__ import annotations

from pathlib import Path

from workbench.formats.registered import brat


def _touch(path: Path, text: str = "x") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_brat_folders_are_known_by_their_ann_files(tmp_path: Path) -> None:
    _touch(tmp_path / "plain" / "a.txt")
    _touch(tmp_path / "plain" / ".hidden.ann")
    assert not brat.sniff(tmp_path / "plain")
    _touch(tmp_path / "shallow" / "doc.txt")
    _touch(tmp_path / "shallow" / "doc.ann")
    assert brat.sniff(tmp_path / "shallow")


def test_brat_looks_three_levels_deep(tmp_path: Path) -> None:
    _touch(tmp_path / "three" / "a" / "b" / "c" / "doc.ann")
    _touch(tmp_path / "four" / "a" / "b" / "c" / "d" / "doc.ann")
    assert brat.sniff(tmp_path / "three")
    assert not brat.sniff(tmp_path / "four")
