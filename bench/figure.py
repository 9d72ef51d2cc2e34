"""What a benchmark figure is, and what measuring one gives.

A figure compares the workbench doing something with a baseline doing the same work by the
plainest means (raw sqlite3, `json.dumps`, bare `nlp.pipe`, an empty project), both measured
in the same run on the same machine, so the ratio means something on any computer.
"""

from __future__ import annotations

import os
import statistics
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from bench.cache import Cache, remove, wal_files
from bench.generator import CorpusSpec


@dataclass
class Context:
    """What a figure gets: the corpus size, the cache of generated inputs, a scratch folder."""

    size: str
    spec: CorpusSpec
    cache: Cache
    workdir: Path  # emptied after the run
    repeats: int
    log: Callable[[str], None]

    def scratch(self, name: str) -> Path:
        """A fresh path under the scratch folder (nothing exists there yet)."""
        path = self.workdir / name
        n = 1
        while path.exists() or wal_files(path)[0].exists():
            path = self.workdir / f"{n}-{name}"
            n += 1
        return path

    def discard(self, path: Path) -> None:
        """Set a scratch file or folder aside (a database with its -wal and -shm files); the
        run deletes them all at its end. Not deleted now: the file system here is mounted
        with online discard, and blocks freed by deleting a 170 MB export are trimmed while
        the next sample writes, which made that sample's file creation up to 20 times
        slower (5,000 files of 35 KB: 0.15 s on an idle disk, 2.9-3.4 s after a delete)."""
        aside = self.workdir / ".set-aside"
        aside.mkdir(exist_ok=True)
        for item in (path, *wal_files(path)):
            if not item.exists():
                continue
            try:
                os.replace(item, aside / f"{len(list(aside.iterdir()))}-{item.name}")
            except OSError:  # elsewhere than the scratch folder's file system
                remove(item)


class Figure(ABC):
    """One line of the table. Subclasses set the class attributes and the two measurements.

    `workbench()` and `baseline()` each return one sample: seconds (unit "s") or megabytes
    (unit "MB"); the runner calls them alternately, `repeats` times after a warm-up, and
    compares the medians. Work that must not be timed (building inputs, making a fresh
    empty project to import into) happens inside them before the clock starts, or in
    `prepare()`.
    """

    key: ClassVar[str]  # the module's name, used by --figures
    title: ClassVar[str]  # "import N text files": N is replaced by the document count
    baseline_title: ClassVar[str]
    unit: ClassVar[str] = "s"
    target_ratio: ClassVar[float | None] = None  # None: reported, never judged
    limit: ClassVar[float | None] = None  # an absolute ceiling on the workbench's value
    warmup: ClassVar[bool] = True
    # Measured on the large inputs whatever the size (100k documents, 5 MB, 50k files):
    # left out of `--size S` unless named or `--large` is given.
    large: ClassVar[bool] = False

    def describe(self, ctx: Context) -> str:
        return self.title.replace("N ", f"{ctx.spec.documents:,} ", 1)

    def repeats(self, ctx: Context) -> int:
        return ctx.repeats

    def prepare(self, ctx: Context) -> None:
        """Build or open what both measurements need (not timed)."""
        return None

    @abstractmethod
    def workbench(self, ctx: Context) -> float: ...

    @abstractmethod
    def baseline(self, ctx: Context) -> float: ...

    def finish(self, ctx: Context) -> None:
        """Close what `prepare` opened."""
        return None


@dataclass
class Result:
    key: str
    title: str
    baseline_title: str
    unit: str
    target_ratio: float | None
    limit: float | None
    workbench_samples: list[float] = field(default_factory=list)
    baseline_samples: list[float] = field(default_factory=list)
    error: str | None = None

    @property
    def workbench(self) -> float | None:
        return statistics.median(self.workbench_samples) if self.workbench_samples else None

    @property
    def baseline(self) -> float | None:
        return statistics.median(self.baseline_samples) if self.baseline_samples else None

    @property
    def ratio(self) -> float | None:
        if self.workbench is None or not self.baseline:
            return None
        return self.workbench / self.baseline

    def status(self, tolerance: float = 1.0) -> str:
        """pass, miss, report (no target) or error; `tolerance` widens the targets."""
        if self.error is not None or self.ratio is None or self.workbench is None:
            return "error"
        if self.target_ratio is None and self.limit is None:
            return "report"
        if self.target_ratio is not None and self.ratio > self.target_ratio * tolerance:
            return "miss"
        if self.limit is not None and self.workbench > self.limit * tolerance:
            return "miss"
        return "pass"

    def to_json(self, gross_factor: float) -> dict[str, object]:
        return {
            "figure": self.key,
            "title": self.title,
            "baseline_title": self.baseline_title,
            "unit": self.unit,
            "workbench": self.workbench,
            "baseline": self.baseline,
            "ratio": self.ratio,
            "target_ratio": self.target_ratio,
            "limit": self.limit,
            "status": self.status(),
            "gross_miss": self.status(gross_factor) in ("miss", "error"),
            "workbench_samples": self.workbench_samples,
            "baseline_samples": self.baseline_samples,
            "error": self.error,
        }
