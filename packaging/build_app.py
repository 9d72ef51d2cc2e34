"""Build the stand-alone application: `python packaging/build_app.py` (what `make app` runs).

Freezes the workbench with PyInstaller (packaging/annotation-workbench.spec) into
dist/annotation-workbench/, packs that folder as
dist/annotation-workbench-VERSION-PLATFORM.tar.gz, and prints the time it took and the sizes.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "packaging" / "annotation-workbench.spec"
APP_NAME = "annotation-workbench"


def project_version() -> str:
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return str(data["project"]["version"])


def platform_tag() -> str:
    system = {"Linux": "linux", "Darwin": "macos", "Windows": "windows"}.get(
        platform.system(), platform.system().lower())
    return f"{system}-{platform.machine().lower()}"


def folder_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if not p.is_dir())


def archive_name(version: str | None = None) -> str:
    return f"{APP_NAME}-{version or project_version()}-{platform_tag()}.tar.gz"


def build(dist: Path, work: Path) -> Path:
    folder = dist / APP_NAME
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work), str(SPEC)],
        check=True, cwd=REPO,
    )
    return folder


def strip_debug_symbols(folder: Path) -> int:
    """Remove debug symbols from the extension modules that carry them; returns bytes saved.

    Wheels built with debug information (spaCy, thinc, blis, preshed, srsly) are mostly
    that. Only files with a .debug_info section are touched, never the libraries that
    auditwheel vendored into `*.libs` folders (rewriting those breaks their patched layout).
    Linux only, with binutils' readelf and strip; elsewhere nothing is stripped."""
    if not sys.platform.startswith("linux") or not (shutil.which("strip")
                                                    and shutil.which("readelf")):
        return 0
    saved = 0
    for library in sorted(folder.rglob("*.so*")):
        if library.is_symlink() or not library.is_file():
            continue
        if any(part.endswith(".libs") for part in library.parts):
            continue
        sections = subprocess.run(["readelf", "-S", "-W", str(library)],
                                  capture_output=True, text=True, check=False).stdout
        if ".debug_info" not in sections:
            continue
        before = library.stat().st_size
        subprocess.run(["strip", "--strip-debug", str(library)], check=True)
        saved += before - library.stat().st_size
    return saved


def pack(folder: Path, target: Path) -> Path:
    """A .tar.gz whose one top-level folder is the app (symlinks kept, as PyInstaller made)."""
    partial = target.with_name(target.name + ".partial")
    with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
        archive.add(folder, arcname=folder.name)
    partial.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=REPO / "dist")
    parser.add_argument("--work", type=Path, default=REPO / "build" / "pyinstaller")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    folder = build(args.dist, args.work)
    saved = strip_debug_symbols(folder)
    frozen = time.perf_counter()
    archive = pack(folder, args.dist / archive_name())
    done = time.perf_counter()
    mib = 1024 * 1024
    print(f"built {folder} in {frozen - started:.0f} s: {folder_size(folder) / mib:.0f} MiB "
          f"({saved / mib:.0f} MiB of debug symbols stripped)")
    print(f"packed {archive} in {done - frozen:.0f} s: {archive.stat().st_size / mib:.0f} MiB")
    print(f"run it: {folder / APP_NAME}{'.exe' if os.name == 'nt' else ''} --version")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
