"""Programs that work on one project file at the same time, each in a process of its own.

`python -m tests.editing_processes ROLE PROJECT ...` runs one of them:

- `writer`: edits as the window does (tag, relabel, resize, note, delete, link, unlink,
  document status, through the same store calls as the desk's undo commands), as fast as it
  can, and prints one JSON line before each edit (`try`) and one after its commit (`ok`), or
  `failed` with the error. A line `ok` is an acknowledged edit: the user saw it saved.
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


class _Writer:
    """Edits through the store calls the desk's undo commands make."""

    def __init__(self, store: Any, annotator: str, rng: random.Random, out: TextIO) -> None:
        self.store = store
        self.annotator = annotator
        self.rng = rng
        self.out = out
        self.documents = {
            document_id: [m.span() for m in re.finditer(r"\w+(?: \w+)?", store.documents.text(
                document_id))]
            for document_id in store.documents.ids()
        }
        self.spans: dict[int, Any] = {}
        self.relations: dict[int, Any] = {}
        self.started: set[int] = set()
        self.edits = 0

    def say(self, **line: Any) -> None:
        self.out.write(json.dumps(line) + "\n")
        self.out.flush()

    def one_edit(self) -> None:
        choices = ["add"] * 4
        if self.spans:
            choices += ["relabel", "resize", "note", "delete", "link", "status"]
        if self.relations:
            choices.append("unlink")
        op = self.rng.choice(choices)
        self.edits += 1
        n = self.edits
        try:
            getattr(self, f"_{op}")(n)
        except Exception as error:
            self.say(n=n, event="failed", op=op, error=f"{type(error).__name__}: {error}",
                     trace=traceback.format_exc(limit=4))

    # Each edit says `try` with what it is about to write, then `ok` after the commit.

    def _add(self, n: int) -> None:
        from workbench.core.model import DocumentStatus, Span

        document_id = self.rng.choice(sorted(self.documents))
        start, end = self.rng.choice(self.documents[document_id])
        layer, label = self.rng.choice(SPAN_LABELS)
        note = f"{self.annotator}-{n}"
        span = Span(document_id, layer, label, start, end, self.annotator, note=note)
        starts = document_id not in self.started
        self.say(n=n, event="try", op="add", state=[document_id, layer, label, start, end, note])
        # AddSpanCommand.apply: the span, and the first tag marks the document in progress.
        with self.store.transaction():
            stored = self.store.spans.add(span)
            if starts:
                self.store.documents.set_status(document_id, self.annotator,
                                                DocumentStatus.IN_PROGRESS)
        self.started.add(document_id)
        self.spans[stored.id] = stored
        self.say(n=n, event="ok", op="add", id=stored.id,
                 state=[document_id, layer, label, start, end, note],
                 status=DocumentStatus.IN_PROGRESS.value if starts else None)

    def _relabel(self, n: int) -> None:
        span_id = self.rng.choice(sorted(self.spans))
        layer = self.spans[span_id].layer
        label = self.rng.choice([lb for ly, lb in SPAN_LABELS if ly == layer])
        self._change_one(n, span_id, "relabel", label=label)

    def _resize(self, n: int) -> None:
        span_id = self.rng.choice(sorted(self.spans))
        span = self.spans[span_id]
        start, end = self.rng.choice(self.documents[span.document_id])
        self._change_one(n, span_id, "resize", start=start, end=end)

    def _note(self, n: int) -> None:
        span_id = self.rng.choice(sorted(self.spans))
        self._change_one(n, span_id, "note", note=f"{self.annotator}-{n}-note")

    def _change_one(self, n: int, span_id: int, op: str, **changes: Any) -> None:
        after = self.spans[span_id].with_changes(**changes)
        state = [after.document_id, after.layer, after.label, after.start, after.end, after.note]
        self.say(n=n, event="try", op=op, id=span_id, state=state)
        self.spans[span_id] = self.store.spans.update(after)
        self.say(n=n, event="ok", op=op, id=span_id, state=state)

    def _delete(self, n: int) -> None:
        span_id = self.rng.choice(sorted(self.spans))
        self.say(n=n, event="try", op="delete", id=span_id)
        deleted = self.store.spans.delete(span_id)  # DeleteSpanCommand.apply
        del self.spans[span_id]
        for relation in deleted.relations:
            self.relations.pop(relation.id, None)
        self.say(n=n, event="ok", op="delete", id=span_id)

    def _link(self, n: int) -> None:
        from workbench.core.model import Relation

        by_document: dict[int, list[Any]] = {}
        for span in self.spans.values():
            by_document.setdefault(span.document_id, []).append(span)
        pairs = [(a, c) for spans in by_document.values() for a in spans for c in spans
                 if a.layer == "Actors" and c.layer == "Claims"]
        if not pairs:
            self._add(n)
            return
        actor, claim = self.rng.choice(pairs)
        relation = Relation(actor.document_id, "Links", "asserts", actor.id, claim.id,
                            self.annotator)
        state = [actor.document_id, "asserts", actor.id, claim.id]
        self.say(n=n, event="try", op="link", state=state)
        stored = self.store.relations.add(relation)  # AddRelationCommand.apply
        self.relations[stored.id] = stored
        self.say(n=n, event="ok", op="link", id=stored.id, state=state)

    def _unlink(self, n: int) -> None:
        relation_id = self.rng.choice(sorted(self.relations))
        self.say(n=n, event="try", op="unlink", id=relation_id)
        self.store.relations.delete(relation_id)  # DeleteRelationCommand.apply
        del self.relations[relation_id]
        self.say(n=n, event="ok", op="unlink", id=relation_id)

    def _status(self, n: int) -> None:
        from workbench.core.model import DocumentStatus

        document_id = self.rng.choice(sorted(self.documents))
        status = self.rng.choice([DocumentStatus.DONE, DocumentStatus.IN_PROGRESS])
        self.say(n=n, event="try", op="status", document=document_id, status=status.value)
        # SetDocumentStatusCommand.apply
        self.store.documents.set_status(document_id, self.annotator, status)
        self.say(n=n, event="ok", op="status", document=document_id, status=status.value)


def run_writer(path: Path, annotator: str, seconds: float, seed: int, out: TextIO) -> int:
    from workbench.storage import ProjectStore

    store = ProjectStore.open(path)
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
    pending: dict[str, Any] | None = None
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
                self.pending = line
            elif event == "ok":
                self.pending = None
                self.acknowledged += 1
                self._replay(line)
            elif event == "failed":
                self.pending = None
                self.failures.append(line["error"])
            elif event == "done":
                self.done = True

    def _replay(self, line: dict[str, Any]) -> None:
        op = line["op"]
        if op == "add":
            self.spans[line["id"]] = tuple(line["state"])
            if line.get("status"):
                self.statuses[line["state"][0]] = line["status"]
        elif op in ("relabel", "resize", "note"):
            self.spans[line["id"]] = tuple(line["state"])
        elif op == "delete":
            del self.spans[line["id"]]
            self.relations = {k: v for k, v in self.relations.items()
                              if line["id"] not in (v[2], v[3])}
        elif op == "link":
            self.relations[line["id"]] = tuple(line["state"])
        elif op == "unlink":
            del self.relations[line["id"]]
        elif op == "status":
            self.statuses[line["document"]] = line["status"]

    def lost_edits(self, found: FileState) -> int:
        """How many acknowledged states the file does not hold (the edit in flight when the
        writer died may have been committed or not; both are fine)."""
        spans = found.spans.get(self.annotator, {})
        relations = found.relations.get(self.annotator, {})
        statuses = found.statuses.get(self.annotator, {})
        expected_spans, expected_relations = dict(self.spans), dict(self.relations)
        expected_statuses = dict(self.statuses)
        alternatives = [(expected_spans, expected_relations, expected_statuses)]
        if self.pending is not None:
            alternatives.append(self._with_pending(spans, relations))
        return min(
            _differences(spans, want_spans) + _differences(relations, want_relations)
            + _differences(statuses, want_statuses)
            for want_spans, want_relations, want_statuses in alternatives
        )

    def _with_pending(self, spans: dict[int, SpanState], relations: dict[int, RelationState]
                      ) -> tuple[dict[int, SpanState], dict[int, RelationState], dict[int, str]]:
        want_spans, want_relations = dict(self.spans), dict(self.relations)
        want_statuses = dict(self.statuses)
        line = self.pending
        assert line is not None
        op = line["op"]
        if op == "add":
            state = tuple(line["state"])
            new = [i for i, s in spans.items() if s == state and i not in want_spans]
            if new:
                want_spans[new[0]] = state
                want_statuses.setdefault(state[0], "in_progress")
        elif op in ("relabel", "resize", "note"):
            want_spans[line["id"]] = tuple(line["state"])
        elif op == "delete":
            want_spans.pop(line["id"], None)
            want_relations = {k: v for k, v in want_relations.items()
                              if line["id"] not in (v[2], v[3])}
        elif op == "link":
            state = tuple(line["state"])
            new = [i for i, r in relations.items() if r == state and i not in want_relations]
            if new:
                want_relations[new[0]] = state
        elif op == "unlink":
            want_relations.pop(line["id"], None)
        elif op == "status":
            want_statuses[line["document"]] = line["status"]
        return want_spans, want_relations, want_statuses


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


def _child(role: str, path: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.editing_processes", role, str(path), *args],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


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
    children = {f"writer-{n}": _child("writer", path, "--annotator", f"writer-{n}",
                                      "--seconds", str(seconds), "--seed", str(n))
                for n in range(writers)}
    children.update({f"{role}-{n}": _child(role, path, "--seconds", str(seconds))
                     for n, role in enumerate(sides)})
    result = SceneResult(seconds)
    outputs = {name: child.communicate(timeout=seconds + 120) for name, child in
               children.items()}
    for name, (stdout, stderr) in outputs.items():
        lines = stdout.splitlines()
        if children[name].returncode != 0:
            result.crashed.append(f"{name} exit {children[name].returncode}: "
                                  f"{stderr.strip().splitlines()[-1:]}")
        if name.startswith("writer-"):
            continue
        role = name.rsplit("-", 1)[0]
        for raw in lines:
            line = json.loads(raw)
            if line["event"] in ("ok", "failed"):
                result.side_runs[role] += 1
            if line["event"] == "failed":
                result.side_failures.setdefault(role, []).append(line["error"])
    found = FileState.read(path)
    for n in range(writers):
        log = WriterLog(f"writer-{n}")
        log.read(outputs[f"writer-{n}"][0].splitlines())
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
        child = _child("writer", path, "--annotator", f"killed-{n}", "--seconds", "60",
                       "--seed", str(rng.randrange(1 << 30)))
        assert child.stdout is not None
        ready = child.stdout.readline()
        if not ready:
            raise RuntimeError(f"the writer did not start: {child.communicate()[1]}")
        time.sleep(rng.uniform(*after))
        child.send_signal(signal.SIGKILL)
        stdout, _ = child.communicate()
        log = WriterLog(f"killed-{n}")
        log.read(stdout.splitlines())
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
