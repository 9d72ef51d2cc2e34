"""The table on the terminal, the same as JSON, and as Markdown for the README."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from collections.abc import Sequence
from pathlib import Path

from bench.figure import Result

HEADERS = ("figure", "workbench", "baseline", "ratio", "target", "result")


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        if value < 1:
            return f"{value * 1000:.1f} ms"
        return f"{value:.2f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:.3g} {unit}"


def format_target(result: Result) -> str:
    parts = []
    if result.target_ratio is not None:
        parts.append(f"<= {result.target_ratio:g}")
    if result.limit is not None:
        parts.append(f"< {format_value(result.limit, result.unit)}")
    return " and ".join(parts) or "report"


def rows(results: Sequence[Result]) -> list[tuple[str, ...]]:
    table = []
    for result in results:
        ratio = "-" if result.ratio is None else f"{result.ratio:.2f}"
        table.append((
            result.title, format_value(result.workbench, result.unit),
            f"{format_value(result.baseline, result.unit)} ({result.baseline_title})",
            ratio, format_target(result), result.status(),
        ))
    return table


def text_table(results: Sequence[Result]) -> str:
    table = [HEADERS, *rows(results)]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADERS))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
             for row in table]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def markdown_table(results: Sequence[Result]) -> str:
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    lines.extend("| " + " | ".join(row) + " |" for row in rows(results))
    return "\n".join(lines)


def machine() -> dict[str, object]:
    """What the numbers were measured on."""
    info: dict[str, object] = {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "system": f"{platform.system()} {platform.release()}",
    }
    try:
        import PySide6
        from PySide6.QtCore import qVersion

        info["pyside6"] = PySide6.__version__
        info["qt"] = qVersion()
    except ImportError:
        pass
    return info


def _cpu_model() -> str:
    try:
        output = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
    except OSError:
        output = ""
    for line in output.splitlines():
        if line.startswith("Model name:"):
            return line.partition(":")[2].strip()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    return platform.processor() or "unknown"


def describe_machine(info: dict[str, object]) -> str:
    qt = f", Qt {info['qt']}" if "qt" in info else ""
    return (f"{info['cpu']}, {info['cores']} cores, {info['system']}, Python {info['python']}, "
            f"SQLite {info['sqlite']}{qt}")
