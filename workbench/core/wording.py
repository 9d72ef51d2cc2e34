"""Counts in words: "1 link", "2 links", "12,345 documents"."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """`n` and the noun, singular for exactly one (`plural` when adding "s" is wrong)."""
    word = noun if n == 1 else (plural if plural is not None else noun + "s")
    return f"{n:,} {word}"


def counted_phrase(n: int, phrase: str) -> str:
    """`n` and a phrase whose nouns are written "span(s)": singular for exactly one
    ("1 overlapping span of layer 'Claims'"), plural otherwise ("3 notes")."""
    return f"{n:,} {phrase.replace('(s)', '' if n == 1 else 's')}"
