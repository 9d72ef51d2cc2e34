"""The export benchmark has one figure per exporting format and each runs end to end (tiny
corpus instead of the 100k-span export set)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.cache import Cache
from bench.figure import Context
from bench.figures import FIGURE_MODULES, load_figures
from bench.figures.export_formats import _Selection
from bench.generator import TINY
from bench.runner import measure
from workbench.formats.registry import all_formats


def test_every_exporting_format_is_a_figure() -> None:
    assert "export_formats" in FIGURE_MODULES
    figures = load_figures("export_formats")
    exporting = [fmt.name for fmt in all_formats().values() if fmt.can_export]
    assert [figure.key for figure in figures] == [f"export_formats:{n}" for n in exporting]
    targets = {figure.key.split(":")[1]: figure.target_ratio for figure in figures}
    assert targets["jsonl"] == targets["csv"] == 2.0
    assert targets["xlsx"] == targets["xmi"] == 10.0


@pytest.mark.slow
def test_each_figure_measures_both_sides(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    cache = Cache(tmp_path / "cache")
    monkeypatch.setattr(Cache, "export_project", lambda self: self.project(TINY))
    logged: list[str] = []
    ctx = Context(size="tiny", spec=TINY, cache=cache, workdir=tmp_path / "work",
                  repeats=1, log=logged.append)
    ctx.workdir.mkdir()
    _Selection.release()
    for figure in load_figures("export_formats"):
        result = measure(figure, ctx)
        assert result.error is None, (figure.key, result.error)
        assert result.ratio is not None and result.ratio > 0
    assert _Selection.bundle is None  # the last figure lets the selection go
    assert "read 25 documents with 500 spans" in logged[0]
    # every export was set aside, for the run to delete at its end
    assert [p.name for p in ctx.workdir.iterdir()] == [".set-aside"]
    assert len(list((ctx.workdir / ".set-aside").iterdir())) >= len(all_formats()) // 2
