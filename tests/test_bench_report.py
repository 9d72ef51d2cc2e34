"""How the benchmark runner judges figures and when it fails a run."""

from __future__ import annotations

import pytest

from bench.figure import Result
from bench.report import markdown_table, text_table
from bench.runner import exit_status


def _result(workbench: float, baseline: float, target: float | None = 2.0,
            limit: float | None = None) -> Result:
    return Result(key="import_files", title="import 1,000 text files",
                  baseline_title="sqlite3", unit="s", target_ratio=target, limit=limit,
                  workbench_samples=[workbench, workbench * 2, workbench],
                  baseline_samples=[baseline, baseline, baseline * 3])


def test_ratio_of_medians_against_the_target() -> None:
    assert _result(1.0, 0.5).ratio == 2.0
    assert _result(1.0, 0.5).status() == "pass"
    assert _result(1.1, 0.5).status() == "miss"
    assert _result(1.1, 0.5).status(tolerance=2.0) == "pass"  # a miss, not a gross one
    assert _result(1.1, 0.5, target=None).status() == "report"
    assert _result(0.02, 0.5, limit=0.016).status() == "miss"
    assert Result("x", "x", "y", "s", 2.0, None, error="boom").status() == "error"


def test_ci_fails_only_on_gross_misses_and_errors() -> None:
    small_miss, gross_miss = _result(1.2, 0.5), _result(2.5, 0.5)
    assert exit_status([small_miss], "miss", 2.0) == 1
    assert exit_status([small_miss], "gross", 2.0) == 0
    assert exit_status([gross_miss], "gross", 2.0) == 1
    assert exit_status([gross_miss], "never", 2.0) == 0
    broken = Result("x", "x", "y", "s", 2.0, None, error="boom")
    assert exit_status([broken], "never", 2.0) == 1


def test_tables_show_values_in_their_units() -> None:
    table = text_table([_result(0.25, 0.125), _result(2.5, 0.5)])
    assert "250.0 ms" in table and "2.50 s" in table and "<= 2" in table
    assert "| import 1,000 text files | 250.0 ms |" in markdown_table([_result(0.25, 0.125)])


def test_a_figure_without_a_ratio_fails_with_a_reason(capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    zero_baseline = _result(0.25, 0.0)
    assert zero_baseline.ratio is None and zero_baseline.status() == "error"
    no_samples = Result("x", "x", "y", "s", 2.0, None)
    assert exit_status([zero_baseline, no_samples], "never", 2.0) == 1
    assert capsys.readouterr().err.splitlines() == [
        "FAILED import_files: no ratio (workbench 250.0 ms, baseline 0.0 ms)",
        "FAILED x: no ratio (workbench -, baseline -)",
    ]


def test_a_miss_names_the_ratio_and_the_limit(capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_status([_result(0.02, 0.5, limit=0.016)], "miss", 2.0) == 1
    assert capsys.readouterr().err == (
        "FAILED import_files: ratio 0.04, target 2.0; workbench 20.0 ms, limit 16.0 ms\n")
