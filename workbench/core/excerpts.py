"""Short quotes of the text, for messages, history entries and lists."""

from __future__ import annotations


def excerpt(text: str, limit: int = 40) -> str:
    """The text on one line, cut to `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
