"""Writing one document as UIMA CAS XMI, the way dkpro-cassis serialises it, without building
a CAS first.

A document of 20 spans carries some 500 DKPro tokens and sentences; as cassis feature
structures they cost about 50 microseconds each to add and serialise, which made an export of
100k spans take a minute. The XMI of such a CAS is regular: `cas:NULL`, one element per
feature structure with `xmi:id`, `sofa`, `begin`, `end` (UTF-16 units) and its features as
attributes (string arrays as child elements, as cassis writes them), the `cas:Sofa` and the
`cas:View` listing the members. This writer produces exactly that; tests load its output with
cassis and compare it with what cassis itself writes for the same document. The type system
is still cassis's (`xmi.build_typesystem`), and reading stays with cassis.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from workbench.core.codebook import AttributeKind, Codebook
from workbench.core.export_data import ExportDocument, Omissions
from workbench.core.offsets import Utf16Map
from workbench.formats.shared.inception_names import (
    DEPENDENT,
    GOVERNOR,
    LABEL_FEATURE,
    NOTE_FEATURE,
    feature_name,
    type_name,
)
from workbench.formats.shared.token_layout import sentences, span_edges, tokenize
from workbench.formats.shared.xml_text import REPLACED

DKPRO = "de.tudarmstadt.ukp.dkpro.core.api."
SENTENCE = DKPRO + "segmentation.type.Sentence"
TOKEN = DKPRO + "segmentation.type.Token"
METADATA = DKPRO + "metadata.type.DocumentMetaData"

# What XML 1.0 cannot hold (replaced, one for one) and what an attribute must escape.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;",
            "\n": "&#10;", "\r": "&#13;"}
_NEEDS_ESCAPE = re.compile('[&<>"\t\n\r]')


class XmiWriter:
    """Serialises documents against one codebook; the namespaces are those cassis chooses
    (the second-to-last part of the package, numbered when two packages share it)."""

    def __init__(self, codebook: Codebook, omissions: Omissions) -> None:
        self.omissions = omissions
        self.layers = {layer.name: layer for layer in codebook.layers}
        self._prefixes: dict[str, str] = {}  # package -> prefix
        self._namespaces: list[tuple[str, str]] = [("xmi", "http://www.omg.org/XMI"),
                                                   ("cas", "http:///uima/cas.ecore")]
        self._elements: dict[str, str] = {}  # UIMA type -> prefix:name
        for uima_type in (METADATA, SENTENCE, TOKEN,
                          *(type_name(layer.name) for layer in codebook.layers)):
            self._element(uima_type)
        # Per layer: its element, and (attribute, feature, kind) for each attribute.
        self._tags = {layer.name: self._elements[type_name(layer.name)]
                      for layer in codebook.layers}
        self._features_of = {
            layer.name: [(a.name, feature_name(a.name), a.kind) for a in layer.attributes]
            for layer in codebook.layers}

    def _element(self, uima_type: str) -> str:
        if uima_type not in self._elements:
            package, _, name = uima_type.rpartition(".")
            if package not in self._prefixes:
                raw = package.rpartition(".")[2]
                taken = {prefix for prefix, _ in self._namespaces}
                prefix, number = raw, 0
                while prefix in taken:
                    prefix, number = f"{raw}{number}", number + 1
                self._prefixes[package] = prefix
                self._namespaces.append((prefix, "http:///" + package.replace(".", "/")
                                         + ".ecore"))
            self._elements[uima_type] = f"{self._prefixes[package]}:{name}"
        return self._elements[uima_type]

    def text(self, value: str) -> str:
        """`value` escaped for an attribute, control characters replaced (and counted)."""
        if _NOT_XML.search(value) is not None:
            value, count = _NOT_XML.subn("\ufffd", value)
            self.omissions.add(REPLACED, count)
        if _NEEDS_ESCAPE.search(value) is None:
            return value
        return _NEEDS_ESCAPE.sub(lambda match: _ESCAPES[match.group(0)], value)

    def document(self, item: ExportDocument) -> str:
        text = item.text
        utf16 = Utf16Map(text)
        at: Callable[[int], int] = (lambda offset: offset) if utf16.is_identity \
            else utf16.to_utf16
        out: list[str] = []
        next_id = 2  # 1 is the sofa; the view's members are 2 .. next_id - 1

        def element(tag: str, begin: int, end: int, features: str = "",
                    children: str = "") -> int:
            nonlocal next_id
            xmi_id = next_id
            next_id += 1
            head = (f'<{tag} xmi:id="{xmi_id}" sofa="1" begin="{at(begin)}" end="{at(end)}"'
                    f"{features}")
            out.append(f"{head}>{children}</{tag}>" if children else f"{head}/>")
            return xmi_id

        name = self.text(item.name)
        element(self._elements[METADATA], 0, len(text),
                f' documentTitle="{name}" documentId="{name}"')
        starts, ends = span_edges((span.start, span.end) for span in item.spans)
        sentence_tag, token_tag = self._elements[SENTENCE], self._elements[TOKEN]
        for sentence in sentences(text, tokenize(text, starts, ends)):
            # Tokens and sentences are most of the elements: written here without a call,
            # and without converting offsets in a text that needs no conversion.
            if not utf16.is_identity:
                sentence = [(at(start), at(end)) for start, end in sentence]
            out.append(f'<{sentence_tag} xmi:id="{next_id}" sofa="1" '
                       f'begin="{sentence[0][0]}" end="{sentence[-1][1]}"/>')
            next_id += 1
            for start, end in sentence:
                out.append(f'<{token_tag} xmi:id="{next_id}" sofa="1" '
                           f'begin="{start}" end="{end}"/>')
                next_id += 1
        segmented = next_id > 3
        created: dict[int | None, tuple[int, int, int]] = {}
        for span in item.spans:
            features, children = self._features(span.layer, span)
            xmi_id = element(self._tags[span.layer], span.start, span.end, features, children)
            created[span.id] = (xmi_id, span.start, span.end)
        for relation in item.relations:
            features, children = self._features(relation.layer, relation)
            governor = created[relation.source_id][0]
            dependent, begin, end = created[relation.target_id]
            element(self._tags[relation.layer], begin, end,
                    f'{features} {GOVERNOR}="{governor}" {DEPENDENT}="{dependent}"', children)
        # Like cassis (lxml's cleanup_namespaces), declare only the namespaces in use.
        used = {"xmi", "cas", self._elements[METADATA].partition(":")[0]}
        if segmented:
            used.add(sentence_tag.partition(":")[0])
        used.update({self._tags[span.layer].partition(":")[0] for span in item.spans})
        namespaces = " ".join(f'xmlns:{prefix}="{url}"' for prefix, url in self._namespaces
                              if prefix in used)
        return (
            "<?xml version='1.0' encoding='UTF-8'?>\n"
            f'<xmi:XMI {namespaces} xmi:version="2.0"><cas:NULL xmi:id="0"/>'
            + "".join(out)
            + '<cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" mimeType="text/plain" '
            f'sofaString="{self.text(text)}"/>'
            f'<cas:View sofa="1" members="{" ".join(map(str, range(2, next_id)))}"/>'
            "</xmi:XMI>\n"
        )

    def _features(self, layer: str, item: Any) -> tuple[str, str]:
        """(attributes, child elements) of a span or relation, as cassis writes them."""
        parts = [f' {LABEL_FEATURE}="{self.text(item.label)}"']
        children: list[str] = []
        values = item.attributes
        for attribute, feature, kind in self._features_of[layer]:
            value = values.get(attribute)
            if value is None:
                continue
            if kind is AttributeKind.MULTI_ENUM:
                several = [value] if isinstance(value, str) else list(value)
                children.extend(f"<{feature}>{self.text(str(v))}</{feature}>" for v in several)
            elif kind is AttributeKind.NUMBER:
                parts.append(f' {feature}="{float(value)!r}"')
            elif kind is AttributeKind.BOOL:
                parts.append(f' {feature}="{"true" if value else "false"}"')
            else:
                parts.append(f' {feature}="{self.text(str(value))}"')
        if item.note:
            parts.append(f' {NOTE_FEATURE}="{self.text(item.note)}"')
        return "".join(parts), "".join(children)
