"""What the store accepts: one small check per field, each refusing with a plain message.

People type these values (and `config/commentary.yaml` holds them), so a
bad one is an expected failure: `ReviewRefused` names the field and what
is wrong, and pages and commands show the message, never a traceback.
Text is kept as written (stripped); it is escaped where it is shown.
"""

from __future__ import annotations

import datetime as dt
import re

from indicators.config.spec import Strategy

NARRATIVE_LIMIT = 4000  # characters: a paragraph or three, as a board paper allows
ACTION_LIMIT = 500
NAME_LIMIT = 120  # an owner or a writer: a name and a job title
STATUSES = ("open", "done")
REVIEW_PERIOD = re.compile(r"(20\d\d) H([12])")


class ReviewRefused(ValueError):
    """A change the store will not record; the message says why, for the person writing."""


def text(value: object, field: str, limit: int, *, required: bool = True) -> str | None:
    """The text stripped, or a refusal when it is missing, too long or holds control codes."""
    written = "" if value is None else str(value).strip()
    if not written:
        if required:
            raise ReviewRefused(f"{field}: write something (it is empty)")
        return None
    if len(written) > limit:
        raise ReviewRefused(
            f"{field}: {len(written):,} characters is over the limit of {limit:,}; shorten it"
        )
    if any(ord(c) < 32 and c not in "\n\t" for c in written):
        raise ReviewRefused(f"{field}: holds control characters; type or paste it as plain text")
    return written


def date(value: object, field: str, *, required: bool = False) -> str | None:
    """An ISO date (`2025-03-31`, or a date) as text, or a refusal naming the field."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ReviewRefused(f"{field}: give a date (YYYY-MM-DD)")
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ReviewRefused(
            f"{field}: {str(value)[:40]!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-03-31"
        ) from None


def indicator(strategy: Strategy, indicator_id: object) -> str:
    """An indicator id the strategy defines, or a refusal naming the unknown one."""
    known = {i.id for i in strategy.indicators}
    if indicator_id not in known:
        raise ReviewRefused(
            f"indicator: {str(indicator_id)[:80]!r} is not an indicator of the strategy "
            "(see config/indicators.yaml)"
        )
    return str(indicator_id)


def period(value: object) -> str:
    """A review period label (`2024 H2`), or a refusal."""
    label = str(value).strip()
    if not REVIEW_PERIOD.fullmatch(label):
        raise ReviewRefused(
            f"period: {label[:40]!r} is not a review period; write it as e.g. '2024 H2'"
        )
    return label


def status(value: object) -> str:
    if value not in STATUSES:
        raise ReviewRefused(f"status: {str(value)[:40]!r} is not one of {', '.join(STATUSES)}")
    return str(value)


def closing(status_now: str, closed: str | None, today: dt.date) -> str | None:
    """The closed date an action keeps: today when it is done without one; none while open."""
    if status_now == "open":
        if closed is not None:
            raise ReviewRefused("closed date: an open action has no closed date; mark it done")
        return None
    if closed is None:
        return today.isoformat()
    if closed > today.isoformat():
        raise ReviewRefused(f"closed date: {closed} is in the future")
    return closed
