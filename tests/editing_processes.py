"""Programs that work on one project file at the same time, each in a process of its own.

`python -m tests.editing_processes ROLE PROJECT ...` runs one of them:

- `writer`: edits as the window does, through an `AnnotationSession` (tag, relabel, resize,
  note, delete, link, unlink, document status, undo and redo), as fast as it can, and prints
  one JSON line before each edit (`try`, with what it will change) and one after its commit
  (`ok`), or `failed` with the error. A line `ok` is an acknowledged edit: the user saw it
  saved.
- `reader`: opens the project, reads the counts and searches, closes it, again and again
  (what `workbench stats` and `search` do from a terminal).
- `importer`, `exporter`: `workbench import` of a small new file, `workbench export` as
  jsonl, again and again.

`run_scene` starts writers and readers on one file for a fixed time and checks what they
left: every acknowledged edit there, no failed edit, the file's integrity. The tests use it
for a few seconds; `python -m tests.editing_processes scene --seconds 20` prints the figures
of a longer run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

REPO = Path(__file__).resolve().parent.parent

# The texts the writers annotate: an emoji and a Windows line break before the words.
TEXTS = (
    "Breaking 😊 news\r\nPutin said: that is a lie. Obama disagreed with him today.\r\n",
    "Ministers 🇪🇺 met\r\nThe so-called experts claim the plan failed, according to Reuters.",
    "Opinion 🙂\r\nWhat about the others? Critics say the council lied to the voters again.",
)
SPAN_LABELS = (("Claims", "Claim"), ("Actors", "Protagonist"), ("Actors", "Antagonist"),
               ("Actors", "Actor"))

SpanState = tuple[int, str, str, int, int, str]  # document, layer, label, start, end, note
RelationState = tuple[int, str, int, int]  # document, label, source span, target span


# --- the programs ----------------------------------------------------------------------


def prepare_project(path: Path) -> None:
    """A project holding the writers' texts (and nothing else)."""
    from workbench.core.model import Document
    from workbench.services.project import create_project

    with create_project(path) as store:
        for n, text in enumerate(TEXTS):
            store.documents.add(Document(name=f"doc-{n}", text=text))


Effect = list[Any]  # ["span" | "relation" | "status", key, state or None]


class _Writer:
    """One annotator editing as the window does: through an `AnnotationSession`, each
    edit kept in a history that undo and redo walk, as the window's undo stack does.

    It keeps its own account of what it made (spans, links, document statuses) and says,
    for each edit, what the edit changes there: `try` before, `ok` after the commit.
    """

    def __init__(self, store: Any, annotator: str, rng: random.Random, out: TextIO) -> None:
        from workbench.services.annotating import AnnotationSession

        self.session = AnnotationSession(store, annotator)
        self.annotator = annotator
        self.rng = rng
        self.out = out
        self.words = {
            document_id: [m.span() for m in re.finditer(r"\w+(?: \w+)?",
                                                        self.session.text(document_id))]
            for document_id in store.documents.ids()
        }
        self.spans: dict[int, SpanState] = {}
        self.relations: dict[int, RelationState] = {}
        self.statuses: dict[int, str] = {}
        # The undo history: (edit, its effects, the effects of undoing it); `done` of them
        # are applied, the rest can be redone.
        self.history: list[tuple[Any, list[Effect], list[Effect]]] = []
        self.done = 0
        self.edits = 0

    def say(self, **line: Any) -> None:
        self.out.write(json.dumps(line) + "\n")
        self.out.flush()

    def one_edit(self) -> None:
        choices = ["tag"] * 4
        if self.spans:
            choices += ["relabel", "resize", "note", "delete", "link", "status"]
        if self.relations:
            choices.append("unlink")
        if self.done:
            choices += ["undo"] * 2
        if self.done < len(self.history):
            choices.append("redo")
        op = self.rng.choice(choices)
        self.edits += 1
        try:
            getattr(self, f"_{op}")(self.edits, op)
        except Exception as error:
            self.say(n=self.edits, event="failed", op=op,
                     error=f"{type(error).__name__}: {error}",
                     trace=traceback.format_exc(limit=6))

    # --- bookkeeping ------------------------------------------------------------------

    def _now(self, effect: Effect) -> Any:
        kind, key = effect[0], effect[1]
        table = _table(kind, self.spans, self.relations, self.statuses)
        return table.get(key, "new" if kind == "status" else None)

    def _apply(self, effects: list[Effect]) -> None:
        _replay(effects, self.spans, self.relations, self.statuses)

    def _new_edit(self, n: int, op: str, effects: list[Effect], make: Any) -> None:
        """Run a new edit: say what it will change, make it, keep it for undo."""
        self.say(n=n, event="try", op=op, effects=effects)
        edit = make()
        if edit is None:
            raise RuntimeError(f"the {op} changed nothing")
        if effects and effects[0][1] is None:  # a new span or link: its number is known now
            new_id = edit.span_id if effects[0][0] == "span" else edit.relation.id
            effects = [[effects[0][0], new_id, effects[0][2]], *effects[1:]]
        undo = [[kind, key, self._now([kind, key])] for kind, key, _ in effects]
        self._apply(effects)
        del self.history[self.done:]
        self.history.append((edit, effects, undo))
        self.done += 1
        self.say(n=n, event="ok", op=op, effects=effects)

    def _free(self, document_id: int, label: str, start: int, end: int) -> bool:
        return not any(s[0] == document_id and s[2] == label and s[3] == start and s[4] == end
                       for s in self.spans.values())

    def _links_of(self, span_id: int) -> list[int]:
        return [i for i, r in self.relations.items() if span_id in (r[2], r[3])]

    # --- the edits (each as the desk makes it) ------------------------------------------

    def _tag(self, n: int, op: str) -> None:
        for _ in range(20):
            document_id = self.rng.choice(sorted(self.words))
            start, end = self.rng.choice(self.words[document_id])
            layer, label = self.rng.choice(SPAN_LABELS)
            if self._free(document_id, label, start, end):
                break
        else:
            return
        note = f"{self.annotator}-{n}"
        effects: list[Effect] = [["span", None, [document_id, layer, label, start, end, note]]]
        if self.statuses.get(document_id, "new") == "new":
            effects.append(["status", document_id, "in_progress"])  # the first tag starts it
        self._new_edit(n, op, effects, lambda: self.session.tag(
            document_id, layer, label, start, end, note=note))

    def _changed(self, n: int, op: str, span_id: int, make: Any, **changes: Any) -> None:
        old = self.spans[span_id]
        fields = {"label": 2, "start": 3, "end": 4, "note": 5}
        state = list(old)
        for name, value in changes.items():
            state[fields[name]] = value
        self._new_edit(n, op, [["span", span_id, state]], make)

    def _relabel(self, n: int, op: str) -> None:
        actors = [i for i, s in self.spans.items() if s[1] == "Actors"]
        if not actors:
            return self._tag(n, "tag")
        span_id = self.rng.choice(sorted(actors))
        label = self.rng.choice([lb for ly, lb in SPAN_LABELS
                                 if ly == "Actors" and lb != self.spans[span_id][2]])
        self._changed(n, op, span_id, lambda: self.session.relabel(span_id, "Actors", label),
                      label=label)

    def _resize(self, n: int, op: str) -> None:
        span_id = self.rng.choice(sorted(self.spans))
        document_id, _, label, *_ = self.spans[span_id]
        start, end = self.rng.choice(self.words[document_id])
        if not self._free(document_id, label, start, end):
            return
        self._changed(n, op, span_id, lambda: self.session.resize(span_id, start, end),
                      start=start, end=end)

    def _note(self, n: int, op: str) -> None:
        span_id = self.rng.choice(sorted(self.spans))
        note = f"{self.annotator}-{n}-note"
        self._changed(n, op, span_id, lambda: self.session.set_note(span_id, note), note=note)

    def _delete(self, n: int, op: str) -> None:
        span_id = self.rng.choice(sorted(self.spans))
        effects = [["span", span_id, None]] + [
            ["relation", relation_id, None] for relation_id in self._links_of(span_id)]
        self._new_edit(n, op, effects, lambda: self.session.delete_span(span_id))

    def _link(self, n: int, op: str) -> None:
        linked = {(r[2], r[3]) for r in self.relations.values()}
        document_id = self.rng.choice(sorted(self.words))
        mine = [(i, s[1]) for i, s in self.spans.items() if s[0] == document_id]
        actors = [i for i, layer in mine if layer == "Actors"]
        claims = [i for i, layer in mine if layer == "Claims"]
        pairs = [(a, c) for a in actors[-20:] for c in claims[-20:] if (a, c) not in linked]
        if not pairs:
            return self._tag(n, "tag")
        actor, claim = self.rng.choice(pairs)
        state = [self.spans[actor][0], "asserts", actor, claim]
        self._new_edit(n, op, [["relation", None, state]],
                       lambda: self.session.link("Links", "asserts", actor, claim))

    def _unlink(self, n: int, op: str) -> None:
        relation_id = self.rng.choice(sorted(self.relations))
        self._new_edit(n, op, [["relation", relation_id, None]],
                       lambda: self.session.unlink(relation_id))

    def _status(self, n: int, op: str) -> None:
        document_id = self.rng.choice(sorted(self.words))
        status = "done" if self.statuses.get(document_id, "new") != "done" else "in_progress"
        from workbench.core.model import DocumentStatus

        self._new_edit(n, op, [["status", document_id, status]],
                       lambda: self.session.set_status(document_id, DocumentStatus(status)))

    def _undo(self, n: int, op: str) -> None:
        edit, _, undo = self.history[self.done - 1]
        self.say(n=n, event="try", op=op, effects=undo)
        edit.revert()
        self.done -= 1
        self._apply(undo)
        self.say(n=n, event="ok", op=op, effects=undo)

    def _redo(self, n: int, op: str) -> None:
        edit, effects, _ = self.history[self.done]
        self.say(n=n, event="try", op=op, effects=effects)
        edit.apply()
        self.done += 1
        self._apply(effects)
        self.say(n=n, event="ok", op=op, effects=effects)


def run_writer(path: Path, annotator: str, seconds: float, seed: int, out: TextIO) -> int:
    from workbench.services.project import open_project

    store = open_project(path)
    writer = _Writer(store, annotator, random.Random(seed), out)
    writer.say(event="ready")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        writer.one_edit()
        time.sleep(writer.rng.random() * 0.002)
    store.close()
    writer.say(event="done")
    return 0


def _loop(seconds: float, out: TextIO, work: Any) -> int:
    """Repeat `work()` until the time is up, one JSON line per attempt."""
    deadline = time.monotonic() + seconds
    out.write(json.dumps({"event": "ready"}) + "\n")
    out.flush()
    n = 0
    while time.monotonic() < deadline:
        n += 1
        try:
            work(n)
            out.write(json.dumps({"n": n, "event": "ok"}) + "\n")
        except Exception as error:
            out.write(json.dumps({"n": n, "event": "failed",
                                  "error": f"{type(error).__name__}: {error}",
                                  "trace": traceback.format_exc(limit=4)}) + "\n")
        out.flush()
    out.write(json.dumps({"event": "done"}) + "\n")
    out.flush()
    return 0


def run_reader(path: Path, seconds: float, out: TextIO) -> int:
    from workbench.services.stats import project_stats
    from workbench.storage import ProjectStore

    def read(n: int) -> None:
        with ProjectStore.open(path) as store:
            project_stats(store)
            store.documents.search("news OR experts")

    return _loop(seconds, out, read)


def run_importer(path: Path, seconds: float, out: TextIO) -> int:
    from workbench.services.importing import import_paths
    from workbench.storage import ProjectStore

    folder = Path(tempfile.mkdtemp(prefix="importer-"))

    def load(n: int) -> None:
        source = folder / f"imported-{os.getpid()}-{n}.txt"
        source.write_text(f"Imported text {n} from {os.getpid()}: a claim 😊\r\nand more.\n",
                          encoding="utf-8")
        with ProjectStore.open(path) as store:
            report = import_paths(store, [source], annotator="importer")
        if report.failures:
            raise RuntimeError("; ".join(str(failure) for failure in report.failures))

    return _loop(seconds, out, load)


def run_exporter(path: Path, seconds: float, out: TextIO) -> int:
    from workbench.services.exporting import export_project
    from workbench.storage import ProjectStore

    folder = Path(tempfile.mkdtemp(prefix="exporter-"))

    def export(n: int) -> None:
        with ProjectStore.open(path) as store:
            export_project(store, "jsonl", folder / "out.jsonl")

    return _loop(seconds, out, export)


# --- checking what they left -----------------------------------------------------------


@dataclass
class WriterLog:
    """What one writer said: its acknowledged edits replayed, and the one in flight."""

    annotator: str
    spans: dict[int, SpanState] = field(default_factory=dict)
    relations: dict[int, RelationState] = field(default_factory=dict)
    statuses: dict[int, str] = field(default_factory=dict)
    acknowledged: int = 0
    failures: list[str] = field(default_factory=list)
    pending: list[Effect] | None = None
    done: bool = False

    def read(self, lines: Sequence[str]) -> None:
        for raw in lines:
            if not raw.strip():
                continue
            try:
                line = json.loads(raw)
            except json.JSONDecodeError:
                continue  # a line cut by a kill
            event = line["event"]
            if event == "try":
                self.pending = line["effects"]
            elif event == "ok":
                self.pending = None
                self.acknowledged += 1
                _replay(line["effects"], self.spans, self.relations, self.statuses)
            elif event == "failed":
                self.pending = None
                self.failures.append(line["error"])
            elif event == "done":
                self.done = True

    def lost_edits(self, found: FileState) -> int:
        """How many acknowledged states the file does not hold (the edit in flight when the
        writer died may have been committed or not; both are fine)."""
        spans = found.spans.get(self.annotator, {})
        relations = found.relations.get(self.annotator, {})
        statuses = found.statuses.get(self.annotator, {})
        alternatives = [(self.spans, self.relations, self.statuses)]
        if self.pending is not None:
            want_spans, want_relations = dict(self.spans), dict(self.relations)
            want_statuses = dict(self.statuses)
            effects = []
            for kind, key, state in self.pending:
                if key is None:  # a new span or link: whichever number the file gave it
                    found_rows = spans if kind == "span" else relations
                    known = want_spans if kind == "span" else want_relations
                    new = [i for i, row in found_rows.items()
                           if row == tuple(state) and i not in known]
                    if not new:
                        continue
                    key = new[0]
                effects.append([kind, key, state])
            _replay(effects, want_spans, want_relations, want_statuses)
            alternatives.append((want_spans, want_relations, want_statuses))
        return min(
            _differences(spans, want_spans) + _differences(relations, want_relations)
            + _differences(_started(statuses), _started(want_statuses))
            for want_spans, want_relations, want_statuses in alternatives
        )


def _replay(effects: Sequence[Effect], spans: dict[int, SpanState],
            relations: dict[int, RelationState], statuses: dict[int, str]) -> None:
    for kind, key, state in effects:
        table = _table(kind, spans, relations, statuses)
        if state is None:
            table.pop(key, None)
        else:
            table[key] = tuple(state) if isinstance(state, list) else state


def _table(kind: str, spans: dict[int, SpanState], relations: dict[int, RelationState],
           statuses: dict[int, str]) -> dict[Any, Any]:
    tables: dict[str, dict[Any, Any]] = {"span": spans, "relation": relations,
                                         "status": statuses}
    return tables[kind]


def _started(statuses: dict[int, str]) -> dict[int, str]:
    """A document marked new and one never marked are the same to the annotator."""
    return {key: value for key, value in statuses.items() if value != "new"}


def _differences(found: dict[Any, Any], wanted: dict[Any, Any]) -> int:
    return sum(found.get(key) != value for key, value in wanted.items()) + sum(
        key not in wanted for key in found)


@dataclass
class FileState:
    """What the file holds per annotator, read with plain sqlite3."""

    spans: dict[str, dict[int, SpanState]]
    relations: dict[str, dict[int, RelationState]]
    statuses: dict[str, dict[int, str]]
    integrity: str
    foreign_key_problems: int

    @classmethod
    def read(cls, path: Path) -> FileState:
        conn = sqlite3.connect(path)
        try:
            spans: dict[str, dict[int, SpanState]] = {}
            for row in conn.execute(
                "SELECT a.name, s.id, s.document_id, ly.name, lb.name, s.start_offset, "
                "s.end_offset, s.note FROM spans s JOIN annotators a ON a.id = s.annotator_id "
                "JOIN labels lb ON lb.id = s.label_id JOIN layers ly ON ly.id = lb.layer_id"
            ):
                spans.setdefault(row[0], {})[row[1]] = tuple(row[2:])
            relations: dict[str, dict[int, RelationState]] = {}
            for row in conn.execute(
                "SELECT a.name, r.id, r.document_id, lb.name, r.source_span_id, "
                "r.target_span_id FROM relations r JOIN annotators a ON a.id = r.annotator_id "
                "JOIN labels lb ON lb.id = r.label_id"
            ):
                relations.setdefault(row[0], {})[row[1]] = tuple(row[2:])
            statuses: dict[str, dict[int, str]] = {}
            for name, document_id, status in conn.execute(
                "SELECT a.name, d.document_id, d.status FROM document_status d "
                "JOIN annotators a ON a.id = d.annotator_id"
            ):
                statuses.setdefault(name, {})[document_id] = status
            integrity = "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
            problems = len(conn.execute("PRAGMA foreign_key_check").fetchall())
        finally:
            conn.close()
        return cls(spans, relations, statuses, integrity, problems)


@dataclass
class _Child:
    """A program of the scene; what it prints goes to files (a pipe nobody reads while
    we wait for another child would fill up and stop it)."""

    name: str
    process: subprocess.Popen[bytes]
    stdout: Path
    stderr: Path

    @classmethod
    def start(cls, name: str, role: str, path: Path, *args: str) -> _Child:
        logs = path.parent / f"{path.name}.logs"
        logs.mkdir(exist_ok=True)
        stdout, stderr = logs / f"{name}.out", logs / f"{name}.err"
        with stdout.open("wb") as out, stderr.open("wb") as err:
            process = subprocess.Popen(
                [sys.executable, "-m", "tests.editing_processes", role, str(path), *args],
                cwd=REPO, stdout=out, stderr=err, env={**os.environ, "PYTHONPATH": str(REPO)})
        return cls(name, process, stdout, stderr)

    def lines(self) -> list[str]:
        return self.stdout.read_text(encoding="utf-8", errors="replace").splitlines()

    def wait_until_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while not self.stdout.read_bytes().startswith(b'{"event": "ready"}'):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not start: {self.stderr.read_text()}")
            time.sleep(0.01)

    def failure(self) -> str | None:
        if self.process.returncode == 0:
            return None
        last = self.stderr.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        return f"{self.name} exit {self.process.returncode}: {last[-1:] or ''}"


@dataclass
class SceneResult:
    seconds: float
    acknowledged: int = 0
    failed_edits: list[str] = field(default_factory=list)
    lost_edits: int = 0
    side_runs: Counter[str] = field(default_factory=Counter)
    side_failures: dict[str, list[str]] = field(default_factory=dict)
    integrity: str = ""
    foreign_key_problems: int = 0
    crashed: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        failures = Counter(error.split("\n")[0] for error in self.failed_edits)
        lines = [
            f"{self.seconds:.0f} s: {self.acknowledged} acknowledged edits, "
            f"{len(self.failed_edits)} failed edits, {self.lost_edits} lost, "
            f"integrity {self.integrity}, {self.foreign_key_problems} foreign key problems",
        ]
        lines += [f"  failed edit x{n}: {error}" for error, n in failures.most_common()]
        for role, runs in sorted(self.side_runs.items()):
            failed = self.side_failures.get(role, [])
            lines.append(f"  {role}: {runs} runs, {len(failed)} failed")
            lines += [f"    x{n}: {error}" for error, n in Counter(
                e.split("\n")[0] for e in failed).most_common(5)]
        lines += [f"  crashed: {crash}" for crash in self.crashed]
        return lines


def run_scene(path: Path, seconds: float, writers: int = 2,
              sides: Sequence[str] = ("reader", "importer", "exporter")) -> SceneResult:
    """Writers and readers on one (new) project file for `seconds`, then the check."""
    if not path.exists():
        prepare_project(path)
    children = [_Child.start(f"writer-{n}", "writer", path, "--annotator", f"writer-{n}",
                             "--seconds", str(seconds), "--seed", str(n))
                for n in range(writers)]
    children += [_Child.start(f"{role}-{n}", role, path, "--seconds", str(seconds))
                 for n, role in enumerate(sides)]
    result = SceneResult(seconds)
    for child in children:
        child.process.wait(timeout=seconds + 120)
        failure = child.failure()
        if failure is not None:
            result.crashed.append(failure)
        if child.name.startswith("writer-"):
            continue
        role = child.name.rsplit("-", 1)[0]
        for raw in child.lines():
            line = json.loads(raw)
            if line["event"] in ("ok", "failed"):
                result.side_runs[role] += 1
            if line["event"] == "failed":
                result.side_failures.setdefault(role, []).append(line["error"])
    found = FileState.read(path)
    for n in range(writers):
        log = WriterLog(f"writer-{n}")
        log.read(children[n].lines())
        result.acknowledged += log.acknowledged
        result.failed_edits += log.failures
        result.lost_edits += log.lost_edits(found)
    result.integrity = found.integrity
    result.foreign_key_problems = found.foreign_key_problems
    return result


@dataclass
class KillResult:
    kills: int = 0
    acknowledged: int = 0
    failed_edits: list[str] = field(default_factory=list)
    lost_edits: int = 0
    integrity: list[str] = field(default_factory=list)


def kill_writer_repeatedly(path: Path, kills: int, rng: random.Random,
                           after: tuple[float, float] = (0.1, 0.4)) -> KillResult:
    """Start a writer, SIGKILL it at a random moment once it edits, `kills` times, each
    time checking every edit acknowledged so far against the file."""
    if not path.exists():
        prepare_project(path)
    result = KillResult()
    logs: list[WriterLog] = []
    for n in range(kills):
        child = _Child.start(f"killed-{n}", "writer", path, "--annotator", f"killed-{n}",
                             "--seconds", "60", "--seed", str(rng.randrange(1 << 30)))
        child.wait_until_ready()
        time.sleep(rng.uniform(*after))
        child.process.send_signal(signal.SIGKILL)
        child.process.wait(timeout=60)
        log = WriterLog(f"killed-{n}")
        log.read(child.lines())
        logs.append(log)
        result.kills += 1
        found = FileState.read(path)
        result.integrity.append(found.integrity)
        result.acknowledged += log.acknowledged
        result.failed_edits += log.failures
        # Every writer so far, not only this one: a later kill must not undo earlier work.
        result.lost_edits = sum(earlier.lost_edits(found) for earlier in logs)
    return result


class WriteLockHolder:
    """Another program in the middle of a write: a process that holds the file's write lock
    (BEGIN IMMEDIATE) until `release()`."""

    def __init__(self, path: Path) -> None:
        code = ("import sqlite3, sys\n"
                "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
                "conn.execute('BEGIN IMMEDIATE')\n"
                "print('locked', flush=True)\n"
                "sys.stdin.readline()\n"
                "conn.execute('ROLLBACK')\n")
        self._child = subprocess.Popen([sys.executable, "-c", code, str(path)],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       text=True)
        assert self._child.stdout is not None
        if self._child.stdout.readline().strip() != "locked":
            raise RuntimeError("the lock holder did not start")

    def release(self) -> None:
        if self._child.poll() is None:
            self._child.communicate("\n", timeout=30)

    def __enter__(self) -> WriteLockHolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


# --- command line ----------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.editing_processes")
    parser.add_argument("role", choices=["writer", "reader", "importer", "exporter", "scene",
                                         "kill"])
    parser.add_argument("project", type=Path, nargs="?")
    parser.add_argument("--annotator", default="writer")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--sides", default="reader,importer,exporter",
                        help="the programs beside the two writers (scene), comma-separated")
    args = parser.parse_args(argv)
    out = sys.stdout
    if args.role == "writer":
        return run_writer(args.project, args.annotator, args.seconds, args.seed, out)
    if args.role in ("reader", "importer", "exporter"):
        runner = {"reader": run_reader, "importer": run_importer,
                  "exporter": run_exporter}[args.role]
        return runner(args.project, args.seconds, out)
    with _scratch(args.project) as path:
        if args.role == "scene":
            result = run_scene(path, args.seconds,
                               sides=[side for side in args.sides.split(",") if side])
            print("\n".join(result.lines()))
            return 0 if not (result.failed_edits or result.lost_edits) else 1
        kill = kill_writer_repeatedly(path, args.kills, random.Random(args.seed))
        bad = [i for i in kill.integrity if i != "ok"]
        print(f"{kill.kills} kills: {kill.acknowledged} acknowledged edits, "
              f"{len(kill.failed_edits)} failed, {kill.lost_edits} lost, "
              f"{len(bad)} integrity failures")
        return 0 if not (kill.lost_edits or bad) else 1


class _scratch:
    """The given project path, or a new one in a temporary folder."""

    def __init__(self, path: Path | None) -> None:
        self._given = path
        self._folder: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> Path:
        if self._given is not None:
            return self._given
        self._folder = tempfile.TemporaryDirectory(prefix="scene-")
        return Path(self._folder.name) / "scene.wbproj"

    def __exit__(self, *exc: object) -> None:
        if self._folder is not None:
            self._folder.cleanup()


if __name__ == "__main__":
    sys.exit(main())
