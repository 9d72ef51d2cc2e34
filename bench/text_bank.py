"""News-like text built from the sentences of the sample documents in `seeds/`.

Each sentence is cut into words once; documents are then assembled from sentences with known
positions, so the generator can place spans on words, names and whole sentences without
searching the text again. Emoji and Windows line breaks are sprinkled in on purpose: every
offset mistake between code points, UTF-16 and Qt's folded `\\r\\n` shows up on such text.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import cache

from workbench.core.resources import seeds_dir

# A sentence ends at . ! ? or … (maybe followed by a closing quote) before a capital letter.
_SENTENCE_END = re.compile(r"[.!?…][’”\"]?\s+(?=[A-Z“\"‘])")
_WORD = re.compile(r"\S+")
_EDGE_PUNCTUATION = ".,;:!?…“”‘’\"'()[]—–-"
_MIN_WORDS = 6

# Non-BMP emoji (two UTF-16 units each), a flag (two code points) and a skin-tone sequence.
EMOJI = ("😊", "😡", "👍", "🤔", "🇺🇦", "👍🏽", "🔥", "😂", "🙄", "💯")
CITIES = (
    "KYIV", "MOSCOW", "WASHINGTON", "BRUSSELS", "LONDON", "BERLIN", "PARIS", "WARSAW",
    "TALLINN", "RIGA", "VILNIUS", "MINSK", "HELSINKI", "KHARKIV", "ODESA", "LVIV",
    "GENEVA", "VIENNA", "ANKARA", "BEIJING", "NEW DELHI", "BRASILIA", "PRETORIA", "ROME",
)
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)
FIRST_NAMES = (
    "Anna", "Oleksandr", "Maria", "Dmitri", "Jennifer", "Tomasz", "Ingrid", "Kwame", "Lucia",
    "Hiroshi", "Fatima", "Pieter", "Sofia", "Rahul", "Elena", "Mateo",
)
LAST_NAMES = (
    "Kowalczyk", "Hicks", "Petrenko", "Lindqvist", "Okafor", "Moreau", "Tanaka", "Haddad",
    "Novak", "Eronen", "Silva", "Brandt", "Kuznetsova", "Mensah", "Varga", "Oliveira",
)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence with the places where spans fit, as offsets into `text`."""

    text: str
    words: tuple[tuple[int, int], ...]  # each word without surrounding punctuation
    names: tuple[tuple[int, int], ...]  # runs of capitalised words: where actors are
    clause_end: int | None  # end of the first clause (before a comma), if any

    def with_emoji_after_word(self, word_index: int, emoji: str) -> Sentence:
        """The same sentence with `emoji` inserted after one word (offsets shifted)."""
        insert_at = self.words[word_index][1]
        while insert_at < len(self.text) and not self.text[insert_at].isspace():
            insert_at += 1
        shift = len(emoji) + 1

        def moved(pair: tuple[int, int]) -> tuple[int, int]:
            start, end = pair
            return (start + shift, end + shift) if start >= insert_at else (start, end)

        clause_end = self.clause_end
        if clause_end is not None and clause_end > insert_at:
            clause_end += shift
        return Sentence(
            text=f"{self.text[:insert_at]} {emoji}{self.text[insert_at:]}",
            words=tuple(moved(w) for w in self.words),
            names=tuple(moved(n) for n in self.names),
            clause_end=clause_end,
        )


@dataclass(frozen=True, slots=True)
class PlacedSentence:
    """A sentence as it sits in a generated document: `start` is its offset in the text."""

    sentence: Sentence
    start: int


@dataclass(frozen=True, slots=True)
class AssembledText:
    text: str
    sentences: tuple[PlacedSentence, ...]


@cache
def sentence_bank() -> tuple[Sentence, ...]:
    """The distinct sentences of the sample documents, in file order."""
    seen: set[str] = set()
    bank: list[Sentence] = []
    for path in sorted(seeds_dir().glob("*.txt")):
        for paragraph in path.read_text(encoding="utf-8").splitlines():
            for raw in split_sentences(paragraph):
                if len(raw.split()) >= _MIN_WORDS and raw not in seen:
                    seen.add(raw)
                    bank.append(analyse(raw))
    if not bank:
        raise RuntimeError(f"no sentences found in {seeds_dir()}")
    return tuple(bank)


def split_sentences(paragraph: str) -> list[str]:
    paragraph = paragraph.strip()
    parts, start = [], 0
    for match in _SENTENCE_END.finditer(paragraph):
        parts.append(paragraph[start : match.end()].strip())
        start = match.end()
    parts.append(paragraph[start:].strip())
    return [part for part in parts if part]


def analyse(text: str) -> Sentence:
    words = []
    for match in _WORD.finditer(text):
        start, end = match.span()
        while start < end and text[start] in _EDGE_PUNCTUATION:
            start += 1
        while end > start and text[end - 1] in _EDGE_PUNCTUATION:
            end -= 1
        if text[start:end].endswith(("’s", "'s")):
            end -= 2
        if end > start:
            words.append((start, end))
    names: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []
    for word in [*words, None]:
        if word is not None and text[word[0]].isupper():
            run.append(word)
            continue
        if run and run[0] is words[0]:
            run = run[1:]  # a capital at the start of a sentence is no sign of a name
        # Headline-style capitals make long runs; a name is at most three words.
        names.extend((chunk[0][0], chunk[-1][1]) for chunk in _chunks(run, 3))
        run = []
    comma = text.find(",")
    clause_end = comma if comma > 20 else None
    return Sentence(text, tuple(words), tuple(names), clause_end)


def _chunks(items: list[tuple[int, int]], size: int) -> list[list[tuple[int, int]]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def dateline(rng: random.Random) -> str:
    day, month = rng.randint(1, 28), rng.choice(MONTHS)
    return f"{rng.choice(CITIES)}, {day} {month} {rng.randint(2014, 2025)} —"


def byline(rng: random.Random, serial: int) -> str:
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    return f"By {name} · Wire {serial:06d}"


class TextBuilder:
    """Appends sentences and line breaks while remembering where each sentence sits."""

    def __init__(self, newline: str) -> None:
        self.newline = newline
        self._parts: list[str] = []
        self._length = 0
        self._sentences: list[PlacedSentence] = []

    def write(self, text: str) -> None:
        self._parts.append(text)
        self._length += len(text)

    def sentence(self, sentence: Sentence) -> None:
        self._sentences.append(PlacedSentence(sentence, self._length))
        self.write(sentence.text)

    def line_break(self, count: int = 1) -> None:
        self.write(self.newline * count)

    @property
    def length(self) -> int:
        return self._length

    def build(self) -> AssembledText:
        return AssembledText("".join(self._parts), tuple(self._sentences))


def pick_sentence(rng: random.Random, emoji_chance: float) -> Sentence:
    sentence = rng.choice(sentence_bank())
    if emoji_chance and rng.random() < emoji_chance:
        sentence = sentence.with_emoji_after_word(
            rng.randrange(len(sentence.words)), rng.choice(EMOJI)
        )
    return sentence


def article_text(
    rng: random.Random, serial: int, sentences: int, newline: str, emoji_chance: float,
    min_length: int = 0,
) -> AssembledText:
    """Headline, byline and dateline, then paragraphs of two to five sentences.

    With `min_length`, paragraphs are added until the text is at least that long.
    """
    builder = TextBuilder(newline)
    headline = " ".join(rng.choice(sentence_bank()).text.split()[:12]).rstrip(".,;:")
    builder.write(headline + newline * 2)
    builder.write(byline(rng, serial) + newline * 2)
    builder.write(dateline(rng) + " ")
    written = 0
    while written < sentences or builder.length < min_length:
        paragraph = rng.randint(2, 5)
        if builder.length >= min_length:
            paragraph = min(paragraph, sentences - written)
        for n in range(paragraph):
            if n:
                builder.write(" ")
            builder.sentence(pick_sentence(rng, emoji_chance))
        written += paragraph
        if written < sentences or builder.length < min_length:
            builder.line_break(2)
    builder.line_break()
    return builder.build()


def comment_text(
    rng: random.Random, serial: int, sentences: int, newline: str, emoji_chance: float
) -> AssembledText:
    """A reader comment: a few sentences, often an emoji, signed by a reader number."""
    builder = TextBuilder(newline)
    for n in range(sentences):
        if n:
            builder.write(" " if rng.random() < 0.7 else newline)
        builder.sentence(pick_sentence(rng, emoji_chance))
    if rng.random() < 0.5:
        builder.write(" " + rng.choice(EMOJI))
    builder.line_break()
    builder.write(f"— reader {serial:06d}")
    return builder.build()
