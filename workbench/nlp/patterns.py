"""Pattern lists a researcher can edit, in spaCy's pattern format, run with its matchers.

A pattern file is JSON Lines, one pattern a line, the format of spaCy's EntityRuler and
SpanRuler:

    {"label": "Whataboutism", "pattern": "what about"}
    {"label": "Doubt", "pattern": [{"LOWER": "so"}, {"ORTH": "-"}, {"LOWER": "called"}]}

A text pattern is matched as a phrase, ignoring case (spaCy's PhraseMatcher on LOWER); a
list is a token pattern for spaCy's Matcher. Optional keys: "layer" (default given by the
suggester), "id" (shown as the reason of a suggestion). Blank lines and lines starting
with `//` are skipped. A bad line is reported with the file name and line number.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.errors import InputFileError, json_problem

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Token attributes that need more than a tokenizer (a tagger, lemmatizer, parser or NER).
ANALYSIS_ATTRS = frozenset({"LEMMA", "POS", "TAG", "MORPH", "DEP", "ENT_TYPE", "ENT_IOB",
                            "ENT_ID", "IS_SENT_START", "SENT_START"})


@dataclass(frozen=True, slots=True)
class PatternEntry:
    label: str
    pattern: str | tuple[Mapping[str, Any], ...]
    layer: str | None = None
    id: str | None = None
    line: int = 0

    @property
    def is_phrase(self) -> bool:
        return isinstance(self.pattern, str)

    def describe(self) -> str:
        if self.id:
            return self.id
        if isinstance(self.pattern, str):
            return f'"{self.pattern}"'
        return json.dumps(list(self.pattern), ensure_ascii=False)

    def to_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {"label": self.label}
        record["pattern"] = self.pattern if isinstance(self.pattern, str) else [
            dict(token) for token in self.pattern]
        if self.layer:
            record["layer"] = self.layer
        if self.id:
            record["id"] = self.id
        return record


@dataclass(frozen=True, slots=True)
class PatternSet:
    entries: tuple[PatternEntry, ...]
    source: str

    def labels(self) -> list[str]:
        return list(dict.fromkeys(entry.label for entry in self.entries))

    def uses_analysis(self) -> bool:
        """True when a token pattern needs more than a tokenizer (lemmas, tags, ...)."""
        return any(
            key.upper() in ANALYSIS_ATTRS
            for entry in self.entries if not entry.is_phrase
            for token in entry.pattern for key in token
        )

    def to_records(self) -> list[dict[str, Any]]:
        return [entry.to_record() for entry in self.entries]


def read_pattern_file(path: Path) -> PatternSet:
    """Read and check a pattern file; any bad line raises InputFileError (file, line)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputFileError(path, "no such pattern file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputFileError(path, f"cannot read the pattern file ({error})") from None
    records: list[tuple[int, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("//"):
            continue
        try:
            records.append((number, json.loads(stripped)))
        except json.JSONDecodeError as error:
            raise InputFileError(path, json_problem(error), line=number) from None
    return patterns_from_records(records, str(path))


def patterns_from_records(
    records: Iterable[tuple[int, Any]] | Sequence[Mapping[str, Any]], source: str
) -> PatternSet:
    """Build a checked pattern set from (line, record) pairs or plain records."""
    entries: list[PatternEntry] = []
    for index, item in enumerate(records, start=1):
        line, record = item if isinstance(item, tuple) else (index, item)
        entries.append(_entry(record, source, line))
    pattern_set = PatternSet(tuple(entries), source)
    _check_token_patterns(pattern_set)
    return pattern_set


def _entry(record: Any, source: str, line: int) -> PatternEntry:
    if not isinstance(record, Mapping):
        raise InputFileError(source, "each line must be a JSON object", line=line)
    unknown = set(record) - {"label", "pattern", "layer", "id"}
    if unknown:
        raise InputFileError(source, f"unknown keys {sorted(unknown)}", line=line)
    label = record.get("label")
    if not isinstance(label, str) or not label.strip():
        raise InputFileError(source, 'a pattern needs a "label" (text)', line=line)
    pattern = record.get("pattern")
    layer = record.get("layer")
    ident = record.get("id")
    for key, value in (("layer", layer), ("id", ident)):
        if value is not None and not isinstance(value, str):
            raise InputFileError(source, f'"{key}" must be text', line=line)
    if isinstance(pattern, str):
        if not pattern.strip():
            raise InputFileError(source, "an empty phrase matches nothing", line=line)
        return PatternEntry(label, pattern, layer, ident, line)
    if (isinstance(pattern, list) and pattern
            and all(isinstance(token, Mapping) for token in pattern)):
        return PatternEntry(label, tuple(dict(token) for token in pattern), layer, ident, line)
    raise InputFileError(
        source, '"pattern" must be a phrase (text) or a list of token objects', line=line
    )


def _check_token_patterns(pattern_set: PatternSet) -> None:
    """Let spaCy's own validator judge each token pattern, naming the line it came from."""
    from spacy.errors import MatchPatternError
    from spacy.matcher import Matcher
    from spacy.vocab import Vocab

    matcher = Matcher(Vocab(), validate=True)
    for entry in pattern_set.entries:
        if isinstance(entry.pattern, str):
            continue  # a phrase
        try:
            matcher.add(f"line{entry.line}", [[dict(token) for token in entry.pattern]])
        except (MatchPatternError, ValueError, TypeError) as error:
            message = " ".join(str(error).split())
            raise InputFileError(
                pattern_set.source, f"not a valid spaCy token pattern: {message}",
                line=entry.line,
            ) from None


@dataclass(frozen=True, slots=True)
class PatternMatch:
    entry: PatternEntry
    start: int  # token indices, end exclusive
    end: int


class CompiledPatterns:
    """A pattern set compiled for one pipeline's vocabulary and tokenizer."""

    def __init__(self, nlp: Language, entries: Sequence[PatternEntry],
                 phrase_attr: str = "LOWER") -> None:
        from spacy.matcher import Matcher, PhraseMatcher

        self._entries = list(entries)
        self._phrases = PhraseMatcher(nlp.vocab, attr=phrase_attr)
        self._tokens = Matcher(nlp.vocab)
        # The same tokenizer as the documents, so phrases split into the same tokens.
        tokenizer: Any = nlp.tokenizer  # a compiled class, untyped
        phrase_docs = tokenizer.pipe(
            entry.pattern for entry in self._entries if isinstance(entry.pattern, str)
        )
        self._key_to_entry: dict[int, PatternEntry] = {}
        phrase_iter = iter(phrase_docs)
        for index, entry in enumerate(self._entries):
            key = f"pattern{index}"
            self._key_to_entry[nlp.vocab.strings.add(key)] = entry
            if isinstance(entry.pattern, str):
                self._phrases.add(key, [next(phrase_iter)])
            else:
                self._tokens.add(key, [[dict(token) for token in entry.pattern]])

    def __len__(self) -> int:
        return len(self._entries)

    def find(self, doc: Doc) -> list[PatternMatch]:
        """Every match in the document; overlapping matches of one label keep the longest."""
        raw = []
        # An empty matcher would warn on every call; skip the kind a list does not use.
        if len(self._phrases):
            raw.extend(self._phrases(doc))
        if len(self._tokens):
            raw.extend(self._tokens(doc))
        by_label: dict[str, list[PatternMatch]] = {}
        for key, start, end in raw:
            entry = self._key_to_entry[key]
            by_label.setdefault(entry.label, []).append(PatternMatch(entry, start, end))
        kept: list[PatternMatch] = []
        for matches in by_label.values():
            matches.sort(key=lambda m: (-(m.end - m.start), m.start))
            taken: list[PatternMatch] = []
            for match in matches:
                if all(match.end <= t.start or match.start >= t.end for t in taken):
                    taken.append(match)
            kept.extend(taken)
        kept.sort(key=lambda m: (m.start, m.end))
        return kept
