"""The span categorizer learned from a project's annotations (tiny settings, CPU, seconds)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from tests.conftest import EMOJI_CRLF_TEXT, sqlite_steps
from workbench.cli import main
from workbench.core.codebook import Codebook
from workbench.core.errors import WorkbenchError
from workbench.core.model import Document, Span
from workbench.nlp.engine import SuggestionEngine
from workbench.nlp.pipelines import BLANK, load_exact
from workbench.nlp.spancat import (
    LearnedSuggester,
    TrainingDocument,
    TrainingSettings,
    model_from_bytes,
    model_to_bytes,
    predict_spans,
    split_documents,
    train_span_categorizer,
)
from workbench.services.codebooks import resolve_codebook
from workbench.services.suggesting import run_suggestions
from workbench.services.suggestion_training import train_layer_model, training_documents
from workbench.storage import ProjectStore

TINY = TrainingSettings(iterations=8, width=32, embed_rows=500, holdout=0.25)
NAMES = ["Anna Berg", "Tom Frey", "Lena Roth", "Karl Popp", "Mia Wolf", "Jan Hus",
         "Eva Stern", "Paul Klee", "Ida Lund", "Max Ernst", "Ola Nord", "Rita Lang"]


def synthetic_documents(count: int = 8, seed: int = 1) -> list[TrainingDocument]:
    """Sentences naming two people each; the names are the gold Actor spans."""
    rng = random.Random(seed)
    documents = []
    for _ in range(count):
        text, spans = "", []
        for _ in range(6):
            first, second = rng.sample(NAMES, 2)
            verb = rng.choice(["met", "criticised", "praised", "called", "visited"])
            sentence = f"Yesterday {first} {verb} {second} in the city. "
            start = len(text) + len("Yesterday ")
            spans.append((start, start + len(first), "Actor"))
            start = len(text) + sentence.index(second)
            spans.append((start, start + len(second), "Actor"))
            text += sentence
        documents.append(TrainingDocument(text, tuple(spans)))
    return documents


def test_documents_are_split_for_scoring() -> None:
    train, held = split_documents(10, 0.2, seed=0)
    assert len(held) == 2 and sorted(train + held) == list(range(10))
    assert split_documents(1, 0.2, seed=0) == ([0], [])
    assert split_documents(2, 0.9, seed=0)[1] != []
    assert len(split_documents(2, 0.9, seed=0)[0]) == 1


def test_training_reports_precision_and_recall_on_held_out_documents() -> None:
    _, report = train_span_categorizer("Actors", synthetic_documents(), TINY)
    assert (report.train_documents, report.heldout_documents) == (6, 2)
    assert (report.train_spans, report.heldout_spans) == (72, 24)
    assert report.labels == ["Actor"] and report.unaligned_spans == 0
    assert report.losses[-1] < report.losses[0]
    # names in a fixed frame are easy: the held-out score shows it learned
    assert report.precision is not None and report.recall is not None
    assert report.precision >= 0.8 and report.recall >= 0.6
    assert report.per_label["Actor"].gold == 24
    assert "held-out spans in 2 documents" in report.summary()


def test_a_model_survives_the_round_trip_through_bytes() -> None:
    nlp, report = train_span_categorizer("Actors", synthetic_documents(), TINY)
    text = "Yesterday Anna Berg met Tom Frey in the city."
    before = predict_spans(nlp, nlp(text))
    restored, layer = model_from_bytes(model_to_bytes(nlp, "Actors", report))
    assert layer == "Actors"
    assert predict_spans(restored, restored(text)) == before
    with pytest.raises(WorkbenchError, match="cannot be read"):
        model_from_bytes(b"\x81\xa6format\x63")


def test_unaligned_spans_are_counted_not_fatal() -> None:
    documents = synthetic_documents(4)
    first = documents[0]
    broken = TrainingDocument(first.text, (*first.spans, (3, 5, "Actor")))
    _, report = train_span_categorizer(
        "Actors", [broken, *documents[1:]], TrainingSettings(iterations=1, width=16,
                                                             embed_rows=200, holdout=0))
    assert report.precision is None  # nothing held out
    assert report.train_spans == 49


def test_nothing_to_learn_is_a_clear_error() -> None:
    with pytest.raises(WorkbenchError, match="no annotated spans"):
        train_span_categorizer("Actors", [TrainingDocument("Just text.", ())], TINY)


def project_with_annotations(store: ProjectStore) -> None:
    for index, document in enumerate(synthetic_documents()):
        stored = store.documents.add(Document(f"doc{index}", document.text))
        assert stored.id is not None
        store.spans.add_many(Span(stored.id, "Actors", label, start, end, "ann")
                             for start, end, label in document.spans)
    store.documents.add(Document("emoji", EMOJI_CRLF_TEXT + "Yesterday Ida Lund met Max Ernst."))


def test_gathering_training_spans_costs_nothing_per_document_without_any(
    store: ProjectStore,
) -> None:
    project_with_annotations(store)
    expected = training_documents(store, "Actors")
    alone = sqlite_steps(store, lambda: training_documents(store, "Actors"))
    store.documents.add_many(Document(f"plain {i}", f"Plain text number {i}.")
                             for i in range(1000))
    assert training_documents(store, "Actors") == expected
    among = sqlite_steps(store, lambda: training_documents(store, "Actors"))
    assert among < 1.5 * alone


def test_train_in_the_project_and_suggest_with_it(store: ProjectStore) -> None:
    project_with_annotations(store)
    assert len(training_documents(store, "Actors")) == 8  # the emoji document has none
    report = train_layer_model(store, "Actors", TINY)
    [model] = store.suggestion_models.all()
    assert model.name == "spancat:Actors" and model.metrics["f"] == report.f
    run = run_suggestions(store, suggesters=["learned"], pipeline="blank")
    tally = run.tallies["learned"]
    assert tally.proposed > 0
    assert tally.stored.previously_accepted == 0 and tally.stored.already_annotated > 0
    emoji_id = store.documents.find_by_name("emoji")
    assert emoji_id is not None
    found = {s.text_in(store.documents.text(emoji_id))
             for s in store.suggestions.for_document(emoji_id)}
    assert {"Ida Lund", "Max Ernst"} & found
    suggestion = store.suggestions.for_document(emoji_id)[0]
    assert suggestion.score is not None and suggestion.pipeline.name.startswith("spancat")


def test_training_needs_enough_annotations(store: ProjectStore, emoji_document: int) -> None:
    store.spans.add(Span(emoji_document, "Actors", "Actor", 18, 23, "ann"))
    with pytest.raises(WorkbenchError, match="training needs at least"):
        train_layer_model(store, "Actors", TINY)
    with pytest.raises(WorkbenchError, match="no span layer 'Links'"):
        train_layer_model(store, "Links", TINY)


def test_learned_suggester_without_a_model_says_how_to_get_one(news_codebook: object) -> None:
    from workbench.nlp.suggester import SuggesterUnavailable

    with pytest.raises(SuggesterUnavailable, match="suggestions train"):
        LearnedSuggester([]).prepare(load_exact(BLANK), news_codebook)


def test_train_from_the_command_line(project_path: Path, store: ProjectStore,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    project_with_annotations(store)
    store.close()
    assert main(["suggestions", "train", str(project_path), "--layer", "Actors",
                 "--iterations", "3", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["iterations"] == 3 and report["heldout_documents"] == 2
    assert main(["suggestions", "settings", str(project_path)]) == 0
    assert "model spancat:Actors: trained" in capsys.readouterr().out


def verb_documents() -> list[TrainingDocument]:
    """The synthetic texts with their verbs as loaded language, for a second model."""
    documents = []
    for document in synthetic_documents():
        spans = tuple((m.start(), m.end(), "Loaded_Language") for m in re.finditer(
            r"\b(criticised|praised|called)\b", document.text))
        documents.append(TrainingDocument(document.text, spans))
    return documents


def test_every_model_suggests_for_its_layer_from_one_tokenization(
    news_codebook: Codebook
) -> None:
    actors, actors_report = train_span_categorizer("Actors", synthetic_documents(), TINY)
    devices, devices_report = train_span_categorizer(
        "Rhetorical devices", verb_documents(), TINY)
    suggester = LearnedSuggester([
        ("spancat:Actors", model_to_bytes(actors, "Actors", actors_report)),
        ("spancat:Rhetorical devices",
         model_to_bytes(devices, "Rhetorical devices", devices_report)),
    ])
    engine = SuggestionEngine(load_exact(BLANK), [suggester], news_codebook)
    text = "Yesterday Anna Berg praised Tom Frey in the city. 😊\r\nMia Wolf called Jan Hus."
    [result] = engine.run([(1, text)])
    found = {(p.layer, p.label, p.start, p.end) for p in result.proposals["learned"].spans}
    # the same as each model tokenizing the text on its own
    expected = {("Actors", label, start, end)
                for start, end, label, _ in predict_spans(actors, actors(text))}
    expected |= {("Rhetorical devices", label, start, end)
                 for start, end, label, _ in predict_spans(devices, devices(text))}
    assert found == expected
    assert {layer for layer, *_ in found} == {"Actors", "Rhetorical devices"}


def test_a_suggester_prepared_again_keeps_only_what_fits_the_new_codebook(
    news_codebook: Codebook
) -> None:
    nlp, report = train_span_categorizer("Actors", synthetic_documents(4), TrainingSettings(
        iterations=1, width=16, embed_rows=200, holdout=0))
    suggester = LearnedSuggester([("spancat:Actors", model_to_bytes(nlp, "Actors", report))])
    suggester.prepare(load_exact(BLANK), news_codebook)
    without_actors = resolve_codebook("semeval2020-ptc")
    assert not without_actors.has_layer("Actors")
    from workbench.nlp.suggester import SuggesterUnavailable

    # a reused run plan prepares its suggesters again: the earlier models must not linger
    with pytest.raises(SuggesterUnavailable, match="no stored model fits"):
        suggester.prepare(load_exact(BLANK), without_actors)
