"""The concordance: matches at exact code-point offsets, filters, sorting, and tagging all
matches through the annotation session (one edit, skipping what is tagged already)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import EMOJI_CRLF_TEXT, PUTIN
from workbench.cli import main
from workbench.core.errors import CancelledError, WorkbenchError
from workbench.core.model import Document
from workbench.core.resources import seeds_dir
from workbench.services.annotating import AnnotationSession
from workbench.services.bulk_tagging import parse_layer_label, plan_tagging, tag_matches
from workbench.services.concordance import (
    Concordance,
    ConcordanceQuery,
    LabelCondition,
    SearchMode,
    SortOrder,
    sorted_hits,
)
from workbench.storage import ProjectStore


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def hits_of(store: ProjectStore, text: str, **options: object) -> list:
    return list(Concordance.of(store).hits(ConcordanceQuery(text, **options)))


@pytest.fixture
def seeded_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    project = tmp_path / "seeds.wbproj"
    assert run(capsys, "init", project)[0] == 0
    assert run(capsys, "import", project, seeds_dir())[0] == 0
    return project


# --- matching ------------------------------------------------------------------------------

def test_a_phrase_after_an_emoji_and_a_crlf_is_found_at_code_point_offsets(store, emoji_document):
    [hit] = hits_of(store, '"Putin said"')
    assert (hit.start, hit.end) == (PUTIN[0], PUTIN[1] + len(" said"))
    assert EMOJI_CRLF_TEXT[hit.start:hit.end] == "Putin said"
    assert hit.match == "Putin said"
    assert hit.left == "Breaking 😊 news  "  # the line break shown as spaces
    assert hit.right.startswith(": that is a lie")
    [word] = hits_of(store, "obama")
    assert EMOJI_CRLF_TEXT[word.start:word.end] == "Obama"


@pytest.mark.parametrize(("query", "mode", "found"), [
    ("puti*", SearchMode.WORDS, ["Putin"]),
    ("putin OR obama", SearchMode.WORDS, ["Putin", "Obama"]),
    ("lie NOT truth", SearchMode.WORDS, ["lie"]),
    ("NEAR(putin lie, 5)", SearchMode.WORDS, ["Putin", "lie"]),
    ("a lie.", SearchMode.PLAIN, ["a lie."]),
    (r"\b[A-Z][a-z]+\b", SearchMode.REGEX, ["Breaking", "Putin", "Obama"]),
])
def test_every_kind_of_query_finds_its_words(store, emoji_document, query, mode, found):
    hits = hits_of(store, query, mode=mode, match_case=mode is SearchMode.REGEX)
    assert [EMOJI_CRLF_TEXT[h.start:h.end] for h in hits] == found
    assert [h.match for h in hits] == found


def test_plain_text_ignores_case_unless_asked(store, emoji_document):
    assert len(hits_of(store, "PUTIN", mode=SearchMode.PLAIN)) == 1
    assert hits_of(store, "PUTIN", mode=SearchMode.PLAIN, match_case=True) == []


def test_a_text_holding_the_match_marks_is_still_placed_exactly(store):
    text = "odd \ue000 marks \ue001 then Putin 😊\r\nand Putin"
    store.documents.add(Document(name="marks", text=text))
    hits = hits_of(store, "putin")
    assert [(h.start, h.end) for h in hits] == [
        (m.start(), m.end()) for m in re.finditer("Putin", text)]


def test_bad_queries_are_refused_with_a_message(store, emoji_document):
    with pytest.raises(WorkbenchError, match="cannot search"):
        hits_of(store, '"unclosed')
    with pytest.raises(WorkbenchError, match="not a regular expression"):
        hits_of(store, "a(", mode=SearchMode.REGEX)
    with pytest.raises(WorkbenchError, match="type something"):
        hits_of(store, "  ")


def test_hits_come_lazily_a_batch_of_documents_at_a_time(store):
    store.documents.add_many([Document(name=f"d{i}", text=f"Putin said {i} things.")
                              for i in range(300)])
    reads = []
    concordance = Concordance.of(store)
    original = concordance.reader.fts_matches

    def counting(*args, **kwargs):
        found = original(*args, **kwargs)
        reads.append(len(found))
        return found

    concordance.reader.fts_matches = counting
    page = concordance.page(ConcordanceQuery("putin"), 20)
    assert len(page) == 20 and sum(reads) <= 30  # of 300 documents
    assert len(list(concordance.hits(ConcordanceQuery("putin")))) == 300


def test_filters_by_document_name_and_by_labels_at_the_match(store, emoji_document):
    store.documents.add(Document(name="other", text="Putin again."))
    session = AnnotationSession(store, "tester")
    session.tag(emoji_document, "Actors", "Protagonist", *PUTIN)
    assert [h.document for h in hits_of(store, "putin", document_filter="emoji")] == \
        ["emoji-crlf"]
    tagged = LabelCondition("Actors", "Protagonist", present=True, annotator="tester")
    untagged = LabelCondition("Actors", "Protagonist", present=False, annotator="tester")
    assert [h.document for h in hits_of(store, "putin", condition=tagged)] == ["emoji-crlf"]
    assert [h.document for h in hits_of(store, "putin", condition=untagged)] == ["other"]
    someone_else = LabelCondition("Actors", "Protagonist", present=False, annotator="ann")
    assert len(hits_of(store, "putin", condition=someone_else)) == 2
    [hit, _] = hits_of(store, "putin", annotator="tester")
    assert hit.labels == ("Protagonist",)


def test_sorting_by_right_and_left_context(store):
    store.documents.add(Document(name="a", text="b Putin zeta. a Putin alpha. c Putin mid."))
    hits = hits_of(store, "putin")
    assert [h.right.split()[0] for h in sorted_hits(hits, SortOrder.RIGHT)] == \
        ["alpha.", "mid.", "zeta."]
    assert [h.left.split()[-1] for h in sorted_hits(hits, SortOrder.LEFT)] == \
        ["a", "b", "c"]


# --- tagging -------------------------------------------------------------------------------

def test_tag_all_is_one_edit_snapped_to_words_and_skips_what_is_tagged(store, emoji_document):
    store.documents.add(Document(name="more", text="Putin’s men. Vladimir Putin, Putin."))
    session = AnnotationSession(store, "tester")
    other = store.documents.find_by_name("more")
    assert other is not None
    session.tag(other, "Actors", "Protagonist", 13, 27)  # "Vladimir Putin"
    hits = hits_of(store, "puti*")
    plan = plan_tagging(session, hits, "Actors", "Protagonist")
    assert (plan.matches, plan.already_tagged, len(plan.to_tag)) == (4, 1, 3)
    before = store.spans.count()
    result = tag_matches(session, plan)
    assert result.edit is not None and len(result.edit) == 3 == result.added
    texts = sorted(store.documents.text(s.document_id)[s.start:s.end]
                   for s in store.spans.for_document(other) if s.start != 13)
    assert texts == ["Putin", "Putin"]  # "Putin’s" snapped to the token "Putin"
    assert store.spans.count() == before + 3
    result.edit.revert()
    assert store.spans.count() == before
    result.edit.apply()
    assert store.spans.count() == before + 3


def test_cancelling_tag_all_changes_nothing(store, emoji_document):
    store.documents.add_many([Document(name=f"d{i}", text=f"Putin {i}.") for i in range(20)])
    session = AnnotationSession(store, "tester")
    plan = plan_tagging(session, hits_of(store, "putin"), "Actors", "Actor")

    def cancel_at_ten(done: int, total: int, what: str) -> None:
        if done == 10:
            raise CancelledError("cancelled")

    with pytest.raises(CancelledError):
        tag_matches(session, plan, progress=cancel_at_ten)
    assert store.spans.count() == 0


def test_tagging_refuses_a_label_that_only_groups_others(store, emoji_document):
    session = AnnotationSession(store, "tester")
    with pytest.raises(WorkbenchError, match="groups other labels"):
        plan_tagging(session, hits_of(store, "lie"), "Rhetorical devices", "Call")
    with pytest.raises(WorkbenchError, match="no label"):
        plan_tagging(session, hits_of(store, "lie"), "Actors", "Nobody")
    assert parse_layer_label(session, "Rhetorical devices/Loaded_Language") == \
        ("Rhetorical devices", "Loaded_Language")
    assert parse_layer_label(session, "Loaded_Language") == \
        ("Rhetorical devices", "Loaded_Language")


# --- the command line, on the seeds ----------------------------------------------------------

def test_the_command_finds_every_putin_at_the_offsets_str_find_gives(seeded_project, capsys):
    code, out, _ = run(capsys, "concordance", seeded_project, "Putin", "--json")
    assert code == 0
    found = sorted((h["document"], h["start"], h["end"]) for h in json.loads(out))
    expected = []
    with ProjectStore.open(seeded_project) as store:
        for summary in store.documents.summaries():
            text = store.documents.text(summary.id)
            at = text.find("Putin")
            while at >= 0:
                expected.append((summary.name, at, at + len("Putin")))
                at = text.find("Putin", at + 1)
    assert found == sorted(expected) and len(found) == 75


def test_the_command_tags_every_match_but_those_tagged_already(seeded_project, capsys):
    code, out, _ = run(capsys, "concordance", seeded_project, '"Vladimir Putin"', "--tag",
                       "Actors/Protagonist", "--annotator", "ann", "--json")
    assert code == 0
    first = json.loads(out)
    assert first["added"] == first["matches"] == 4
    code, out, _ = run(capsys, "concordance", seeded_project, "Putin", "--tag",
                       "Actors/Protagonist", "--annotator", "ann", "--json")
    second = json.loads(out)
    assert second["matches"] == 75 and second["already_tagged"] == 4
    assert second["added"] == 75 - 4
    with ProjectStore.open(seeded_project) as store:
        assert store.spans.count() == 4 + 71
    code, out, err = run(capsys, "concordance", seeded_project, "Putin", "--untagged",
                         "Actors/Protagonist", "--annotator", "ann")
    assert code == 0 and out == "" and "0 matches" in err


def test_the_command_prints_aligned_lines_and_csv(seeded_project, capsys):
    code, out, err = run(capsys, "concordance", seeded_project, "Minsk", "--context", "20",
                         "--sort", "right")
    assert code == 0 and "[Minsk]" in out and "match" in err
    lines = out.splitlines()
    assert len({line.index("[Minsk]") for line in lines}) == 1  # the matches line up
    code, out, _ = run(capsys, "concordance", seeded_project, "Minsk", "--csv", "--limit", "1")
    assert out.splitlines()[0] == "document,document_id,start,end,left,match,right,labels"
    assert len(out.splitlines()) == 2


def test_the_command_reports_a_bad_query_on_one_line(seeded_project, capsys):
    code, out, err = run(capsys, "concordance", seeded_project, "a(", "--regex")
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1
