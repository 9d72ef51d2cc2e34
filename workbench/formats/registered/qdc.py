"""REFI-QDA codebook exchange (`.qdc`): the codes alone, between QDA tools.

Import reads codebooks of any QDA-XML codebook namespace (see refi_qda for the mapping) and
adds the codes to the project's codebook; export writes the project's layers and labels.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from workbench.core.drafts import ParsedFile
from workbench.core.errors import InputFileError
from workbench.core.export_data import ExportBundle, ExportSummary, Omissions, WriteOptions
from workbench.formats.registry import Format, ReadOptions
from workbench.formats.shared.atomic_output import atomic_file
from workbench.formats.shared.input_files import read_bytes
from workbench.formats.shared.refi_qda import CODEBOOK_NS, child, local, read_codes, write_codes
from workbench.formats.shared.safe_input import parse_xml


def read(path: Path, options: ReadOptions) -> Iterator[ParsedFile | InputFileError]:
    data = read_bytes(path)
    root = parse_xml(data, path)
    if local(root) != "CodeBook":
        raise InputFileError(path, f"not a REFI-QDA codebook (root element {local(root)!r})",
                             line=root.sourceline)
    codes = read_codes(child(root, "Codes"), name=path.stem)
    if codes.codebook is None:
        raise InputFileError(path, "the codebook has no codes")
    yield ParsedFile(source=str(path), format=FORMAT.name, codebook=codes.codebook)


def write(bundle: ExportBundle, target: Path, options: WriteOptions) -> ExportSummary:
    summary = ExportSummary(format=FORMAT.name, target=str(target), files=[str(target)])
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS},
                         origin="Annotation Workbench")
    write_codes(root, CODEBOOK_NS, bundle.codebook)
    omissions = Omissions()
    for layer in bundle.codebook.layers:
        omissions.add("attribute definition(s)", len(layer.attributes))
        omissions.add("hotkey(s)", sum(1 for label in layer.labels if label.hotkey))
    with atomic_file(target) as temporary:
        temporary.write_bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8",
                                             pretty_print=True))
    summary.not_carried = omissions.lines()
    return summary


FORMAT = Format(
    name="qdc",
    title="REFI-QDA codebook (.qdc)",
    extensions=(".qdc",),
    reader=read,
    writer=write,
    carries=frozenset({"codebook"}),
    description="The codes of QDA tools (ATLAS.ti, MAXQDA, NVivo, QualCoder): layers as "
    "top-level codes, labels nested below them.",
)
