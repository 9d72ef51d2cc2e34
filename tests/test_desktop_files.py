"""The freedesktop files: a valid menu entry, valid AppStream data, the project file type by
name and by content, the icons in every hicolor size; and the user-level install that
registers them and takes exactly that away again.

The validators and xdg-mime come from Debian packages (desktop-file-utils, appstream,
xdg-utils, shared-mime-info, libfile-mimeinfo-perl; .ci/run installs them); without them
those checks are skipped, saying which package is missing."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from workbench.services.project import create_project
from workbench.storage.database import APPLICATION_ID, SQLITE_MAGIC

REPO = Path(__file__).resolve().parent.parent
LINUX = REPO / "packaging" / "linux"
APP_ID = "io.github.annotationworkbench.Workbench"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
MIME_XML = LINUX / f"{APP_ID}.xml"
MIME_TYPE = "application/x-annotation-workbench-project"
MIME_NS = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}

sys.path.insert(0, str(LINUX))
import desktop_install  # noqa: E402
import make_icons  # noqa: E402


def _needs(program: str, package: str) -> None:
    if shutil.which(program) is None:
        pytest.skip(f"{program} is not installed (Debian package {package})")


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_file_validates() -> None:
    _needs("desktop-file-validate", "desktop-file-utils")
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout


def test_desktop_file_opens_project_files_with_the_app() -> None:
    entry = _desktop_entry()
    assert entry["MimeType"].split(";")[0] == MIME_TYPE
    assert entry["Exec"] == "annotation-workbench %f"
    assert entry["Icon"] == APP_ID
    # Qt names the window class after the application name (see ui/application.py).
    assert entry["StartupWMClass"] == "Annotation Workbench"


def test_metainfo_validates() -> None:
    _needs("appstreamcli", "appstream")
    result = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_metainfo_describes_the_app_with_its_own_screenshots() -> None:
    root = etree.parse(str(METAINFO)).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert root.find("content_rating").get("type") == "oars-1.1"
    assert root.findtext("provides/mediatype") == MIME_TYPE
    assert len(root.findall("description/p")) >= 1
    images = [image.text for image in root.findall("screenshots/screenshot/image")]
    assert images
    for url in images:
        # The published address of a picture the workbench made, kept in docs/images/.
        relative = url.split("/main/", 1)[1]
        assert relative.startswith("docs/images/") and (REPO / relative).is_file(), url


def test_mime_type_matches_project_files_by_name_and_by_content() -> None:
    mime = etree.parse(str(MIME_XML)).getroot().find("m:mime-type", MIME_NS)
    assert mime.get("type") == MIME_TYPE
    assert [g.get("pattern") for g in mime.findall("m:glob", MIME_NS)] == ["*.wbproj"]
    outer = mime.find("m:magic/m:match", MIME_NS)
    inner = outer.find("m:match", MIME_NS)
    assert outer.get("offset") == "0"
    assert outer.get("value").replace("\\000", "\0").encode() == SQLITE_MAGIC
    assert (inner.get("type"), inner.get("offset")) == ("big32", "68")
    assert int(inner.get("value"), 16) == APPLICATION_ID
    assert mime.find("m:sub-class-of", MIME_NS).get("type") == "application/vnd.sqlite3"


def test_a_project_file_carries_the_magic_the_mime_type_looks_for(tmp_path: Path) -> None:
    with create_project(tmp_path / "p.wbproj"):
        pass
    header = (tmp_path / "p.wbproj").read_bytes()[:72]
    assert header.startswith(SQLITE_MAGIC)
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID


@pytest.mark.gui
def test_icons_come_in_every_hicolor_size(qapp) -> None:
    from PySide6.QtGui import QImage

    paths = make_icons.icon_paths()
    assert set(paths) == {f"{n}x{n}" for n in make_icons.SIZES} | {"scalable"}
    for size, path in paths.items():
        assert path.is_file(), f"{path} missing: run packaging/linux/make_icons.py"
        if size == "scalable":
            assert path.read_bytes() == make_icons.SOURCE.read_bytes()
            continue
        image = QImage(str(path))
        n = int(size.split("x")[0])
        assert (image.width(), image.height()) == (n, n)
        assert image.pixelColor(n // 2, n // 2).alpha() == 255  # not an empty picture


def _tree(root: Path) -> dict[str, bytes | str]:
    found: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        if path.is_symlink():
            found[key] = f"-> {os.readlink(path)}"
        elif path.is_file():
            found[key] = path.read_bytes()
        else:
            found[key] = "folder"
    return found


def _stand_in_app(folder: Path) -> Path:
    """The installer copies whatever folder it is given; a tiny one keeps this test fast
    (.ci/run installs the real built app with `make install-desktop`)."""
    app = folder / "annotation-workbench"
    (app / "_internal").mkdir(parents=True)
    executable = app / "annotation-workbench"
    executable.write_text("#!/bin/sh\necho workbench\n", encoding="utf-8")
    executable.chmod(0o755)
    return app


def _user_env(home: Path) -> dict[str, str]:
    return {
        "HOME": str(home), "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"), "PATH": os.environ.get("PATH", ""),
        "XDG_DATA_DIRS": "/usr/local/share:/usr/share", "XDG_CURRENT_DESKTOP": "",
    }


def test_install_registers_the_app_and_uninstall_removes_exactly_that(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    (home / ".config" / "mimeapps.list").write_text(
        "[Default Applications]\ntext/plain=editor.desktop\n", encoding="utf-8")
    (home / "notes.txt").write_text("the user's own file", encoding="utf-8")
    before = _tree(home)
    env = _user_env(home)
    places = desktop_install.Places(env)

    desktop_install.install(_stand_in_app(tmp_path / "dist"), places)
    installed = home / ".local" / "lib" / "annotation-workbench" / "annotation-workbench"
    assert installed.is_file()
    assert (home / ".local" / "bin" / "annotation-workbench").resolve() == installed
    entry = (home / ".local/share/applications" / DESKTOP.name).read_text(encoding="utf-8")
    assert f"Exec={installed} %f" in entry
    assert (home / ".local/share/icons/hicolor/256x256/apps" / f"{APP_ID}.png").is_file()
    assert (home / ".local/share/mime/packages" / MIME_XML.name).is_file()
    assert (home / ".local/share/metainfo" / METAINFO.name).is_file()
    defaults = (home / ".config" / "mimeapps.list").read_text(encoding="utf-8")
    assert f"{MIME_TYPE}={APP_ID}.desktop" in defaults
    assert "text/plain=editor.desktop" in defaults

    desktop_install.uninstall(places)
    assert _tree(home) == before


def test_xdg_mime_knows_project_files_and_the_app_after_install(tmp_path: Path) -> None:
    _needs("xdg-mime", "xdg-utils")
    _needs("update-mime-database", "shared-mime-info")
    _needs("mimetype", "libfile-mimeinfo-perl")
    home = tmp_path / "home"
    home.mkdir()
    env = _user_env(home)
    desktop_install.install(_stand_in_app(tmp_path / "dist"), desktop_install.Places(env))
    with create_project(tmp_path / "demo.wbproj"):
        pass
    shutil.copyfile(tmp_path / "demo.wbproj", tmp_path / "renamed.db")

    def query(*args: str) -> str:
        result = subprocess.run(["xdg-mime", "query", *args], env=env, cwd=tmp_path,
                                capture_output=True, text=True, check=True)
        return result.stdout.strip()

    assert query("filetype", "demo.wbproj") == MIME_TYPE
    assert query("filetype", "renamed.db") == MIME_TYPE  # by content, whatever the name
    assert query("default", MIME_TYPE) == DESKTOP.name
    desktop_install.uninstall(desktop_install.Places(env))
    assert query("default", MIME_TYPE) == ""
