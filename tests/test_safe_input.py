"""Untrusted XML and zip input: entities, path escapes, bombs and truncation are refused."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

from workbench.core.errors import InputFileError
from workbench.formats.shared.safe_input import ZipLimits, open_zip, parse_xml

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<lolz>&lol3;</lolz>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<r>&secret;</r>"""


def test_plain_xml_parses() -> None:
    root = parse_xml(b"<?xml version='1.0'?><root><item a='1'>x</item></root>", "f.xml")
    assert root.tag == "root" and root[0].text == "x"


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_entities_are_refused(data: bytes) -> None:
    with pytest.raises(InputFileError, match="DOCTYPE"):
        parse_xml(data, "evil.xml")


def test_external_entity_is_never_read() -> None:
    with pytest.raises(InputFileError) as caught:
        parse_xml(EXTERNAL_ENTITY, "evil.xml")
    assert "root:" not in str(caught.value)


def test_malformed_xml_names_file_and_line() -> None:
    with pytest.raises(InputFileError) as caught:
        parse_xml(b"<root>\n<a>\n</root>", "bad.xml")
    assert caught.value.line == 3
    assert str(caught.value).startswith("bad.xml, line 3: not well-formed XML")


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_members_are_read_and_extracted(tmp_path: Path) -> None:
    path = _zip(tmp_path / "ok.zip", {"project.qde": b"<x/>", "sources/a.txt": b"hello"})
    with open_zip(path) as archive:
        assert archive.names() == ["project.qde", "sources/a.txt"]
        assert archive.read("sources/a.txt") == b"hello"
        out = tmp_path / "out"
        out.mkdir()
        written = archive.extract_to(out)
    assert sorted(p.relative_to(out).as_posix() for p in written) == [
        "project.qde", "sources/a.txt"]


@pytest.mark.parametrize("name", ["../escape.txt", "/etc/passwd", "a/../../b.txt",
                                  "C:/windows.txt", "..\\evil.txt"])
def test_paths_escaping_the_folder_are_refused(tmp_path: Path, name: str) -> None:
    path = _zip(tmp_path / "slip.zip", {name: b"x"})
    with pytest.raises(InputFileError, match="outside the archive"):
        open_zip(path)
    assert not (tmp_path / "escape.txt").exists()


def test_symbolic_links_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "link.zip"
    with zipfile.ZipFile(path, "w") as archive:
        info = zipfile.ZipInfo("link")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    with pytest.raises(InputFileError, match="symbolic link"):
        open_zip(path)


def test_compression_bombs_are_refused(tmp_path: Path) -> None:
    path = _zip(tmp_path / "bomb.zip", {"zeros.txt": bytes(8 << 20)})
    with pytest.raises(InputFileError, match="zip bomb"):
        open_zip(path)


def test_size_limits_hold(tmp_path: Path) -> None:
    path = _zip(tmp_path / "big.zip", {"a.txt": b"a" * 2000, "b.txt": b"b" * 2000})
    with pytest.raises(InputFileError, match="over the size limit"):
        open_zip(path, ZipLimits(max_total_bytes=3000))
    with pytest.raises(InputFileError, match="over the size limit"):
        open_zip(path, ZipLimits(max_member_bytes=1000))


@pytest.mark.parametrize("keep", [0, 10, 60])
def test_truncated_archives_are_refused(tmp_path: Path, keep: int) -> None:
    whole = _zip(tmp_path / "whole.zip", {"a.txt": b"some text " * 50})
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole.read_bytes()[:keep])
    with pytest.raises(InputFileError, match="truncated or damaged"):
        open_zip(cut)


def test_damaged_member_is_reported(tmp_path: Path) -> None:
    whole = _zip(tmp_path / "whole.zip", {"a.txt": b"some text that compresses " * 50})
    data = bytearray(whole.read_bytes())
    data[40:60] = bytes(20)  # inside the compressed data of the only member
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(data))
    with open_zip(damaged) as archive, pytest.raises(InputFileError, match="damaged"):
        archive.read("a.txt")
