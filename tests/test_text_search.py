"""Finding a string in a document and where a full-text query matched, in code points."""

from __future__ import annotations

from tests.conftest import EMOJI_CRLF_TEXT, LIE, PUTIN
from workbench.core.text_search import FindOptions, Matches, locate_query, query_terms

TEXT = EMOJI_CRLF_TEXT + "Negotiations in Ukráine; a lie, A LIE, belie.\r\n"


def _found(matches: Matches) -> list[str]:
    return [TEXT[start:end] for start, end in (matches[i] for i in range(len(matches)))]


def test_hits_are_code_points_after_an_emoji_and_crlf() -> None:
    matches = Matches(EMOJI_CRLF_TEXT, "Putin")
    assert [matches[i] for i in range(len(matches))] == [PUTIN]
    assert Matches(EMOJI_CRLF_TEXT, "that is a lie")[0] == LIE


def test_case_and_whole_word_switches() -> None:
    assert _found(Matches(TEXT, "lie")) == ["lie", "lie", "LIE", "lie"]
    assert _found(Matches(TEXT, "lie", FindOptions(case_sensitive=True))) == ["lie"] * 3
    assert _found(Matches(TEXT, "lie", FindOptions(whole_words=True))) == ["lie", "lie", "LIE"]
    assert _found(Matches(TEXT, "a lie,", FindOptions(whole_words=True))) == ["a lie,", "A LIE,"]
    assert len(Matches(TEXT, "")) == 0
    assert len(Matches(TEXT, "(.*)")) == 0  # typed characters, not a pattern


def test_next_and_previous_wrap_around() -> None:
    matches = Matches(TEXT, "lie")
    assert matches.next_after(0) == 0
    assert matches.next_after(matches.ends[0]) == 1
    assert matches.next_after(len(TEXT)) == 0  # from the bottom to the top
    assert matches.previous_before(matches.starts[1]) == 0
    assert matches.previous_before(0) == len(matches) - 1
    assert list(matches.between(0, LIE[1])) == [0]
    assert matches.index_of(*matches[2]) == 2 and matches.index_of(0, 1) is None


def test_the_terms_of_a_full_text_query() -> None:
    terms = query_terms('"that is" OR putin NOT obama nego* text:lie (kremlin)')
    assert [(t.words, t.prefix) for t in terms] == [
        (("that", "is"), False), (("putin",), False), (("nego",), True), (("lie",), False),
        (("kremlin",), False)]


def test_where_a_full_text_query_matched() -> None:
    def at(query: str) -> str | None:
        found = locate_query(TEXT, query)
        return None if found is None else TEXT[found[0]:found[1]]

    assert locate_query(TEXT, "lie") == (LIE[1] - 3, LIE[1])
    assert at('"THAT is a"') == "that is a"
    assert at("nego*") == "Negotiations"
    assert at("ukraine") == "Ukráine"  # FTS5 folds diacritics away, and so does this
    assert at("zzz OR obama") == "Obama"
    assert at("NOT putin") is None
    assert at("disagreed putin") == "Putin"  # the first term to occur
