"""Source metadata every imported document keeps: where it came from and when."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def file_metadata(path: Path, **extra: Any) -> dict[str, Any]:
    stat = path.stat()
    metadata: dict[str, Any] = {
        "source_file": path.name,
        # abspath, not realpath: resolving every symbolic link costs a system call per folder
        # level for each of thousands of files, and the path as given is what users recognise.
        "source_path": os.path.abspath(path),
        "size_bytes": stat.st_size,
        "modified": datetime.fromtimestamp(stat.st_mtime, UTC).replace(microsecond=0).isoformat(),
    }
    metadata.update({key: value for key, value in extra.items() if value not in (None, "")})
    return metadata
