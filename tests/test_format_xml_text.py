"""XML cannot hold most control characters; the XML formats export such texts anyway, with
U+FFFD in their place (one for one, so offsets hold) and a count in the summary."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from cassis import load_cas_from_xmi, load_typesystem
from lxml import etree

from tests.conftest import interop
from workbench.core.model import Document, Span
from workbench.services.exporting import export_project
from workbench.storage import ProjectStore

TEXT = "Breaking\x1e news 😊\r\nPutin\x0b said so."


def _project(store: ProjectStore) -> str:
    document = store.documents.add(Document(name="ctl", text=TEXT))
    assert document.id is not None
    start = TEXT.index("Putin")
    store.spans.add(Span(document.id, "Actors", "Antagonist", start, start + 5, "alice",
                         note="speaks\x1fhere", attributes={"entity_type": "Person"}))
    return TEXT[start:start + 5]


def test_xmi_export_replaces_control_characters(store: ProjectStore, tmp_path: Path) -> None:
    covered = _project(store)
    summary = export_project(store, "xmi", tmp_path / "out.zip")
    assert "3 control characters replaced by U+FFFD" in summary.not_carried
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        typesystem = load_typesystem(io.BytesIO(archive.read("TypeSystem.xml")))
        cas = load_cas_from_xmi(io.BytesIO(archive.read("ctl.xmi")), typesystem=typesystem)
    assert cas.sofa_string == TEXT.replace("\x1e", "\ufffd").replace("\x0b", "\ufffd")
    (actor,) = cas.select("webanno.custom.Actors")
    assert actor.get_covered_text() == covered
    assert actor.note == "speaks\ufffdhere"


def test_qdpx_export_stays_valid_and_keeps_the_text(store: ProjectStore, tmp_path: Path) -> None:
    _project(store)
    summary = export_project(store, "qdpx", tmp_path / "out.qdpx")
    assert "1 control character replaced by U+FFFD" in summary.not_carried
    schema = etree.XMLSchema(etree.parse(str(interop("refi-qda", "Project.xsd"))))
    with zipfile.ZipFile(tmp_path / "out.qdpx") as archive:
        root = etree.fromstring(archive.read("project.qde"))
        (text_file,) = [n for n in archive.namelist() if n.endswith(".txt")]
        stored = archive.read(text_file).decode("utf-8")
    assert schema.validate(root), schema.error_log
    assert stored == TEXT  # the text goes to a plain file, which can hold anything


def test_refi_qda_guids_are_version_5_uuids_of_their_parts() -> None:
    import uuid

    from workbench.formats.shared.refi_qda import _NAMESPACE, guid

    for parts in [("project", "user", "alice"), ("p", "selection", 7, None, "ü😊")]:
        expected = uuid.uuid5(_NAMESPACE, "\u241f".join(str(part) for part in parts))
        assert guid(*parts) == str(expected)
