"""Reading XML and zip input that may come from anywhere, without trusting it.

Every format that reads XML or zip files goes through this module, so the rules live in one
place:

- XML: `parse_xml(data, source)` parses with lxml without network access, without loading a
  DTD and without expanding entities, and refuses any DOCTYPE (so no external entities and no
  entity-expansion bombs). Call it on bytes before handing them to another
  library's parser (dkpro-cassis, an XSD validator), or use the element it returns.
- zip: `SafeZip(path)` (or `open_zip(path)`) checks every member before anything is read:
  no absolute paths, no `..`, no drive letters or backslash tricks, no symbolic links, no
  encrypted members, limits on member count, declared sizes and compression ratio. `read()`
  counts the bytes actually inflated, so a member whose header lies stops at the limit;
  `extract_to(folder)` writes only inside `folder`.

Each refusal is an `InputFileError` naming the file (and the line, for XML syntax errors).
"""

from __future__ import annotations

import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lxml import etree

from workbench.core.errors import InputFileError

# Generous for annotation data, small enough that a zip bomb cannot fill memory or disk.
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_MEMBERS = 200_000

# --- XML ----------------------------------------------------------------------------------


def xml_parser() -> etree.XMLParser:
    """An lxml parser that never touches the network, loads no DTD and expands no entity."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_comments=True, remove_pis=True,
    )


def parse_xml(data: bytes, source: Path | str) -> etree._Element:
    """Parse XML bytes safely; a DOCTYPE or malformed XML is an InputFileError with the line."""
    try:
        root = etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as error:
        line = error.lineno if error.lineno and error.lineno > 0 else None
        raise InputFileError(source, f"not well-formed XML ({error.msg})", line=line) from None
    if root is None:
        raise InputFileError(source, "the XML document is empty")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise InputFileError(source, "XML with a DOCTYPE declaration is refused "
                             "(entities could read local files or expand without bound)")
    return root


# --- zip ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ZipLimits:
    """How much an archive may hold and unpack to."""

    max_members: int = MAX_MEMBERS
    max_member_bytes: int = MAX_MEMBER_BYTES
    max_total_bytes: int = MAX_TOTAL_BYTES
    # A member that shrinks more than this (and unpacks to more than `ratio_floor`) is a bomb.
    max_ratio: int = 200
    ratio_floor: int = 1024 * 1024


def safe_member_name(name: str) -> str | None:
    """The member's normalised relative path, or None when it would escape the archive."""
    if not name or "\x00" in name:
        return None
    if "\\" in name:
        name = name.replace("\\", "/")
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        return None
    cleaned = "/".join(part for part in path.parts if part not in ("", "."))
    return cleaned or None


class SafeZip:
    """A read-only view of a zip archive that checks names, kinds and inflated sizes."""

    def __init__(self, path: Path, limits: ZipLimits | None = None) -> None:
        self.path = Path(path)
        self.limits = limits or ZipLimits()
        self._read_total = 0
        try:
            self._zip = zipfile.ZipFile(self.path)
            infos = self._zip.infolist()
        except zipfile.BadZipFile:
            raise InputFileError(path, "not a valid zip archive (truncated or damaged)") from None
        except OSError as error:
            raise InputFileError(path, f"cannot read the file ({error.strerror})") from None
        try:
            self._members = self._checked(infos)
        except InputFileError:
            self._zip.close()
            raise

    def _checked(self, infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
        limits, path = self.limits, self.path
        if len(infos) > limits.max_members:
            raise InputFileError(path, f"the archive holds more than {limits.max_members} "
                                 "entries")
        members: dict[str, zipfile.ZipInfo] = {}
        declared = 0
        for info in infos:
            name = safe_member_name(info.filename)
            if name is None:
                raise InputFileError(path, f"archive entry {info.filename!r} points outside "
                                     "the archive")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise InputFileError(path, f"archive entry {info.filename!r} is a symbolic "
                                     "link, which is refused")
            if info.is_dir():
                continue
            if info.flag_bits & 0x1:
                raise InputFileError(path, f"archive entry {info.filename!r} is encrypted")
            if info.file_size > limits.max_member_bytes:
                raise InputFileError(path, f"archive entry {info.filename!r} would inflate to "
                                     f"{info.file_size} bytes, over the size limit")
            if (info.file_size > limits.ratio_floor
                    and info.file_size > limits.max_ratio * max(info.compress_size, 1)):
                raise InputFileError(path, f"archive entry {info.filename!r} is compressed more "
                                     f"than {limits.max_ratio}:1, which looks like a zip bomb")
            declared += info.file_size
            members[name] = info
        if declared > limits.max_total_bytes:
            raise InputFileError(path, f"the archive would inflate to {declared} bytes, over "
                                 "the size limit")
        return members

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def names(self) -> list[str]:
        """Normalised member names (files only), in archive order."""
        return list(self._members)

    def read(self, name: str) -> bytes:
        """Inflate one member, stopping as soon as the size limits are passed."""
        info = self._members.get(name)
        if info is None:
            raise InputFileError(self.path, f"the archive has no entry {name!r}")
        limit = min(self.limits.max_member_bytes, info.file_size,
                    self.limits.max_total_bytes - self._read_total)
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as handle:
                while True:
                    chunk = handle.read(1 << 20)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > limit:
                        raise InputFileError(
                            self.path, f"archive entry {name!r} inflates beyond its size limit "
                            f"({limit} bytes)")
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError,
                NotImplementedError) as error:
            raise InputFileError(self.path, f"archive entry {name!r} is damaged ({error})") \
                from None
        self._read_total += size
        return b"".join(chunks)

    def extract_to(self, folder: Path) -> list[Path]:
        """Write every member under `folder`; returns the paths written."""
        folder = Path(folder).resolve()
        written: list[Path] = []
        for name in self._members:
            target = (folder / name).resolve()
            if not target.is_relative_to(folder):
                raise InputFileError(self.path, f"archive entry {name!r} points outside the "
                                     "archive")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(self.read(name))
            written.append(target)
        return written


def open_zip(path: Path, limits: ZipLimits | None = None) -> SafeZip:
    """Open and check an archive; a truncated or non-zip file is an InputFileError."""
    return SafeZip(path, limits=limits)
