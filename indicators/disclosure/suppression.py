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
ch. 4). That is checked per connected component of unknowns with a singular
value decomposition (a null space basis ``N``: ``q`` is pinned exactly when
``N.T @ q == 0``), and :func:`protect` hides the cheapest visible row next to
a pinned quantity until nothing is pinned. The attack tests solve the same
relations independently, with an LP solver and exact arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from indicators.disclosure.forced_zero import forced_zero

_TOLERANCE = 1e-8


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
    _by_variable: list[list[int]] = field(default_factory=list, repr=False)

    def add_relation(self, variables: list[int], coefficients: list[float]) -> None:
        self.relations.append((np.asarray(variables, int), np.asarray(coefficients, float)))

    def add_row(self, variables: list[int], cost: tuple) -> int:
        self.reveals.append(np.asarray(variables, int))
        self.cost.append(cost)
        return len(self.reveals) - 1

    def protect_quantity(self, variables: list[int], coefficients: list[float]) -> None:
        self.protected.append((np.asarray(variables, int), np.asarray(coefficients, float)))

    def relations_with(self, variable: int) -> list[int]:
        """Indexes of the relations `variable` is in (indexed on first use)."""
        if len(self._by_variable) != self.n_variables:
            self._by_variable = [[] for _ in range(self.n_variables)]
            for i, (variables, _) in enumerate(self.relations):
                for member in variables.tolist():
                    self._by_variable[member].append(i)
        return self._by_variable[variable]

    def known(self, hidden_rows: np.ndarray) -> np.ndarray:
        """Variables some visible row shows."""
        known = np.zeros(self.n_variables, dtype=bool)
        for row in np.flatnonzero(~hidden_rows):
            known[self.reveals[row]] = True
        return known


class _Unknowns:
    """The relations restricted to the unknown variables, peeled, split into components.

    Peeling keeps the systems small without changing any answer: a relation
    with one unknown left determines it (it counts as known from then on,
    remembering which relation told it); a relation holding an unknown found
    in no other relation and in no quantity under test can never help pin
    anything (no combination can cancel that unknown), so it is set aside.
    """

    def __init__(
        self,
        table: LinearPublication,
        shown: np.ndarray,
        tested: np.ndarray,
        solved: dict | None = None,
    ) -> None:
        self.shown = shown
        solved = {} if solved is None else solved
        self.zero = forced_zero(table, shown, solved.setdefault("forced zero", {}))
        self.known = shown | self.zero
        self.told_by: dict[int, int] = {}
        active = [i for i, (v, _) in enumerate(table.relations) if not shown[v].all()]
        relations = table.relations
        changed = True
        while changed:
            changed = False
            uses = np.zeros(table.n_variables, dtype=int)
            still = []
            for i in active:
                variables = relations[i][0]
                unknown = variables[~self.known[variables]]
                if unknown.size == 0:
                    continue
                if unknown.size == 1:
                    self.known[unknown[0]] = True
                    self.told_by[int(unknown[0])] = i
                    changed = True
                    continue
                still.append(i)
                np.add.at(uses, unknown, 1)
            lonely = (uses == 1) & ~tested & ~self.known
            active = []
            for i in still:
                variables = relations[i][0]
                if lonely[variables].any():
                    changed = True
                else:
                    active.append(i)
        parent = np.arange(table.n_variables)

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        self.restricted: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for i in active:
            variables, coefficients = relations[i]
            unknown = ~self.known[variables]
            members = variables[unknown]
            self.restricted.append((members, coefficients[unknown], variables))
            root = find(int(members[0]))
            for other in members[1:]:
                other_root = find(int(other))
                if other_root != root:
                    parent[other_root] = root
        self.root = np.array([find(i) for i in range(table.n_variables)])
        self._by_component: dict[int, list[int]] = {}
        for i, (members, _, _) in enumerate(self.restricted):
            self._by_component.setdefault(int(self.root[members[0]]), []).append(i)
        self._null: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._relations = relations
        self._table = table
        self._active = active
        # Null spaces by (relations, unknowns): a component untouched by a pass is not solved again.
        self._solved = solved.setdefault("null spaces", {})

    def relations_of(self, component: int) -> list[int]:
        return self._by_component.get(component, [])

    def null_space(self, component: int) -> tuple[np.ndarray, np.ndarray]:
        """(columns, basis): the component's unknowns and a basis of the null space."""
        if component not in self._null:
            rows = [self.restricted[i] for i in self.relations_of(component)]
            columns = np.unique(np.concatenate([m for m, _, _ in rows])) if rows else np.zeros(0)
            columns = columns.astype(int)
            if not rows:
                self._null[component] = (np.array([component]), np.ones((1, 1)))
                return self._null[component]
            key = (tuple(self._active[i] for i in self.relations_of(component)), columns.tobytes())
            if key not in self._solved:
                matrix = np.zeros((len(rows), len(columns)))
                for i, (members, coefficients, _) in enumerate(rows):
                    np.add.at(matrix[i], np.searchsorted(columns, members), coefficients)
                self._solved[key] = _null_basis(matrix)
            self._null[component] = (columns, self._solved[key])
        return self._null[component]

    def pinned(self, variables: np.ndarray, coefficients: np.ndarray) -> bool:
        """True when the quantity is determined by what is known and the relations."""
        unknown = ~self.known[variables]
        if not unknown.any():
            return True
        variables, coefficients = variables[unknown], coefficients[unknown]
        for component in np.unique(self.root[variables]):
            inside = self.root[variables] == component
            columns, basis = self.null_space(int(component))
            vector = np.zeros(len(columns))
            np.add.at(vector, np.searchsorted(columns, variables[inside]), coefficients[inside])
            if basis.shape[1] and np.abs(vector @ basis).max() > _TOLERANCE:
                return False
            if not basis.shape[1] and np.abs(vector).max() <= _TOLERANCE:
                continue
        return True

    def neighbours(self, variables: np.ndarray) -> np.ndarray:
        """Shown variables whose hiding could unpin a quantity on `variables`.

        Those sharing a relation with the quantity's unknowns, and, for a
        variable the peeling determined, those of the relation that told it
        (followed back through other determined ones), and for one the
        bounds force to zero, those of every relation it is in.
        """
        found: list[int] = []
        seen: set[int] = set()
        todo = [int(v) for v in variables if not self.shown[v]]
        while todo:
            variable = todo.pop()
            if variable in seen:
                continue
            seen.add(variable)
            if variable in self.told_by:
                relations = [self._relations[self.told_by[variable]][0]]
            elif self.zero[variable]:
                relations = [self._relations[i][0] for i in self._table.relations_with(variable)]
            else:
                relations = [self.restricted[i][2] for i in self.relations_of(self.root[variable])]
            for members in relations:
                for member in members.tolist():
                    if self.shown[member]:
                        found.append(member)
                    elif member in self.told_by or self.zero[member]:
                        todo.append(member)
        return np.unique(np.array(found, dtype=int))


def _null_basis(matrix: np.ndarray) -> np.ndarray:
    """Orthonormal columns spanning the null space of `matrix` (empty when it has full rank).

    Rank-revealing QR with column pivoting (``A P = Q R``; several times faster
    than an SVD on the large sparse-patterned systems of two ward sets): with
    rank ``r``, the null space is ``P [-R11^-1 R12; I]``, orthonormalised.
    """
    import scipy.linalg

    n = matrix.shape[1]
    if not matrix.size:
        return np.eye(n)
    _, r, perm = scipy.linalg.qr(matrix, mode="economic", pivoting=True)
    diagonal = np.abs(np.diag(r))
    threshold = max(diagonal.max(initial=0) * max(matrix.shape) * np.finfo(float).eps, _TOLERANCE)
    rank = int((diagonal > threshold).sum())
    if rank == n:
        return np.zeros((n, 0))
    free = scipy.linalg.solve_triangular(r[:rank, :rank], r[:rank, rank:])
    basis = np.zeros((n, n - rank))
    basis[perm[:rank]] = -free
    basis[perm[rank:]] = np.eye(n - rank)
    return np.linalg.qr(basis)[0]


def pinned_quantities(table: LinearPublication, hidden_rows: np.ndarray) -> list[int]:
    """Indexes of protected quantities the published rows determine exactly."""
    tested = np.zeros(table.n_variables, dtype=bool)
    for variables, _ in table.protected:
        tested[variables] = True
    unknowns = _Unknowns(table, table.known(hidden_rows), tested)
    return [i for i, (v, c) in enumerate(table.protected) if unknowns.pinned(v, c)]


def protect(table: LinearPublication, hidden_rows: np.ndarray) -> np.ndarray:
    """Hide more rows until no protected quantity is pinned; returns the hidden-row mask.

    Each pass hides, for every pinned quantity, the cheapest visible row
    showing a variable next to it (a quantity fully shown is hidden at its
    own rows first); one choice per component of unknowns per pass, so one
    new unknown can serve several quantities. Hiding only ever removes
    knowledge, so a quantity found safe stays safe: later passes look again
    only at those still pinned. Every pass hides at least one row, so it ends.
    """
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
        unknowns = _Unknowns(table, known, tested, solved)
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
