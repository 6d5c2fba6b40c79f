"""An attacker's view of the publication: solve every relation from published figures only.

Used by the disclosure tests. The attacker knows the definitions (the
catalogue publishes them), so it knows which published figures are the same
count and which add up (`indicators.disclosure.cells`), and it knows every
count is a whole number of at least zero. For each suppressed cell it asks an
integer programme (HiGHS, through scipy's `milp`) for the smallest and the
largest value consistent with everything published: when they are equal,
the cell is recovered. That is a stronger attack than the product's own
check (which is linear algebra without the bounds), and independent of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from indicators.config.spec import Strategy
from indicators.disclosure.cells import CellKey, Cells
from indicators.disclosure.publication import (
    Publication,
    _series_rows,
    _tidy_rows,
    ward_overlap_cells,
)
from indicators.engine import flow


@dataclass
class Recovered:
    key: CellKey
    low: float
    high: float
    truth: float


def cells_of(
    publication: Publication,
    strategy: Strategy,
    overlaps: pd.DataFrame | None = None,
    *,
    truth: bool = False,
) -> tuple[Cells, np.ndarray]:
    """The cells behind published frames, and which of them a published row shows.

    `overlaps` (`compute.ward_overlaps`) add the cells a 2011 ward and a 2023 ward
    share: a reader knows the lookups, so knows they exist and add up to each ward,
    but never sees their values (only the `truth` view holds them)."""
    by_id = {i.id: i for i in strategy.indicators}
    limits = {i.id: strategy.min_count_for(i) for i in strategy.indicators}
    cells = Cells()
    _tidy_rows(cells, publication.results, by_id, limits)
    for indicator_id, series in publication.monthly.items():
        _series_rows(cells, series, by_id[indicator_id], limits[indicator_id])
    for period, links in publication.flows.items():
        flow.link_cells(cells, links, period, strategy.min_count)
    if overlaps is not None:
        ward_overlap_cells(cells, overlaps, by_id, limits, values=truth)
    shown = ~np.isnan(np.array(cells.values, dtype=float))
    assert cells.conflicts == [], "two figures that are the same count by definition differ"
    cells.finish()
    shown = np.concatenate([shown, np.zeros(len(cells.values) - len(shown), dtype=bool)])
    return cells, shown


def recover(
    published: Publication,
    raw: Publication,
    strategy: Strategy,
    overlaps: pd.DataFrame | None = None,
    *,
    small_only: bool = True,
) -> list[Recovered]:
    """Suppressed cells (of 1 to min_count - 1 when `small_only`) the published figures pin,
    with the cells wards of the two vintages share (`overlaps`), never published, among them."""
    cells, shown = cells_of(published, strategy, overlaps)
    truth_cells, _ = cells_of(raw, strategy, overlaps, truth=True)
    truth = np.array([truth_cells.values[truth_cells.index[k]] for k in cells.index])
    known = np.array(cells.values, dtype=float)
    n = len(known)
    relations = cells.table.relations
    rows, cols, data = [], [], []
    for r, (variables, coefficients) in enumerate(relations):
        rows += [r] * len(variables)
        cols += variables.tolist()
        data += coefficients.tolist()
    matrix = coo_matrix((data, (rows, cols)), shape=(len(relations), n)).tocsr()
    # Components of the unknowns, linked through relations.
    unknown = ~shown
    link = coo_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(relations), n)).tocsc()
    link = link[:, np.flatnonzero(unknown)]
    adjacency = (link.T @ link).tocsr()
    _, labels = connected_components(adjacency, directed=False)
    unknown_ids = np.flatnonzero(unknown)
    limits = np.array(cells.min_counts)
    # What must stay unknown: each suppressed small cell, and each suppressed
    # proportion's small complement (denominator - numerator).
    targets: list[tuple[CellKey, dict[int, float], float]] = []
    for v in unknown_ids:
        if (0 < truth[v] < max(limits[v], 2)) or (not small_only and truth[v] > 0):
            targets.append((cells_key(cells, v), {int(v): 1.0}, truth[v]))
    for numerator, denominator, limit in complements(raw, strategy, cells, overlaps):
        if unknown[numerator] or unknown[denominator]:
            gap = truth[denominator] - truth[numerator]
            if 0 < gap < limit:
                key = cells_key(cells, numerator)
                targets.append((key, {denominator: 1.0, numerator: -1.0}, gap))
    position = {v: i for i, v in enumerate(unknown_ids)}
    by_component: dict[int, list[int]] = {}
    for t, (_, terms, _) in enumerate(targets):
        for component in {int(labels[position[v]]) for v in terms if unknown[v]}:
            by_component.setdefault(component, []).append(t)
    # A target's range: what is shown of it, plus the range of each component's part.
    low = np.array(
        [sum(c * known[v] for v, c in terms.items() if shown[v]) for _, terms, _ in targets],
        dtype=float,
    )
    high = low.copy()
    for component, wanted in by_component.items():
        members = unknown_ids[labels == component]
        touching = np.flatnonzero(np.abs(matrix[:, members]).sum(axis=1).A1 > 0)
        block = matrix[touching]
        rhs = -(block[:, np.flatnonzero(shown)] @ known[shown])
        constraint = LinearConstraint(block[:, members], rhs, rhs)
        integrality = np.ones(len(members))
        bounds = Bounds(np.zeros(len(members)), np.full(len(members), np.inf))
        column = {int(v): j for j, v in enumerate(members)}
        feasible = milp(np.zeros(len(members)), constraints=constraint,
                        integrality=integrality, bounds=bounds)  # fmt: skip
        if feasible.status != 0:
            raise AssertionError(f"published figures contradict the relations: {feasible.message}")
        objectives = {t: _objective(targets[t][1], column) for t in wanted}
        witnesses = _witnesses(feasible.x, truth[members], objectives, constraint, bounds)
        for t in wanted:
            objective = objectives[t]
            seen = [objective @ w for w in witnesses]
            if max(seen) - min(seen) >= 0.5:
                # Two whole-number solutions consistent with everything published give the
                # target different values: it is not pinned, whatever its exact range.
                low[t], high[t] = -np.inf, np.inf
                continue
            bottom = milp(objective, constraints=constraint, integrality=integrality, bounds=bounds)
            top = milp(-objective, constraints=constraint, integrality=integrality, bounds=bounds)
            # The component is feasible (checked above), so a bound that fails is infinite.
            low[t] += bottom.fun if bottom.status == 0 else -np.inf
            high[t] += -top.fun if top.status == 0 else np.inf
    recovered = [
        Recovered(key, low[t], high[t], value)
        for t, (key, _, value) in enumerate(targets)
        if high[t] - low[t] < 0.5
    ]
    return recovered


def _objective(terms: dict[int, float], column: dict[int, int]) -> np.ndarray:
    """A target's coefficients over one component's unknowns."""
    objective = np.zeros(len(column))
    for variable, coefficient in terms.items():
        if variable in column:
            objective[column[variable]] = coefficient
    return objective


def _witnesses(
    found: np.ndarray,
    truth: np.ndarray,
    objectives: dict[int, np.ndarray],
    constraint: LinearConstraint,
    bounds: Bounds,
    pushes: int = 4,
) -> list[np.ndarray]:
    """Whole-number solutions of one component, for ruling targets out cheaply: the one
    found, the true counts (when they satisfy the published relations), and a few more
    that push every target of the component up or down at random (seeded). A target that
    differs between two of them is not pinned, so needs no programme of its own; the
    others get the exact smallest and largest value."""
    witnesses = [found]
    within = (truth >= bounds.lb).all() and (truth <= bounds.ub).all()
    if within and np.allclose(constraint.A @ truth, constraint.lb):
        witnesses.append(truth)
    stacked = np.array(list(objectives.values()))
    signs = np.random.default_rng(len(found)).choice([-1.0, 1.0], (pushes, len(stacked)))
    integrality = np.ones(len(found))
    for push in signs:
        solved = milp(push @ stacked, constraints=constraint, integrality=integrality,
                      bounds=bounds)  # fmt: skip
        if solved.status == 0:
            witnesses.append(solved.x)
    return witnesses


def complements(
    raw: Publication, strategy: Strategy, cells: Cells, overlaps: pd.DataFrame | None = None
) -> list[tuple[int, int, int]]:
    """(numerator, denominator, min_count) variables of every proportion row and month."""
    truth, _ = cells_of(raw, strategy, overlaps, truth=True)
    by_value = {v: k for k, v in truth.index.items()}
    found = []
    for variables, _ in truth.table.protected:
        if len(variables) == 2:
            denominator, numerator = (by_value[int(v)] for v in variables)
            limit = truth.min_counts[truth.index[numerator]]
            found.append((cells.index[numerator], cells.index[denominator], limit))
    return found


def cells_key(cells: Cells, variable: int) -> CellKey:
    return next(k for k, v in cells.index.items() if v == variable)


def integer_ranges(
    n: int,
    relations: list[dict[int, float]],
    shown: dict[int, float],
    targets: list[dict[int, float]],
) -> list[tuple[float, float]]:
    """(lowest, highest) whole-number value of each target consistent with what is shown.

    For small tables: one integer programme pair per target over all ``n``
    non-negative unknowns, ``relations`` as ``{variable: coefficient}`` = 0.
    """
    matrix = np.zeros((len(relations) + len(shown), n))
    rhs = np.zeros(len(relations) + len(shown))
    for i, relation in enumerate(relations):
        for variable, coefficient in relation.items():
            matrix[i, variable] = coefficient
    for j, (variable, value) in enumerate(shown.items()):
        matrix[len(relations) + j, variable] = 1.0
        rhs[len(relations) + j] = value
    constraint = LinearConstraint(matrix, rhs, rhs)
    bounds = Bounds(np.zeros(n), np.full(n, np.inf))
    found = []
    for target in targets:
        objective = np.zeros(n)
        for variable, coefficient in target.items():
            objective[variable] = coefficient
        low = milp(objective, constraints=constraint, integrality=np.ones(n), bounds=bounds)
        high = milp(-objective, constraints=constraint, integrality=np.ones(n), bounds=bounds)
        found.append((low.fun, np.inf if high.status == 3 else -high.fun))
    return found
