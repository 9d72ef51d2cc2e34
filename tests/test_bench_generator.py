"""The benchmark corpus generator: the same corpus every time, with the counts it promises,
annotations the workbench accepts, and the emoji and Windows line breaks it advertises."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from itertools import pairwise
from pathlib import Path

from bench.cache import Cache
from bench.generator import (
    LAYER_WEIGHTS,
    TINY,
    CorpusSpec,
    allocate,
    document_texts,
    generate,
)
from bench.project_builder import build_project
from bench.text_bank import EMOJI
from workbench.core.codebook import Codebook
from workbench.core.drafts import DocumentDraft
from workbench.core.model import check_span_offsets
from workbench.services.project import open_project


def _fingerprint(drafts: list[DocumentDraft]) -> str:
    data = json.dumps([asdict(draft) for draft in drafts], sort_keys=True, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def test_the_same_spec_gives_the_same_corpus() -> None:
    assert _fingerprint(list(generate(TINY))) == _fingerprint(list(generate(TINY)))
    other_seed = CorpusSpec(TINY.name, TINY.documents, TINY.spans, seed="another")
    assert _fingerprint(list(generate(other_seed))) != _fingerprint(list(generate(TINY)))


def test_the_advertised_counts() -> None:
    drafts = list(generate(TINY))
    assert len(drafts) == TINY.documents
    assert sum(len(draft.spans) for draft in drafts) == TINY.spans
    assert sum(len(draft.relations) for draft in drafts) > TINY.spans // 20
    assert len({draft.name for draft in drafts}) == TINY.documents
    assert len({draft.text for draft in drafts}) == TINY.documents


def test_a_larger_corpus_starts_with_the_smaller_one() -> None:
    small, large = CorpusSpec("a", 6, 60), CorpusSpec("b", 12, 90)
    assert list(document_texts(large, 6)) == list(document_texts(small))


def test_allocate_splits_exactly() -> None:
    assert allocate(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(allocate(2_000_000, list(range(1, 1000)))) == 2_000_000


def test_annotations_fit_the_codebook_and_the_text(news_codebook: Codebook) -> None:
    drafts = list(generate(TINY))
    layers_seen, overlaps = set(), 0
    for draft in drafts:
        by_key = {span.key: span for span in draft.spans}
        seen = set()
        for span in draft.spans:
            check_span_offsets(span.start, span.end, draft.text)
            layer = news_codebook.layer(span.layer)
            assert layer.label(span.label).selectable
            layer.check_attributes(span.attributes)
            identity = (span.layer, span.label, span.start, span.end, span.annotator)
            assert identity not in seen
            seen.add(identity)
            layers_seen.add(span.layer)
        ordered = sorted(draft.spans, key=lambda s: s.start)
        overlaps += sum(1 for a, b in pairwise(ordered) if b.start < a.end)
        for relation in draft.relations:
            label = news_codebook.layer("Links").label(relation.label)
            source, target = by_key[relation.source_key], by_key[relation.target_key]
            assert (source.layer, target.layer) == (label.source_layer, label.target_layer)
            assert source.annotator == target.annotator == relation.annotator
    assert layers_seen == set(LAYER_WEIGHTS)
    assert overlaps > TINY.spans // 20


def test_emoji_and_windows_line_breaks_come_before_spans() -> None:
    drafts = list(generate(CorpusSpec("mixed", 60, 1200)))

    def has_span_after(draft: DocumentDraft, marker: int) -> bool:
        return marker >= 0 and any(span.start > marker for span in draft.spans)

    assert any(has_span_after(d, d.text.find("\r\n")) for d in drafts)
    assert any(has_span_after(d, min((d.text.find(e) for e in EMOJI if e in d.text),
                                     default=-1)) for d in drafts)
    assert any("\r\n" not in d.text for d in drafts)
    # Comments and articles both, as in a news corpus with reader comments.
    assert {d.metadata["kind"] for d in drafts} == {"article", "comment"}


def test_a_built_project_holds_the_corpus(tmp_path: Path) -> None:
    counts = build_project(tmp_path / "tiny.wbproj", generate(TINY))
    with open_project(tmp_path / "tiny.wbproj") as store:
        assert store.documents.count() == counts.documents == TINY.documents
        assert store.spans.count() == counts.spans == TINY.spans
        assert store.relations.count() == counts.relations > 0
        assert store.documents.search("Putin")


def test_the_cache_builds_once(tmp_path: Path) -> None:
    first = Cache(tmp_path)
    folder = first.text_files(TINY)
    assert len(list(folder.glob("*.txt"))) == TINY.documents
    assert list(first.built) == [folder.name]
    again = Cache(tmp_path)
    assert again.text_files(TINY) == folder
    assert again.built == {}
    assert not list(tmp_path.glob("*.partial"))
