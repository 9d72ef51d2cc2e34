"""Shared fixtures. Tests never touch the user's real settings or data folders."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Before anything imports Qt: no display needed, and settings/data go to a throwaway place.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_SANDBOX = Path(tempfile.mkdtemp(prefix="workbench-tests-"))
os.environ["XDG_CONFIG_HOME"] = str(_SANDBOX / "config")
os.environ["XDG_DATA_HOME"] = str(_SANDBOX / "data")
os.environ["WORKBENCH_DATA_DIR"] = str(_SANDBOX / "workbench-data")

from workbench.core.codebook import Codebook  # noqa: E402
from workbench.core.resources import seeds_dir  # noqa: E402
from workbench.services.codebooks import resolve_codebook  # noqa: E402
from workbench.services.importing import import_paths  # noqa: E402
from workbench.storage import ProjectStore  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
# Real files and official schemas from other tools (see tests/data/interop/README.md).
INTEROP = Path(__file__).resolve().parent / "data" / "interop"

# A text whose code-point and UTF-16 offsets differ, with a Windows line break before the
# annotated words: every offset conversion mistake shows up here.
EMOJI_CRLF_TEXT = "Breaking 😊 news\r\nPutin said: that is a lie. Obama disagreed.\r\n"
PUTIN = (EMOJI_CRLF_TEXT.index("Putin"), EMOJI_CRLF_TEXT.index("Putin") + len("Putin"))
LIE = (EMOJI_CRLF_TEXT.index("that is a lie"),
       EMOJI_CRLF_TEXT.index("that is a lie") + len("that is a lie"))


@pytest.fixture(scope="session")
def news_codebook() -> Codebook:
    return resolve_codebook("news-rhetoric")


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    return tmp_path / "test.wbproj"


@pytest.fixture
def store(project_path: Path, news_codebook: Codebook) -> Iterator[ProjectStore]:
    """A fresh project file with the news-rhetoric codebook."""
    project = ProjectStore.create(project_path, news_codebook)
    yield project
    project.close()


@pytest.fixture
def seeded_store(store: ProjectStore) -> ProjectStore:
    """The project with the five sample documents imported."""
    report = import_paths(store, [seeds_dir()], annotator="tester")
    assert not report.failures and report.documents_added == 5
    return store


@pytest.fixture
def emoji_document(store: ProjectStore) -> int:
    """Id of a stored document holding EMOJI_CRLF_TEXT."""
    from workbench.core.model import Document

    stored = store.documents.add(Document(name="emoji-crlf", text=EMOJI_CRLF_TEXT))
    assert stored.id is not None
    return stored.id


def interop(*parts: str) -> Path:
    """A file from tests/data/interop: real exports of other tools and official schemas."""
    path = INTEROP.joinpath(*parts)
    assert path.exists(), f"interop fixture {path} is missing"
    return path


def sqlite_steps(store: ProjectStore, work: Callable[[], object]) -> int:
    """How many virtual-machine instructions SQLite runs for `work` (in hundreds): a count of
    the database work done, the same on every machine."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    store.db.conn.set_progress_handler(count, 100)
    try:
        work()
    finally:
        store.db.conn.set_progress_handler(None, 0)
    return steps
