"""Reading XML and zip input that may come from anywhere, without trusting it.

XML: no DTDs at all (so no external entities and no entity-expansion bombs), no network.
Zip: member names may not escape the archive (absolute paths, `..`), and decompressed sizes are
capped, counting the bytes actually inflated rather than what the archive claims.
"""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

from lxml import etree

from workbench.core.errors import InputFileError

# Generous for annotation data, small enough that a zip bomb cannot fill memory or disk.
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_MEMBERS = 200_000


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_comments=True, remove_pis=True,
    )


def parse_xml(data: bytes, source: Path | str) -> etree._Element:
    """Parse XML bytes safely; a DOCTYPE or malformed XML is an InputFileError with the line."""
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        line = error.lineno if error.lineno else None
        raise InputFileError(source, f"not well-formed XML ({error.msg})", line=line) from None
    if root is None:
        raise InputFileError(source, "the XML document is empty")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise InputFileError(source, "XML with a DOCTYPE declaration is refused "
                             "(entities could read local files or expand without bound)")
    return root


def check_xml(data: bytes, source: Path | str) -> None:
    """Refuse unsafe or malformed XML before handing the bytes to another library."""
    parse_xml(data, source)


def safe_member_name(name: str) -> str | None:
    """The member's normalised relative path, or None when it would escape the archive."""
    if "\\" in name:
        name = name.replace("\\", "/")
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        return None
    cleaned = "/".join(part for part in path.parts if part not in ("", "."))
    return cleaned or None


class SafeZip:
    """A read-only view of a zip archive that checks names and inflated sizes."""

    def __init__(self, path: Path, max_total: int = MAX_TOTAL_BYTES,
                 max_member: int = MAX_MEMBER_BYTES) -> None:
        self.path = Path(path)
        self._max_total = max_total
        self._max_member = max_member
        self._read_total = 0
        try:
            self._zip = zipfile.ZipFile(self.path)
            infos = self._zip.infolist()
        except zipfile.BadZipFile:
            raise InputFileError(path, "not a valid zip archive (truncated or damaged)") from None
        except OSError as error:
            raise InputFileError(path, f"cannot read the file ({error.strerror})") from None
        if len(infos) > MAX_MEMBERS:
            raise InputFileError(path, f"the archive holds more than {MAX_MEMBERS} entries")
        self._members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if info.is_dir():
                continue
            name = safe_member_name(info.filename)
            if name is None:
                raise InputFileError(path, f"archive entry {info.filename!r} points outside "
                                     "the archive")
            self._members[name] = info

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def names(self) -> list[str]:
        return list(self._members)

    def read(self, name: str) -> bytes:
        """Inflate one member, stopping as soon as the size limits are passed."""
        info = self._members.get(name)
        if info is None:
            raise InputFileError(self.path, f"the archive has no entry {name!r}")
        limit = min(self._max_member, self._max_total - self._read_total)
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
                            self.path, f"archive entry {name!r} inflates beyond the size limit "
                            f"({limit // (1024 * 1024)} MiB)")
                    chunks.append(chunk)
        except (zipfile.BadZipFile, EOFError, ValueError) as error:
            raise InputFileError(self.path, f"archive entry {name!r} is damaged ({error})") \
                from None
        self._read_total += size
        return b"".join(chunks)
