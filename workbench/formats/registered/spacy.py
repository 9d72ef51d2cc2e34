"""spaCy's binary corpus format: a DocBin (`.spacy`) with the spans of each layer.

Each document becomes a `Doc` whose tokens reproduce the text exactly (whitespace that is not
a single space after a word becomes a token of its own) and are cut at every span edge, so
`doc.char_span(start, end, alignment_mode="strict")` finds every span. Spans of layer `X` go
to `doc.spans["X"]` (overlaps allowed); document labels to `doc.cats`. Attributes, notes,
relations and the layers of document labels travel in `doc.user_data["workbench"]`, which the
DocBin keeps, so a re-import is lossless; other tools simply ignore it. Import also takes
DocBins from spaCy pipelines: every span group becomes a layer, `doc.ents` the layer
"Entities", and categories scored 0.5 or more the document layer "Categories".
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from workbench.core.drafts import (
    DocumentDraft,
    DocumentLabelDraft,
    ParsedFile,
    RelationDraft,
    SpanDraft,
)
from workbench.core.errors import InputFileError
from workbench.core.export_data import (
    ExportBundle,
    ExportDocument,
    ExportSummary,
    Omissions,
    WriteOptions,
)
from workbench.formats.registry import Format, ReadOptions
from workbench.formats.shared.atomic_output import atomic_file
from workbench.formats.shared.heap import older_objects_set_aside
from workbench.formats.shared.input_files import read_bytes
from workbench.formats.shared.safe_input import MAX_MEMBER_BYTES
from workbench.formats.shared.token_layout import span_edges, tokenize

USER_DATA_KEY = "workbench"
_CHUNK = 1 << 20  # inflated bytes looked at a time when checking a DocBin's size
ENTITIES_LAYER = "Entities"
CATEGORIES_LAYER = "Categories"


def _blank_vocab() -> Any:
    import spacy  # heavy: loaded only when the format is used

    return spacy.blank("xx").vocab


def words_and_spaces(text: str, cuts: tuple[set[int], set[int]]) -> tuple[list[str], list[bool]]:
    """Words covering `text` exactly: tokens cut at the span edges, plus whitespace tokens."""
    tokens = tokenize(text, *cuts)
    if not tokens:
        return ([text], [False]) if text else ([], [])
    words: list[str] = []
    spaces: list[bool] = []
    if tokens and tokens[0][0] > 0:  # whitespace before the first token
        words.append(text[:tokens[0][0]])
        spaces.append(False)
    following = [start for start, _ in tokens[1:]]
    following.append(len(text))
    for (start, end), until in zip(tokens, following, strict=True):
        word = text[start:end]
        words.append(word)
        if until == end:
            spaces.append(False)
            continue
        piece = text[end:until]  # whitespace after this token
        if piece == " " and word.strip():  # nearly always: the word's trailing space
            spaces.append(True)
            continue
        # One space after a word is that word's trailing space; other whitespace is a token
        # of its own.
        trailing = piece[0] == " " and bool(word.strip())
        spaces.append(trailing)
        rest = piece[1:] if trailing else piece
        if rest:
            words.append(rest)
            spaces.append(False)
    return words, spaces


@contextlib.contextmanager
def _msgpack_encoders_looked_up_once() -> Iterator[None]:
    """DocBin.add packs each document's user data and span groups with srsly, whose packer
    asks its registry for the msgpack encoders every time, which scans the installed
    packages' entry points and spaCy's whole registry: two thirds of the export's time.
    The encoders cannot change during an export, so they are looked up once."""
    from srsly.msgpack import msgpack_encoders

    encoders = msgpack_encoders.get_all()
    msgpack_encoders.get_all = lambda: encoders  # restored below
    try:
        yield
    finally:
        del msgpack_encoders.get_all  # the class's own method again


def add_to_docbin(docbin: Any, doc: Any, words: list[str], seen: set[str]) -> None:
    """`DocBin.add` (spaCy 3.8) for the Docs this format makes, which carry text and span
    groups only: the strings table gets each distinct word and its norm, where DocBin.add
    walks every token as a Python object to add its nine strings (a third of the time)."""
    import numpy
    import srsly

    array = doc.to_array(docbin.attrs)
    if len(array.shape) == 1:
        array = array.reshape((array.shape[0], 1))
    docbin.tokens.append(array)
    spaces = doc.to_array("SPACY")
    docbin.spaces.append(numpy.asarray(spaces.reshape((spaces.shape[0], 1)), dtype=bool))
    docbin.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
    new = set(words) - seen  # `seen`: the words of the documents added before
    seen.update(new)
    vocab = doc.vocab
    docbin.strings.update(new)
    docbin.strings.update(vocab[word].norm_ for word in new)
    docbin.strings.add("")  # tag, lemma, morphology, dependency and entity strings: none
    docbin.cats.append(doc.cats)
    if docbin.store_user_data:
        docbin.user_data.append(srsly.msgpack_dumps(doc.user_data))
    docbin.span_groups.append(doc.spans.to_bytes())
    for group in doc.spans.values():
        for span in group:
            docbin.strings.add(span.label_)


def write_docbin(docbin: Any, out: BinaryIO) -> None:
    """`DocBin.to_bytes` (spaCy 3.8) streamed into `out`: the same message (a test compares
    them inflated), deflated at level 1 rather than 6 (a slightly larger file, a fifth of the
    export's time less; any zlib level inflates the same way, so every DocBin reader takes it).

    spaCy stacks the token arrays into one and packs the whole message in one msgpack call:
    at 100k spans that is 270 MB copied twice while holding the interpreter lock, which froze
    the window for 1.5 s. msgpack is compositional (a map is its header, then each key and
    value packed in turn, a bin is its header, then the raw bytes), so the message is written
    part by part, the token arrays one document at a time, through an incremental deflater
    that lets go of the lock while it works."""
    import numpy
    import srsly

    deflater = zlib.compressobj(1)

    def put(data: bytes) -> None:
        out.write(deflater.compress(data))

    def put_bin(arrays: list[Any]) -> None:
        put(_bin_header(sum(array.nbytes for array in arrays)))
        for array in arrays:
            put(numpy.ascontiguousarray(array).tobytes("C"))

    lengths = [len(tokens) for tokens in docbin.tokens]
    parts: list[tuple[str, Any]] = [
        ("version", docbin.version), ("attrs", docbin.attrs), ("tokens", docbin.tokens),
        ("spaces", docbin.spaces),
        ("lengths", [numpy.asarray(lengths, dtype="int32")]),
        ("strings", sorted(docbin.strings)), ("cats", docbin.cats), ("flags", docbin.flags),
        ("span_groups", docbin.span_groups)]
    if docbin.store_user_data:
        parts.append(("user_data", docbin.user_data))
    put(bytes([0x80 | len(parts)]))  # fixmap: fewer than 16 keys
    for key, value in parts:
        put(srsly.msgpack_dumps(key))
        if key in ("tokens", "spaces", "lengths"):
            put_bin(value)
        else:
            put(srsly.msgpack_dumps(value))
    out.write(deflater.flush())


def _bin_header(size: int) -> bytes:
    """The header msgpack gives a bin of `size` bytes (the smallest form that holds it)."""
    if size < 1 << 8:
        return bytes([0xC4, size])
    if size < 1 << 16:
        return b"\xc5" + size.to_bytes(2, "big")
    return b"\xc6" + size.to_bytes(4, "big")


def make_doc(vocab: Any, item: ExportDocument, omissions: Omissions) -> tuple[Any, list[str]]:
    from spacy.tokens import Doc

    cuts = span_edges((span.start, span.end) for span in item.spans)
    words, spaces = words_and_spaces(item.text, cuts)
    doc = Doc(vocab, words=words, spaces=spaces)  # its text is item.text (tests check)
    groups: dict[str, list[Any]] = {}
    extras: list[dict[str, Any]] = []
    index_of: dict[int | None, tuple[str, int]] = {}
    for span in item.spans:
        found = doc.char_span(span.start, span.end, label=span.label, alignment_mode="strict")
        if found is None:  # cannot happen: tokens are cut at every span edge
            omissions.add("span(s) that do not align with tokens")
            continue
        group = groups.setdefault(span.layer, [])
        index_of[span.id] = (span.layer, len(group))
        group.append(found)
        if span.attributes or span.note:
            extras.append({"layer": span.layer, "index": len(group) - 1,
                           "attributes": span.attributes, "note": span.note})
    for layer, group in groups.items():
        doc.spans[layer] = group
    relations = []
    for relation in item.relations:
        if relation.source_id in index_of and relation.target_id in index_of:
            relations.append({
                "layer": relation.layer, "label": relation.label,
                "source": list(index_of[relation.source_id]),
                "target": list(index_of[relation.target_id]),
                "attributes": relation.attributes, "note": relation.note})
    for label in item.document_labels:
        doc.cats[label.label] = 1.0
    doc.user_data[USER_DATA_KEY] = {
        "name": item.name, "spans": extras, "relations": relations,
        "document_labels": [[label.layer, label.label, label.note]
                             for label in item.document_labels],
    }
    return doc, words


def write(bundle: ExportBundle, target: Path, options: WriteOptions) -> ExportSummary:
    from spacy.tokens import DocBin

    summary = ExportSummary(format=FORMAT.name, target=str(target), files=[str(target)])
    omissions = Omissions()
    vocab = _blank_vocab()
    docbin = DocBin(store_user_data=True)
    annotators: set[str] = set()
    seen: set[str] = set()
    with _msgpack_encoders_looked_up_once(), older_objects_set_aside():
        for item in bundle.documents():
            add_to_docbin(docbin, *make_doc(vocab, item, omissions), seen)
            summary.count(item)
            annotators.update(span.annotator for span in item.spans)
    if len(annotators) > 1:
        omissions.add(f"annotator names (spans of {len(annotators)} annotators share the "
                      "span groups; export with --annotator for one each)")
    with atomic_file(target) as temporary, temporary.open("wb") as out:
        write_docbin(docbin, out)
    summary.not_carried = omissions.lines()
    return summary


# --- reading ------------------------------------------------------------------------------


def _load(path: Path) -> Any:
    from spacy.tokens import DocBin

    data = read_bytes(path)
    # DocBin inflates the whole file at once: check the inflated size first.
    _check_inflated_size(data, path)
    try:
        return DocBin().from_bytes(data)
    except Exception as error:  # spaCy and msgpack raise assorted errors for bad data
        raise InputFileError(path, f"not a spaCy DocBin ({error})") from None


def _check_inflated_size(data: bytes, path: Path) -> None:
    """Refuse data that inflates beyond MAX_MEMBER_BYTES, holding one chunk at a time."""
    inflater = zlib.decompressobj()
    total = 0
    pending = data
    try:
        while pending:
            total += len(inflater.decompress(pending, _CHUNK))
            if total > MAX_MEMBER_BYTES:
                raise InputFileError(path, "the DocBin inflates beyond the size limit")
            pending = inflater.unconsumed_tail
        total += len(inflater.flush())
    except zlib.error:
        raise InputFileError(path, "not a spaCy DocBin (damaged or not zlib data)") from None
    if total > MAX_MEMBER_BYTES:
        raise InputFileError(path, "the DocBin inflates beyond the size limit")


def read(path: Path, options: ReadOptions) -> Iterator[ParsedFile | InputFileError]:
    docbin = _load(path)
    parsed = ParsedFile(source=str(path), format=FORMAT.name)
    try:
        docs = list(docbin.get_docs(_blank_vocab()))
    except Exception as error:  # a DocBin whose parts disagree
        raise InputFileError(path, f"the DocBin's documents cannot be rebuilt ({error})") \
            from None
    for number, doc in enumerate(docs, start=1):
        parsed.documents.append(_draft(doc, number, path, options, parsed))
    yield parsed


def _draft(doc: Any, number: int, path: Path, options: ReadOptions,
           parsed: ParsedFile) -> DocumentDraft:
    extra = doc.user_data.get(USER_DATA_KEY) if isinstance(doc.user_data, dict) else None
    extra = extra if isinstance(extra, dict) else {}
    draft = DocumentDraft(name=str(extra.get("name") or f"{path.stem}-{number}"), text=doc.text)
    annotator = options.annotator
    groups = {key: list(group) for key, group in doc.spans.items()}
    if doc.ents and ENTITIES_LAYER not in groups:
        groups[ENTITIES_LAYER] = list(doc.ents)
    details = {(e.get("layer"), e.get("index")): e for e in extra.get("spans", ())}
    for layer, group in groups.items():
        for index, span in enumerate(group):
            detail = details.get((layer, index), {})
            draft.spans.append(SpanDraft(
                layer=str(layer), label=span.label_ or str(layer), start=span.start_char,
                end=span.end_char, key=f"{layer}\u241f{index}", annotator=annotator,
                attributes=dict(detail.get("attributes") or {}),
                note=str(detail.get("note") or ""), line=number))
    for relation in extra.get("relations", ()):
        try:
            draft.relations.append(RelationDraft(
                layer=str(relation["layer"]), label=str(relation["label"]),
                source_key="{}\u241f{}".format(*relation["source"]),
                target_key="{}\u241f{}".format(*relation["target"]), annotator=annotator,
                attributes=dict(relation.get("attributes") or {}),
                note=str(relation.get("note") or ""), line=number))
        except (KeyError, TypeError, IndexError):
            parsed.warnings.append(f"{path}, document {number}: a relation record is "
                                   "malformed and was not imported")
    labelled = extra.get("document_labels")
    if isinstance(labelled, list | tuple):
        for entry in labelled:
            layer, label, note = [*list(entry), "", "", ""][:3]
            draft.document_labels.append(DocumentLabelDraft(
                layer=str(layer), label=str(label), note=str(note), annotator=annotator,
                line=number))
    else:
        for label, score in doc.cats.items():
            if score >= 0.5:
                draft.document_labels.append(DocumentLabelDraft(
                    layer=CATEGORIES_LAYER, label=str(label), annotator=annotator, line=number))
    return draft


FORMAT = Format(
    name="spacy",
    title="spaCy DocBin (.spacy) with span groups per layer",
    extensions=(".spacy",),
    reader=read,
    writer=write,
    carries=frozenset({"documents", "spans", "attributes", "notes", "relations",
                       "document_labels"}),
    description="doc.spans[<layer>] per layer, tokens aligned with every span, document "
    "labels in doc.cats; attributes, notes and relations in doc.user_data['workbench'].",
)
