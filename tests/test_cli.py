"""The command line: the flows of the README, exit codes, one-line errors, no tracebacks."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sample_files import write_docx, write_pdf
from workbench.cli import main
from workbench.core.resources import seeds_dir


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _dump(project: Path) -> list[str]:
    conn = sqlite3.connect(project)
    lines = list(conn.iterdump())
    conn.close()
    return lines


def test_init_import_stats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "p"
    assert run(capsys, "init", project)[0] == 0
    code, out, _ = run(capsys, "import", project, seeds_dir())
    assert code == 0 and "5 new documents" in out
    code, out, _ = run(capsys, "stats", project, "--json")
    stats = json.loads(out)
    assert code == 0
    assert (stats["documents"], stats["spans"], stats["relations"]) == (5, 0, 0)
    assert stats["labels"]["Claim"] == 0 and "Loaded_Language" in stats["labels"]
    assert run(capsys, "import", project, seeds_dir())[0] == 0
    assert json.loads(run(capsys, "stats", project, "--json")[1])["documents"] == 5
    code, out, _ = run(capsys, "stats", project)
    assert "documents:       5" in out


def test_bad_inputs_exit_1_with_one_line_and_change_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "p"
    run(capsys, "init", project)
    run(capsys, "import", project, seeds_dir())
    blob = tmp_path / "blob.bin"
    blob.write_bytes(bytes(range(256)) * 8)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    docx_file = write_docx(tmp_path / "whole.docx", ["Words."])
    cut_docx = tmp_path / "cut.docx"
    cut_docx.write_bytes(docx_file.read_bytes()[:300])
    pdf_file = write_pdf(tmp_path / "whole.pdf", ["Words."])
    cut_pdf = tmp_path / "cut.pdf"
    cut_pdf.write_bytes(pdf_file.read_bytes()[:200])
    before = _dump(project)
    for bad in (blob, empty, cut_docx, cut_pdf, tmp_path / "missing.txt"):
        code, _out, err = run(capsys, "import", project, bad)
        assert code == 1, bad
        assert len(err.strip().splitlines()) == 1, err
        assert err.startswith("workbench: error: ") and bad.name in err
        assert "Traceback" not in err
        assert _dump(project) == before


@pytest.mark.parametrize("kind", ["text", "sqlite", "missing"])
def test_opening_what_is_not_a_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path = tmp_path / "thing"
    if kind == "text":
        path.write_text("hello", encoding="utf-8")
    elif kind == "sqlite":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE t (x)")
        conn.close()
    code, _, err = run(capsys, "stats", path)
    assert code == 1
    assert err.count("\n") == 1 and "Traceback" not in err
    assert ("not a workbench project" in err) or ("no such project" in err)


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["import"])
    assert exit_info.value.code == 2
    assert main([]) == 2


def test_init_with_unknown_codebook_and_existing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "init", tmp_path / "p", "--codebook", "nope")
    assert code == 1 and "no codebook 'nope'" in err
    assert not (tmp_path / "p").exists()
    run(capsys, "init", tmp_path / "p", "--codebook", "semeval2020-ptc")
    code, _, err = run(capsys, "init", tmp_path / "p")
    assert code == 1 and "already exists" in err


def test_search_and_codebooks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "p"
    run(capsys, "init", project)
    run(capsys, "import", project, seeds_dir())
    code, out, _ = run(capsys, "search", project, "Kazan")
    assert code == 0 and out.startswith("004_8961012ef578e7f0\t")
    code, out, _ = run(capsys, "codebooks")
    assert "news-rhetoric" in out


def test_python_dash_m_and_console_script(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "workbench", "--version"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout.startswith("workbench ")
    script = Path(sys.executable).with_name("workbench")
    result = subprocess.run([str(script), "stats", str(tmp_path / "nope")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1 and "no such project file" in result.stderr


def test_format_options_on_the_command_line(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "p.wbproj"
    assert run(capsys, "init", project)[0] == 0
    doccano = tmp_path / "doccano.jsonl"
    doccano.write_text(json.dumps({"text": "😊 Putin", "label": [[3, 8, "Person"]]},
                                  ensure_ascii=False) + "\n", encoding="utf-8")
    code, _, err = run(capsys, "import", project, doccano, "--offsets", "utf-16")
    assert code == 0, err
    out_file = tmp_path / "out.jsonl"
    code, _, err = run(capsys, "export", project, "--format", "doccano", "--output", out_file,
                       "--offsets", "code-points", "--no-overlap")
    assert code == 0, err
    assert json.loads(out_file.read_text())["entities"][0]["start_offset"] == 2
    code, _, err = run(capsys, "export", project, "--format", "csv", "--output",
                       tmp_path / "out.csv", "--no-overlap")
    assert code == 2 and "--no-overlap does not apply to format 'csv'" in err
    assert not (tmp_path / "out.csv").exists()


def test_output_piped_into_a_reader_that_stops_ends_quietly() -> None:
    """`workbench formats | head -1`: the reader closes the pipe before we are done."""
    child = subprocess.Popen([sys.executable, "-m", "workbench", "formats", "--json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # before the command writes its first line
    error = child.stderr.read().decode()
    child.wait(timeout=60)
    child.stderr.close()
    assert "Traceback" not in error and "BrokenPipe" not in error, error
    assert child.returncode == 0
