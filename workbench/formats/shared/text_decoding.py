"""Turning the bytes of a text file into the right text, whatever its encoding.

Byte order marks decide first (UTF-8, UTF-16, UTF-32); then strict UTF-8; then
charset-normalizer's guess when it is confident; cp1252 is the last resort because it is what
Windows editors write and it maps almost every byte to a character.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from workbench.core.errors import InputFileError
from workbench.formats.shared.input_files import read_bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters other than tab, newline, vertical tab, form feed and carriage return
# mark binary data (a regular expression: counting them char by char in Python is slow).
_DISALLOWED_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20)])


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str


def read_text_file(path: Path) -> DecodedText:
    """Read and decode a whole text file, refusing binary and empty files."""
    data = read_bytes(path)
    return decode_bytes(data, path)


def decode_bytes(data: bytes, path: Path) -> DecodedText:
    if not data or data.isspace():
        raise InputFileError(path, "the file is empty")
    decoded = _decode(data, path)
    if decoded.text.isspace() or not decoded.text:
        raise InputFileError(path, "the file contains no text")
    if decoded.encoding.startswith(("utf-16", "utf-32")):
        _refuse_binary(decoded.text, path)
    else:
        _refuse_binary_bytes(data, path)
    return decoded


def _decode(data: bytes, path: Path) -> DecodedText:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data.decode(encoding), encoding.replace("-sig", " with BOM"))
            except UnicodeDecodeError:
                raise InputFileError(
                    path, f"the file starts with a {encoding} byte order mark but is not "
                    f"valid {encoding}"
                ) from None
    if b"\x00" in data:
        # Text without a BOM holds zero bytes only when it is UTF-16 (or not text at all).
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise InputFileError(path, "this is a binary file, not text")
        return DecodedText(data.decode(utf16), utf16)
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    guess = from_bytes(data).best()
    # Short texts give weak guesses; only trust a guess beyond the Latin-1 family when the
    # text is long enough for the statistics to mean something.
    if guess is not None and len(data) >= 200 and guess.encoding not in _WESTERN:
        return DecodedText(str(guess), guess.encoding)
    return DecodedText(data.decode("cp1252", errors="replace"), "cp1252")


_WESTERN = {"cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "mac_roman", "cp850"}


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows zero bytes in every other position (for ASCII text)."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_zeros = data[0::2].count(0)
    odd_zeros = data[1::2].count(0)
    half = len(data) // 2
    if odd_zeros > half * 0.4 and even_zeros == 0:
        encoding = "utf-16-le"
    elif even_zeros > half * 0.4 and odd_zeros == 0:
        encoding = "utf-16-be"
    else:
        return None
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return encoding


def _refuse_binary_bytes(data: bytes, path: Path) -> None:
    """The same test on the raw bytes of an 8-bit or UTF-8 file, where a control character is
    its own byte: deleting them and comparing lengths is several times quicker than a scan."""
    sample = data[:65536]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > max(8, len(sample) // 100):
        raise InputFileError(path, "this looks like a binary file, not text")


def _refuse_binary(text: str, path: Path) -> None:
    sample = text[:65536]
    if _DISALLOWED_CONTROLS.search(sample) is None and "\ufffd" not in sample:
        return  # the usual case, decided by one scan in C
    controls = len(_DISALLOWED_CONTROLS.findall(sample))
    if controls > max(8, len(sample) // 100) or "\ufffd" * 8 in sample:
        raise InputFileError(path, "this looks like a binary file, not text")
