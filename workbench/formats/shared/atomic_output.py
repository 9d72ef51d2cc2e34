"""Writing export files so that a failure never leaves a half-written result behind.

Everything is written next to the target under a temporary name and moved into place only
when complete; an existing target is replaced only then. The result gets the permissions any
program's new file or folder gets (the user's umask), not the private ones of a temporary.
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
        os.chmod(temp_path, 0o666 & ~_umask())  # mkstemp makes it 0600
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
        os.chmod(temp_path, 0o777 & ~_umask())  # mkdtemp makes it 0700
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


def _umask() -> int:
    """The process's umask, read without changing it where the system tells (Linux), since
    exports may run in a worker thread while another thread creates files."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
