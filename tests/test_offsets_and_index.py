"""Offset conversion and the interval index, checked against brute force."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.offsets import Utf16Map, utf16_len
from workbench.core.span_index import BUCKET, SpanIndex

TEXTS = st.text(alphabet=st.sampled_from(list("ab \r\n😊é🇺€\U0001f600")), max_size=60)


def _utf16_prefix(text: str, offset: int) -> int:
    return len(text[:offset].encode("utf-16-le")) // 2


@given(TEXTS)
def test_utf16_map_agrees_with_encoding(text: str) -> None:
    mapping = Utf16Map(text)
    assert mapping.utf16_length == utf16_len(text) == len(text.encode("utf-16-le")) // 2
    for offset in range(len(text) + 1):
        qt = mapping.to_utf16(offset)
        assert qt == _utf16_prefix(text, offset)
        assert mapping.from_utf16(qt) == offset


def test_offset_inside_a_surrogate_pair_rounds_down() -> None:
    mapping = Utf16Map("a😊b")
    assert mapping.from_utf16(2) == 1
    assert mapping.to_utf16(2) == 3


INTERVALS = st.lists(
    st.tuples(st.integers(0, 3 * BUCKET), st.integers(1, BUCKET + 10)).map(
        lambda pair: (pair[0], pair[0] + pair[1])
    ),
    max_size=40,
)


@settings(max_examples=60)
@given(INTERVALS, st.integers(0, 3 * BUCKET), st.integers(0, 200), st.data())
def test_index_finds_exactly_the_overlapping_items(
    intervals: list[tuple[int, int]], start: int, length: int, data: st.DataObject
) -> None:
    index = SpanIndex((s, e, k) for k, (s, e) in enumerate(intervals))
    removed = data.draw(st.sets(st.integers(0, max(0, len(intervals) - 1))))
    for key in removed:
        index.remove(key)
    end = start + length
    expected = {
        k for k, (s, e) in enumerate(intervals) if k not in removed
        and ((s < end and start < e) if length else s <= start < e)
    }
    assert {item.key for item in index.overlapping(start, end)} == expected


def test_index_results_come_in_text_order_and_update_in_place() -> None:
    index = SpanIndex([(10, 20, "b"), (0, 30, "a"), (10, 15, "c")])
    assert [i.key for i in index.overlapping(0, 40)] == ["a", "b", "c"]
    index.add(50, 60, "b")  # moving a key replaces its old interval
    assert [i.key for i in index.at(12)] == ["a", "c"]
    assert index.get("b") is not None and index.get("b").start == 50
    assert len(index) == 3
