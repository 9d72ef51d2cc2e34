"""`python -m bench`: measure every figure against its baseline and print the table.

Samples of the workbench and of the baseline alternate (baseline first on even rounds,
workbench first on odd ones) after one warm-up of each, so a machine that slows down or
speeds up during the run affects both sides alike; the table shows medians.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bench.cache import CACHE_DIR, Cache
from bench.figure import Context, Figure, Result
from bench.figures import FIGURE_MODULES, load_figures
from bench.generator import GENERATOR_VERSION, SIZES
from bench.report import (
    describe_machine,
    format_value,
    machine,
    markdown_table,
    text_table,
)

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure the workbench against baselines taken in the same run.",
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="M",
                        help="corpus size: S (1k documents), M (10k), L (100k); default M")
    parser.add_argument("--figures", default="",
                        help=f"comma-separated figures to run (default all: "
                        f"{','.join(FIGURE_MODULES)}); MODULE:VARIANT picks one figure of a "
                        "module, e.g. export_formats:csv")
    parser.add_argument("--skip", default="",
                        help="comma-separated figures to leave out, named the same way (CI "
                        "skips the slow ones)")
    parser.add_argument("--large", action=argparse.BooleanOptionalAction, default=None,
                        help="also run the figures on large inputs (100k documents, a 5 MB "
                        "document, 50k files), whatever the size; default: yes, except at "
                        "size S (what CI runs); a large figure named in --figures always runs")
    parser.add_argument("--repeats", type=int, default=5,
                        help="timed samples of each side per figure (default 5)")
    parser.add_argument("--fail-on", choices=("miss", "gross", "never"), default="miss",
                        help="exit 1 when a figure misses its target (miss), only when it "
                        "misses by more than --gross-factor (gross, for CI), or never; a "
                        "figure that fails to run always gives exit 1")
    parser.add_argument("--gross-factor", type=float, default=2.0,
                        help="how far past its target a figure must be to count as a gross "
                        "miss (default 2: twice the allowed ratio)")
    parser.add_argument("--cache", type=Path, default=CACHE_DIR,
                        help="where generated corpora are kept (default bench/cache)")
    parser.add_argument("--results", type=Path, default=RESULTS_DIR,
                        help="where latest.json is written (default bench/results)")
    parser.add_argument("--markdown", action="store_true",
                        help="also print the table as Markdown")
    parser.add_argument("--list", action="store_true", help="list the figures and exit")
    return parser


def isolate_environment(workdir: Path) -> None:
    """Settings and data of the windows we open go to a throwaway place, never the user's."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for variable, name in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                           ("WORKBENCH_DATA_DIR", "workbench-data")):
        os.environ[variable] = str(workdir / name)


def measure(figure: Figure, ctx: Context) -> Result:
    result = Result(key=figure.key, title=figure.describe(ctx),
                    baseline_title=figure.baseline_title, unit=figure.unit,
                    target_ratio=figure.target_ratio, limit=figure.limit)
    prepared = False
    try:
        figure.prepare(ctx)
        prepared = True
        if figure.warmup:
            figure.baseline(ctx)
            figure.workbench(ctx)
        for round_ in range(figure.repeats(ctx)):
            sides = [("baseline", figure.baseline), ("workbench", figure.workbench)]
            for side, sample in sides if round_ % 2 == 0 else reversed(sides):
                gc.collect()
                value = sample(ctx)
                getattr(result, f"{side}_samples").append(value)
    except Exception as error:  # one broken figure must not hide the others
        traceback.print_exc()
        result.error = f"{type(error).__name__}: {error}"
    finally:
        if prepared:
            figure.finish(ctx)
    return result


def run(args: argparse.Namespace) -> int:
    named = _keys(args.figures)
    keys = named or list(FIGURE_MODULES)
    skipped = set(_keys(args.skip))
    large = args.size != "S" if args.large is None else args.large
    # "module" runs every figure of a module, "module:variant" one of them.
    unknown = [k for k in [*keys, *skipped] if k.partition(":")[0] not in FIGURE_MODULES]
    if unknown:
        print(f"unknown figure(s): {', '.join(unknown)}; known: {', '.join(FIGURE_MODULES)}",
              file=sys.stderr)
        return 2
    keys = [k for k in keys if k not in skipped]
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="workbench-bench-"))
    isolate_environment(workdir)
    info = machine()
    print(f"size {args.size} ({SIZES[args.size].documents:,} documents, "
          f"{SIZES[args.size].spans:,} spans){', with the large figures' if large else ''} "
          f"on {describe_machine(info)}", flush=True)

    def log(message: str) -> None:
        print(message, flush=True)

    cache = Cache(args.cache, log)
    ctx = Context(size=args.size, spec=SIZES[args.size], cache=cache, workdir=workdir,
                  repeats=args.repeats, log=log)
    results = []
    try:
        for key in keys:
            module, _, variant = key.partition(":")
            for figure in load_figures(module):
                if (variant and figure.key != key) or figure.key in skipped:
                    continue
                if figure.large and not large and key not in named:
                    continue
                log(f"measuring: {figure.describe(ctx)}")
                result = measure(figure, ctx)
                results.append(result)
                log(f"  workbench {result.workbench}, baseline {result.baseline}: "
                    f"{result.status()}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(text_table(results))
    if args.markdown:
        print()
        print(markdown_table(results))
    report = {
        "size": args.size,
        "documents": ctx.spec.documents,
        "spans": ctx.spec.spans,
        "generator_version": GENERATOR_VERSION,
        "finished": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "seconds": round(time.perf_counter() - started, 1),
        "generated_seconds": {name: round(s, 1) for name, s in cache.built.items()},
        "machine": info,
        "repeats": args.repeats,
        "large": large,
        "gross_factor": args.gross_factor,
        "figures": [result.to_json(args.gross_factor) for result in results],
    }
    args.results.mkdir(parents=True, exist_ok=True)
    for name in ("latest.json", f"latest-{args.size}.json"):
        (args.results / name).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n",
                                         encoding="utf-8")
    print(f"\nwritten to {args.results / 'latest.json'} in {report['seconds']} s")
    return exit_status(results, args.fail_on, args.gross_factor)


def _keys(text: str) -> list[str]:
    return [key.strip() for key in text.split(",") if key.strip()]


def exit_status(results: Sequence[Result], fail_on: str, gross_factor: float) -> int:
    failed = [r for r in results if r.status() == "error"]
    if fail_on == "miss":
        failed += [r for r in results if r.status() == "miss"]
    elif fail_on == "gross":
        failed += [r for r in results if r.status(gross_factor) == "miss"]
    for result in failed:
        print(f"FAILED {result.key}: {failure_reason(result)}", file=sys.stderr)
    return 1 if failed else 0


def failure_reason(result: Result) -> str:
    """Why a figure failed: its error, the values that had no ratio, or what it missed."""
    if result.error is not None:
        return result.error
    workbench = format_value(result.workbench, result.unit)
    baseline = format_value(result.baseline, result.unit)
    if result.ratio is None:  # no samples, or a baseline of 0
        return f"no ratio (workbench {workbench}, baseline {baseline})"
    reasons = [f"ratio {result.ratio:.2f}, target {result.target_ratio}"]
    if result.limit is not None:
        reasons.append(f"workbench {workbench}, limit {format_value(result.limit, result.unit)}")
    return "; ".join(reasons)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.list:
        for key in FIGURE_MODULES:
            for figure in load_figures(key):
                print(f"{figure.key:20} {figure.title} (baseline: {figure.baseline_title})")
        return 0
    return run(args)
