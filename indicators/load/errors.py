"""The one exception that stops a load, and how its messages show names from a file."""

from __future__ import annotations


class LoadError(Exception):
    """A file or setting that stops the whole load; the message names the file and problem."""


def shown(text: str, limit: int = 60) -> str:
    """A header or name as a message shows it: quoted, escaped, and cut short."""
    return repr(text if len(text) <= limit else text[:limit] + "…")
