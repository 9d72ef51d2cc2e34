"""Install the stand-alone app for the current user, with its menu entry, icons, project file
type and AppStream data, following the freedesktop conventions; and remove exactly that again.

    python3 packaging/linux/desktop_install.py install [--app dist/annotation-workbench]
    python3 packaging/linux/desktop_install.py uninstall

(`make install-desktop` and `make uninstall-desktop`.) Everything goes under the user's own
folders, no root needed: the app in ~/.local/lib/annotation-workbench/, a link in ~/.local/bin/,
the rest in $XDG_DATA_HOME (~/.local/share): applications/, icons/hicolor/, mime/packages/,
metainfo/; the app becomes the default for project files in $XDG_CONFIG_HOME/mimeapps.list.
What was added is listed in the installed app's folder, and `uninstall` removes that and only
that (the user's projects and the demo project stay). Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
APP_ID = "io.github.annotationworkbench.Workbench"
APP_NAME = "annotation-workbench"
MIME_TYPE = "application/x-annotation-workbench-project"
MANIFEST = "INSTALLED-FILES.json"
DEFAULTS_GROUP = "[Default Applications]"


class Places:
    """The user's folders, as the XDG base directory specification names them."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        env = dict(os.environ if env is None else env)
        home = Path(env.get("HOME") or Path.home())
        self.data = Path(env.get("XDG_DATA_HOME") or home / ".local" / "share")
        self.config = Path(env.get("XDG_CONFIG_HOME") or home / ".config")
        self.bin = home / ".local" / "bin"
        self.app = home / ".local" / "lib" / APP_NAME
        self.mime = self.data / "mime"
        self.applications = self.data / "applications"
        self.mimeapps = self.config / "mimeapps.list"


class Recorder:
    """Creates files and folders and remembers which, so that uninstall can take them back."""

    def __init__(self) -> None:
        self.files: list[str] = []
        self.folders: list[str] = []

    def folder(self, path: Path) -> None:
        missing = []
        for parent in [path, *path.parents]:
            if parent.exists():
                break
            missing.append(parent)
        for created in reversed(missing):
            created.mkdir()
            self.folders.append(str(created))

    def copy(self, source: Path, target: Path) -> None:
        self.folder(target.parent)
        shutil.copyfile(source, target)
        self.files.append(str(target))

    def write(self, target: Path, text: str) -> None:
        self.folder(target.parent)
        target.write_text(text, encoding="utf-8")
        self.files.append(str(target))

    def link(self, target: Path, points_to: Path) -> None:
        self.folder(target.parent)
        if target.is_symlink() or target.exists():
            raise SystemExit(f"{target} exists already; remove it first")
        target.symlink_to(points_to)
        self.files.append(str(target))


def install(app: Path, places: Places) -> list[str]:
    executable = app / APP_NAME
    if not executable.is_file():
        raise SystemExit(f"no app at {app}: build it first with `make app`")
    if (places.app / MANIFEST).exists():
        uninstall(places)
    if places.app.exists():
        raise SystemExit(f"{places.app} exists and was not installed by this script")
    record = Recorder()
    record.folder(places.app.parent)
    shutil.copytree(app, places.app, symlinks=True)
    installed = places.app / APP_NAME
    record.link(places.bin / APP_NAME, installed)

    desktop = (HERE / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    desktop = desktop.replace(f"Exec={APP_NAME} ", f"Exec={shlex.quote(str(installed))} ")
    record.write(places.applications / f"{APP_ID}.desktop", desktop)
    for icon in sorted((HERE / "icons").rglob("*")):
        if icon.is_file():
            record.copy(icon, places.data / "icons" / icon.relative_to(HERE / "icons"))
    mime_existed = places.mime.exists()
    cache_existed = (places.applications / "mimeinfo.cache").exists()
    record.copy(HERE / f"{APP_ID}.xml", places.mime / "packages" / f"{APP_ID}.xml")
    record.copy(HERE / f"{APP_ID}.metainfo.xml", places.data / "metainfo" /
                f"{APP_ID}.metainfo.xml")
    default = _set_default(places, record)
    _refresh(places)
    manifest = {
        "files": record.files, "folders": record.folders, "mime_folder_created":
        not mime_existed, "desktop_cache_created": not cache_existed, "default": default,
    }
    (places.app / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return record.files


def uninstall(places: Places) -> list[str]:
    manifest_path = places.app / MANIFEST
    if not manifest_path.exists():
        print(f"nothing to remove: {manifest_path} not found")
        return []
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    removed = []
    for name in manifest["files"]:
        path = Path(name)
        if path.is_symlink() or path.exists():
            path.unlink()
            removed.append(name)
    _restore_default(places, manifest["default"])
    shutil.rmtree(places.app)
    _refresh(places)
    # What the update tools generated in folders that only this install had made.
    if manifest["mime_folder_created"] and not any((places.mime / "packages").glob("*")):
        shutil.rmtree(places.mime, ignore_errors=True)
    if manifest["desktop_cache_created"]:
        (places.applications / "mimeinfo.cache").unlink(missing_ok=True)
    for name in sorted(manifest["folders"], key=len, reverse=True):
        folder = Path(name)
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return removed


def _set_default(places: Places, record: Recorder) -> dict[str, object]:
    """Make the app the default for project files, as `xdg-mime default` does."""
    existed = places.mimeapps.exists()
    lines = places.mimeapps.read_text(encoding="utf-8").splitlines() if existed else []
    previous = _defaults(lines).get(MIME_TYPE)
    lines = _with_default(lines, f"{APP_ID}.desktop")
    if not existed:
        record.folder(places.mimeapps.parent)
    places.mimeapps.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"file_created": not existed, "previous": previous}


def _restore_default(places: Places, default: dict[str, object]) -> None:
    if not places.mimeapps.exists():
        return
    lines = places.mimeapps.read_text(encoding="utf-8").splitlines()
    if _defaults(lines).get(MIME_TYPE) != f"{APP_ID}.desktop":
        return  # the user chose another default since: keep it
    previous = default.get("previous")
    lines = _with_default(lines, str(previous) if previous else None)
    if default.get("file_created") and all(
            not line.strip() or line.strip() == DEFAULTS_GROUP for line in lines):
        places.mimeapps.unlink()
        return
    places.mimeapps.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _defaults(lines: list[str]) -> dict[str, str]:
    found, group = {}, None
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("["):
            group = stripped
        elif group == DEFAULTS_GROUP and "=" in stripped:
            key, value = stripped.split("=", 1)
            found[key.strip()] = value.strip()
    return found


def _with_default(lines: list[str], value: str | None) -> list[str]:
    """`lines` with the project type's default set to `value` (None: removed)."""
    out, group, done = [], None, False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("["):
            if group == DEFAULTS_GROUP and not done and value:
                out.append(f"{MIME_TYPE}={value}")
                done = True
            group = stripped
        elif group == DEFAULTS_GROUP and stripped.split("=", 1)[0].strip() == MIME_TYPE:
            if value and not done:
                out.append(f"{MIME_TYPE}={value}")
            done = True
            continue
        out.append(line)
    if not done and value:
        if group != DEFAULTS_GROUP:
            if DEFAULTS_GROUP in (line.strip() for line in out):
                index = [line.strip() for line in out].index(DEFAULTS_GROUP)
                out.insert(index + 1, f"{MIME_TYPE}={value}")
                return out
            out.append(DEFAULTS_GROUP)
        out.append(f"{MIME_TYPE}={value}")
    return out


def _refresh(places: Places) -> None:
    """Rebuild the caches desktops read, with the tools that are installed."""
    if shutil.which("update-mime-database") and (places.mime / "packages").is_dir():
        subprocess.run(["update-mime-database", str(places.mime)], check=False)
    if shutil.which("update-desktop-database") and places.applications.is_dir():
        subprocess.run(["update-desktop-database", str(places.applications)], check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="action", required=True)
    add = sub.add_parser("install", help="install the app and its desktop integration")
    add.add_argument("--app", type=Path, default=REPO / "dist" / APP_NAME,
                     help="the built app folder (default: dist/annotation-workbench)")
    sub.add_parser("uninstall", help="remove what install added")
    args = parser.parse_args(argv)
    places = Places()
    if args.action == "install":
        files = install(args.app.resolve(), places)
        print(f"installed {places.app} and {len(files)} file(s); "
              f"run {places.bin / APP_NAME} or find Annotation Workbench in the menu")
        if str(places.bin) not in os.environ.get("PATH", "").split(os.pathsep):
            print(f"note: {places.bin} is not on your PATH", file=sys.stderr)
    else:
        removed = uninstall(places)
        print(f"removed {len(removed)} file(s) and {places.app}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
