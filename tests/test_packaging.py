"""The wheel a user installs carries the codebooks and sample documents, and the installed
code finds them inside the package (not in a source checkout)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_carries_resources_and_runs_from_them(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir",
         str(tmp_path / "dist"), str(REPO)],
        capture_output=True, text=True, check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = (tmp_path / "dist").glob("annotation_workbench-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "installed")
    assert "workbench/_resources/codebooks/news-rhetoric.json" in names
    assert {f"workbench/_seeds/{p.name}" for p in (REPO / "seeds").glob("*.txt")} <= names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    with zipfile.ZipFile(wheel) as archive:
        entries = archive.read(entry_points).decode()
    assert "workbench = workbench.cli:main" in entries
    assert "workbench-gui = workbench.cli.gui_command:gui_main" in entries

    # Run the unpacked wheel (its own copy of workbench first on the path) from elsewhere.
    env = dict(os.environ, PYTHONPATH=str(tmp_path / "installed"),
               WORKBENCH_DATA_DIR=str(tmp_path / "data"))
    code = (
        "import workbench, json\n"
        "from workbench.core.resources import resources_dir, seeds_dir\n"
        "from workbench.services.project import ensure_demo_project, open_project\n"
        "path = ensure_demo_project()\n"
        "with open_project(path) as store:\n"
        "    count = store.documents.count()\n"
        "print(json.dumps([workbench.__file__, str(resources_dir()), str(seeds_dir()), count]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env, cwd=tmp_path, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    module, resources, seeds, count = __import__("json").loads(result.stdout)
    installed = str(tmp_path / "installed")
    assert module.startswith(installed)
    assert resources == f"{installed}/workbench/_resources"
    assert seeds == f"{installed}/workbench/_seeds"
    assert count == 5
