"""Parquet: Hugging Face `datasets` loads the export offline; offsets count code points."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import EMOJI_CRLF_TEXT, LIE, PUTIN
from workbench.core.codebook import codebook_to_dict
from workbench.core.model import Document, DocumentLabel, Relation, Span
from workbench.formats.registered import parquet
from workbench.services.exporting import export_project
from workbench.storage import ProjectStore


def _annotate(store: ProjectStore, document_id: int) -> None:
    actor = store.spans.add(Span(document_id, "Actors", "Antagonist", *PUTIN, "alice",
                                 attributes={"fine_roles": ["Deceiver"], "entity_type": "Person"},
                                 note="n"))
    claim = store.spans.add(Span(document_id, "Claims", "Claim", *LIE, "bob",
                                 attributes={"check_worthy": False}))
    assert actor.id and claim.id
    store.relations.add(Relation(document_id, "Links", "asserts", actor.id, claim.id, "alice"))
    store.document_labels.add(DocumentLabel(document_id, "Frames", "Political", "bob"))


def test_datasets_loads_the_export_offline(
    store: ProjectStore, emoji_document: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _annotate(store, emoji_document)
    target = tmp_path / "data.parquet"
    summary = export_project(store, "parquet", target)
    assert (summary.documents, summary.spans, summary.relations) == (1, 2, 1)
    for name, value in (("HF_HOME", str(tmp_path / "hf")), ("HF_DATASETS_OFFLINE", "1"),
                        ("HF_HUB_OFFLINE", "1")):
        monkeypatch.setenv(name, value)
    import datasets

    dataset = datasets.load_dataset("parquet", data_files=str(target),
                                    cache_dir=str(tmp_path / "cache"), split="train")
    assert dataset.num_rows == 1
    row = dataset[0]
    assert row["text"] == EMOJI_CRLF_TEXT
    spans = {span["label"]: span for span in row["spans"]}
    for span in row["spans"]:
        assert row["text"][span["start"]:span["end"]] == span["text"]
    assert (spans["Antagonist"]["start"], spans["Antagonist"]["end"]) == PUTIN
    attributes = {a["key"]: json.loads(a["value"]) for a in spans["Antagonist"]["attributes"]}
    assert attributes == {"fine_roles": ["Deceiver"], "entity_type": "Person"}
    assert json.loads(spans["Claim"]["attributes"][0]["value"]) is False
    relation = row["relations"][0]
    assert (relation["label"], relation["source"], relation["target"]) == (
        "asserts", spans["Antagonist"]["id"], spans["Claim"]["id"])
    assert row["document_labels"][0]["label"] == "Political"


def test_attributes_are_lists_of_structs_and_the_codebook_rides_along(
    store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    _annotate(store, emoji_document)
    target = tmp_path / "data.parquet"
    export_project(store, "parquet", target)
    schema = pq.read_schema(target)
    attributes = schema.field("spans").type.value_type.field("attributes").type
    assert pa.types.is_list(attributes) and not pa.types.is_map(attributes)
    codebook = json.loads(schema.metadata[b"workbench.codebook"])
    assert codebook == codebook_to_dict(store.codebook.load())
    frame = pd.read_parquet(target)
    assert frame.loc[0, "name"] == "emoji-crlf"


def test_documents_are_written_in_row_groups(
    store: ProjectStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parquet, "ROWS_PER_GROUP", 2)
    for number in range(5):
        store.documents.add(Document(name=f"d{number}", text=f"Text number {number}."))
    target = tmp_path / "data.parquet"
    export_project(store, "parquet", target)
    metadata = pq.read_metadata(target)
    assert (metadata.num_rows, metadata.num_row_groups) == (5, 3)


def test_an_empty_selection_still_gives_a_loadable_file(
    store: ProjectStore, tmp_path: Path
) -> None:
    target = tmp_path / "empty.parquet"
    export_project(store, "parquet", target)
    assert pq.read_table(target).num_rows == 0
