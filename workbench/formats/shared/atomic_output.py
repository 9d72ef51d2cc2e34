"""Writing export files so that a failure never leaves a half-written result behind.

Everything is written next to the target under a temporary name and moved into place only
when complete; an existing target is replaced only then.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_file(target: Path) -> Iterator[Path]:
    """Yield a temporary path to write; it becomes `target` when the block succeeds."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    temp_path = Path(temporary)
    try:
        yield temp_path
        os.replace(temp_path, target)
    finally:
        temp_path.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Yield a temporary folder to fill; it becomes `target` when the block succeeds.

    An existing `target` folder is replaced as a whole, so no stale files of an earlier export
    remain mixed with the new ones.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp_path = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield temp_path
        if target.exists():
            old = target.with_name(f".{target.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            target.rename(old)
            temp_path.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            temp_path.rename(target)
    finally:
        shutil.rmtree(temp_path, ignore_errors=True)
