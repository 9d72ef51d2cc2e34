"""The concordance and statistics figures run end to end, both sides doing the same work
(a tiny corpus instead of the benchmark sizes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.cache import Cache
from bench.figure import Context
from bench.figures import FIGURE_MODULES, load_figure
from bench.generator import TINY
from bench.runner import measure


@pytest.mark.slow
@pytest.mark.parametrize("key", ["concordance_first_page", "statistics_tables"])
def test_the_figure_measures_both_sides(key: str, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    assert key in FIGURE_MODULES
    figure = load_figure(key)
    if key == "concordance_first_page":
        monkeypatch.setattr(f"bench.figures.{key}.PAGE", 40)  # 25 documents hold fewer
    ctx = Context(size="tiny", spec=TINY, cache=Cache(tmp_path / "cache"),
                  workdir=tmp_path / "work", repeats=1, log=lambda _: None)
    ctx.workdir.mkdir()
    result = measure(figure, ctx)
    assert result.error is None, result.error
    assert result.ratio is not None and result.ratio > 0
