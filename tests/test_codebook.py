"""Codebooks: the shipped files carry the exact label strings of the shared tasks, and the
rules reject broken codebooks with a clear message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.core.codebook import (
    AttributeDef,
    AttributeKind,
    Codebook,
    Label,
    Layer,
    LayerKind,
    codebook_from_dict,
    codebook_to_dict,
    load_codebook_file,
)
from workbench.core.errors import CodebookError
from workbench.services.codebooks import resolve_codebook, shipped_codebooks

SEMEVAL_2023_GROUPS = {
    "Attack on reputation": ["Name_Calling-Labeling", "Guilt_by_Association", "Doubt",
                             "Appeal_to_Hypocrisy", "Questioning_the_Reputation"],
    "Justification": ["Flag_Waving", "Appeal_to_Authority", "Appeal_to_Popularity",
                      "Appeal_to_Values", "Appeal_to_Fear-Prejudice"],
    "Simplification": ["Causal_Oversimplification", "False_Dilemma-No_Choice",
                       "Consequential_Oversimplification"],
    "Distraction": ["Straw_Man", "Red_Herring", "Whataboutism"],
    "Call": ["Slogans", "Conversation_Killer", "Appeal_to_Time"],
    "Manipulative wording": ["Loaded_Language", "Obfuscation-Vagueness-Confusion",
                             "Exaggeration-Minimisation", "Repetition"],
}
FINE_ROLES = {
    "Protagonist": ["Guardian", "Martyr", "Peacemaker", "Rebel", "Underdog", "Virtuous"],
    "Antagonist": ["Instigator", "Conspirator", "Tyrant", "Foreign Adversary", "Traitor", "Spy",
                   "Saboteur", "Corrupt", "Incompetent", "Terrorist", "Deceiver", "Bigot"],
    "Innocent": ["Forgotten", "Exploited", "Victim", "Scapegoat"],
}
PTC_2020 = ["Appeal_to_Authority", "Appeal_to_fear-prejudice", "Bandwagon,Reductio_ad_hitlerum",
            "Black-and-White_Fallacy", "Causal_Oversimplification", "Doubt",
            "Exaggeration,Minimisation", "Flag-Waving", "Loaded_Language",
            "Name_Calling,Labeling", "Repetition", "Slogans", "Thought-terminating_Cliches",
            "Whataboutism,Straw_Men,Red_Herring"]


def test_shipped_codebooks_are_listed() -> None:
    assert {"news-rhetoric", "semeval2020-ptc", "empty"} <= set(shipped_codebooks())


def test_news_rhetoric_has_the_semeval_2023_techniques_in_their_groups() -> None:
    devices = resolve_codebook("news-rhetoric").layer("Rhetorical devices")
    groups = {label.name: [c.name for c in devices.children(label.name)]
              for label in devices.children(None)}
    assert groups == SEMEVAL_2023_GROUPS
    assert all(not devices.label(group).selectable for group in SEMEVAL_2023_GROUPS)
    assert sum(len(v) for v in groups.values()) == 23


def test_news_rhetoric_actors_carry_the_semeval_2025_roles() -> None:
    actors = resolve_codebook("news-rhetoric").layer("Actors")
    assert [label.name for label in actors.labels][:3] == list(FINE_ROLES)
    fine = actors.attribute("fine_roles")
    assert fine.kind is AttributeKind.MULTI_ENUM
    assert {k: list(v) for k, v in fine.option_groups.items()} == FINE_ROLES
    assert len(fine.options) == 22


def test_news_rhetoric_claims_relations_and_document_layers() -> None:
    codebook = resolve_codebook("news-rhetoric")
    claims = codebook.layer("Claims")
    assert claims.attribute("type").options == (
        "Factual", "Opinion or evaluation", "Prediction", "Prescription")
    assert claims.attribute("verifiability").kind is AttributeKind.ENUM
    links = codebook.layer("Links")
    assert links.kind is LayerKind.RELATION
    ends = {label.name: (label.source_layer, label.target_layer) for label in links.labels}
    assert ends["asserts"] == ("Actors", "Claims")
    assert ends["targets"] == ("Rhetorical devices", "Actors")
    assert ends["supports"] == ends["attacks"] == ("Claims", "Claims")
    narratives = codebook.layer("Narratives")
    assert narratives.kind is LayerKind.DOCUMENT
    names = {label.name for label in narratives.labels}
    assert "Other" in names
    assert "URW: Praise of Russia: Praise of Russian President Vladimir Putin" in names
    assert "URW: Discrediting the West, Diplomacy: Diplomacy does/will not work" in names
    narratives_top = narratives.children(None)
    assert len([n for n in narratives_top if n.name.startswith("URW: ")]) == 11
    for narrative in narratives_top:
        if narrative.name.startswith("URW: "):
            assert narratives.has_label(f"{narrative.name}: Other")
    assert len(codebook.layer("Frames").labels) == 14


def test_ptc_codebook_has_the_14_organiser_names() -> None:
    layer = resolve_codebook("semeval2020-ptc").layer("Propaganda techniques")
    assert [label.name for label in layer.labels] == PTC_2020


def test_ptc_names_match_the_organisers_list() -> None:
    from tests.conftest import interop

    listed = interop("semeval", "ptc2020-tools-data",
                     "propaganda-techniques-names-semeval2020task11.txt").read_text().split()
    assert listed == PTC_2020


def test_round_trip_through_dict_keeps_everything() -> None:
    codebook = resolve_codebook("news-rhetoric")
    assert codebook_from_dict(codebook_to_dict(codebook)) == codebook


def test_toml_codebook_loads(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        'name = "Mine"\n[[layers]]\nname = "Topics"\nkind = "span"\n'
        '[[layers.labels]]\nname = "Energy"\nhotkey = "e"\n',
        encoding="utf-8",
    )
    codebook = resolve_codebook(str(path))
    assert codebook.name == "Mine"
    assert codebook.layer("Topics").label("Energy").hotkey == "e"


def _layer(*labels: Label, attributes: tuple[AttributeDef, ...] = ()) -> Layer:
    return Layer("L", LayerKind.SPAN, labels=labels, attributes=attributes)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Codebook("x", layers=(_layer(Label("A"), Label("A")),)), "duplicate label"),
        (lambda: Codebook("x", layers=(_layer(Label("A", color="red")),)), "#RRGGBB"),
        (lambda: Codebook("x", layers=(_layer(Label("A", color="#ffffff\n")),)), "#RRGGBB"),
        (lambda: Codebook("x", layers=(_layer(Label("A", parent="B")),)), "parent"),
        (lambda: Codebook("x", layers=(_layer(Label("A", parent="B"), Label("B", parent="A")),)),
         "circle"),
        (lambda: Codebook("x", layers=(_layer(Label("A", hotkey="a"), Label("B", hotkey="A")),)),
         "hotkey"),
        (lambda: Codebook("x", layers=(_layer(attributes=(
            AttributeDef("t", AttributeKind.ENUM),)),)), "needs options"),
        (lambda: Codebook("x", layers=(Layer("R", LayerKind.RELATION, labels=(
            Label("r", source_layer="Nowhere"),)),)), "does not have"),
    ],
)
def test_broken_codebooks_are_refused(build: object, message: str) -> None:
    with pytest.raises(CodebookError, match=message):
        build()


def test_attribute_values_are_checked() -> None:
    enum = AttributeDef("type", AttributeKind.ENUM, options=("a", "b"))
    assert enum.check("a") == "a"
    with pytest.raises(CodebookError):
        enum.check("c")
    multi = AttributeDef("roles", AttributeKind.MULTI_ENUM, options=("x", "y"))
    assert multi.check(["y", "x", "y"]) == ["y", "x"]
    assert AttributeDef("n", AttributeKind.NUMBER).check("2.0") == 2
    assert AttributeDef("b", AttributeKind.BOOL).check("yes") is True
    with pytest.raises(CodebookError):
        AttributeDef("b", AttributeKind.BOOL).check("maybe")


def test_bad_codebook_file_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "name": "x",\n  "layers": [\n}', encoding="utf-8")
    with pytest.raises(CodebookError, match=r"broken.json, line 4"):
        load_codebook_file(path)


def test_unknown_codebook_name_lists_the_shipped_ones() -> None:
    with pytest.raises(CodebookError, match="news-rhetoric"):
        resolve_codebook("no-such-codebook")


def test_shipped_files_are_valid_json_with_a_name() -> None:
    for path in shipped_codebooks().values():
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["name"] and isinstance(data["layers"], list)
