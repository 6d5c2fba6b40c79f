"""What a reader cannot see, given what is shown: the relations over the unknown counts.

Secondary suppression (:mod:`indicators.disclosure.suppression`) asks, pass
after pass, which protected quantities the shown figures pin down. This
module answers it for one set of shown variables: it peels the relations
(a relation with one unknown left tells it), splits the rest into connected
components of unknowns, and decides with one null space per component. All
of it is sparse-matrix arithmetic over the whole publication at once, so a
pass costs milliseconds plus the solves of the components it changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.sparse import bmat, csr_matrix
from scipy.sparse.csgraph import connected_components

from indicators.disclosure.forced_zero import forced_zero
from indicators.disclosure.sparse_parts import Groups, entries

if TYPE_CHECKING:
    from indicators.disclosure.suppression import LinearPublication

TOLERANCE = 1e-8


class Unknowns:
    """The relations restricted to the unknown variables, peeled, split into components.

    Peeling keeps the systems small without changing any answer: a relation
    with one unknown left determines it (it counts as known from then on,
    remembering which relation told it); a relation holding an unknown found
    in no other relation and in no quantity under test can never help pin
    anything (no combination can cancel that unknown), so it is set aside.
    `solved` carries the answers of blocks and components from one pass to
    the next (a pass changes few of them).
    """

    def __init__(
        self,
        table: LinearPublication,
        shown: np.ndarray,
        tested: np.ndarray,
        solved: dict | None = None,
    ) -> None:
        solved = {} if solved is None else solved
        self._table = table
        self.shown = shown
        self.zero = forced_zero(table, shown, solved.setdefault("forced zero", {}))
        self.known = shown | self.zero
        self.told_by = np.full(table.n_variables, -1)
        self._active = self._peel(tested)
        self._components()
        # Null spaces by (relations, unknowns): a component untouched by a pass is not solved again.
        self._solved = solved.setdefault("null spaces", {})
        self._null: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def _peel(self, tested: np.ndarray) -> np.ndarray:
        """Indexes of the relations left once peeling and setting aside are done."""
        pattern = self._table.pattern()
        known = self.known
        active = np.ones(pattern.shape[0], dtype=bool)
        while True:
            counts = pattern @ (~known).astype(np.int32)
            active &= counts > 0
            single = np.flatnonzero(active & (counts == 1))
            if single.size:
                rows, columns = entries(pattern[single], ~known)
                variables, first = np.unique(columns, return_index=True)
                known[variables] = True
                self.told_by[variables] = single[rows[first]]
                active[single] = False
                continue
            uses = pattern.T @ active.astype(np.int32)
            lonely = (uses == 1) & ~tested & ~known
            if not lonely.any():
                return np.flatnonzero(active)
            active &= (pattern @ lonely.astype(np.int32)) == 0

    def _components(self) -> None:
        """Label every variable with its component of unknowns (joined by a relation)."""
        table = self._table
        n_rel = len(self._active)
        rows, columns = entries(table.pattern()[self._active], ~self.known)
        restricted = csr_matrix(
            (np.ones(len(rows), dtype=np.int8), (rows, columns)), shape=(n_rel, table.n_variables)
        )
        graph = bmat([[None, restricted], [restricted.T, None]], format="csr")
        _, label = connected_components(graph, directed=False)
        self.root = label[n_rel:]
        self._relations_by = Groups(label[:n_rel])
        self._members_by = Groups(self.root)

    def relations_of(self, component: int) -> np.ndarray:
        """Indexes (into the table's relations) of the active relations of `component`."""
        found = self._relations_by.get(component)
        return self._active[found] if found is not None else np.zeros(0, dtype=int)

    def null_space(self, component: int) -> tuple[np.ndarray, np.ndarray]:
        """(columns, basis): the component's unknowns and a basis of the null space."""
        if component not in self._null:
            relations = self.relations_of(component)
            columns = self._members_by[component]
            if not relations.size:
                self._null[component] = (columns, np.eye(len(columns)))
                return self._null[component]
            key = (relations.tobytes(), columns.tobytes())
            if key not in self._solved:
                matrix = self._table.matrix()[relations][:, columns].toarray()
                self._solved[key] = null_basis(matrix)
            self._null[component] = (columns, self._solved[key])
        return self._null[component]

    def pinned(self, variables: np.ndarray, coefficients: np.ndarray) -> bool:
        """True when the quantity is determined by what is known and the relations."""
        unknown = ~self.known[variables]
        if not unknown.any():
            return True
        variables, coefficients = variables[unknown], coefficients[unknown]
        roots = self.root[variables]
        for component in np.unique(roots):
            inside = roots == component
            columns, basis = self.null_space(int(component))
            if not basis.shape[1]:
                continue
            vector = np.zeros(len(columns))
            np.add.at(vector, np.searchsorted(columns, variables[inside]), coefficients[inside])
            if np.abs(vector @ basis).max() > TOLERANCE:
                return False
        return True

    def neighbours(self, variables: np.ndarray) -> np.ndarray:
        """Shown variables whose hiding could unpin a quantity on `variables`.

        Those sharing a relation with the quantity's unknowns, and, for a
        variable the peeling determined, those of the relation that told it
        (followed back through other determined ones), and for one the
        bounds force to zero, those of every relation it is in.
        """
        table = self._table
        found: list[np.ndarray] = []
        seen: set[int] = set()
        todo = [int(v) for v in variables if not self.shown[v]]
        while todo:
            variable = todo.pop()
            if variable in seen:
                continue
            seen.add(variable)
            if self.told_by[variable] >= 0:
                relations = self.told_by[variable : variable + 1]
            elif self.zero[variable]:
                relations = table.relations_with(variable)
            else:
                relations = self.relations_of(int(self.root[variable]))
            members = np.unique(table.members(relations))
            found.append(members[self.shown[members]])
            hidden = members[~self.shown[members]]
            todo.extend(hidden[(self.told_by[hidden] >= 0) | self.zero[hidden]].tolist())
        return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=int)


def null_basis(matrix: np.ndarray) -> np.ndarray:
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
    threshold = max(diagonal.max(initial=0) * max(matrix.shape) * np.finfo(float).eps, TOLERANCE)
    rank = int((diagonal > threshold).sum())
    if rank == n:
        return np.zeros((n, 0))
    free = scipy.linalg.solve_triangular(r[:rank, :rank], r[:rank, rank:])
    basis = np.zeros((n, n - rank))
    basis[perm[:rank]] = -free
    basis[perm[rank:]] = np.eye(n - rank)
    return np.linalg.qr(basis)[0]
