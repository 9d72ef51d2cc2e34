"""Claims with attribution: who said what, from quotes, reporting verbs and "according to".

Three rules, each giving a Claim span and, when the speaker is found, an actor span and an
`asserts` relation from the actor to the claim:

- quoted speech next to a reporting verb: “...,” Putin stated. / Putin said: “...”
- reported speech: X said (that) ... (the verb's clausal complement in the dependency
  parse; without a parser, the rest of the sentence after "Name said (that)")
- a source phrase: According to X, ... / ..., according to X.

The reporting verbs and source phrases are a resource file a researcher can edit.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.codebook import Codebook
from workbench.core.errors import InputFileError, json_problem
from workbench.core.resources import patterns_dir
from workbench.core.suggestions import DocumentProposals, RelationProposal, SpanProposal
from workbench.nlp.entities import (
    ENTITY_TYPES,
    actor_offsets,
    entity_type_attributes,
    entity_type_options,
)
from workbench.nlp.quotes import Quote, find_quotes
from workbench.nlp.suggester import (
    Suggester,
    SuggesterUnavailable,
    doc_text,
    has_relation_label,
    require_span_label,
    trimmed_offsets,
    word_count,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from workbench.nlp.pipelines import LoadedPipeline

PRONOUNS = frozenset({
    "i", "you", "he", "she", "it", "we", "they", "this", "that", "these", "those", "who",
    "one", "someone", "somebody", "everyone", "nobody", "there",
})
# Heads of noun phrases that report but are nobody ("the statement says ..."): no actor.
NOT_SPEAKERS = frozenset({
    "statement", "report", "remark", "comment", "book", "article", "study", "data",
    "analysis", "document", "survey", "poll", "letter", "post", "tweet", "video", "evidence",
    "research", "paper", "story", "message", "claim", "news",
})
SENTENCE_END = frozenset({".", "!", "?"})
# How far from a quotation mark the reporting verb may stand, in tokens.
QUOTE_WINDOW = 6
MIN_CLAIM_WORDS = 3
MAX_SPEAKER_TOKENS = 6
_STARTS_KEY = ("workbench", "token_starts")


@dataclass(frozen=True)
class AttributionCues:
    """Reporting verbs (dictionary form -> forms) and phrases that introduce a source."""

    verbs: dict[str, tuple[str, ...]]
    source_phrases: tuple[str, ...]
    min_quote_words: int = 4
    forms: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        forms = {form.lower() for all_forms in self.verbs.values() for form in all_forms}
        object.__setattr__(self, "forms", frozenset(forms | set(self.verbs)))

    def is_reporting_verb(self, token: Token, use_lemmas: bool) -> bool:
        if use_lemmas and token.pos_ in {"VERB", "AUX"}:
            return token.lemma_.lower() in self.verbs
        if use_lemmas and token.pos_:
            return False  # a tagger that says "noun" is right about "claims of isolation"
        return token.lower_ in self.forms


def read_cues(path: Path | None = None) -> AttributionCues:
    path = path or patterns_dir() / "reporting-verbs.json"
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputFileError(path, "no such file") from None
    except json.JSONDecodeError as error:
        raise InputFileError(path, json_problem(error), line=error.lineno) from None
    verbs = data.get("reporting_verbs") if isinstance(data, dict) else None
    phrases = data.get("source_phrases", []) if isinstance(data, dict) else None
    if not isinstance(verbs, dict) or not all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(f, str) for f in v)
        for k, v in verbs.items()
    ):
        raise InputFileError(path, '"reporting_verbs" must map each verb to a list of forms')
    if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
        raise InputFileError(path, '"source_phrases" must be a list of phrases')
    min_words = data.get("min_quote_words", 4)
    if not isinstance(min_words, int) or min_words < 1:
        raise InputFileError(path, '"min_quote_words" must be a whole number above 0')
    return AttributionCues(
        {k.lower(): tuple(v) for k, v in verbs.items()}, tuple(phrases), min_words
    )


@dataclass(frozen=True, slots=True)
class Speaker:
    start: int
    end: int
    entity_label: str | None


class ClaimSuggester(Suggester):
    name = "claims"
    title = "Claims with attribution"
    description = ("Quoted and reported speech and 'according to' sources, as claims with "
                   "an asserts link from the speaker.")

    def __init__(self, cues: AttributionCues | None = None, claim_layer: str = "Claims",
                 claim_label: str = "Claim", actor_layer: str = "Actors",
                 actor_label: str = "Actor", relation_layer: str = "Links",
                 relation_label: str = "asserts") -> None:
        self.cues = cues or read_cues()
        self.claim_layer, self.claim_label = claim_layer, claim_label
        self.actor_layer, self.actor_label = actor_layer, actor_label
        self.relation_layer, self.relation_label = relation_layer, relation_label
        self._link_speakers = True
        self._type_options: frozenset[str] = frozenset()
        self._use_parser = False
        self._use_lemmas = False
        self._source_matcher: Any = None

    def prepare(self, pipeline: LoadedPipeline, codebook: Codebook) -> list[str]:
        from spacy.matcher import PhraseMatcher

        require_span_label(codebook, self.claim_layer, self.claim_label)
        notes: list[str] = []
        try:
            require_span_label(codebook, self.actor_layer, self.actor_label)
            self._link_speakers = has_relation_label(
                codebook, self.relation_layer, self.relation_label)
        except SuggesterUnavailable:
            self._link_speakers = False
        if not self._link_speakers:
            notes.append(f"{self.name}: the codebook has no {self.relation_label!r} links "
                         "from actors; claims are suggested without speakers")
        else:
            self._type_options = entity_type_options(codebook, self.actor_layer)
        self._use_parser = pipeline.has_parser
        self._use_lemmas = pipeline.has_lemmas
        if not self._use_parser:
            notes.append(f"{self.name}: pipeline {pipeline.info.name} has no parser; "
                         "using pattern rules")
        self._source_matcher = PhraseMatcher(pipeline.nlp.vocab, attr="LOWER")
        tokenizer: Any = pipeline.nlp.tokenizer  # a compiled class, untyped
        self._source_matcher.add("SOURCE", list(tokenizer.pipe(self.cues.source_phrases)))
        return notes

    # --- the rules ---------------------------------------------------------------------------

    def propose(self, doc: Doc, proposals: DocumentProposals) -> None:
        used_verbs: set[int] = set()
        quotes = find_quotes(doc_text(doc), self.cues.min_quote_words)
        for quote in quotes:
            self._quoted_speech(doc, quote, proposals, used_verbs)
        self._reported_speech(doc, quotes, proposals, used_verbs)
        self._source_phrases(doc, quotes, proposals)

    def _quoted_speech(self, doc: Doc, quote: Quote, proposals: DocumentProposals,
                       used_verbs: set[int]) -> None:
        claim = trimmed_offsets(doc_text(doc), quote.inner_start, quote.inner_end)
        if claim is None:
            return
        verb = self._verb_after(doc, quote.end) or self._verb_before(doc, quote.start)
        if verb is None:
            return
        used_verbs.add(verb.i)
        speaker = self._speaker_of(verb, quote)
        # A quotation of several sentences is several claims, each the speaker's.
        for piece in sentence_pieces(doc, *claim):
            self._add(proposals, piece, speaker,
                      f"quoted speech, reported with “{verb.text}”")

    def _reported_speech(self, doc: Doc, quotes: list[Quote], proposals: DocumentProposals,
                         used_verbs: set[int]) -> None:
        for token in doc:
            if token.i in used_verbs or not self.cues.is_reporting_verb(token, self._use_lemmas):
                continue
            if any(q.contains(token.idx, token.idx + len(token)) for q in quotes):
                continue
            clause = self._complement(token)
            if clause is None:
                continue
            # What is reported ends with the sentence of its verb, however the parse ran on.
            sentence = token.sent if doc.has_annotation("SENT_START") else None
            claim = trimmed_offsets(
                doc_text(doc), clause.start_char,
                clause.end_char if sentence is None else min(clause.end_char,
                                                             sentence.end_char))
            if claim is not None:
                claim = sentence_pieces(doc, *claim)[0]
            if claim is None or word_count(doc_text(doc)[claim[0]:claim[1]]) < MIN_CLAIM_WORDS:
                continue
            if any(q.contains(*claim) for q in quotes):
                continue  # the quote rule has it, with the exact quotation
            speaker = self._speaker_of(token, None)
            if speaker is None and not self._use_parser:
                continue  # without a parser only "Name said ..." is reliable enough
            self._add(proposals, claim, speaker, f"reported speech (“{token.text}”)")

    def _source_phrases(self, doc: Doc, quotes: list[Quote],
                        proposals: DocumentProposals) -> None:
        for _, start, end in self._source_matcher(doc):
            sentence = doc[start].sent
            source = self._source_after(doc, end, sentence)
            if source is None:
                continue
            source_span, source_end = source
            if start - sentence.start <= 1:  # "According to X, the claim."
                claim_tokens = doc[source_end:sentence.end]
            else:  # "The claim, according to X."
                claim_tokens = doc[sentence.start:start]
            claim = trimmed_offsets(doc_text(doc), claim_tokens.start_char, claim_tokens.end_char) \
                if len(claim_tokens) else None
            if claim is None or word_count(doc_text(doc)[claim[0]:claim[1]]) < MIN_CLAIM_WORDS:
                continue
            speaker = self._speaker_from_tokens(source_span)
            self._add(proposals, claim, speaker, f"source phrase “{doc[start:end].text}”")

    # --- finding the verb, the clause and the speaker ---------------------------------------

    def _verb_after(self, doc: Doc, char: int) -> Token | None:
        first = _token_at_or_after(doc, char)
        if first is None:
            return None
        for token in doc[first: first + QUOTE_WINDOW]:
            if "\n" in token.text or token.text in SENTENCE_END:
                return None
            if self.cues.is_reporting_verb(token, self._use_lemmas):
                return token
        return None

    def _verb_before(self, doc: Doc, char: int) -> Token | None:
        """The verb introducing a quotation: `X said: “`, `X told reporters, “`, `X said “`."""
        index = _token_before(doc, char)
        if index is None:
            return None
        introduced = doc[index].text in {":", ","}
        while index >= 0 and doc[index].text in {":", ",", "—", "–"}:
            index -= 1
        for token in reversed(doc[max(0, index - QUOTE_WINDOW + 1): index + 1]):
            if "\n" in token.text or token.text in SENTENCE_END or token.is_quote:
                return None
            if self.cues.is_reporting_verb(token, self._use_lemmas):
                return token
            if not introduced:
                return None  # without a colon or comma only the verb itself may precede
        return None

    def _complement(self, verb: Token) -> Span | None:
        """The clause that says what was said: a ccomp in the parse, else the sentence rest."""
        doc = verb.doc
        if self._use_parser:
            for child in verb.children:
                if child.dep_ == "ccomp":
                    tokens = list(child.subtree)
                    while tokens and tokens[0].dep_ == "mark":
                        tokens = tokens[1:]
                    return doc[tokens[0].i: tokens[-1].i + 1] if tokens else None
            return None
        sentence = verb.sent
        start = verb.i + 1
        if start < sentence.end and doc[start].text == ":":
            start += 1  # "said: that is a lie" -- here "that" belongs to the claim
        elif start < sentence.end and doc[start].lower_ == "that":
            start += 1
        if start >= sentence.end or doc[start].is_punct:
            return None  # "said, ..." or a quotation, which the quote rule handles
        return doc[start:sentence.end]

    def _speaker_of(self, verb: Token, quote: Quote | None) -> Speaker | None:
        if self._use_parser:
            subject = _subject(verb)
            if subject is not None:
                if quote is not None and quote.contains(subject.idx, subject.idx + len(subject)):
                    return None
                return self._speaker_from_token(subject)
        # No parse (or no subject in it): a name right before the verb or right after it.
        doc = verb.doc
        before = _title_run(doc, verb.i - 1, step=-1)
        if before is not None:
            return self._speaker_from_tokens(before)
        after = _title_run(doc, verb.i + 1, step=1)
        return self._speaker_from_tokens(after) if after is not None else None

    def _speaker_from_token(self, subject: Token) -> Speaker | None:
        if subject.lower_ in PRONOUNS or subject.pos_ == "PRON":
            return None
        for ent in subject.doc.ents:
            if ent.start <= subject.i < ent.end and ent.label_ in ENTITY_TYPES:
                return self._speaker_from_tokens(ent, ent.label_)
        # Not a named entity: the noun phrase up to its head ("the Russian leader"), but
        # not a name inside it ("NATO" in "several NATO officials" did not speak).
        if (subject.lemma_ or subject.lower_).lower() in NOT_SPEAKERS \
                or subject.lower_.rstrip("s") in NOT_SPEAKERS:
            return None
        left = max(subject.left_edge.i, subject.i - MAX_SPEAKER_TOKENS + 1)
        return self._speaker_from_tokens(subject.doc[left: subject.i + 1], find_entity=False)

    def _speaker_from_tokens(self, tokens: Span, entity_label: str | None = None,
                             find_entity: bool = True) -> Speaker | None:
        if entity_label is None and find_entity:
            named = [ent for ent in tokens.ents if ent.label_ in ENTITY_TYPES]
            # "US President Barack Obama": the person speaks, not the country.
            named.sort(key=lambda ent: (ent.label_ != "PERSON", -ent.end))
            if named:
                tokens, entity_label = named[0], named[0].label_
        if len(tokens) == 0 or len(tokens) > MAX_SPEAKER_TOKENS:
            return None
        if len(tokens) == 1 and tokens[0].lower_ in PRONOUNS:
            return None
        offsets = actor_offsets(tokens)
        return Speaker(*offsets, entity_label) if offsets else None

    def _source_after(self, doc: Doc, start: int, sentence: Span) -> tuple[Span, int] | None:
        """The source named after "according to": its tokens and where the claim resumes."""
        end = start
        while end < sentence.end and doc[end].text not in {",", ";", ":"} | SENTENCE_END:
            end += 1
        if end == start or end - start > MAX_SPEAKER_TOKENS + 2:
            return None
        resume = end + 1 if end < sentence.end and doc[end].text == "," else end
        return doc[start:end], resume

    # --- output ------------------------------------------------------------------------------

    def _add(self, proposals: DocumentProposals, claim: tuple[int, int],
             speaker: Speaker | None, reason: str) -> None:
        claim_index = proposals.add_span(SpanProposal(
            self.claim_layer, self.claim_label, claim[0], claim[1], reason=reason))
        if speaker is None or not self._link_speakers:
            return
        if speaker.start < claim[1] and claim[0] < speaker.end:
            return  # a speaker inside their own claim is a parse error
        actor_index = proposals.add_span(SpanProposal(
            self.actor_layer, self.actor_label, speaker.start, speaker.end,
            entity_type_attributes(speaker.entity_label, self._type_options),
            reason="speaker of a claim"))
        proposals.add_relation(RelationProposal(
            self.relation_layer, self.relation_label, actor_index, claim_index, reason=reason))


# Sentences glued together without a space ("not be afraid.Putin is"): a small letter, the
# end of a sentence, a capital and a small letter. "U.S. President" does not match.
_GLUED_SENTENCES = re.compile(r"(?<=[a-z\u00df-\u00ff][.!?])(?=[A-Z][a-z])")


def sentence_pieces(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """start..end cut at the sentence boundaries inside it (the pipeline's, where it has
    them, and sentences glued without a space), each piece trimmed; never empty."""
    text = doc_text(doc)
    cuts = {start, end}
    if doc.has_annotation("SENT_START"):
        cuts.update(s.start_char for s in doc.sents if start < s.start_char < end)
    cuts.update(start + m.start() for m in _GLUED_SENTENCES.finditer(text[start:end]))
    ordered = sorted(cuts)
    pieces = [trimmed_offsets(text, a, b) for a, b in pairwise(ordered)]
    kept = [p for p in pieces if p is not None and word_count(text[p[0]:p[1]]) >= 2]
    return kept or [(start, end)]


def _subject(verb: Token) -> Token | None:
    """The verb's subject; "went on to say" borrows the subject of "went"."""
    current: Token | None = verb
    for _ in range(3):
        if current is None:
            return None
        for child in current.children:
            if child.dep_ in {"nsubj", "nsubjpass"}:
                return child
        if current.dep_ in {"xcomp", "advcl", "conj"} and current.head is not current:
            current = current.head
        else:
            return None
    return None


def _title_run(doc: Doc, index: int, step: int) -> Span | None:
    """Capitalised words next to `index` (going left or right): a name, as far as it goes."""
    indices: list[int] = []
    while 0 <= index < len(doc) and len(indices) < MAX_SPEAKER_TOKENS:
        token = doc[index]
        if not (token.is_title or (token.is_upper and token.is_alpha and len(token) > 1)):
            break
        indices.append(index)
        index += step
    if not indices:
        return None
    return doc[min(indices): max(indices) + 1]


def _token_at_or_after(doc: Doc, char: int) -> int | None:
    index = bisect.bisect_left(_token_starts(doc), char)
    return index if index < len(doc) else None


def _token_before(doc: Doc, char: int) -> int | None:
    """The last token that ends at or before `char`."""
    index = bisect.bisect_left(_token_starts(doc), char) - 1
    while index >= 0 and doc[index].idx + len(doc[index]) > char:
        index -= 1
    return index if index >= 0 else None


def _token_starts(doc: Doc) -> list[int]:
    user_data: dict[Any, Any] = doc.user_data  # keyed by tuples, as spaCy suggests
    starts = user_data.get(_STARTS_KEY)
    if starts is None or len(starts) != len(doc):
        starts = user_data[_STARTS_KEY] = [token.idx for token in doc]
    return starts
