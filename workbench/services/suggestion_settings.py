"""Per-project choices for model-assisted annotation: pipeline, suggesters, pattern lists.

Pattern lists a project loads are copied into the project file, so the project carries
the patterns that produced its suggestions wherever it goes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.resources import patterns_dir
from workbench.nlp import catalog
from workbench.nlp.catalog import SUGGESTERS, suggester_names
from workbench.nlp.patterns import PatternSet, patterns_from_records, read_pattern_file
from workbench.nlp.suggester import ProjectInputs, Suggester
from workbench.storage import ProjectStore

SETTINGS_KEY = "suggestions"
PATTERN_KINDS = ("device_patterns", "known_actors")
SHIPPED_PATTERN_FILES = {
    "device_patterns": "rhetorical-devices.jsonl",
    "known_actors": "actors.jsonl",
}


@dataclass(frozen=True)
class SuggestionSettings:
    pipeline: str | None = None
    disabled: tuple[str, ...] = ()
    # Pattern lists copied into the project: kind -> {"source": file, "patterns": [...]}.
    patterns: dict[str, dict[str, Any]] = field(default_factory=dict)

    def enabled(self) -> list[str]:
        return [name for name in suggester_names() if name not in self.disabled]

    def to_json(self) -> dict[str, Any]:
        return {"pipeline": self.pipeline, "disabled": list(self.disabled),
                "patterns": self.patterns}


def load_settings(store: ProjectStore) -> SuggestionSettings:
    raw = store.settings.get(SETTINGS_KEY) or {}
    return SuggestionSettings(
        pipeline=raw.get("pipeline") or None,
        disabled=tuple(name for name in raw.get("disabled", []) if name in SUGGESTERS),
        patterns={k: v for k, v in (raw.get("patterns") or {}).items() if k in PATTERN_KINDS},
    )


def save_settings(store: ProjectStore, settings: SuggestionSettings) -> None:
    store.settings.set(SETTINGS_KEY, settings.to_json())


def check_suggester_names(names: Sequence[str]) -> list[str]:
    unknown = [name for name in names if name not in SUGGESTERS]
    if unknown:
        raise WorkbenchError(f"unknown suggester {', '.join(map(repr, unknown))}; "
                             f"choose from {', '.join(suggester_names())}")
    return list(dict.fromkeys(names))


def update_settings(
    store: ProjectStore, *, pipeline: str | None = None, clear_pipeline: bool = False,
    enable: Sequence[str] = (), disable: Sequence[str] = (),
) -> SuggestionSettings:
    settings = load_settings(store)
    disabled = set(settings.disabled) - set(check_suggester_names(enable))
    disabled |= set(check_suggester_names(disable))
    new_pipeline = None if clear_pipeline else (pipeline or settings.pipeline)
    settings = replace(settings, pipeline=new_pipeline,
                       disabled=tuple(n for n in suggester_names() if n in disabled))
    save_settings(store, settings)
    return settings


def load_patterns_into_project(store: ProjectStore, kind: str, path: Path) -> PatternSet:
    """Check a pattern file and copy it into the project (a bad line changes nothing)."""
    if kind not in PATTERN_KINDS:
        raise WorkbenchError(f"unknown pattern list {kind!r}; choose {', '.join(PATTERN_KINDS)}")
    pattern_set = read_pattern_file(path)
    settings = load_settings(store)
    patterns = dict(settings.patterns)
    patterns[kind] = {"source": str(path), "patterns": pattern_set.to_records()}
    save_settings(store, replace(settings, patterns=patterns))
    return pattern_set


def forget_project_patterns(store: ProjectStore, kind: str) -> None:
    settings = load_settings(store)
    patterns = {k: v for k, v in settings.patterns.items() if k != kind}
    save_settings(store, replace(settings, patterns=patterns))


def pattern_set(store: ProjectStore, kind: str) -> PatternSet:
    """The project's own list when it loaded one, else the shipped list."""
    stored = load_settings(store).patterns.get(kind)
    if stored:
        return patterns_from_records(stored["patterns"], f"{stored['source']} (in the project)")
    return read_pattern_file(patterns_dir() / SHIPPED_PATTERN_FILES[kind])


def build_suggesters(store: ProjectStore, names: Sequence[str] | None = None
                     ) -> list[Suggester]:
    """Suggesters to run: `names` if given, else those the project has switched on."""
    chosen = check_suggester_names(names) if names else load_settings(store).enabled()
    return catalog.build_suggesters(chosen, ProjectInputs(
        known_actors=lambda: pattern_set(store, "known_actors"),
        device_patterns=lambda: pattern_set(store, "device_patterns"),
        models=lambda: [(m.name, store.suggestion_models.data(m.name))
                        for m in store.suggestion_models.all()],
    ))
