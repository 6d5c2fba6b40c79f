"""Secondary suppression over a whole publication, as one system of linear relations.

The per-frame rules in :mod:`indicators.disclosure.small_numbers` protect one indicator at a
time. A reader, though, has every published figure at once: the same count
appears in several indicators (requests received is a numerator of one and a
denominator of two others), months add up to half-years, a flow's links add
up at each step, a share's categories add up to its total. This module takes
all of that as one system and answers one question: *given what is
published, can any protected quantity be worked out exactly?*

The model (:class:`LinearPublication`):

* **variables**: the distinct counts behind the publication, one per count
  that is the same by definition, wherever it appears; some are never shown
  (*latent*: a total nobody publishes but several splits add up to);
* **relations**: ``sum(coefficient * variable) = 0`` that hold by definition;
* **rows**: what a page or download shows as one unit; hiding a row hides
  every variable it shows (a proportion's numerator and denominator go
  together);
* **protected quantities**: linear combinations of variables that must not
  be pinned down (a count of 1 to min_count - 1; a proportion's small
  complement, ``denominator - numerator``).

A quantity ``q`` is pinned when, after substituting every variable some
visible row shows, its restriction to the unknown variables lies in the row
space of the relations restricted to them (the standard test of exact
disclosure, e.g. Hundepool et al., *Statistical Disclosure Control*, 2012,
ch. 4). That is checked per connected component of unknowns
(:class:`indicators.disclosure.unknowns.Unknowns`: a null space basis ``N``,
``q`` is pinned exactly when ``N.T @ q == 0``), and :func:`protect` hides
the cheapest visible row next to a pinned quantity until nothing is pinned.
The attack tests solve the same relations independently, with an LP solver
and exact arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix
from threadpoolctl import threadpool_limits

from indicators.disclosure.forced_zero import forced_zero
from indicators.disclosure.unknowns import Unknowns

__all__ = ["LinearPublication", "forced_zero", "pinned_quantities", "protect"]


@dataclass
class LinearPublication:
    """Everything a reader sees, as linear algebra.

    ``reveals[r]`` are the variables row ``r`` shows; ``cost[r]`` orders rows
    for secondary suppression (lower is hidden first); ``protected`` holds
    ``(variables, coefficients)`` pairs; ``values`` are the true counts (only
    those of shown variables are used, as a reader would know them; without
    them only the equations are used, not that counts are never negative).
    """

    n_variables: int
    values: np.ndarray = field(default_factory=lambda: np.zeros(0))
    relations: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    reveals: list[np.ndarray] = field(default_factory=list)
    cost: list[tuple] = field(default_factory=list)
    protected: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    _matrix: csr_matrix | None = field(default=None, repr=False)
    _pattern: csr_matrix | None = field(default=None, repr=False)
    _by_variable: csr_matrix | None = field(default=None, repr=False)

    def add_relation(self, variables: list[int], coefficients: list[float]) -> None:
        self.relations.append((np.asarray(variables, int), np.asarray(coefficients, float)))

    def add_row(self, variables: list[int], cost: tuple) -> int:
        self.reveals.append(np.asarray(variables, int))
        self.cost.append(cost)
        return len(self.reveals) - 1

    def protect_quantity(self, variables: list[int], coefficients: list[float]) -> None:
        self.protected.append((np.asarray(variables, int), np.asarray(coefficients, float)))

    def matrix(self) -> csr_matrix:
        """The relations as a sparse matrix (relations by variables; built once, on first use)."""
        if self._matrix is None or self._matrix.shape != (len(self.relations), self.n_variables):
            sizes = [len(v) for v, _ in self.relations]
            rows = np.repeat(np.arange(len(self.relations)), sizes)
            columns = np.concatenate([v for v, _ in self.relations] or [np.zeros(0, int)])
            data = np.concatenate([c for _, c in self.relations] or [np.zeros(0)])
            shape = (len(self.relations), self.n_variables)
            matrix = csr_matrix((data, (rows, columns)), shape=shape)
            matrix.sum_duplicates()
            matrix.eliminate_zeros()
            self._matrix = matrix
            self._pattern = matrix.astype(bool).astype(np.int32)
            self._by_variable = self._pattern.T.tocsr()
        return self._matrix

    def pattern(self) -> csr_matrix:
        """Which variable is in which relation, as ones."""
        self.matrix()
        return self._pattern

    def relations_with(self, variable: int) -> np.ndarray:
        """Indexes of the relations `variable` is in."""
        self.matrix()
        by_variable = self._by_variable
        return by_variable.indices[by_variable.indptr[variable] : by_variable.indptr[variable + 1]]

    def members(self, relations: np.ndarray) -> np.ndarray:
        """The variables of `relations` (with repeats)."""
        pattern = self.pattern()
        starts, ends = pattern.indptr[relations], pattern.indptr[relations + 1]
        if not len(starts):
            return np.zeros(0, dtype=int)
        return np.concatenate([pattern.indices[a:b] for a, b in zip(starts, ends, strict=True)])

    def known(self, hidden_rows: np.ndarray) -> np.ndarray:
        """Variables some visible row shows."""
        known = np.zeros(self.n_variables, dtype=bool)
        visible = np.flatnonzero(~hidden_rows)
        if visible.size:
            known[np.concatenate([self.reveals[row] for row in visible])] = True
        return known


def pinned_quantities(table: LinearPublication, hidden_rows: np.ndarray) -> list[int]:
    """Indexes of protected quantities the published rows determine exactly."""
    tested = np.zeros(table.n_variables, dtype=bool)
    for variables, _ in table.protected:
        tested[variables] = True
    with _one_blas_thread():
        unknowns = Unknowns(table, table.known(hidden_rows), tested)
        return [i for i, (v, c) in enumerate(table.protected) if unknowns.pinned(v, c)]


def _one_blas_thread() -> threadpool_limits:
    """The null-space solves run on one BLAS thread: each is small (hundreds of unknowns at
    most), so threads only wait for each other, and on a busy two-core machine a solve took
    tens of times longer with them (46 s of solves at scale 1 against 3.7 s without)."""
    return threadpool_limits(limits=1, user_api="blas")


def protect(table: LinearPublication, hidden_rows: np.ndarray) -> np.ndarray:
    """Hide more rows until no protected quantity is pinned; returns the hidden-row mask.

    Each pass hides, for every pinned quantity, the cheapest visible row
    showing a variable next to it (a quantity fully shown is hidden at its
    own rows first); one choice per component of unknowns per pass, so one
    new unknown can serve several quantities. Hiding only ever removes
    knowledge, so a quantity found safe stays safe: later passes look again
    only at those still pinned. Every pass hides at least one row, so it ends.
    """
    with _one_blas_thread():
        return _hide_until_safe(table, hidden_rows)


def _hide_until_safe(table: LinearPublication, hidden_rows: np.ndarray) -> np.ndarray:
    hidden = hidden_rows.copy()
    rows_of: dict[int, list[int]] = {}
    for row, variables in enumerate(table.reveals):
        for variable in variables:
            rows_of.setdefault(int(variable), []).append(row)
    rank = np.empty(len(table.cost), dtype=int)
    rank[sorted(range(len(table.cost)), key=table.cost.__getitem__)] = np.arange(len(table.cost))
    pending = list(range(len(table.protected)))
    solved: dict = {}
    while True:
        known = table.known(hidden)
        tested = np.zeros(table.n_variables, dtype=bool)
        for i in pending:
            tested[table.protected[i][0]] = True
        unknowns = Unknowns(table, known, tested, solved)
        pending = [i for i in pending if unknowns.pinned(*table.protected[i])]
        if not pending:
            return hidden
        chosen: set[int] = set()
        treated: set[int] = set()
        for variables, _ in (table.protected[i] for i in pending):
            own = variables[known[variables]]
            components = set(unknowns.root[variables[~known[variables]]].tolist())
            if not own.size and components & treated:
                continue
            candidates = own if own.size else unknowns.neighbours(variables)
            best = _cheapest(candidates, rows_of, hidden, rank)
            if best is None:
                continue
            treated |= components
            chosen.update(r for r in rows_of[best] if not hidden[r])
        if not chosen:
            raise RuntimeError("a protected quantity is pinned and no row is left to hide")
        hidden[list(chosen)] = True


def _cheapest(
    candidates: np.ndarray, rows_of: dict[int, list[int]], hidden: np.ndarray, rank: np.ndarray
) -> int | None:
    """The candidate variable whose cheapest visible row ranks first."""
    best, best_rank = None, None
    for variable in candidates.tolist():
        for row in rows_of.get(variable, []):
            if not hidden[row] and (best_rank is None or rank[row] < best_rank):
                best, best_rank = variable, rank[row]
    return best
