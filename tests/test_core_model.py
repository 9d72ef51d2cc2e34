"""Domain rules of the core: offsets, identity of content, codebook checks of attributes."""

from __future__ import annotations

import pytest

from workbench.core.errors import AnnotationError
from workbench.core.model import Span, check_span_offsets, content_hash


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [(-1, 3, "outside"), (2, 99, "outside"), (3, 3, "empty"), (4, 2, "empty"),
     (5, 6, "whitespace")],
)
def test_bad_span_offsets_are_refused(start: int, end: int, message: str) -> None:
    with pytest.raises(AnnotationError, match=message):
        check_span_offsets(start, end, "Putin spoke")


def test_good_span_offsets_pass() -> None:
    check_span_offsets(0, 5, "Putin spoke")


def test_offsets_must_be_integers() -> None:
    with pytest.raises(AnnotationError, match="whole numbers"):
        check_span_offsets(0.0, 5, "Putin spoke")


def test_content_hash_tells_texts_apart_and_line_endings_matter() -> None:
    assert content_hash("a\nb") == content_hash("a\nb")
    assert content_hash("a\nb") != content_hash("a\r\nb")


def test_span_overlap_is_end_exclusive() -> None:
    span = Span(1, "Claims", "Claim", 5, 10, "alice")
    assert span.overlaps(9, 12)
    assert not span.overlaps(10, 12)
    assert not span.overlaps(0, 5)
    assert span.text_in("0123456789ABCDEF") == "56789"
