"""REFI-QDA projects (`.qdpx`): a zip of `project.qde` and `sources/<guid>.txt`.

Export is strict: it validates against the REFI-QDA Project.xsd (QDA-XML 1.0), GUIDs are
lowercase, every selection and coding names its `creatingUser`, and the annotators are listed
in `<Users>`. Each document is a `TextSource` whose text is `sources/<guid>.txt`; each span a
`PlainTextSelection` (code points from 0, end exclusive, as ATLAS.ti writes them) coded with
its label's code; a note is a `Note` the selection refers to; a document label is a coding of
the whole source; a relation is a `Link` from one selection to another named by its label,
with a `Note` (its note, possibly empty) whose `creatingUser` says who made it, since links
have no user of their own.
Import is lenient (real exports are not always schema-valid): namespaces are ignored, GUIDs
may be upper case or braced, and a project without sources imports its codes.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from lxml import etree

from workbench.core.codebook import LayerKind
from workbench.core.drafts import (
    DocumentDraft,
    DocumentLabelDraft,
    ParsedFile,
    RelationDraft,
    SpanDraft,
)
from workbench.core.errors import InputFileError
from workbench.core.export_data import ExportBundle, ExportSummary, Omissions, WriteOptions
from workbench.core.model import now_utc
from workbench.formats.registry import Format, ReadOptions
from workbench.formats.shared.atomic_output import atomic_file
from workbench.formats.shared.refi_qda import (
    FOREIGN_DOCUMENT_LAYER,
    PROJECT_NS,
    child,
    children,
    code_guid,
    guid,
    local,
    read_codes,
    write_codes,
)
from workbench.formats.shared.safe_input import SafeZip, parse_xml
from workbench.formats.shared.xml_text import xml_safe_document

P = f"{{{PROJECT_NS}}}"
ORIGIN = "Annotation Workbench"


def _norm(value: str | None) -> str:
    return (value or "").strip().strip("{}").lower()


# --- reading ------------------------------------------------------------------------------


def read(path: Path, options: ReadOptions) -> Iterator[ParsedFile | InputFileError]:
    with SafeZip(path) as archive:
        names = archive.names()
        qde = next((n for n in names if n.lower().rsplit("/", 1)[-1] == "project.qde"), None)
        if qde is None:
            raise InputFileError(path, "the archive has no project.qde")
        source = f"{path}!{qde}"
        root = parse_xml(archive.read(qde), source)
        if local(root) != "Project":
            raise InputFileError(source, f"not a REFI-QDA project (root {local(root)!r})")
        by_lower = {n.lower(): n for n in names}

        def source_text(element: etree._Element) -> str | None:
            inline = child(element, "PlainTextContent")
            if inline is not None and inline.text is not None:
                return inline.text
            target = element.get("plainTextPath") or ""
            if target.startswith("internal://"):
                member = by_lower.get(f"sources/{target[len('internal://'):]}".lower())
                if member is not None:
                    try:
                        return archive.read(member).decode("utf-8-sig")
                    except UnicodeDecodeError:
                        raise InputFileError(f"{path}!{member}", "a source text must be "
                                             "UTF-8") from None
            return None

        yield _parse_project(root, source, path, options, source_text)


def _parse_project(root: etree._Element, source: str, path: Path, options: ReadOptions,
                   source_text: Callable[[etree._Element], str | None]) -> ParsedFile:
    parsed = ParsedFile(source=source, format=FORMAT.name)
    users = {_norm(u.get("guid")): u.get("name") or "" for users in children(root, "Users")
             for u in children(users, "User")}
    book = child(root, "CodeBook")
    codes = read_codes(child(book, "Codes") if book is not None else None,
                       name=root.get("name") or path.stem)
    parsed.codebook = codes.codebook
    notes: dict[str, str] = {}
    note_users: dict[str, str] = {}
    for group in children(root, "Notes"):
        for note in children(group, "Note"):
            content = child(note, "PlainTextContent")
            notes[_norm(note.get("guid"))] = (content.text or "") if content is not None else ""
            note_users[_norm(note.get("guid"))] = users.get(_norm(note.get("creatingUser")), "")
    selection_keys: dict[str, tuple[DocumentDraft, str]] = {}
    relation_labels = {label.name: layer.name for layer in (
        codes.codebook.relation_layers if codes.codebook else ()) for label in layer.labels}

    def annotator(element: etree._Element, fallback: etree._Element | None = None) -> str | None:
        user = users.get(_norm(element.get("creatingUser")))
        if not user and fallback is not None:
            user = users.get(_norm(fallback.get("creatingUser")))
        return user or options.annotator

    for sources in children(root, "Sources"):
        for text_source in children(sources, "TextSource"):
            text = source_text(text_source)
            name = text_source.get("name") or _norm(text_source.get("guid")) or "source"
            if text is None:
                parsed.warnings.append(f"{source}, line {text_source.sourceline}: the text of "
                                       f"source {name!r} is not in the archive; skipped")
                continue
            draft = DocumentDraft(name=name, text=text)
            parsed.documents.append(draft)
            for selection in children(text_source, "PlainTextSelection"):
                _selection(selection, draft, codes.by_guid, notes, annotator, selection_keys,
                           source, parsed)
            for coding in children(text_source, "Coding"):
                target = _code_of(coding, codes.by_guid)
                if target is None:
                    parsed.warnings.append(f"{source}, line {coding.sourceline}: a coding "
                                           "names an unknown code; skipped")
                    continue
                layer, label, kind = target
                draft.document_labels.append(DocumentLabelDraft(
                    layer=layer if kind is LayerKind.DOCUMENT else FOREIGN_DOCUMENT_LAYER,
                    label=label, annotator=annotator(coding), line=coding.sourceline))
    for links in children(root, "Links"):
        for link in children(links, "Link"):
            ends = [selection_keys.get(_norm(link.get(side))) for side in
                    ("originGUID", "targetGUID")]
            if ends[0] is None or ends[1] is None or ends[0][0] is not ends[1][0]:
                parsed.warnings.append(f"{source}, line {link.sourceline}: link "
                                       f"{link.get('name')!r} does not join two coded selections "
                                       "of one source; skipped")
                continue
            label = link.get("name") or "link"
            # A link has no creatingUser: its note (if any) says who made it and what about.
            refs = [_norm(ref.get("targetGUID")) for ref in children(link, "NoteRef")]
            creator = next((note_users[r] for r in refs if note_users.get(r)), "")
            ends[0][0].relations.append(RelationDraft(
                layer=relation_labels.get(label, "Links"), label=label,
                source_key=ends[0][1], target_key=ends[1][1],
                annotator=creator or options.annotator,
                note="\n".join(notes.get(r, "") for r in refs).strip(), line=link.sourceline))
    return parsed


def _code_of(coding: etree._Element,
             by_guid: dict[str, tuple[str, str, LayerKind]]) -> tuple[str, str, LayerKind] | None:
    ref = child(coding, "CodeRef")
    return by_guid.get(_norm(ref.get("targetGUID"))) if ref is not None else None


def _selection(selection: etree._Element, draft: DocumentDraft, by_guid: dict,
               notes: dict[str, str],
               annotator: Callable[[etree._Element, etree._Element | None], str | None],
               selection_keys: dict[str, tuple[DocumentDraft, str]],
               source: str, parsed: ParsedFile) -> None:
    line = selection.sourceline
    try:
        start = int(selection.get("startPosition", ""))
        end = int(selection.get("endPosition", ""))
    except ValueError:
        raise InputFileError(source, "a selection's positions are not whole numbers",
                             line=line) from None
    note = "\n".join(notes.get(_norm(ref.get("targetGUID")), "")
                     for ref in children(selection, "NoteRef")).strip()
    for n, coding in enumerate(children(selection, "Coding")):
        target = _code_of(coding, by_guid)
        if target is None:
            parsed.warnings.append(f"{source}, line {coding.sourceline}: a coding names an "
                                   "unknown code; skipped")
            continue
        layer, label, _ = target
        key = f"{_norm(selection.get('guid'))}#{n}"
        draft.spans.append(SpanDraft(layer=layer, label=label, start=start, end=end, key=key,
                                     annotator=annotator(coding, selection),
                                     note=note, line=line))
        selection_keys.setdefault(_norm(selection.get("guid")), (draft, key))


# --- writing ------------------------------------------------------------------------------


def write(bundle: ExportBundle, target: Path, options: WriteOptions) -> ExportSummary:
    summary = ExportSummary(format=FORMAT.name, target=str(target), files=[str(target)])
    omissions = Omissions()
    project = bundle.project_name
    users = {name: guid(project, "user", name) for name in bundle.annotators}
    fallback_user = guid(project, "user", "")
    now = now_utc()
    root = etree.Element(f"{P}Project", nsmap={None: PROJECT_NS}, name=project, origin=ORIGIN,
                         creatingUserGUID=next(iter(users.values()), fallback_user),
                         creationDateTime=now)
    users_element = etree.SubElement(root, f"{P}Users")
    book = etree.SubElement(root, f"{P}CodeBook")
    write_codes(book, PROJECT_NS, bundle.codebook)
    sources = etree.SubElement(root, f"{P}Sources")
    notes: list[tuple[str, str, str]] = []
    links: list[tuple[str, str, str, str, str]] = []
    texts: list[tuple[str, str]] = []

    def user_of(name: str) -> str:
        if name not in users:
            users[name] = guid(project, "user", name)
        return users[name]

    for number, item in enumerate(bundle.documents()):
        item = xml_safe_document(item, omissions, text=False)  # texts go to .txt files
        source_guid = guid(project, "source", number, item.name)
        first_user = user_of(item.spans[0].annotator) if item.spans else next(
            iter(users.values()), fallback_user)
        element = etree.SubElement(sources, f"{P}TextSource", guid=source_guid, name=item.name,
                                   plainTextPath=f"internal://{source_guid}.txt",
                                   creatingUser=first_user, creationDateTime=now)
        texts.append((source_guid, item.text))
        selections: dict[int | None, str] = {}
        for span in item.spans:
            selection_guid = guid(project, "selection", source_guid, span.id)
            selections[span.id] = selection_guid
            user = user_of(span.annotator)
            when = span.created_at or now
            selection = etree.SubElement(
                element, f"{P}PlainTextSelection", guid=selection_guid,
                name=item.text[span.start:span.end][:60], startPosition=str(span.start),
                endPosition=str(span.end), creatingUser=user, creationDateTime=when)
            coding = etree.SubElement(selection, f"{P}Coding",
                                      guid=guid(project, "coding", selection_guid),
                                      creatingUser=user, creationDateTime=when)
            etree.SubElement(coding, f"{P}CodeRef", targetGUID=code_guid(span.layer, span.label))
            if span.note:
                note_guid = guid(project, "note", selection_guid)
                notes.append((note_guid, user, span.note))
                etree.SubElement(selection, f"{P}NoteRef", targetGUID=note_guid)
            omissions.add("attribute value(s)", len(span.attributes))
        for label in item.document_labels:
            user = user_of(label.annotator)
            coding = etree.SubElement(element, f"{P}Coding",
                                      guid=guid(project, "doc-coding", source_guid, label.id),
                                      creatingUser=user,
                                      creationDateTime=label.created_at or now)
            etree.SubElement(coding, f"{P}CodeRef",
                             targetGUID=code_guid(label.layer, label.label))
            omissions.add("note(s) on document labels", 1 if label.note else 0)
        for relation in item.relations:
            link_guid = guid(project, "link", source_guid, relation.id)
            # Links have no creatingUser; a note on the link carries its author and note.
            note_guid = guid(project, "link-note", link_guid)
            notes.append((note_guid, user_of(relation.annotator), relation.note))
            links.append((link_guid, relation.label, selections[relation.source_id],
                          selections[relation.target_id], note_guid))
            omissions.add("attribute value(s)", len(relation.attributes))
        summary.count(item)
    for name, user_guid in users.items():
        etree.SubElement(users_element, f"{P}User", guid=user_guid, name=name)
    if not len(users_element):
        etree.SubElement(users_element, f"{P}User", guid=fallback_user, name="unknown")
    if not len(book[0]):
        root.remove(book)
    if not len(sources):
        root.remove(sources)
    if notes:
        notes_element = etree.Element(f"{P}Notes")
        for note_guid, user, text in notes:
            note = etree.SubElement(notes_element, f"{P}Note", guid=note_guid, name="note",
                                    creatingUser=user, creationDateTime=now)
            etree.SubElement(note, f"{P}PlainTextContent").text = text
        _insert_after(root, notes_element, ("Users", "CodeBook", "Sources"))
    if links:
        links_element = etree.Element(f"{P}Links")
        for link_guid, link_name, origin, target_guid, note_guid in links:
            link = etree.SubElement(links_element, f"{P}Link", guid=link_guid, name=link_name,
                                    direction="OneWay", originGUID=origin,
                                    targetGUID=target_guid)
            etree.SubElement(link, f"{P}NoteRef", targetGUID=note_guid)
        _insert_after(root, links_element, ("Users", "CodeBook", "Sources", "Notes"))
    with atomic_file(target) as temporary, \
            zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("project.qde", etree.tostring(root, xml_declaration=True,
                                                       encoding="utf-8", pretty_print=True))
        for source_guid, text in texts:
            archive.writestr(f"sources/{source_guid}.txt", text.encode("utf-8"))
    omissions.add("attribute definition(s)",
                  sum(len(layer.attributes) for layer in bundle.codebook.layers))
    summary.not_carried = omissions.lines()
    return summary


def _insert_after(root: etree._Element, element: etree._Element, before: tuple[str, ...]) -> None:
    """Insert `element` after the last child named in `before` (the schema fixes the order)."""
    position = 0
    for index, existing in enumerate(root):
        if local(existing) in before:
            position = index + 1
    root.insert(position, element)


FORMAT = Format(
    name="qdpx",
    title="REFI-QDA project (.qdpx)",
    extensions=(".qdpx",),
    reader=read,
    writer=write,
    carries=frozenset({"documents", "spans", "notes", "relations", "document_labels",
                       "annotators", "codebook"}),
    description="The QDA exchange project of ATLAS.ti, MAXQDA, NVivo and QualCoder: sources, "
    "coded selections, notes, links, users and codes (layers as top-level codes).",
)
