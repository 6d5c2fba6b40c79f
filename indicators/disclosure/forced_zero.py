"""Counts a reader knows are zero although they are not shown: the bounds of a publication.

Counts are never negative, so a shown total of 0, or a shown total equal to
its shown parts, tells a reader the hidden parts are 0. Secondary
suppression (:mod:`indicators.disclosure.suppression`) treats those as known.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from indicators.disclosure.suppression import LinearPublication

_TOLERANCE = 1e-8
# How far forced_zero asks each unknown to rise: small, so that every unknown that can be
# positive can be at least this positive at once (the average of feasible points), and one
# programme finds them all; the loop only confirms.
_PROBE = 1e-3


def forced_zero(
    table: LinearPublication, shown: np.ndarray, solved: dict | None = None
) -> np.ndarray:
    """Unknowns that every non-negative solution sets to zero, given the shown values.

    Counts are never negative, so a reader can pin more than the equations
    alone allow: if a shown total is 0, or a shown total equals the shown
    parts, the hidden parts must be 0, and with them fixed other cells may
    follow. Exactly those extra facts are the variables forced to zero (the
    implicit equalities of the polytope), so a quantity is determined by the
    relations and the bounds together exactly when it is determined by the
    relations with these variables known. Found with linear programmes
    (HiGHS), one per connected block of unknowns (blocks share no relation,
    so each has its own answer; `solved` keeps a block's answer for the next
    pass, which changes few blocks): maximise how many unknowns reach a small
    positive value at once, keep those that do, and ask again for the rest
    until none does.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    zero = np.zeros(table.n_variables, dtype=bool)
    if len(table.values) != table.n_variables:  # no values given: the equations alone
        return zero
    solved = {} if solved is None else solved
    unknown = np.flatnonzero(~shown)
    column = np.full(table.n_variables, -1)
    column[unknown] = np.arange(len(unknown))
    rows, cols, data, rhs = [], [], [], []
    for variables, coefficients in table.relations:
        hidden = ~shown[variables]
        if not hidden.any():
            continue
        rows += [len(rhs)] * int(hidden.sum())
        cols += column[variables[hidden]].tolist()
        data += coefficients[hidden].tolist()
        rhs.append(-float(coefficients[~hidden] @ table.values[variables[~hidden]]))
    if not rhs:
        return zero
    equalities = coo_matrix((data, (rows, cols)), shape=(len(rhs), len(unknown))).tocsr()
    rhs_array = np.array(rhs)
    # Blocks: unknowns joined by a relation (a bipartite graph of relations and unknowns).
    n_rel = len(rhs)
    graph = coo_matrix(
        (np.ones(len(rows)), (np.array(rows), n_rel + np.array(cols))),
        shape=(n_rel + len(unknown), n_rel + len(unknown)),
    )
    _, label = connected_components(graph, directed=False)
    relation_label, unknown_label = label[:n_rel], label[n_rel:]
    relations_by = _group(relation_label)
    for block, members in _group(unknown_label).items():
        block_rows = relations_by.get(block, np.zeros(0, dtype=int))
        if not block_rows.size:
            continue
        part = equalities[block_rows][:, members]
        key = (unknown[members].tobytes(), part.indices.tobytes(), part.data.tobytes(),
               rhs_array[block_rows].tobytes())  # fmt: skip
        if key not in solved:
            solved[key] = _zero_in_block(part, rhs_array[block_rows])
        zero[unknown[members[solved[key]]]] = True
    return zero


def _group(labels: np.ndarray) -> dict[int, np.ndarray]:
    """Indexes by label."""
    order = np.argsort(labels, kind="stable")
    cuts = np.flatnonzero(np.diff(labels[order])) + 1
    return {int(labels[g[0]]): g for g in np.split(order, cuts)} if len(order) else {}


def _zero_in_block(equalities, rhs: np.ndarray) -> np.ndarray:
    """Which unknowns of one block every non-negative solution of `equalities` sets to 0."""
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix, hstack, identity

    n = equalities.shape[1]
    candidates = np.arange(n)
    while candidates.size:
        # x (every unknown) and t (one per candidate): maximise sum t, t <= x, t <= 1.
        pick = coo_matrix(
            (np.ones(len(candidates)), (np.arange(len(candidates)), candidates)),
            shape=(len(candidates), n),
        )
        a_eq = hstack([equalities, coo_matrix((len(rhs), len(candidates)))])
        a_ub = hstack([-pick, identity(len(candidates))])
        result = linprog(
            np.concatenate([np.zeros(n), -np.ones(len(candidates))]),
            A_ub=a_ub, b_ub=np.zeros(len(candidates)), A_eq=a_eq, b_eq=rhs,
            bounds=[(0, None)] * n + [(0, _PROBE)] * len(candidates),
            method="highs",
        )  # fmt: skip
        if result.status != 0:
            raise ValueError(f"the shown values contradict the relations: {result.message}")
        positive = (result.x[n:] > _PROBE / 2) | (result.x[candidates] > _TOLERANCE)
        if not positive.any():
            break
        candidates = candidates[~positive]
    found = np.zeros(n, dtype=bool)
    found[candidates] = True
    return found
