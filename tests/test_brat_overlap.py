"""brat's own check of an export (verify_annotations) finds no overlap its configuration
forbids: annotation.conf carries `<OVERLAP>` rules for what the project holds.

`brat_overlap_issues` follows brat's verify_entity_overlap and ProjectConfiguration's
overlap_types/span_can_contain/spans_can_be_equal/spans_can_cross (brat 1.3 semantics): two
overlapping entities need a rule of kind `equal` (same extent, either order), `contain`
(Arg1 the inner type, Arg2 the outer) or `cross` (either order); `<ANY>` stands for all.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import LIE, PUTIN
from workbench.core.model import Span
from workbench.services.exporting import export_project
from workbench.storage import ProjectStore

_RULE = re.compile(r"^<OVERLAP>\s+Arg1:(\S+),\s*Arg2:(\S+),\s*<OVL-TYPE>:(\S+)\s*$")


def _rules(conf: str) -> dict[tuple[str, str], set[str]]:
    rules: dict[tuple[str, str], set[str]] = {}
    for line in conf.splitlines():
        match = _RULE.match(line.strip())
        if match:
            for first in match.group(1).split("|"):
                for second in match.group(2).split("|"):
                    rules.setdefault((first, second), set()).update(match.group(3).split("|"))
    return rules


def brat_overlap_issues(folder: Path) -> list[str]:
    rules = _rules((folder / "annotation.conf").read_text(encoding="utf-8"))

    def kinds(first: str, second: str) -> set[str]:
        found = set()
        for (a, b), values in rules.items():
            if a in (first, "<ANY>") and b in (second, "<ANY>"):
                found |= values
        return found

    def allowed(kind: str, inner: str, outer: str) -> bool:
        if kind == "contain":
            return bool({"contain", "<ANY>"} & kinds(inner, outer)) or \
                "<ANY>" in kinds(outer, inner)
        return bool({kind, "<ANY>"} & (kinds(inner, outer) | kinds(outer, inner)))

    issues = []
    for ann in sorted(folder.glob("*.ann")):
        entities = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            if line.startswith("T"):
                tid, body, _ = line.split("\t")
                kind, offsets = body.split(" ", 1)
                pieces = [tuple(map(int, piece.split())) for piece in offsets.split(";")]
                entities.append((tid, kind, pieces[0][0], pieces[-1][1], pieces))
        for a in entities:
            for b in entities:
                if a is b or not (b[2] < a[3] and b[3] > a[2]):
                    continue
                if a[4] == b[4]:
                    ok, what = allowed("equal", a[1], b[1]), "identical span with"
                elif b[2] <= a[2] and a[3] <= b[3]:
                    ok, what = allowed("contain", a[1], b[1]), "contained in"
                elif a[2] <= b[2] and b[3] <= a[3]:
                    ok, what = allowed("contain", b[1], a[1]), "containing"
                else:
                    ok, what = allowed("cross", a[1], b[1]), "crossing"
                if not ok:
                    issues.append(f"{ann.name} {a[0]} {a[1]} {what} {b[1]} {b[0]}")
    return issues


def test_brat_finds_no_forbidden_overlap_in_an_export(
    store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    lie, putin = LIE, PUTIN
    for span in [
        Span(emoji_document, "Claims", "Claim", *lie, "alice"),
        Span(emoji_document, "Claims", "Claim", *lie, "bob"),  # identical, same type
        Span(emoji_document, "Rhetorical devices", "Loaded_Language", lie[0], lie[0] + 7,
             "bob"),  # inside the claim
        Span(emoji_document, "Rhetorical devices", "Doubt", putin[0], lie[0] + 4, "bob"),
        Span(emoji_document, "Actors", "Antagonist", *putin, "alice"),  # inside Doubt
    ]:
        store.spans.add(span)
    export_project(store, "brat", tmp_path / "brat")
    conf = (tmp_path / "brat" / "annotation.conf").read_text(encoding="utf-8")
    assert "<OVERLAP>" in conf
    assert brat_overlap_issues(tmp_path / "brat") == []
    # The check is not a rubber stamp: without the rules the same files have issues.
    (tmp_path / "brat" / "annotation.conf").write_text(
        "\n".join(line for line in conf.splitlines() if not line.startswith("<OVERLAP>")))
    issues = brat_overlap_issues(tmp_path / "brat")
    assert any("crossing" in issue for issue in issues)
    assert any("identical span with" in issue for issue in issues)
    assert any("Loaded_Language contained in Claim" in issue for issue in issues)


def test_no_rules_when_nothing_overlaps(store: ProjectStore, emoji_document: int,
                                        tmp_path: Path) -> None:
    store.spans.add(Span(emoji_document, "Claims", "Claim", *LIE, "alice"))
    store.spans.add(Span(emoji_document, "Actors", "Antagonist", *PUTIN, "alice"))
    export_project(store, "brat", tmp_path / "brat")
    assert "<OVERLAP>" not in (tmp_path / "brat" / "annotation.conf").read_text()
