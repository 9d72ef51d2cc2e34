"""The XMI writer writes what dkpro-cassis writes for the same CAS, byte for byte.

The reference builds the CAS with cassis (DocumentMetaData, DKPro sentences and tokens cut at
every span edge, one feature structure per span and relation) and serialises it with
`Cas.to_xmi()`, as the export did before it wrote XMI itself.
"""

from __future__ import annotations

import tempfile
from typing import Any

from hypothesis import HealthCheck, given, settings

from tests.strategies import DocumentSpec, annotated_documents, build_store
from workbench.core.codebook import AttributeKind, Codebook, Layer
from workbench.core.export_data import ExportBundle, ExportDocument, Omissions
from workbench.formats.registered import xmi
from workbench.formats.shared.inception_names import (
    DEPENDENT,
    GOVERNOR,
    LABEL_FEATURE,
    NOTE_FEATURE,
    feature_name,
    relation_bases,
    type_name,
)
from workbench.formats.shared.token_layout import sentences, span_edges, tokenize
from workbench.formats.shared.xmi_output import METADATA, SENTENCE, TOKEN, XmiWriter
from workbench.formats.shared.xml_text import xml_safe_document
from workbench.services.codebooks import resolve_codebook
from workbench.services.exporting import build_bundle

CODEBOOK = resolve_codebook("news-rhetoric")


def cassis_document_xmi(item: ExportDocument, typesystem: Any, codebook: Codebook) -> str:
    import cassis

    cas = cassis.Cas(typesystem=typesystem)
    cas.sofa_string = item.text
    cas.sofa_mime = "text/plain"
    meta = typesystem.get_type(METADATA)
    cas.add(meta(begin=0, end=len(item.text), documentTitle=item.name, documentId=item.name))
    starts, ends = span_edges((span.start, span.end) for span in item.spans)
    token_type, sentence_type = typesystem.get_type(TOKEN), typesystem.get_type(SENTENCE)
    for sentence in sentences(item.text, tokenize(item.text, starts, ends)):
        cas.add(sentence_type(begin=sentence[0][0], end=sentence[-1][1]))
        for start, end in sentence:
            cas.add(token_type(begin=start, end=end))
    layers = {layer.name: layer for layer in codebook.layers}
    created: dict[int | None, Any] = {}
    for span in item.spans:
        created[span.id] = _annotation(cas, typesystem, layers[span.layer], span,
                                       span.start, span.end)
    for relation in item.relations:
        dependent = created[relation.target_id]
        annotation = _annotation(cas, typesystem, layers[relation.layer], relation,
                                 dependent.begin, dependent.end)
        setattr(annotation, GOVERNOR, created[relation.source_id])
        setattr(annotation, DEPENDENT, dependent)
    return str(cas.to_xmi())


def _annotation(cas: Any, typesystem: Any, layer: Layer, item: Any, begin: int,
                end: int) -> Any:
    annotation = typesystem.get_type(type_name(layer.name))(begin=begin, end=end)
    annotation.set(LABEL_FEATURE, item.label)
    for attribute in layer.attributes:
        value = item.attributes.get(attribute.name)
        if value is None:
            continue
        feature = feature_name(attribute.name)
        if attribute.kind is AttributeKind.MULTI_ENUM:
            values = [value] if isinstance(value, str) else list(value)
            array = typesystem.get_type("uima.cas.StringArray")
            annotation.set(feature, array(elements=[str(v) for v in values]))
        elif attribute.kind is AttributeKind.NUMBER:
            annotation.set(feature, float(value))
        elif attribute.kind is AttributeKind.BOOL:
            annotation.set(feature, bool(value))
        else:
            annotation.set(feature, str(value))
    if item.note:
        annotation.set(NOTE_FEATURE, item.note)
    cas.add(annotation)
    return annotation


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(documents=annotated_documents(CODEBOOK))
def test_the_xmi_writer_writes_what_cassis_writes(documents: list[DocumentSpec]) -> None:
    if documents:  # a control character XML cannot hold, replaced on both sides
        documents[0].name = "name\x01" + documents[0].name
    store = build_store(CODEBOOK, documents)
    try:
        with tempfile.TemporaryDirectory():
            bundle = build_bundle(store)
            items = list(bundle.documents())
        fixed = ExportBundle(codebook=bundle.codebook, documents=lambda: iter(items),
                             document_count=len(items), annotators=bundle.annotators)
        typesystem = xmi.build_typesystem(bundle.codebook, relation_bases(fixed)[0])
        ours, theirs = Omissions(), Omissions()
        writer = XmiWriter(bundle.codebook, ours)
        for item in items:
            expected = cassis_document_xmi(xml_safe_document(item, theirs), typesystem,
                                           bundle.codebook)
            assert writer.document(item).rstrip("\n") == expected.rstrip("\n")
        assert ours.lines() == theirs.lines()
    finally:
        store.close()
