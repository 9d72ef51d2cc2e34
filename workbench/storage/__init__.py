"""The project file: the only package that speaks SQL."""

from workbench.storage.project_store import ProjectStore

__all__ = ["ProjectStore"]
