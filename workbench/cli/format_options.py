"""Command-line flags for the choices single formats offer (`Format.options`).

The flags are declared here rather than gathered from the registry, so that starting the
command line does not load every format module; `chosen_options` checks each flag given
against what the chosen format offers.
"""

from __future__ import annotations

import argparse
from typing import Any

from workbench.formats.registry import Format
from workbench.formats.shared.offset_units import UNITS

IMPORT_FLAGS = ("offsets",)
EXPORT_FLAGS = ("offsets", "no_overlap", "split_header")


def add_import_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--offsets", choices=UNITS, default=None,
                        help="doccano: the unit of the file's offsets (default utf-16, as "
                        "doccano's editor counts; graphemes for a project that counts grapheme "
                        "clusters as one character)")


def add_export_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--offsets", choices=UNITS, default=None,
                        help="doccano: the unit to write offsets in (default utf-16)")
    parser.add_argument("--no-overlap", action="store_true", default=None,
                        help="doccano: for a project without overlapping spans, drop the "
                        "shorter of two overlapping spans and its relations (counted)")
    parser.add_argument("--split-header", action="store_true", default=None,
                        help="jsonl: write the header line (codebook, annotators) to "
                        "NAME.header.json, so that the file holds only documents (as "
                        "datasets.load_dataset('json') wants)")


class OptionError(Exception):
    """A flag the chosen format does not offer (a usage error)."""


def chosen_options(args: argparse.Namespace, keys: tuple[str, ...],
                   fmt: Format | None, exporting: bool) -> dict[str, Any]:
    """The format options given on the command line, checked against `fmt` (when the format
    is known: files whose format is detected take the options that concern them)."""
    given = {key: getattr(args, key) for key in keys if getattr(args, key, None) is not None}
    if fmt is not None:
        offered = {option.key for option in
                   (fmt.export_options() if exporting else fmt.import_options())}
        for key in given:
            if key not in offered:
                flag = "--" + key.replace("_", "-")
                raise OptionError(f"{flag} does not apply to format {fmt.name!r}")
    return given
