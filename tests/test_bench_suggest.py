"""The suggestion-throughput benchmark figure runs end to end (blank pipeline, tiny corpus)."""

from __future__ import annotations

from pathlib import Path

from bench.cache import Cache
from bench.figure import Context
from bench.figures import FIGURE_MODULES, load_figure
from bench.figures.suggest_throughput import SuggestThroughput, processes
from bench.generator import TINY
from bench.runner import measure


def test_the_figure_measures_both_sides(tmp_path: Path) -> None:
    assert "suggest_throughput" in FIGURE_MODULES
    assert isinstance(load_figure("suggest_throughput"), SuggestThroughput)
    figure = SuggestThroughput()
    figure.pipeline_name = "blank"
    logged: list[str] = []
    ctx = Context(size="tiny", spec=TINY, cache=Cache(tmp_path / "cache"),
                  workdir=tmp_path, repeats=1, log=logged.append)
    result = measure(figure, ctx)
    assert result.error is None, result.error
    assert len(result.workbench_samples) == len(result.baseline_samples) == 1
    assert result.ratio is not None and result.ratio > 0
    assert f"{TINY.documents} documents, {processes()} processes" in result.title
    [line] = logged
    assert "words with blank:en" in line and "throughput ratio" in line
    assert not list(tmp_path.glob("*.wbproj"))  # scratch projects are cleaned up
