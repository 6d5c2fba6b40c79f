"""Counts a reader knows are zero although they are not shown: the bounds of a publication.

Counts are never negative, so a shown total of 0, or a shown total equal to
its shown parts, tells a reader the hidden parts are 0. Secondary
suppression (:mod:`indicators.disclosure.suppression`) treats those as known.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.sparse import block_diag, coo_matrix
from scipy.sparse.csgraph import connected_components

from indicators.disclosure.sparse_parts import Groups, entries

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
    (HiGHS) over the connected blocks of unknowns (blocks share no relation,
    so each has its own answer; `solved` keeps a block's answer for the next
    pass, which changes few blocks, and the blocks not yet solved go into one
    programme together, since a solver start costs more than a small block):
    maximise how many unknowns reach a small positive value at once, keep
    those that do, and ask again for the rest until none does. Only unknowns
    whose true count is 0 are asked about (`_doubtful`).
    """
    zero = np.zeros(table.n_variables, dtype=bool)
    if len(table.values) != table.n_variables:  # no values given: the equations alone
        return zero
    solved = {} if solved is None else solved
    matrix = table.matrix()
    rows, columns = entries(matrix, ~shown)
    if not rows.size:
        return zero
    rhs = -(matrix @ np.where(shown, table.values, 0.0))
    # Blocks: unknowns joined by a relation (a bipartite graph of relations and unknowns).
    n_rel, n_var = matrix.shape
    graph = coo_matrix(
        (np.ones(len(rows)), (rows, n_rel + columns)), shape=(n_rel + n_var, n_rel + n_var)
    )
    _, label = connected_components(graph, directed=False)
    relations = np.unique(rows)
    unknown = np.flatnonzero(~shown)
    members_by = Groups(label[n_rel + unknown])
    new: list[tuple[tuple, np.ndarray, np.ndarray]] = []
    for block, block_rows in Groups(label[relations]).items():
        block_relations, members = relations[block_rows], unknown[members_by[block]]
        key = (members.tobytes(), block_relations.tobytes(), rhs[block_relations].tobytes())
        if key in solved:
            zero[members[solved[key]]] = True
        else:
            new.append((key, block_relations, members))
    doubtful = _doubtful(table, matrix)
    for key, _, members in new:
        solved[key] = np.zeros(len(members), dtype=bool)
    new = [(key, r, m) for key, r, m in new if doubtful[m].any()]
    if new:  # blocks are independent: one programme for all of them costs one solver start
        parts = block_diag([matrix[r][:, m] for _, r, m in new], format="csr")
        rhs_parts = np.concatenate([rhs[r] for _, r, _ in new])
        found = _zero_in_block(parts, rhs_parts, np.concatenate([doubtful[m] for _, _, m in new]))
        cuts = np.cumsum([len(m) for _, _, m in new])[:-1]
        for (key, _, members), answer in zip(new, np.split(found, cuts), strict=True):
            solved[key] = answer
            zero[members[answer]] = True
    return zero


def _doubtful(table: LinearPublication, matrix) -> np.ndarray:
    """Variables that might be forced to zero: those whose true count is 0.

    The true counts are a non-negative solution, so a variable whose true
    count is positive is never forced to zero. That holds only where the
    true counts satisfy the relations; a variable in a relation they do not
    satisfy (a conflict between two sources) stays doubtful, whatever its count.
    """
    values = table.values
    scale = abs(matrix) @ np.abs(values) + 1.0
    broken = np.abs(matrix @ values) > _TOLERANCE * scale
    doubtful = (values <= _TOLERANCE) | (values < 0)
    if broken.any():
        doubtful[np.unique(matrix[np.flatnonzero(broken)].indices)] = True
    return doubtful


def _zero_in_block(equalities, rhs: np.ndarray, doubtful: np.ndarray) -> np.ndarray:
    """Which unknowns of one block every non-negative solution of `equalities` sets to 0,
    asking only about the `doubtful` ones (the others are known not to be)."""
    from scipy.optimize import linprog
    from scipy.sparse import hstack, identity

    n = equalities.shape[1]
    candidates = np.flatnonzero(doubtful)
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
