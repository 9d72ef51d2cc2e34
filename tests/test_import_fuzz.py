"""Every importer against damaged input: truncated, bit-flipped, garbage, wrongly encoded and
deeply nested versions of real files, drawn with a fixed seed so a failure repeats.

For each damaged file the import must end in a report, never an exception: either the file
imports, or it is refused with a message naming it, and then nothing of it was written.
A deep-nesting case for every reader of JSON checks the one-line message and its line.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import EMOJI_CRLF_TEXT, interop
from tests.sample_files import NEWS_PAGE, write_docx, write_pdf
from tests.strategies import DocumentLabelSpec, DocumentSpec, RelationSpec, SpanSpec, build_store
from workbench.core.errors import InputFileError
from workbench.formats.registry import all_formats
from workbench.services.codebooks import resolve_codebook
from workbench.services.exporting import export_project
from workbench.services.importing import import_paths
from workbench.storage import ProjectStore

SEED = 1511
CODEBOOK = resolve_codebook("news-rhetoric")
DEPTH = 5000  # far beyond Python's recursion limit


def _sample_project() -> ProjectStore:
    text = EMOJI_CRLF_TEXT
    putin, lie = text.index("Putin"), text.index("that is a lie")
    document = DocumentSpec(
        name="emoji-crlf", text=text,
        spans=[
            SpanSpec("Actors", "Protagonist", putin, putin + 5, "alice",
                     {"fine_roles": ["Guardian"]}, "the speaker"),
            SpanSpec("Claims", "Claim", lie, lie + 13, "alice"),
            SpanSpec("Claims", "Claim", lie, lie + 13, "bob"),
        ],
        relations=[RelationSpec("Links", "asserts", 0, 1, "alice")],
        document_labels=[DocumentLabelSpec("Frames", "Morality", "alice")],
    )
    return build_store(CODEBOOK, [document])


def _exported(format_name: str, target_name: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        store = _sample_project()
        try:
            target = folder / target_name
            layers = {"semeval-ptc": ["Claims"], "semeval-entities": ["Actors"]}.get(format_name)
            export_project(store, format_name, target, layers=layers)
        finally:
            store.close()
        return target
    return make


def _written(name: str, content: bytes | str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path
    return make


def _copied(*parts: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        source = interop(*parts)
        target = folder / source.name
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy(source, target)
        return target
    return make


# For every importer: how to make a real, valid input (a file, or a folder) in a folder.
SAMPLES: dict[str, Callable[[Path], Path]] = {
    "jsonl": _exported("jsonl", "export.jsonl"),
    "csv": _exported("csv", "export.csv"),
    "brat": _exported("brat", "export"),
    "doccano": _exported("doccano", "export.jsonl"),
    "label-studio": _exported("label-studio", "export.json"),
    "w3c": _exported("w3c", "export.jsonld"),
    "webanno-tsv": _exported("webanno-tsv", "export"),
    "xmi": _exported("xmi", "export.zip"),
    "spacy": _exported("spacy", "export.spacy"),
    "qdpx": _exported("qdpx", "export.qdpx"),
    "qdc": _exported("qdc", "export.qdc"),
    "semeval-ptc": _exported("semeval-ptc", "export"),
    "semeval-entities": _exported("semeval-entities", "export"),
    "text": _written("article.txt", EMOJI_CRLF_TEXT),
    "markdown": _written("article.md", "# Title\n\n" + EMOJI_CRLF_TEXT),
    "html": _written("page.html", NEWS_PAGE),
    "docx": lambda folder: write_docx(folder / "article.docx", ["Putin said:", "that is a lie"]),
    "pdf": lambda folder: write_pdf(folder / "article.pdf", ["Putin said:", "that is a lie"]),
    "csv-documents": _written("table.csv", "name,text\na,Putin said it\nb,Obama did not\n"),
    "jsonl-documents": _written("table.jsonl", '{"name": "a", "text": "Putin said it"}\n'
                                               '{"name": "b", "text": "Obama did not"}\n'),
}
# Folder formats: the file of the folder that is damaged.
DAMAGED_MEMBER = {"brat": "*.ann", "webanno-tsv": "*.tsv", "semeval-ptc": "labels.tsv",
                  "semeval-entities": "*annotations*.txt"}


def test_every_importer_is_fuzzed() -> None:
    importers = {fmt.name for fmt in all_formats().values() if fmt.can_import}
    assert sorted(SAMPLES) == sorted(importers)


def _mutations(data: bytes, rng: random.Random) -> Iterator[tuple[str, bytes]]:
    size = len(data)
    for _ in range(3):
        cut = rng.randrange(1, max(2, size))
        yield f"truncated at {cut}", data[:cut]
    for _ in range(3):
        flipped = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            index = rng.randrange(size)
            flipped[index] ^= 1 << rng.randrange(8)
        yield "bits flipped", bytes(flipped)
    at = rng.randrange(size)
    yield "garbage inserted", data[:at] + rng.randbytes(rng.randint(1, 64)) + data[at:]
    yield "all garbage", rng.randbytes(rng.randint(1, 512))
    yield "empty", b""
    text = data.decode("utf-8", errors="replace")
    yield "UTF-16 with BOM", text.encode("utf-16")
    yield "invalid UTF-8", b"\xff\xfe\xc3" + data[3:]
    line_start = data.rfind(b"\n", 0, at) + 1
    yield "a line of garbage", data[:line_start] + b"\x00\x1f<\xff\t\t-1\t\n" + data[line_start:]


def _counts(store: ProjectStore) -> tuple[int, int, int]:
    return store.documents.count(), store.spans.count(), store.relations.count()


def _target_file(sample: Path, format_name: str) -> Path:
    if sample.is_file():
        return sample
    return sorted(sample.rglob(DAMAGED_MEMBER[format_name]))[0]


@pytest.mark.parametrize("format_name", sorted(SAMPLES))
def test_damaged_input_is_refused_whole_or_imported(format_name: str, tmp_path: Path) -> None:
    rng = random.Random(f"{SEED}-{format_name}")
    pristine = SAMPLES[format_name](_folder(tmp_path, "pristine"))
    original = _target_file(pristine, format_name).read_bytes()
    for number, (what, data) in enumerate(_mutations(original, rng)):
        case = _folder(tmp_path, f"case{number}")
        sample = SAMPLES[format_name](case)
        _target_file(sample, format_name).write_bytes(data)
        store = ProjectStore.in_memory(CODEBOOK)
        try:
            report = import_paths(store, [sample], annotator="fuzz", format_name=format_name)
            # Each sample holds one document: a refused file must leave nothing behind.
            if report.failures:
                assert _counts(store) == (0, 0, 0), f"{what}: a refused file left data behind"
            for failure in report.failures:
                assert isinstance(failure, InputFileError)
                assert str(failure.path).startswith(str(case)), f"{what}: {failure}"
                assert "Traceback" not in str(failure)
        finally:
            store.close()


def _folder(parent: Path, name: str) -> Path:
    folder = parent / name
    folder.mkdir()
    return folder


def _nested(depth: int = DEPTH) -> str:
    return "[" * depth + "]" * depth


# A deep-nesting case for every reader of JSON: the value sits where the reader looks.
DEEP_JSON = {
    "jsonl": ("deep.jsonl", '{"format": "workbench-jsonl", "version": 1}\n'
                            '{"name": "a", "text": "x", "spans": ' + _nested() + '}\n', 2),
    "jsonl-documents": ("deep.jsonl", '{"text": "fine"}\n{"text": ' + _nested() + '}\n', 2),
    "doccano": ("deep.jsonl", '{"text": "fine", "label": []}\n'
                              '{"text": "x", "entities": ' + _nested() + '}\n', 2),
    "label-studio": ("deep.json", '[\n{"id": 1, "data": {"text": "x"},\n "annotations": '
                                  + _nested() + '}\n]\n', 3),
    "w3c": ("deep.jsonld", '{"@context": "http://www.w3.org/ns/anno.jsonld",\n "type": '
                           '"AnnotationCollection",\n "first": ' + _nested() + '}\n', 3),
    "csv": ("deep.csv", "doc,document,kind,id,layer,label,start,end,text,annotator,attributes\n"
                        '1,a,document,,,,,,x,,\n1,a,span,1,Claims,Claim,0,1,x,me,"'
                        + '{""a"": ' * DEPTH + "1" + "}" * DEPTH + '"\n', 3),
}


def test_every_json_reader_has_a_deep_nesting_case() -> None:
    readers = {"jsonl", "jsonl-documents", "doccano", "label-studio", "w3c", "csv"}
    assert set(DEEP_JSON) == readers


@pytest.mark.parametrize("format_name", sorted(DEEP_JSON))
def test_deeply_nested_json_is_refused_with_its_line(format_name: str, tmp_path: Path,
                                                    store: ProjectStore) -> None:
    name, content, line = DEEP_JSON[format_name]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    report = import_paths(store, [path], annotator="fuzz", format_name=format_name)
    assert len(report.failures) == 1, report.summary_lines()
    failure = report.failures[0]
    assert failure.path == path and failure.line == line, str(failure)
    assert "nested too deeply" in failure.reason
    assert _counts(store) == (0, 0, 0)


def test_a_pdf_with_a_deeply_nested_array_is_refused(store: ProjectStore, tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "deep.pdf", ["Putin said: that is a lie"],
                     content_extra=f" BT /F1 12 Tf {_nested()} TJ ET")
    report = import_paths(store, [path], annotator="fuzz")
    assert len(report.failures) == 1 and report.failures[0].path == path
    assert _counts(store) == (0, 0, 0)


def test_a_docx_with_a_damaged_member_is_refused(store: ProjectStore, tmp_path: Path) -> None:
    path = write_docx(tmp_path / "damaged.docx", ["Putin said:", "that is a lie"] * 50)
    data = bytearray(path.read_bytes())
    body = data.find(b"word/document.xml") + 200  # inside the deflated part
    data[body:body + 16] = b"\xff" * 16  # an invalid deflate stream: zlib.error
    path.write_bytes(bytes(data))
    report = import_paths(store, [path], annotator="fuzz")
    assert len(report.failures) == 1 and report.failures[0].path == path, \
        report.summary_lines()
    assert _counts(store) == (0, 0, 0)
