"""Annotation Workbench: annotate claims, actors and rhetorical devices in news text."""

__version__ = "0.1.0"
