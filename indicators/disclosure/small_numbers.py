"""Small-number suppression: no child or family can be picked out of anything we publish.

Every frame the engine hands to a page, a download or the board pack passes
through :func:`apply_disclosure` first. It follows the GSS/ONS guidance on
disclosure control for tables from administrative sources:

1. **Primary suppression.** A count of children, families or records from 1
   to ``min_count - 1`` (default 1-4, set per indicator in the YAML
   ``disclosure: {min_count: ...}``) is not published. Zero is published: a
   true zero says nothing about anyone. For a proportion the complement
   ``denominator - numerator`` is checked too, because "18 of 20" tells the
   reader that 2 families did *not* have the outcome.
2. **Secondary (complementary) suppression.** Totals are published, so a
   hidden cell must not be recoverable by subtraction ("differencing"). The
   additive relations are: an area's `all` row = the sum of each breakdown's
   categories; the city (area type ``la``) = the sum of its wards (or of any
   other area type), category by category; and a financial year = its H1 +
   H2, when both halves are in the frame. Wherever exactly one cell of a
   relation is hidden, the smallest non-zero published cell of that relation
   (a part before the total; ties by period, area and category) is hidden as
   well, until no relation changes. Because relations overlap, that rule alone
   can still leave a cell pinned down by a *combination* of relations, so each
   financial year of each indicator is then checked as a linear system (is
   the cell's unit vector in the row space of the relations restricted to the
   hidden cells?) and a neighbour of any pinned cell is hidden until none is.
3. A hidden row shows the symbol ``c`` ("confidential", as in the Government
   Analysis Function guidance on symbols in tables) in ``note``; its counts,
   value and limits become NaN. A rate's denominator is a population
   estimate, not a count of people we serve, and is left as it is.

Judgement calls a caller should know about:

* "Small" is ``0 < count < min_count``, so a fractional count below 1 is small too.
* A missing (NaN) count is never small and protects nothing: it is treated as
  though the reader knew it, so the other cells still get complementary
  suppression. It is only hidden as a last resort.
* For ``share_by_category`` every category carries the total as its
  denominator, so hiding a total hides every row whose denominator is that
  total.
* Rows that arrive with ``suppressed=True`` stay suppressed and are treated
  as primary suppressions.
* Only relations inside one frame are protected: two indicators that add up
  to a third, or the same figure rounded elsewhere, are out of scope.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd

from indicators.disclosure.relations import (
    KEY_COLUMNS,
    Component,
    Relation,
    ShareLinks,
    additive_relations,
    codes,
    key_table,
)
from indicators.measure_kinds import KINDS

__all__ = [
    "DEFAULT_MIN_COUNT",
    "FOOTNOTE",
    "SUPPRESSED_SYMBOL",
    "apply_disclosure",
    "blank",
    "find_disclosive_cells",
    "find_recoverable_cells",
    "footnote",
    "is_small",
]

DEFAULT_MIN_COUNT = 5
SUPPRESSED_SYMBOL = "c"
FOOTNOTE = (
    "c = suppressed to protect confidentiality: fewer than {min_count} children or families, "
    "or a figure from which such a number could be worked out."
)

# Measures whose denominator counts people or records (sensitive and additive);
# the others carry a population estimate (rate) or nothing (count).
COUNT_DENOMINATOR_MEASURES = frozenset(k for k, rule in KINDS.items() if rule.sensitive_denominator)
# Measures whose denominator − numerator also counts people (a proportion's complement).
COMPLEMENT_MEASURES = frozenset(k for k, rule in KINDS.items() if rule.complement_counts)
# Measures whose rows are categories of one total (a share), which add up to it.
CATEGORY_MEASURES = frozenset(k for k, rule in KINDS.items() if rule.by_category)
MEASURES = frozenset(KINDS)

REQUIRED_COLUMNS = (*KEY_COLUMNS, "measure", "period_type", "numerator", "denominator", "value")
BLANKED_COLUMNS = ("numerator", "value", "lower_ci", "upper_ci")


def footnote(min_count: int = DEFAULT_MIN_COUNT) -> str:
    """The footnote that explains ``c`` under any table or chart of suppressed figures.

    >>> footnote(5)[:44]
    'c = suppressed to protect confidentiality: f'
    """
    return FOOTNOTE.format(min_count=min_count)


def is_small(count: Any, min_count: Any) -> Any:
    """True where a count could identify someone: ``0 < count < min_count``.

    Zero and NaN are not small. Works on scalars, arrays and Series (returns
    the same kind); ``min_count`` may be a scalar or one value per count.

    >>> is_small(np.array([0, 1, 4, 5, np.nan]), 5).tolist()
    [False, True, True, False, False]
    """
    limit = np.asarray(min_count, dtype=float)
    if isinstance(count, pd.Series):
        values = pd.to_numeric(count).to_numpy(dtype=float, na_value=np.nan)
        return pd.Series((values > 0) & (values < limit), index=count.index, name=count.name)
    values = np.asarray(count, dtype=object)
    values = pd.to_numeric(values.ravel()).astype(float).reshape(values.shape)
    small = (values > 0) & (values < limit)
    return bool(small) if np.ndim(small) == 0 else small


def apply_disclosure(
    frame: pd.DataFrame,
    *,
    min_count: int = DEFAULT_MIN_COUNT,
    min_count_by_indicator: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Return a copy of an indicator frame with primary and secondary suppression applied.

    ``min_count_by_indicator`` overrides the strategy-wide ``min_count`` for
    named indicators. The input frame is not changed.

    >>> apply_disclosure(frame, min_count=5)  # doctest: +SKIP
    """
    table = _Table.from_frame(frame, min_count, min_count_by_indicator)
    hidden = table.primary() | table.already_suppressed
    for component in table.components():
        cells = component.cells
        hidden[cells] = component.protect(hidden[cells].copy())
    return blank(frame, hidden, table.sensitive_denominator)


def find_disclosive_cells(
    frame: pd.DataFrame,
    min_count: int = DEFAULT_MIN_COUNT,
    *,
    min_count_by_indicator: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Rows that publish a small count (the primary rule): empty for any safe frame.

    Pages and exports assert this is empty in their tests.

    >>> find_disclosive_cells(apply_disclosure(frame)).empty  # doctest: +SKIP
    True
    """
    return frame.loc[_Table.from_frame(frame, min_count, min_count_by_indicator).primary()]


def find_recoverable_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Suppressed rows whose numerator the additive relations still pin down.

    Empty for any frame from :func:`apply_disclosure`. A published NaN count is
    treated as known, as :func:`apply_disclosure` does. Only the additive
    relations are checked, not a share's repeated denominator.

    >>> find_recoverable_cells(apply_disclosure(frame)).empty  # doctest: +SKIP
    True
    """
    table = _Table.from_frame(frame, DEFAULT_MIN_COUNT, None)
    hidden = table.already_suppressed
    pinned = [c.cells[c.pinned(hidden[c.cells])] for c in table.components()]
    positions = np.sort(np.concatenate([np.zeros(0, dtype=int), *pinned]))
    return frame.iloc[positions]


# --- reading the frame ---------------------------------------------------------------


def _counts(frame: pd.DataFrame, column: str) -> np.ndarray:
    try:
        return pd.to_numeric(frame[column]).to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise ValueError(f"column {column!r} must hold numbers (NaN for missing)") from None


def _check_min_count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}")
    return int(value)


def _limits(
    indicators: pd.Series, min_count: int, by_indicator: Mapping[str, int] | None
) -> np.ndarray:
    default = _check_min_count(min_count, "min_count")
    overrides = {
        str(k): _check_min_count(v, f"min_count for {k!r}") for k, v in (by_indicator or {}).items()
    }
    return indicators.astype(str).map(overrides).fillna(default).to_numpy(dtype=float)


def _check_frame(frame: pd.DataFrame) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"indicator frame lacks columns: {', '.join(missing)}")
    unknown = frame.loc[~frame["measure"].isin(MEASURES), ["indicator_id", "measure"]]
    if not unknown.empty:
        pairs = sorted({f"{i}: {m!r}" for i, m in unknown.itertuples(index=False)})
        raise ValueError(
            f"unknown measure ({'; '.join(pairs)}); expected one of {', '.join(sorted(MEASURES))}"
        )
    duplicated = frame.duplicated(list(KEY_COLUMNS), keep=False)
    if duplicated.any():
        first = frame.loc[duplicated, list(KEY_COLUMNS)].iloc[0].to_dict()
        raise ValueError(f"indicator frame has more than one row for {first}")


# --- the frame as arrays; its components (indicator x financial year) in `relations` --


@dataclass
class _Table:
    """The frame as arrays by row position: keys, counts, measure flags and limits."""

    keys: pd.DataFrame
    numerator: np.ndarray
    denominator: np.ndarray
    sensitive_denominator: np.ndarray
    proportion: np.ndarray
    share: np.ndarray
    limits: np.ndarray
    already_suppressed: np.ndarray

    @classmethod
    def from_frame(
        cls, frame: pd.DataFrame, min_count: int, by_indicator: Mapping[str, int] | None
    ) -> _Table:
        _check_frame(frame)
        measure = frame["measure"].to_numpy()
        flagged = frame.get("suppressed", pd.Series(False, index=frame.index))
        return cls(
            keys=key_table(frame),
            numerator=_counts(frame, "numerator"),
            denominator=_counts(frame, "denominator"),
            sensitive_denominator=np.isin(measure, list(COUNT_DENOMINATOR_MEASURES)),
            proportion=np.isin(measure, list(COMPLEMENT_MEASURES)),
            share=np.isin(measure, list(CATEGORY_MEASURES)),
            limits=_limits(frame["indicator_id"], min_count, by_indicator),
            already_suppressed=flagged.fillna(False).astype(bool).to_numpy(),
        )

    def primary(self) -> np.ndarray:
        """Rule 1: a small count, a small count denominator, or a small complement."""
        den = np.where(self.sensitive_denominator, self.denominator, np.nan)
        complement = np.where(self.proportion, self.denominator - self.numerator, np.nan)
        return (
            is_small(self.numerator, self.limits)
            | is_small(den, self.limits)
            | is_small(complement, self.limits)
        )

    def preference(self) -> tuple[np.ndarray, np.ndarray]:
        """Tier (0 non-zero count, 1 all zero, 2 missing) and rank (smallest count first)."""
        num = self.numerator
        den = np.where(self.sensitive_denominator, self.denominator, np.nan)
        tier = np.where((num > 0) | (den > 0), 0, np.where(np.isnan(num), 2, 1))
        order = self.keys.assign(zero=~(num > 0), num=num, den=den).sort_values(
            ["zero", "num", "den", *KEY_COLUMNS], kind="stable", na_position="last"
        )
        rank = np.empty(len(num), dtype=int)
        rank[order.index.to_numpy()] = np.arange(len(num))
        return tier, rank

    def components(self) -> Iterator[Component]:
        links = ShareLinks(self.numerator, self.denominator, self.share)
        relations = additive_relations(self.keys, links)
        group = codes(self.keys, ["indicator_id", "fy"])
        by_group: dict[int, list[Relation]] = {}
        for relation in relations:
            by_group.setdefault(int(group[relation.total]), []).append(relation)
        tier, rank = self.preference()
        for _, members in sorted(by_group.items()):
            yield Component(members, tier, rank)


# --- writing the result --------------------------------------------------------------


def blank(
    frame: pd.DataFrame, hidden: np.ndarray, sensitive_denominator: np.ndarray
) -> pd.DataFrame:
    """A copy with hidden rows' counts, value and limits blanked and ``c`` in ``note``.

    A denominator is blanked only where it counts people (``sensitive_denominator``).
    """
    out = frame.copy()
    blanked = [c for c in BLANKED_COLUMNS if c in out.columns]
    hidden_denominator = hidden & sensitive_denominator
    for columns, rows in ((blanked, hidden), (["denominator"], hidden_denominator)):
        if rows.any():  # else leave the columns, and their dtypes, exactly as they were
            for column in columns:
                out[column] = _as_float_column(out[column])
            out.loc[rows, columns] = np.nan
    out["suppressed"] = hidden
    if "note" not in out.columns:
        out["note"] = None
    if hidden.any() and pd.api.types.is_numeric_dtype(out["note"]):
        out["note"] = out["note"].astype(object)
    out.loc[hidden, "note"] = SUPPRESSED_SYMBOL
    return out


def _as_float_column(column: pd.Series) -> pd.Series:
    """Integer counts become float so NaN fits; nullable and float columns stay."""
    if pd.api.types.is_integer_dtype(column) and isinstance(column.dtype, np.dtype):
        return column.astype(float)
    return column
