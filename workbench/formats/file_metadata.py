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
        "source_path": os.path.realpath(path),  # what Path.resolve() does, without a new Path
        "size_bytes": stat.st_size,
        "modified": datetime.fromtimestamp(stat.st_mtime, UTC).replace(microsecond=0).isoformat(),
    }
    metadata.update({key: value for key, value in extra.items() if value not in (None, "")})
    return metadata
