"""CoNLL-2003 with IOB2 tags, the input of spaCy's `spacy convert -c ner` and many taggers.

One file per span layer (`<layer>.conll` in the target folder), since IOB cannot hold
overlapping spans: lines `token _ _ TAG`, a blank line between sentences (a sentence ends at a
line break), and `-DOCSTART- -X- O O` before each document, the only separator spaCy's
converter recognises. Tags are strict IOB2: every entity starts with `B-`. Where spans of a
layer overlap, the earliest and then longest is kept and the summary counts the rest; labels
with whitespace are written with `_` instead. Export only.
"""

from __future__ import annotations

from pathlib import Path

from workbench.core.export_data import ExportBundle, ExportSummary, Omissions, WriteOptions
from workbench.core.model import Span
from workbench.formats.registry import Format
from workbench.formats.shared.atomic_output import atomic_folder
from workbench.formats.shared.file_names import unique_safe_stem
from workbench.formats.shared.heap import older_objects_set_aside
from workbench.formats.shared.token_layout import sentences, span_edges, tokenize, words_of

DOCSTART = "-DOCSTART- -X- O O\n"


def without_overlaps(spans: list[Span]) -> tuple[list[Span], int]:
    """Earliest, then longest, spans that do not overlap; and how many were left out."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start), s.label)):
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept, len(spans) - len(kept)


def tag_label(label: str) -> str:
    return "_".join(label.split())


def write(bundle: ExportBundle, target: Path, options: WriteOptions) -> ExportSummary:
    summary = ExportSummary(format=FORMAT.name, target=str(target))
    omissions = Omissions()
    layers = [layer.name for layer in bundle.codebook.span_layers]
    renamed: set[str] = set()
    taken: set[str] = set()
    with atomic_folder(target) as folder, older_objects_set_aside():
        files = {}
        for layer in layers:
            name = unique_safe_stem(layer, taken) + ".conll"
            files[layer] = (folder / name).open("w", encoding="utf-8", newline="\n")
            summary.files.append(name)
        try:
            for item in bundle.documents():
                summary.documents += 1
                words = Words(item.text)  # the same for every layer
                for layer in layers:
                    spans = [span for span in item.spans if span.layer == layer]
                    kept, dropped = without_overlaps(spans)
                    omissions.add(f"overlapping span(s) of layer {layer!r}", dropped)
                    summary.spans += len(kept)
                    renamed.update(s.label for s in kept if tag_label(s.label) != s.label)
                    files[layer].write(document_conll(item.text, kept, words))
                omissions.add("attribute value(s)", sum(len(s.attributes) for s in item.spans))
                omissions.add("note(s)", sum(1 for s in item.spans if s.note))
                omissions.add("relation(s)", len(item.relations))
                omissions.add("document label(s)", len(item.document_labels))
        finally:
            for handle in files.values():
                handle.close()
    if renamed:
        summary.warnings.append(f"labels with spaces are written with '_': {sorted(renamed)}")
    summary.not_carried = omissions.lines()
    return summary


class Words:
    """A document's words and their sentences, found once for all its layers."""

    def __init__(self, text: str) -> None:
        self.words = words_of(text)
        self._sentences: list[list[tuple[int, int]]] | None = None
        self._text = text

    def sentences(self) -> list[list[tuple[int, int]]]:
        if self._sentences is None:
            self._sentences = sentences(self._text, self.words)
        return self._sentences


def document_conll(text: str, spans: list[Span], words: Words | None = None) -> str:
    """One document's lines: tokens cut at the span edges, IOB2 tags from non-overlapping spans."""
    words = words or Words(text)
    tokens = tokenize(text, *span_edges((s.start, s.end) for s in spans), words=words.words)
    if tokens is words.words:  # no span cuts a word: the words and their sentences
        grouped = words.sentences()
    else:
        grouped = sentences(text, [t for t in tokens if text[t[0]:t[1]].strip()])
    ordered = sorted(spans, key=lambda s: s.start)
    lines = [DOCSTART, "\n"]
    index = 0
    for sentence in grouped:
        while index < len(ordered) and ordered[index].end <= sentence[0][0]:
            index += 1
        if index == len(ordered) or ordered[index].start >= sentence[-1][1]:
            # No span in this sentence (most of them, in most layers).
            lines.extend([f"{text[start:end]} _ _ O\n" for start, end in sentence])
            lines.append("\n")
            continue
        previous: Span | None = None  # the span of the previous token in this sentence
        for token_start, token_end in sentence:
            while index < len(ordered) and ordered[index].end <= token_start:
                index += 1
            tag, current = "O", None
            if index < len(ordered) and ordered[index].start < token_end:
                current = ordered[index]
                tag = f"{'I' if current is previous else 'B'}-{tag_label(current.label)}"
            lines.append(f"{text[token_start:token_end]} _ _ {tag}\n")
            previous = current
        lines.append("\n")
    return "".join(lines)


FORMAT = Format(
    name="conll",
    title="CoNLL-2003 IOB2 (one file per layer)",
    writer=write,
    carries=frozenset({"documents", "spans"}),
    limitations="overlapping spans within a layer",
    description="token _ _ IOB2-tag lines, -DOCSTART- -X- O O between documents, one .conll "
    "file per span layer.",
)
