"""Text files with the control characters text really uses (tab, line breaks, form feed) are
read; files full of other control characters are binary and refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.errors import InputFileError
from workbench.formats.shared.text_decoding import decode_bytes

WHERE = Path("sample.txt")


def test_tabs_line_breaks_and_form_feeds_are_text() -> None:
    text = "Name:\tPutin 😊\r\nPage one\fPage two\vend\n" * 50
    assert decode_bytes(text.encode("utf-8"), WHERE).text == text


def test_many_other_control_characters_mean_binary() -> None:
    data = ("header \x01\x02\x03\x1b[0m " * 40).encode("utf-8")
    with pytest.raises(InputFileError, match="binary"):
        decode_bytes(data, WHERE)


def test_a_few_stray_control_characters_are_tolerated() -> None:
    text = "An escape \x1b here. " + "A plain sentence. " * 100 + "A bell \x07 there."
    assert decode_bytes(text.encode("utf-8"), WHERE).text == text
