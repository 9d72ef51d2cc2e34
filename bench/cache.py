"""Generated corpora and projects, built once and kept in `bench/cache/` (git-ignored).

Every artefact is named by the corpus key (generator version, size, seed) and the project
schema version, so a change to either builds afresh while a second run reuses the files.
Each is built under a `.partial` name and renamed when complete: an interrupted build never
leaves something that looks finished.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

from bench.generator import (
    EXPORT_SET,
    GENERATOR_VERSION,
    HUGE_DOCUMENT_CHARS,
    HUGE_DOCUMENT_SPANS,
    CorpusSpec,
    generate,
    long_document,
)
from bench.project_builder import build_project, write_text_files
from workbench.storage.database import latest_version

CACHE_DIR = Path(__file__).resolve().parent / "cache"
Log = Callable[[str], None]


def _quiet(message: str) -> None:
    """The default log: say nothing."""


def wal_files(path: Path) -> tuple[Path, Path]:
    """The -wal and -shm files SQLite keeps beside a database in write-ahead mode."""
    return Path(f"{path}-wal"), Path(f"{path}-shm")


def remove(path: Path) -> None:
    """Delete a file or folder, and the -wal and -shm files when it is a database."""
    if path.is_dir():
        shutil.rmtree(path)
    for leftover in (path, *wal_files(path)):
        leftover.unlink(missing_ok=True)


class Cache:
    def __init__(self, root: Path = CACHE_DIR, log: Log = _quiet) -> None:
        self.root = root
        self.log = log
        # What was built in this run and how long it took (seconds), for the report.
        self.built: dict[str, float] = {}

    # --- the artefacts -----------------------------------------------------------------

    def text_files(self, spec: CorpusSpec) -> Path:
        """A folder of `spec.documents` UTF-8 text files (the corpus without annotations)."""
        return self._ensure(f"{spec.key}-files", lambda target: write_text_files(
            target, generate(spec)))

    def project(self, spec: CorpusSpec) -> Path:
        """A project file holding the whole annotated corpus."""
        return self._ensure(f"{spec.key}-schema{latest_version()}.wbproj",
                            lambda target: self._build(target, spec))

    def empty_project(self) -> Path:
        """A project with the news-rhetoric codebook and no documents."""
        return self._ensure(f"g{GENERATOR_VERSION}-empty-schema{latest_version()}.wbproj",
                            lambda target: build_project(target, []))

    def long_document_project(self, with_spans: bool = True, one_paragraph: bool = False,
                              huge: bool = False) -> Path:
        """A project holding only the 1 MB document, with its 10k spans or with none
        (`one_paragraph`: the document written without line breaks; `huge`: the 5 MB
        document with 100k spans)."""
        kind = ("spans" if with_spans else "bare") + ("-paragraph" if one_paragraph else "")
        size = {"chars": HUGE_DOCUMENT_CHARS, "spans": HUGE_DOCUMENT_SPANS} if huge else {}
        return self._ensure(
            f"g{GENERATOR_VERSION}-{'huge' if huge else 'long'}-{kind}-schema"
            f"{latest_version()}.wbproj",
            lambda target: build_project(
                target, [long_document(with_spans, one_paragraph, **size)]),
        )

    def export_project(self) -> Path:
        """A project with 100k spans over 5,000 documents, for the export figures."""
        return self.project(EXPORT_SET)

    # --- building ------------------------------------------------------------------------

    def _build(self, target: Path, spec: CorpusSpec) -> None:
        step = max(spec.documents // 10, 1)

        def progress(done: int) -> None:
            if done % step < 500 or done == spec.documents:
                self.log(f"  {done:,} of {spec.documents:,} documents written")

        build_project(target, generate(spec), progress)

    def _ensure(self, name: str, make: Callable[[Path], object]) -> Path:
        target = self.root / name
        if target.exists():
            return target
        self.root.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        remove(partial)
        self.log(f"generating {name} (first run only; kept in {self.root})")
        started = time.perf_counter()
        try:
            make(partial)
        except BaseException:
            remove(partial)
            raise
        for leftover in wal_files(partial):
            leftover.unlink(missing_ok=True)
        partial.rename(target)
        seconds = time.perf_counter() - started
        self.built[name] = seconds
        self.log(f"generated {name} in {seconds:.1f} s")
        return target
