"""The public context of config/indicators.yaml: comparator areas and JSNA sources.

Typed objects for the `strategy.comparators` mapping and the `jsna:` list,
parsed leniently (a wrong type becomes an empty value; `check` reports it with
its line). Which keys each reads is declared on its fields (`keys.yaml_key`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from indicators.config.keys import yaml_key

# The comparators the dashboard offers, in the order it offers them.
COMPARATOR_ROLES = ("england", "region", "statistical_neighbours")
# Roles that are one area with its own code; the others are groups of areas.
SINGLE_AREA_ROLES = ("england", "region")
JSNA_LAYOUTS = ("dfe", "fingertips")
# The themes the JSNA page groups its indicators by, in the order it shows them.
JSNA_THEMES = (
    "children_in_need",
    "safeguarding_factors",
    "children_in_care",
    "education",
    "workforce",
    "health",
)
# What a publisher's period label counts: a school year (September–August), the
# financial year (April–March, DfE's "reporting year" to 31 March), a calendar year, or
# the year to 30 September (the social work workforce census).
PERIOD_TYPES = ("academic_year", "financial_year", "calendar_year", "september_year")


@dataclass(frozen=True)
class Comparator:
    """An area (or group of areas) the council is compared with.

    `role` is its key under `strategy.comparators`; `code` is the GSS code of a
    single area (England, the region); `grouping` names the shipped statistical
    neighbour grouping a group is read from.
    """

    role: str
    name: str = field(default="", metadata=yaml_key(required=True))
    code: str | None = field(default=None, metadata=yaml_key())
    grouping: str | None = field(default=None, metadata=yaml_key())
    raw: Any = field(repr=False, compare=False, default=None)


@dataclass(frozen=True)
class JsnaSource:
    """One `jsna:` entry of config/indicators.yaml (see the comments there)."""

    id: str = field(metadata=yaml_key(required=True))
    title: str = field(metadata=yaml_key(required=True))
    layout: str = field(metadata=yaml_key(required=True))
    unit: str = field(metadata=yaml_key(required=True))
    polarity: str = field(metadata=yaml_key(required=True))
    file: str | None = field(default=None, metadata=yaml_key())
    filters: tuple[tuple[str, str], ...] = field(default=(), metadata=yaml_key())
    value: str | None = field(default=None, metadata=yaml_key())
    count: str | None = field(default=None, metadata=yaml_key())
    denominator: str | None = field(default=None, metadata=yaml_key())
    rate_per: float | None = field(default=None, metadata=yaml_key())
    fingertips_id: str | None = field(default=None, metadata=yaml_key())
    theme: str = field(default="children_in_need", metadata=yaml_key())
    # None: DfE's `time_identifier` says it, or a Fingertips label's shape (2023/24, 2023).
    period_type: str | None = field(default=None, metadata=yaml_key())
    raw: Any = field(repr=False, compare=False, default=None)


def _text(raw: dict, key: str) -> str | None:
    value = raw.get(key)
    return str(value) if isinstance(value, str | int | float) and value != "" else None


def comparators(raw: Any) -> tuple[Comparator, ...]:
    """The `strategy.comparators` mapping (role → {name, code or grouping}), in YAML order."""
    if not isinstance(raw, dict):
        return ()
    out = []
    for role, entry in raw.items():
        entry = entry if isinstance(entry, dict) else {}
        out.append(
            Comparator(
                role=str(role),
                name=_text(entry, "name") or "",
                code=_text(entry, "code"),
                grouping=_text(entry, "grouping"),
                raw=entry,
            )
        )
    return tuple(out)


def jsna_source(raw: dict) -> JsnaSource:
    """One `jsna:` entry; unknown keys are ignored here and reported by `check`."""
    filters = raw.get("filters")
    rate_per = raw.get("rate_per")
    return JsnaSource(
        id=_text(raw, "id") or "",
        title=_text(raw, "title") or "",
        layout=_text(raw, "layout") or "",
        unit=_text(raw, "unit") or "",
        polarity=_text(raw, "polarity") or "",
        file=_text(raw, "file"),
        filters=tuple((str(k), str(v)) for k, v in filters.items())
        if isinstance(filters, dict)
        else (),
        value=_text(raw, "value"),
        count=_text(raw, "count"),
        denominator=_text(raw, "denominator"),
        rate_per=rate_per
        if isinstance(rate_per, int | float) and not isinstance(rate_per, bool)
        else None,
        fingertips_id=_text(raw, "fingertips_id"),
        theme=_text(raw, "theme") or "children_in_need",
        period_type=_text(raw, "period_type"),
        raw=raw,
    )
