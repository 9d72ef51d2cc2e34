"""A span categorizer learned from the project's own annotations, trained on the CPU.

Training uses the spans of one layer in the documents that have any (those documents are
taken as fully annotated for that layer) and holds part of the documents out to report
precision and recall on spans the model never saw. The model is a small spaCy
`spancat` over `spacy.blank("en")`, so it does not depend on which pipeline is installed.
Candidate spans are word n-grams up to the longest annotated span (capped) and whole
sentences, so sentence-long claims can be learned too.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Self

from workbench.core.codebook import Codebook
from workbench.core.errors import WorkbenchError
from workbench.core.progress import CancelToken, ProgressCallback, no_progress
from workbench.core.suggestions import DocumentProposals, PipelineInfo, SpanProposal
from workbench.nlp.pipelines import blank_pipeline
from workbench.nlp.suggester import (
    ProjectInputs,
    Suggester,
    SuggesterUnavailable,
    doc_text,
    span_offsets,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from thinc.api import Ragged

    from workbench.nlp.pipelines import LoadedPipeline

SPANS_KEY = "sc"
CANDIDATES = "workbench.ngrams_and_sentences.v1"
MODEL_FORMAT = 1


@dataclass(frozen=True, slots=True)
class TrainingDocument:
    """A document's text and the gold spans of one layer: (start, end, label) code points."""

    text: str
    spans: tuple[tuple[int, int, str], ...]


@dataclass(frozen=True)
class TrainingSettings:
    iterations: int = 20
    width: int = 64
    depth: int = 2
    embed_rows: int = 2000
    holdout: float = 0.2
    threshold: float = 0.5
    max_ngram: int = 8
    dropout: float = 0.1
    learn_rate: float = 0.001
    seed: int = 0


@dataclass
class LabelScores:
    precision: float
    recall: float
    f: float
    gold: int
    predicted: int


@dataclass
class TrainingReport:
    layer: str
    labels: list[str]
    train_documents: int
    heldout_documents: int
    train_spans: int
    heldout_spans: int
    unaligned_spans: int
    iterations: int
    seconds: float
    precision: float | None = None
    recall: float | None = None
    f: float | None = None
    per_label: dict[str, LabelScores] = field(default_factory=dict)
    losses: list[float] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        if self.precision is None:
            return (f"{self.layer}: trained on {self.train_spans} spans in "
                    f"{self.train_documents} documents (too few documents to hold any out)")
        return (f"{self.layer}: precision {self.precision:.2f}, recall {self.recall:.2f}, "
                f"F1 {self.f:.2f} on {self.heldout_spans} held-out spans in "
                f"{self.heldout_documents} documents (trained on {self.train_spans} spans in "
                f"{self.train_documents} documents)")


def _register_candidates() -> None:
    from spacy.util import registry

    if CANDIDATES in registry.misc:
        return

    @registry.misc(CANDIDATES)
    def make_candidates(max_size: int) -> Callable[..., Ragged]:
        return lambda docs, *, ops=None: ngrams_and_sentences(docs, max_size, ops=ops)


def ngrams_and_sentences(docs: Iterable[Doc], max_size: int, ops: Any = None) -> Ragged:
    """Candidate spans: every n-gram up to `max_size` tokens, each sentence, and each
    sentence without its final punctuation (as claims are usually marked)."""
    from thinc.api import Ragged, get_current_ops

    ops = ops or get_current_ops()
    rows: list[tuple[int, int]] = []
    lengths: list[int] = []
    for doc in docs:
        found: set[tuple[int, int]] = set()
        for size in range(1, max_size + 1):
            found.update((start, start + size) for start in range(len(doc) - size + 1))
        if doc.has_annotation("SENT_START"):
            for sent in doc.sents:
                start, end = sent.start, sent.end
                while end > start and (doc[end - 1].is_space or doc[end - 1].is_punct):
                    end -= 1
                if end > start:
                    found.add((start, end))
                found.add((sent.start, sent.end))
        ordered = sorted(found)
        rows.extend(ordered)
        lengths.append(len(ordered))
    data = ops.asarray2i(rows) if rows else ops.xp.zeros((0, 2), dtype="i")
    return Ragged(data, ops.asarray1i(lengths))


def add_span_categorizer(nlp: Language, labels: Sequence[str], settings: TrainingSettings,
                         max_size: int) -> None:
    """Add an untrained `spancat` to a blank pipeline (`pipelines.blank_pipeline`)."""
    _register_candidates()
    model = {
        "@architectures": "spacy.SpanCategorizer.v1",
        "scorer": {"@layers": "spacy.LinearLogistic.v1"},
        "reducer": {"@layers": "spacy.mean_max_reducer.v1", "hidden_size": settings.width},
        "tok2vec": {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": {
                "@architectures": "spacy.MultiHashEmbed.v2", "width": settings.width,
                "rows": [settings.embed_rows, settings.embed_rows // 2,
                         settings.embed_rows // 2, settings.embed_rows // 4],
                "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"],
                "include_static_vectors": False,
            },
            "encode": {
                "@architectures": "spacy.MaxoutWindowEncoder.v2", "width": settings.width,
                "window_size": 1, "maxout_pieces": 3, "depth": settings.depth,
            },
        },
    }
    spancat = nlp.add_pipe("spancat", config={
        "spans_key": SPANS_KEY, "threshold": settings.threshold, "model": model,
        "suggester": {"@misc": CANDIDATES, "max_size": max_size},
    })
    for label in labels:
        spancat.add_label(label)  # type: ignore[attr-defined]  # add_pipe returns a callable


def model_to_bytes(nlp: Language, layer: str, report: TrainingReport) -> bytes:
    import srsly

    return srsly.msgpack_dumps({
        "format": MODEL_FORMAT, "layer": layer, "config": nlp.config.to_str(),
        "weights": nlp.to_bytes(), "report": report.to_dict(),
    })


def model_from_bytes(data: bytes) -> tuple[Language, str]:
    """A stored model and the layer it suggests for."""
    import srsly
    from spacy.util import load_model_from_config
    from thinc.api import Config

    _register_candidates()
    try:
        packed = srsly.msgpack_loads(data)
        if packed.get("format") != MODEL_FORMAT:
            raise ValueError(f"model format {packed.get('format')!r}")
        nlp = load_model_from_config(Config().from_str(packed["config"]), auto_fill=True)
        nlp.from_bytes(packed["weights"])
    except (ValueError, KeyError, TypeError) as error:
        raise WorkbenchError(f"the stored model cannot be read ({error}); train it again"
                             ) from None
    return nlp, str(packed["layer"])


def split_documents(count: int, holdout: float, seed: int) -> tuple[list[int], list[int]]:
    """Indices for training and for evaluation; nothing held out below two documents."""
    order = list(range(count))
    random.Random(seed).shuffle(order)
    held = 0 if count < 2 or holdout <= 0 else min(count - 1, max(1, math.ceil(count * holdout)))
    return sorted(order[held:]), sorted(order[:held])


def train_span_categorizer(
    layer: str,
    documents: Sequence[TrainingDocument],
    settings: TrainingSettings | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> tuple[Language, TrainingReport]:
    """Train on part of `documents`, score on the rest; returns the model and its scores."""
    from spacy.util import fix_random_seed, minibatch

    settings = settings or TrainingSettings()
    labels = sorted({label for doc in documents for _, _, label in doc.spans})
    if not labels:
        raise WorkbenchError(f"layer {layer!r} has no annotated spans to learn from")
    started = time.perf_counter()
    fix_random_seed(settings.seed)
    train_ids, held_ids = split_documents(len(documents), settings.holdout, settings.seed)
    nlp = blank_pipeline()
    train_examples, unaligned = _examples(nlp, [documents[i] for i in train_ids])
    if not any(ex.reference.spans[SPANS_KEY] for ex in train_examples):
        raise WorkbenchError(f"layer {layer!r}: no annotated span lines up with words")
    # Candidate n-grams as long as the longest annotated span, within the cap.
    longest = max(len(span) for ex in train_examples for span in ex.reference.spans[SPANS_KEY])
    add_span_categorizer(nlp, labels, settings, min(longest, settings.max_ngram))
    optimizer = nlp.initialize(lambda: train_examples)
    optimizer.learn_rate = settings.learn_rate
    losses_seen: list[float] = []
    rng = random.Random(settings.seed)
    for iteration in range(settings.iterations):
        if cancel is not None:
            cancel.check()
        rng.shuffle(train_examples)
        losses: dict[str, float] = {}
        for batch in minibatch(train_examples, size=4):
            nlp.update(batch, drop=settings.dropout, sgd=optimizer, losses=losses)
        losses_seen.append(round(float(losses.get("spancat", 0.0)), 4))
        progress(iteration + 1, settings.iterations, f"training {layer}")
    report = TrainingReport(
        layer=layer, labels=labels, train_documents=len(train_ids),
        heldout_documents=len(held_ids),
        train_spans=sum(len(documents[i].spans) for i in train_ids),
        heldout_spans=sum(len(documents[i].spans) for i in held_ids),
        unaligned_spans=unaligned, iterations=settings.iterations, seconds=0.0,
        losses=losses_seen,
    )
    if held_ids:
        _score(nlp, [documents[i] for i in held_ids], labels, report)
    report.seconds = round(time.perf_counter() - started, 2)
    return nlp, report


def _examples(nlp: Language, documents: Sequence[TrainingDocument]) -> tuple[list[Any], int]:
    """Training examples, each text tokenized once; the candidate spans need sentences on
    the predicted side too. Also returns how many gold spans line up with no token."""
    from spacy.training import Example

    sentencizer = nlp.get_pipe("sentencizer")
    examples = []
    unaligned = 0
    for document in documents:
        predicted = sentencizer(nlp.make_doc(document.text))
        reference = predicted.copy()
        gold = []
        for start, end, label in document.spans:
            span = reference.char_span(start, end, label=label, alignment_mode="expand")
            if span is None or len(span) == 0:
                unaligned += 1
                continue
            gold.append(span)
        reference.spans[SPANS_KEY] = gold
        examples.append(Example(predicted, reference))
    return examples, unaligned


def predict_spans(nlp: Language, doc: Doc) -> list[tuple[int, int, str, float]]:
    """(start, end, label, score) in code points, overlapping spans of a label resolved
    to the highest scoring one."""
    spans = doc.spans.get(SPANS_KEY)
    if spans is None:
        return []
    scores = spans.attrs.get("scores")
    candidates: list[tuple[float, int, int, str]] = []
    for index, span in enumerate(spans):
        offsets = span_offsets(span)
        if offsets is None:
            continue
        score = float(scores[index]) if scores is not None else 1.0
        candidates.append((score, offsets[0], offsets[1], span.label_))
    candidates.sort(key=lambda c: (-c[0], c[1]))
    kept: list[tuple[int, int, str, float]] = []
    for score, start, end, label in candidates:
        if any(k[2] == label and start < k[1] and k[0] < end for k in kept):
            continue
        kept.append((start, end, label, score))
    kept.sort()
    return kept


def _score(nlp: Language, documents: Sequence[TrainingDocument], labels: list[str],
           report: TrainingReport) -> None:
    gold_total: dict[str, int] = dict.fromkeys(labels, 0)
    predicted_total: dict[str, int] = dict.fromkeys(labels, 0)
    correct: dict[str, int] = dict.fromkeys(labels, 0)
    for document, doc in zip(documents, nlp.pipe(d.text for d in documents), strict=True):
        gold = {(s, e, label) for s, e, label in document.spans}
        predicted = {(s, e, label) for s, e, label, _ in predict_spans(nlp, doc)}
        for _, _, label in gold:
            gold_total[label] = gold_total.get(label, 0) + 1
        for _, _, label in predicted:
            predicted_total[label] = predicted_total.get(label, 0) + 1
        for _, _, label in gold & predicted:
            correct[label] = correct.get(label, 0) + 1
    for label in labels:
        report.per_label[label] = _scores(correct[label], predicted_total[label],
                                          gold_total[label])
    overall = _scores(sum(correct.values()), sum(predicted_total.values()),
                      sum(gold_total.values()))
    report.precision, report.recall, report.f = overall.precision, overall.recall, overall.f


def _scores(correct: int, predicted: int, gold: int) -> LabelScores:
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold if gold else 0.0
    f = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return LabelScores(round(precision, 4), round(recall, 4), round(f, 4), gold, predicted)


class LearnedSuggester(Suggester):
    """Suggests with every span categorizer the project has trained (one per layer)."""

    name = "learned"
    title = "Learned from the project"
    description = ("A span categorizer trained on the spans annotators already accepted in "
                   "a layer; train it with `workbench suggestions train`.")
    needs_analysis = False

    def __init__(self, models: Sequence[tuple[str, bytes]] = ()) -> None:
        self._stored = list(models)
        self._models: list[tuple[Language, str, str]] = []

    @classmethod
    def from_project(cls, inputs: ProjectInputs) -> Self:
        return cls(inputs.models())

    def prepare(self, pipeline: LoadedPipeline, codebook: Codebook) -> list[str]:
        if not self._stored:
            raise SuggesterUnavailable(
                "the project has no trained model yet; train one with "
                "`workbench suggestions train PROJECT --layer LAYER`"
            )
        notes = []
        self._models = []  # a suggester prepared again (a second run) starts afresh
        for name, data in self._stored:
            nlp, layer = model_from_bytes(data)
            if not codebook.has_layer(layer):
                notes.append(f"{self.name}: model {name!r} is for layer {layer!r}, which the "
                             "codebook no longer has")
                continue
            known = {label.name for label in codebook.layer(layer).labels}
            self._models.append((nlp, layer, name))
            pipe: Any = nlp.get_pipe("spancat")  # typed as a bare callable by spaCy
            missing = set(pipe.labels) - known
            if missing:
                notes.append(f"{self.name}: model {name!r} knows labels the codebook lost: "
                             + ", ".join(sorted(missing)))
        if not self._models:
            raise SuggesterUnavailable("no stored model fits the codebook")
        self._labels = {
            (layer, label.name) for _, layer, _ in self._models
            for label in codebook.layer(layer).labels
        }
        return notes

    def pipeline_info(self, base: PipelineInfo) -> PipelineInfo:
        import spacy

        # Its own model, not the pipeline of the run, produced these suggestions.
        return PipelineInfo("spancat trained in the project", spacy.__version__)

    def propose(self, doc: Doc, proposals: DocumentProposals) -> None:
        # Every model is a blank English pipeline with the same tokenizer: tokenize once
        # (the run's own pipeline may tokenize differently) and let each model predict on it.
        tokens = self._models[0][0].make_doc(doc_text(doc))
        for nlp, layer, name in self._models:
            predicted = nlp(tokens)  # each model replaces the spans of the one before
            for start, end, label, score in predict_spans(nlp, predicted):
                if (layer, label) not in self._labels:
                    continue
                proposals.add_span(SpanProposal(
                    layer, label, start, end, score=round(score, 4),
                    reason=f"model {name} ({score:.2f})",
                ))
