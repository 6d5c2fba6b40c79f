"""Save a definition from the workbench into `config/indicators.yaml`, safely.

The new file is written beside the old one and checked whole with `check`
first: a definition with an error is refused and the file is not touched.
Then the old file is copied into `history/` beside it (named by when, with
who saved and what in `history/log.jsonl`), and the new one is renamed over
it (atomic on one file system), so a reader sees the old file or the new
one, never half of one. The definition's text goes in as pasted (its
comments kept): at the end of the file for a new id, in place of the old
entry's lines for an id that exists. The rest of the file is untouched.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import textwrap
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from indicators.config import spec
from indicators.config.check import check_file
from indicators.config.history import keep_history
from indicators.config.issue import ERROR, Issue


class DefinitionRefused(Exception):
    """The definition fails check; nothing was written. `issues` are its errors."""

    def __init__(self, indicator_id: str, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__(
            f"{indicator_id} was not saved, it fails check: "
            + "; ".join(f"{i.field}: {i.message}" for i in issues)
        )


@dataclass(frozen=True)
class Saved:
    """Where the definition went and where the previous file is kept."""

    config: Path
    history: Path
    indicator_id: str
    replaced: bool


def as_entry(text: str) -> list[str]:
    """The pasted definition as lines of the `indicators:` list (`  - id: ...`)."""
    body = textwrap.dedent(text.strip("\n"))
    if body.startswith("- "):
        body = textwrap.dedent(body[2:].replace("\n  ", "\n"))
    lines = body.splitlines()
    return [f"  - {lines[0]}", *(f"    {line}" if line.strip() else "" for line in lines[1:])]


def _entry_span(lines: list[str], strategy: spec.Strategy, indicator_id: str) -> tuple[int, int]:
    """0-based [start, end) of an existing entry's lines, without trailing blanks or comments."""
    starts = sorted(i.raw.line for i in strategy.indicators)
    start = next(i.raw.line for i in strategy.indicators if i.id == indicator_id)
    later = [s for s in starts if s > start]
    end = (later[0] - 1) if later else len(lines)
    while end > start and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return start - 1, end


def with_entry(old_text: str, strategy: spec.Strategy, indicator_id: str, entry: list[str]) -> str:
    """The file's text with `entry` in place of `indicator_id`'s lines, or appended."""
    lines = old_text.splitlines()
    if any(i.id == indicator_id for i in strategy.indicators):
        start, end = _entry_span(lines, strategy, indicator_id)
        lines[start:end] = entry
    else:
        while lines and not lines[-1].strip():
            lines.pop()
        lines += ["", *entry]
    return "\n".join(lines) + "\n"


def save_definition(
    text: str,
    indicator_id: str,
    config_path: Path,
    warehouse: Path | None,
    who: str,
    now: dt.datetime | None = None,
) -> Saved:
    """Put the pasted definition into `config_path` (see the module docstring).

    Raises `DefinitionRefused` when the file with it has an error the file
    without it did not (on this definition or any other item); the config
    and its history are then unchanged. Saves of one file wait for each other.
    """
    now = now or dt.datetime.now()
    with _locked(config_path):
        old_text = config_path.read_text(encoding="utf-8")
        strategy = spec.load_strategy(config_path)
        new_text = with_entry(old_text, strategy, indicator_id, as_entry(text))
        beside = config_path.with_name(f".{config_path.name}.workbench-{uuid.uuid4().hex[:8]}")
        try:
            beside.write_text(new_text, encoding="utf-8")
            before = {_key(i) for i in check_file(config_path, warehouse) if i.severity == ERROR}
            errors = [
                i
                for i in check_file(beside, warehouse)
                if i.severity == ERROR and _key(i) not in before
            ]
            if errors:
                raise DefinitionRefused(indicator_id, errors)
            history = keep_history(config_path, indicator_id, who, now)
            _fsync(beside)
            os.replace(beside, config_path)
        finally:
            beside.unlink(missing_ok=True)
    replaced = any(i.id == indicator_id for i in strategy.indicators)
    return Saved(config_path, history, indicator_id, replaced)


def _key(found: Issue) -> tuple[str, str, str, str]:
    """An error without its line, so one the file already had is not blamed on the save."""
    return (found.kind, found.indicator_id, found.field, found.message)


@contextmanager
def _locked(config_path: Path) -> Iterator[None]:
    """One save at a time per file (two analysts saving at once would lose one's edit)."""
    with config_path.with_name(f".{config_path.name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())
