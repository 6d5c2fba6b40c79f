"""The additive relations a reader could difference, and which hidden cells they pin down.

`small_numbers` hides small counts; this module says what else must be
hidden so they cannot be worked out: an area's `all` row is the sum of each
breakdown's categories, the city is the sum of its wards (or any other area
type), and a financial year is its H1 + H2. Relations never cross an
indicator and financial year, so each such `Component` is solved on its own,
as a small linear system (see the `small_numbers` docstring for the rules).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from indicators.periods import year_of_half

CITY_AREA_TYPE = "la"
ALL = "all"
HALF_YEAR = "half_year"
FINANCIAL_YEAR = "financial_year"

KEY_COLUMNS = ("indicator_id", "period", "area_type", "area_code", "breakdown", "category")
_PINNED_TOLERANCE = 1e-9


def _financial_year_of(label: str) -> str:
    try:
        return year_of_half(label)
    except ValueError:
        raise ValueError(f"half_year period {label!r} is not like '2020 H1'") from None


def key_table(frame: pd.DataFrame) -> pd.DataFrame:
    """String keys by position, with `fy`: the financial year a row belongs to."""
    keys = frame.loc[:, [*KEY_COLUMNS, "period_type"]].astype(str).reset_index(drop=True)
    keys["fy"] = keys["period"]
    half = keys["period_type"] == HALF_YEAR
    labels = {label: _financial_year_of(label) for label in keys.loc[half, "period"].unique()}
    keys.loc[half, "fy"] = keys.loc[half, "period"].map(labels)
    return keys


def codes(keys: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """One integer per row, equal exactly when the rows agree on all `columns`."""
    code = np.zeros(len(keys), dtype=np.int64)
    for column in columns:
        values, uniques = pd.factorize(keys[column])
        code = np.unique(code * len(uniques) + values, return_inverse=True)[1].ravel()
    return code


@dataclass(frozen=True)
class Relation:
    """total = sum(parts), by row position; `linked` parts show the total as denominator."""

    total: int
    parts: np.ndarray
    linked: np.ndarray


def _partitions(
    keys: pd.DataFrame, whole: np.ndarray, part: np.ndarray, on: list[str], split: list[str]
) -> Iterator[tuple[int, np.ndarray]]:
    """(total, parts): rows matching a whole on `on`, one relation per value of `split`."""
    group, subgroup = codes(keys, on), codes(keys, [*on, *split])
    wholes = np.flatnonzero(whole)
    repeated = pd.Series(group[wholes]).duplicated(keep=False).to_numpy()
    if repeated.any():
        example = keys.iloc[wholes[repeated][0]][on].to_dict()
        raise ValueError(f"indicator frame has more than one total row for {example}")
    total_of = np.full(group.max(initial=-1) + 1, -1)
    total_of[group[wholes]] = wholes
    parts = np.flatnonzero(part)
    parts = parts[total_of[group[parts]] >= 0]
    parts = parts[np.argsort(subgroup[parts], kind="stable")]
    edges = np.flatnonzero(np.diff(subgroup[parts])) + 1
    for chunk in np.split(parts, edges) if parts.size else []:
        yield int(total_of[group[chunk[0]]]), chunk


def additive_relations(keys: pd.DataFrame, links: ShareLinks) -> list[Relation]:
    """Breakdown, area and financial-year relations; see the module docstring."""
    by_area = ["indicator_id", "period", "area_type", "area_code"]
    by_cell = ["indicator_id", "period", "breakdown", "category"]
    by_slice = ["indicator_id", "area_type", "area_code", "breakdown", "category", "fy"]
    is_all = (keys["breakdown"] == ALL).to_numpy()
    is_city = (keys["area_type"] == CITY_AREA_TYPE).to_numpy()
    found: list[Relation] = []
    for total, parts in [
        *_partitions(keys, is_all, ~is_all, by_area, ["breakdown"]),
        *_partitions(keys, is_city, ~is_city, by_cell, ["area_type"]),
    ]:
        found.append(Relation(total, parts, links.showing_total(total, parts)))
    fy_rows = (keys["period_type"] == FINANCIAL_YEAR).to_numpy()
    halves = (keys["period_type"] == HALF_YEAR).to_numpy()
    for total, parts in _partitions(keys, fy_rows, halves, by_slice, []):
        if parts.size == 2:  # a financial year is H1 + H2 only when both are in the frame
            found.append(Relation(total, parts, parts[:0]))
    return found


@dataclass(frozen=True)
class ShareLinks:
    """For share_by_category, parts whose denominator is their total's count."""

    numerator: np.ndarray
    denominator: np.ndarray
    share: np.ndarray

    def showing_total(self, total: int, parts: np.ndarray) -> np.ndarray:
        if not self.share[total]:
            return parts[:0]
        return parts[self.share[parts] & (self.denominator[parts] == self.numerator[total])]


class Component:
    """The relations of one indicator and financial year: no relation crosses them."""

    def __init__(self, relations: list[Relation], tier: np.ndarray, rank: np.ndarray) -> None:
        everything = [np.append(r.parts, r.total) for r in relations]
        self.cells = np.unique(np.concatenate(everything))
        self.signed = np.zeros((len(relations), len(self.cells)), dtype=np.int8)
        for i, relation in enumerate(relations):
            self.signed[i, np.searchsorted(self.cells, relation.parts)] = -1
            self.signed[i, np.searchsorted(self.cells, relation.total)] = 1
        self.member = self.signed != 0
        self.totals = np.searchsorted(self.cells, [r.total for r in relations])
        self.linked = [np.searchsorted(self.cells, r.linked) for r in relations]
        self.tier, self.rank = tier[self.cells], rank[self.cells]

    def protect(self, hidden: np.ndarray) -> np.ndarray:
        """Rule 2 to a fixed point: returns the hidden mask over `self.cells`."""
        while hidden.any():
            if self._hide_shared_totals(hidden) or self._hide_lonely(hidden):
                continue
            pinned = self.pinned(hidden)
            if not pinned.any() or not self._hide_neighbour(pinned, hidden):
                break  # safe, or nothing left to hide (only possible with odd input)
        return hidden

    def pinned(self, hidden: np.ndarray) -> np.ndarray:
        """Hidden cells whose value the relations determine (unit vector in the row space)."""
        columns = np.flatnonzero(hidden)
        system = self.signed[:, columns]
        system = system[self.member[:, columns].any(axis=1)].astype(float)
        result = np.zeros(len(hidden), dtype=bool)
        if system.size == 0:
            return result
        _, singular, vt = np.linalg.svd(system)
        rank = int((singular > singular.max() * max(system.shape) * np.finfo(float).eps).sum())
        result[columns] = np.all(np.abs(vt[rank:]) < _PINNED_TOLERANCE, axis=0)
        return result

    def _hide_shared_totals(self, hidden: np.ndarray) -> bool:
        changed = False
        for total, linked in zip(self.totals, self.linked, strict=True):
            if hidden[total] and linked.size and not hidden[linked].all():
                hidden[linked] = changed = True
        return changed

    def _hide_lonely(self, hidden: np.ndarray) -> bool:
        changed = False
        for i in np.flatnonzero((self.member & hidden).sum(axis=1) == 1):
            choice = self._cheapest([i], hidden)
            # An earlier pick in this pass may already have fixed relation i.
            if choice is not None and (self.member[i] & hidden).sum() == 1:
                hidden[choice] = changed = True
        return changed

    def _hide_neighbour(self, pinned: np.ndarray, hidden: np.ndarray) -> bool:
        """Hide the cheapest cell next to a pinned one, else next to any hidden one.

        A cell can be pinned through a chain of relations (a ward's H1 from its
        FY and H2, then the city's H1 from that ward), so its own relations may
        already be fully hidden.
        """
        for near in (pinned, hidden):
            choice = self._cheapest(np.flatnonzero(self.member[:, near].any(axis=1)), hidden)
            if choice is not None:
                hidden[choice] = True
                return True
        return False

    def _cheapest(self, relations: Any, hidden: np.ndarray) -> int | None:
        """Smallest non-zero published cell of the relations, a part before the total."""
        best: tuple[int, bool, int, int] | None = None
        for i in relations:
            for cell in np.flatnonzero(self.member[i] & ~hidden):
                key = (int(self.tier[cell]), cell == self.totals[i], int(self.rank[cell]), cell)
                best = key if best is None or key < best else best
        return None if best is None else int(best[3])
